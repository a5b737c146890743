"""`python -m wrapper`: the `images` command line."""

import sys

from ._cli import main

sys.exit(main())
