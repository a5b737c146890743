"""`python -m wrapper`: the `images` command line."""

import sys

from ._console import run

sys.exit(run())
