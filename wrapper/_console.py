"""The `images` console script (and `python -m wrapper`): Ctrl-C is caught from its first moment.

The command line's own modules import httpx2, rich and the capability table, which takes a few hundred
milliseconds on a cold start; an interrupt during those imports ends the command like one during its
work (exit 130, one line), not with a traceback. This module imports nothing until then.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130


def run() -> int:
    """Run `images` with the process's arguments and return the exit code."""
    try:
        from ._cli import main
    except KeyboardInterrupt:
        sys.stderr.write("images: error: interrupted\n")
        return INTERRUPTED
    return main()
