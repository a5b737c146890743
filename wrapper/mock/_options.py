"""The emulator's command-line options, shared by `python -m wrapper.mock` and `images mock`.

Plain argparse, no dependency of the `mock` extra: the `images` parser adds them even where the
emulator cannot run, so that `images mock --help` always works.
"""

from __future__ import annotations

import argparse
from datetime import date

from ._record_cli import add_record_options

ERROR_STATUSES = (429, 500, 503)
"""The statuses `--error-status` can inject (rate limit, server error, unavailable)."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options (host, port, base path, key, URL lifetime and faults) to `parser`,
    and those of the recording proxy, `probe` and `verify` (`_record_cli.py`)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=4010, help="port to listen on (default 4010; 0 picks a free one)"
    )
    parser.add_argument("--base-path", default="/v1", help="where the API is served (default /v1)")
    parser.add_argument("--api-key", help="the only key accepted (default: any non-empty one)")
    parser.add_argument("--url-ttl", type=float, default=3600.0, help="seconds image URLs stay valid")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of requests that fail, 0 to 1 (default 0)"
    )
    parser.add_argument(
        "--error-status",
        type=int,
        choices=ERROR_STATUSES,
        default=503,
        help="the status of those failures (default 503)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the failure draw (default 0)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="play the API as of this day (default today): models retired by then answer 404",
    )
    add_record_options(parser)
