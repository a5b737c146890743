"""`python -m wrapper.mock [--port 4010] [--api-key KEY] [--latency S] ...`: serve the emulator.

`images mock` takes the same options (`_options.py`) and runs `serve`. It prints the base URL and
the two `export` lines that point the client and the `images` command at it, then one access line
per request. Exit codes: 0 stopped (Ctrl-C), 1 the port could not be opened (one line says why),
2 the `mock` extra is not installed (one line says how to add it), 130 interrupted while starting.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from collections.abc import Sequence

from .._install import exit_without_extra

# Run as `python -m wrapper.mock` without the `mock` extra: one line saying how to add it, exit 2.
with exit_without_extra("python -m wrapper.mock", "mock", when=__name__ == "__main__"):
    import uvicorn

    from ._app import create_app
    from ._faults import Fault, Faults
    from ._guard import HeadGuardedH11
    from ._options import add_options
    from ._record_cli import dispatch
    from ._serving import CANNOT_LISTEN, cannot_listen, listen, run_until_stopped

INTERRUPTED = 130
_STATUS_FAULTS = {429: Fault.rate_limit(), 500: Fault.server_error(), 503: Fault.unavailable()}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options of `python -m wrapper.mock` (those of `images mock`)."""
    parser = argparse.ArgumentParser(prog="python -m wrapper.mock", description=__doc__.split("\n")[0])
    add_options(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the emulator until Ctrl-C; the exit code as in the module's docstring."""
    try:
        return serve(parse_args(argv), "python -m wrapper.mock")
    except KeyboardInterrupt:
        return INTERRUPTED


def serve(args: argparse.Namespace, prog: str) -> int:
    """Listen first, so that a busy port is one line on stderr, then print the banner and serve (or
    run the recording proxy, `probe` or `verify` when the options ask for one)."""
    recording = dispatch(args, prog)
    if recording is not None:
        return recording
    try:
        listener = listen(args.host, args.port)
    except OSError as exc:
        print(f"{prog}: error: {cannot_listen(args.host, args.port, exc)}", file=sys.stderr)
        return CANNOT_LISTEN
    with listener:
        faults = Faults(
            rate=args.error_rate,
            fault=_STATUS_FAULTS[args.error_status],
            latency=args.latency,
            seed=args.seed,
        )
        app = create_app(
            base_path=args.base_path,
            api_key=args.api_key,
            url_ttl=args.url_ttl,
            faults=faults,
            as_of=args.as_of,
        )
        server = uvicorn.Server(uvicorn.Config(app, http=HeadGuardedH11, lifespan="off", log_level="info"))
        # uvicorn's start-up lines would repeat the banner; its access lines (one per request) stay.
        logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
        run_until_stopped(server, listener, banner(args, listener.getsockname()[1]))
    return 0


def banner(args: argparse.Namespace, port: int) -> str:
    """Where the emulator listens, and the two lines that point a shell at it."""
    host = "127.0.0.1" if args.host in ("", "0.0.0.0") else args.host
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{port}/{args.base_path.strip('/')}".rstrip("/")
    return (
        f"Images API emulator on {url} (Ctrl-C stops it). Point the client and the images command at it:\n"
        f"  export OPENAI_BASE_URL={url}\n"
        f"  export OPENAI_API_KEY={shlex.quote(args.api_key or 'sk-mock')}"
    )


if __name__ == "__main__":
    sys.exit(main())
