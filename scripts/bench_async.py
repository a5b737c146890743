"""Many async calls in flight: wrapper vs the official SDK vs raw httpx2, each peer in a fresh process.

Each round starts one interpreter per peer (the order rotated each round) that makes `--calls`
`images.generate` calls with `--in-flight` at once against the fixed-answer server
(scripts/bench_server.py) and reports requests/s, p50 and p99 latency, and CPU seconds per request
(`resource.getrusage`, user + system, of that process alone). Every peer runs on its own default stack:
the SDK and the wrapper build their own httpx2 client, raw httpx2 uses `httpx2.AsyncClient()` as it comes
(100 connections, which cover 64 in flight, but only 20 kept alive: a peer, not a floor for p99;
`make bench-pool` compares the pool settings).

`python scripts/bench_async.py --base-url URL` prints one JSON line per peer and round; `bench.py`
turns them into rows. `--peer NAME` runs one peer in this process (what each fresh process does).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

PEERS = ("httpx2", "openai", "wrapper")
PROMPT = "a small red square"
MODEL = "gpt-image-1.5"


def _caller(
    peer: str, base_url: str
) -> tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[None]]]:
    """One generate call and the close of `peer`, on its default stack."""
    if peer == "httpx2":
        import httpx2

        raw = httpx2.AsyncClient(base_url=base_url, headers={"Authorization": "Bearer sk-bench"}, timeout=600)
        body = {"prompt": PROMPT, "model": MODEL}

        async def call_raw() -> object:
            return (await raw.post("/images/generations", json=body)).json()

        return call_raw, raw.aclose
    if peer == "openai":
        import openai

        sdk = openai.AsyncOpenAI(api_key="sk-bench", base_url=base_url, max_retries=0)
        return (lambda: sdk.images.generate(prompt=PROMPT, model=MODEL)), sdk.close
    import wrapper

    ours = wrapper.AsyncClient(api_key="sk-bench", base_url=base_url, max_retries=0)
    return (lambda: ours.images.generate(prompt=PROMPT, model=MODEL)), ours.close


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(
    peer: str,
    base_url: str,
    calls: int,
    in_flight: int,
    caller: tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[None]]] | None = None,
) -> dict[str, float]:
    """`calls` calls of `peer` (or of `caller`: a call and a close) with `in_flight` at once."""
    call, close = caller or _caller(peer, base_url)
    gate = asyncio.Semaphore(in_flight)
    latencies: list[float] = []

    async def one() -> None:
        async with gate:
            start = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(one() for _ in range(in_flight * 2)))  # warm the pool and the imports
    latencies.clear()
    cpu, start = _cpu(), time.perf_counter()
    await asyncio.gather(*(one() for _ in range(calls)))
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
    await close()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": calls / elapsed,
        "p50_ms": cuts[49] * 1e3,
        "p99_ms": cuts[98] * 1e3,
        "cpu_us": cpu / calls * 1e6,
    }


def fresh_rounds(base_url: str, calls: int, in_flight: int, rounds: int) -> dict[str, list[dict[str, float]]]:
    """`rounds` runs of each peer, each in its own fresh interpreter, the order rotated per round."""
    results: dict[str, list[dict[str, float]]] = {peer: [] for peer in PEERS}
    for index in range(rounds):
        order = PEERS[index % len(PEERS) :] + PEERS[: index % len(PEERS)]
        for peer in order:
            argv = [sys.executable, str(Path(__file__).resolve()), "--peer", peer, "--base-url", base_url]
            argv += ["--calls", str(calls), "--in-flight", str(in_flight)]
            out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
            results[peer].append(json.loads(out.stdout))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--peer", choices=PEERS, help="run this peer here (else: each in a fresh process)")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.peer:
        print(json.dumps(asyncio.run(run(args.peer, args.base_url, args.calls, args.in_flight))))
        return
    for peer, runs in fresh_rounds(args.base_url, args.calls, args.in_flight, args.rounds).items():
        for result in runs:
            print(json.dumps({"peer": peer, **result}))


if __name__ == "__main__":
    main()
