"""`python -m wrapper.mock --host 127.0.0.1 --port 4010 [--api-key KEY]`: serve the emulator."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn

from ._app import create_app
from ._faults import Fault, Faults

_STATUS_FAULTS = {429: Fault.rate_limit(), 500: Fault.server_error(), 503: Fault.unavailable()}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m wrapper.mock", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4010)
    parser.add_argument("--base-path", default="/v1", help="where the API is served (default /v1)")
    parser.add_argument("--api-key", help="the only bearer token accepted (default: any non-empty one)")
    parser.add_argument("--url-ttl", type=float, default=3600.0, help="seconds image URLs stay valid")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of requests that fail (0-1)")
    parser.add_argument("--error-status", type=int, choices=sorted(_STATUS_FAULTS), default=503)
    parser.add_argument("--seed", type=int, default=0, help="seed of the error draw")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    faults = Faults(
        rate=args.error_rate, fault=_STATUS_FAULTS[args.error_status], latency=args.latency, seed=args.seed
    )
    app = create_app(base_path=args.base_path, api_key=args.api_key, url_ttl=args.url_ttl, faults=faults)
    uvicorn.run(app, host=args.host, port=args.port, lifespan="off")


if __name__ == "__main__":
    main()
