"""Benchmarks of bulk jobs (`wrapper.batch`), run by `scripts/bench.py --bulk` (or alone: this file).

1. The online backend's sustained rate against an emulator with a requests-per-minute limit, as a
   fraction of what the limit allows over the run (its bucket's capacity plus the refill over the
   elapsed time); target >= 0.9 with 0 failed lines. The client retries nothing (max_retries=0),
   so every 429 the pacing failed to avoid shows up in the count.
2. Peak RSS of validating and submitting (upload + create batch) a job of 5,000 and of 50,000
   lines, each in a fresh interpreter, against an emulator in another process: flat in the lines.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

EMULATOR = """
import sys, time
from wrapper.mock import LiveServer, create_app
from wrapper.mock._ratelimit import RateLimits
rpm, burst = int(sys.argv[1]), float(sys.argv[2])
limits = RateLimits(rpm=rpm, burst_seconds=burst) if rpm else None
with LiveServer(create_app(limits=limits, max_recorded=16)) as server:
    print(server.url, flush=True)
    sys.stdin.read()
"""

SUBMIT_CHILD = """
import json, resource, sys, time
import wrapper
from wrapper.batch import Job
source, out, url = sys.argv[1:4]
started = time.perf_counter()
with wrapper.Client(api_key="bench", base_url=url) as client:
    job = Job.create(source, out)
    job.submit(client)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"peak": peak, "seconds": time.perf_counter() - started, "chunks": len(job.state.chunks)}))
"""


@contextlib.contextmanager
def emulator(rpm: int = 0, burst_seconds: float = 1.0) -> Iterator[str]:
    """The emulator in another process (its memory is not the client's), with a requests budget."""
    command = [sys.executable, "-c", EMULATOR, str(rpm), str(burst_seconds)]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        assert process.stdin is not None
        url = process.stdout.readline().strip()
        try:
            yield url
        finally:
            process.stdin.close()
            process.wait(timeout=30)


def write_job(path: Path, lines: int) -> None:
    with path.open("w") as out:
        for number in range(lines):
            prompt = f"a watercolour painting of lighthouse number {number} on a rocky coast at dusk"
            line = {
                "custom_id": f"item-{number}",
                "prompt": prompt,
                "model": "gpt-image-2",
                "size": "256x256",
                "quality": "low",
            }
            out.write(json.dumps(line) + "\n")


def bench_online_rate(lines: int, rpm: int, burst_seconds: float, concurrency: int = 8) -> dict[str, float]:
    import wrapper
    from wrapper.batch import Job

    seen: list[object] = []
    with tempfile.TemporaryDirectory() as tmp, emulator(rpm, burst_seconds) as url:
        source = Path(tmp) / "job.jsonl"
        write_job(source, lines)
        job = Job.create(source, Path(tmp) / "out", backend="online")
        with wrapper.Client(api_key="bench", base_url=url, max_retries=0) as client:
            started = time.perf_counter()
            report = job.run_online(client, concurrency=concurrency, on_progress=seen.append)
            elapsed = time.perf_counter() - started
    rate = rpm / 60
    allowed = max(1.0, rpm * burst_seconds / 60) + rate * elapsed
    limited = getattr(seen[-1], "rate_limited", 0) if seen else 0
    return {
        "lines": lines,
        "seconds": elapsed,
        "rate": report.succeeded / elapsed,
        "limit": rate,
        "fraction": report.succeeded / allowed,
        "failed": report.failed,
        "rate_limited": limited,
    }


def bench_submit_memory(sizes: tuple[int, ...]) -> dict[int, dict[str, float]]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp, emulator() as url:
        for size in sizes:
            source = Path(tmp) / f"job-{size}.jsonl"
            write_job(source, size)
            out = Path(tmp) / f"out-{size}"
            run = subprocess.run(
                [sys.executable, "-c", SUBMIT_CHILD, str(source), str(out), url],
                capture_output=True,
                text=True,
                check=True,
                timeout=1800,
            )
            results[size] = {**json.loads(run.stdout), "mb": source.stat().st_size / (1 << 20)}
    return results


def report(quick: bool) -> str:
    """The bulk section of the benchmark report (markdown)."""
    lines, rpm = (60, 1200) if quick else (300, 600)
    online = bench_online_rate(lines, rpm, burst_seconds=1.0)
    sizes = (500, 5_000) if quick else (5_000, 50_000)
    memory = bench_submit_memory(sizes)
    small, large = memory[sizes[0]], memory[sizes[1]]
    verdict = "met" if online["fraction"] >= 0.9 and online["failed"] == 0 else "MISSED"
    flat = large["peak"] - small["peak"]
    return "\n".join(
        [
            "### Bulk jobs (`wrapper.batch`)",
            "",
            "| measurement | value |",
            "|---|---|",
            f"| online backend, {online['lines']} lines under {rpm} RPM (burst 1 s), 8 in flight: rate | "
            f"{online['rate']:.2f}/s of {online['limit']:.2f}/s |",
            f"| ... as a fraction of what the limit allows over the run (target >= 0.9) | "
            f"{online['fraction']:.3f} ({verdict}) |",
            f"| ... failed lines / 429s met | {online['failed']} / {online['rate_limited']} |",
            *(
                f"| validate + submit {size:,} lines ({memory[size]['mb']:.1f} MB, {memory[size]['chunks']} "
                f"input file): peak RSS | {memory[size]['peak']:.1f} MB in {memory[size]['seconds']:.1f} s |"
                for size in sizes
            ),
            f"| peak RSS growth from {sizes[0]:,} to {sizes[1]:,} lines | {flat:+.1f} MB |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not a measurement")
    print(report(parser.parse_args().quick))


if __name__ == "__main__":
    main()
