"""The wrapper's own work per plain call, without a network: `images.generate` against raw httpx2,
both answered by an in-memory transport (given to the wrapper as `http_client=`, the documented path)
with the benchmark server's body, alternated in rounds; the best round of each (the least disturbed)
is reported. The difference is net: the wrapper's own work less what it saves httpx2 by resolving
each operation's URL once. A quick loop for work on
the hot path (`make bench` is the measurement of record):

    .venv/bin/python scripts/call_overhead.py            # 15 rounds of 1,000 calls each
    .venv/bin/python scripts/call_overhead.py --profile  # where the wrapper's time goes (cProfile)
    .venv/bin/python scripts/call_overhead.py --otel     # also with OpenTelemetry imported, then on

`--otel` (the `otel` extra and the SDK installed) measures the same calls three times: before anything
imports OpenTelemetry (the process of a service without it), with its API imported but no provider set
(the API's default: the wrapper checks and does nothing), and with the SDK's providers set (every call
a span, kept by no exporter, and its metrics aggregated in memory).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import SMALL

import wrapper

PROMPT, MODEL = "a small red square", "gpt-image-1.5"


def answer(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, content=SMALL, headers={"content-type": "application/json"})


def peers() -> dict[str, Callable[[], object]]:
    raw = httpx2.Client(
        base_url="http://api.test/v1",
        headers={"Authorization": "Bearer sk-test"},
        transport=httpx2.MockTransport(answer),
    )
    # The documented way to give the wrapper a transport: `http_client=` (what a service that configures
    # its own pool, proxy or hooks does); the client's own httpx2 client is configured the same way.
    given = httpx2.Client(transport=httpx2.MockTransport(answer))
    ours = wrapper.Client(api_key="sk-test", base_url="http://api.test/v1", max_retries=0, http_client=given)
    body = {"prompt": PROMPT, "model": MODEL}
    return {
        "httpx2": lambda: raw.post("/images/generations", json=body).json(),
        "wrapper": lambda: ours.images.generate(prompt=PROMPT, model=MODEL),
    }


def best_rounds(calls: dict[str, Callable[[], object]], rounds: int, size: int) -> dict[str, float]:
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            for _ in range(size):
                call()
            best[name] = min(best[name], (time.perf_counter() - start) / size * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--otel", action="store_true", help="also with OpenTelemetry imported, then on")
    args = parser.parse_args()
    calls = peers()
    for call in calls.values():
        for _ in range(200):
            call()
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(lambda: [calls["wrapper"]() for _ in range(args.size * 3)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(r"wrapper|images_api", 30)
        return
    report(calls, args, "" if not args.otel else ", OpenTelemetry not imported")
    if args.otel:
        import opentelemetry.metrics
        import opentelemetry.trace

        report(calls, args, ", OpenTelemetry imported, no provider")
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider

        opentelemetry.trace.set_tracer_provider(TracerProvider())
        opentelemetry.metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))
        report(calls, args, ", OpenTelemetry SDK providers set")


def report(calls: dict[str, Callable[[], object]], args: argparse.Namespace, label: str) -> None:
    best = best_rounds(calls, args.rounds, args.size)
    extra = best["wrapper"] - best["httpx2"]
    print(
        f"httpx2 {best['httpx2']:.1f} µs/call, wrapper {best['wrapper']:.1f} µs/call ({extra:+.1f} µs){label}"
    )


if __name__ == "__main__":
    main()
