"""Which connection pool many async calls in flight need: the wrapper on pools of different sizes.

`wrapper.AsyncClient` given no `http_client` builds its httpx2 client with 1,000 connections, all kept
alive (`wrapper/_http.py`). This measures that choice against the official SDK's limits (1,000 / 100
kept alive), httpx2's own default (100 / 20) and a pool the size of the calls in flight, at 64 and at
256 calls in flight, against the fixed-answer server (scripts/bench_server.py): each setting in its
own fresh interpreter, the order rotated each round, `--rounds` rounds; requests/s (min / median /
max over the rounds), p50, p99 and CPU per request (medians) as in scripts/bench_async.py. Not part of
`make test`; `make bench-pool` runs it (3 rounds, 2,000 calls a run; docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import server  # noqa: E402
from bench_async import run  # noqa: E402

POOLS = {
    "the SDK's (1000 / 100)": None,
    "httpx2's default (100 / 20)": (100, 20),
    "as many as in flight": ("in_flight", "in_flight"),
    "1000 / 1000 (the client's own)": (1000, 1000),
}
METRICS = ("rps", "p50_ms", "p99_ms", "cpu_us")


def one_run(base_url: str, pool: str, calls: int, in_flight: int) -> dict[str, float]:
    """Run `calls` calls on `pool` in this process (what each fresh interpreter does)."""
    import httpx2

    import wrapper

    limits = POOLS[pool]
    if limits is None:
        http = wrapper.DefaultAsyncHttpxClient()  # the client's own pool: the SDK's limits
    else:
        connections, alive = (in_flight if value == "in_flight" else int(value) for value in limits)
        http = wrapper.DefaultAsyncHttpxClient(
            limits=httpx2.Limits(max_connections=connections, max_keepalive_connections=alive)
        )
    client = wrapper.AsyncClient(api_key="sk-bench", base_url=base_url, max_retries=0, http_client=http)

    async def call() -> object:
        return await client.images.generate(prompt="a small red square", model="gpt-image-1.5")

    async def close() -> None:
        await client.close()
        await http.aclose()

    return asyncio.run(run("custom", base_url, calls, in_flight, caller=(call, close)))


def fresh(base_url: str, pool: str, calls: int, in_flight: int) -> dict[str, float]:
    argv = [sys.executable, __file__, "--one", pool, "--base-url", base_url]
    argv += ["--calls", str(calls), "--in-flight", str(in_flight)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
    return dict(json.loads(out.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--one", choices=POOLS, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.base_url, args.one, args.calls, args.in_flight[0])))
        return
    names = list(POOLS)
    print(
        "| calls in flight | pool (connections / kept alive) | req/s min / median / max "
        "| p50 ms | p99 ms | CPU µs/request |"
    )
    print("|---|---|---|---|---|---|")
    with server() as base_url:
        for in_flight in args.in_flight:
            results: dict[str, list[dict[str, float]]] = {name: [] for name in names}
            for index in range(args.rounds):
                for name in names[index % len(names) :] + names[: index % len(names)]:
                    results[name].append(fresh(base_url, name, args.calls, in_flight))
            for name, runs in results.items():
                rps = sorted(r["rps"] for r in runs)
                median = {key: statistics.median(r[key] for r in runs) for key in METRICS[1:]}
                print(
                    f"| {in_flight} | {name} | {rps[0]:.0f} / {statistics.median(rps):.0f} / {rps[-1]:.0f} "
                    f"| {median['p50_ms']:.1f} | {median['p99_ms']:.1f} | {median['cpu_us']:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
