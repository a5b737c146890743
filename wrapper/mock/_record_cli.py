"""The recording side of `images mock` / `python -m wrapper.mock`: the proxy, the probes, verification.

    images mock --upstream https://api.openai.com/v1 --record cassettes/ [--format vcr]  # a recording proxy
    images mock probe --upstream https://api.openai.com/v1 --record cassettes/ [--spend] [--model M]
    images mock verify cassettes/ [--json] [--as-of DAY]                   # exit 0 agree, 1 disagree

Plain argparse at import time (so `--help` works without the `mock` extra); the work is imported
when a command runs. The key comes from OPENAI_API_KEY and is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date

USAGE_ERROR, DISAGREE = 2, 1
KEY_VARIABLE = "OPENAI_API_KEY"


def add_record_options(parser: argparse.ArgumentParser) -> None:
    """Add `--upstream`/`--record` (serve a recording proxy) and the `probe` and `verify` commands."""
    parser.add_argument("--upstream", metavar="URL", help="forward to this API (https://) and record")
    parser.add_argument(
        "--record", metavar="DIR", help="with --upstream: write one cassette per exchange here"
    )
    parser.add_argument(
        "--format",
        choices=("json", "vcr"),
        default="json",
        dest="cassette_format",
        help="with --record: JSON cassettes (default), or VCR.py cassettes (YAML, as vcrpy keeps them)",
    )
    commands = parser.add_subparsers(dest="mock_command", metavar="{probe,verify}")
    probe = commands.add_parser("probe", help="send the probe suite through a recording proxy")
    probe.add_argument("--upstream", metavar="URL", help="the API to probe (https://)")
    probe.add_argument("--record", metavar="DIR", help="where to write the cassettes")
    probe.add_argument(
        "--spend", action="store_true", help="also send the requests the table accepts (they create images)"
    )
    probe.add_argument(
        "--model", action="append", dest="models", metavar="MODEL", help="probe only this model (repeatable)"
    )
    probe.add_argument("--list", action="store_true", help="print the suite and send nothing")
    verify = commands.add_parser("verify", help="replay cassettes against the emulator and the client")
    verify.add_argument("directory", metavar="DIR", help="a directory of cassettes")
    verify.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print the report as JSON"
    )
    verify.add_argument(
        "--as-of",
        dest="verify_as_of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="replay every exchange as of this day (default: the day each was recorded)",
    )


def dispatch(args: argparse.Namespace, prog: str) -> int | None:
    """Run `probe`, `verify` or the recording proxy if `args` ask for one; None: serve the emulator."""
    command = getattr(args, "mock_command", None)
    if command == "probe":
        return probe(args, prog)
    if command == "verify":
        return verify(args, prog)
    if getattr(args, "upstream", None) or getattr(args, "record", None):
        return serve_proxy(args, prog)
    return None


def _error(prog: str, message: str) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return USAGE_ERROR


def probe(args: argparse.Namespace, prog: str) -> int:
    """`probe`: print the suite's size and what it will cost, then send it (or list it with --list)."""
    from ._probe import plan, run_probes
    from ._proxy import check_upstream

    if args.list:
        probes, run = plan(args.spend, args.models)
        for item in probes:
            print(f"{item.rule:34} {item.describe()}")
        split = f"{run.rejecting} the table refuses, {run.accepting} it accepts"
        print(f"{len(probes)} of {run.total} requests ({split}); sending these creates {run.images} images")
        return 0
    if not (args.upstream and args.record):
        return _error(prog, "probe needs --upstream URL and --record DIR (or --list)")
    key = os.environ.get(KEY_VARIABLE)
    if not key:
        return _error(prog, f"probe needs the API key in {KEY_VARIABLE}")
    try:
        check_upstream(args.upstream)
    except ValueError as exc:
        return _error(prog, str(exc))
    run = run_probes(args.upstream, args.record, api_key=key, spend=args.spend, models=args.models)
    print(
        f"sent {run.sent}, recorded {len(run.recorded)} cassettes in {args.record}; unanswered {run.failed}"
    )
    return DISAGREE if run.failed else 0


def verify(args: argparse.Namespace, prog: str) -> int:
    """`verify`: the report (as text, or JSON with --json); exit 0 when everything agrees, else 1
    (also when nothing could be compared); 2 when the directory or a cassette cannot be read."""
    from ._verify import verify as run_verify

    try:
        report = run_verify(args.directory, as_of=args.verify_as_of or getattr(args, "as_of", None))
    except (OSError, ValueError, KeyError) as exc:
        return _error(prog, f"cannot read the cassettes: {exc}")
    print(json.dumps(report.to_json(), indent=1) if getattr(args, "json", False) else report.text())
    return 0 if report.ok else DISAGREE


def serve_proxy(args: argparse.Namespace, prog: str) -> int:
    """Serve a recording proxy on the emulator's host and port until Ctrl-C."""
    import logging

    import uvicorn

    from ._guard import HeadGuardedH11
    from ._proxy import check_upstream, create_proxy
    from ._serving import CANNOT_LISTEN, cannot_listen, listen, run_until_stopped

    if not (args.upstream and args.record):
        return _error(prog, "--upstream and --record go together")
    try:
        app = create_proxy(args.upstream, args.record, base_path=args.base_path, format=args.cassette_format)
    except ValueError as exc:
        return _error(prog, str(exc))
    try:
        listener = listen(args.host, args.port)
    except OSError as exc:
        print(f"{prog}: error: {cannot_listen(args.host, args.port, exc)}", file=sys.stderr)
        return CANNOT_LISTEN
    with listener:
        server = uvicorn.Server(uvicorn.Config(app, http=HeadGuardedH11, lifespan="off", log_level="info"))
        logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
        url = f"http://{args.host}:{listener.getsockname()[1]}{app.base_path}"
        run_until_stopped(
            server,
            listener,
            f"Recording proxy on {url} for {check_upstream(args.upstream)}, cassettes in {args.record} "
            f"(Ctrl-C stops it). Point the client at it:\n  export OPENAI_BASE_URL={url}",
        )
    return 0
