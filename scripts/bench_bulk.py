"""Benchmarks of bulk jobs (`wrapper.batch`), run by `scripts/bench.py --bulk` (or alone: this file).

1. The online backend's sustained rate against an emulator with a requests-per-minute limit, as a
   fraction of what the limit allows over the run (its bucket's capacity plus the refill over the
   elapsed time); target >= 0.9 with 0 failed lines. The client retries nothing (max_retries=0),
   so every 429 the pacing failed to avoid shows up in the count.
2. Validating a job of 5,000 and of 50,000 lines, and submitting it (validate once, store the lines,
   upload, create the batch) against an emulator in another process, each in a fresh interpreter,
   the least of 3 runs: CPU seconds of the client's process (target: submit <= 1.5 x validate; wall
   time is shown too, but on a shared machine it measures the neighbours) and peak RSS, flat in the
   lines. The peak is the
   child's own high-water mark (`VmHWM` of /proc/<pid>/status, read by this process while the child
   waits), not its `ru_maxrss`, which a child started by fork + exec inherits from its parent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import select
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

CHILD = """
import json, sys, time
import wrapper
from wrapper.batch import Job, validate_job
action, source, out, url = sys.argv[1:5]
started, cpu = time.perf_counter(), time.process_time()
chunks = 0
if action == "validate":
    validate_job(source)
else:
    with wrapper.Client(api_key="bench", base_url=url) as client:
        job = Job.create(source, out)
        job.submit(client)
        chunks = len(job.state.chunks)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "chunks": chunks}), flush=True)
sys.stdin.read()  # alive until the parent has read this process's peak memory
"""


def peak_rss_mb(pid: int) -> float:
    """The high-water mark of a live process's resident memory (Linux: VmHWM), in MB; nan elsewhere."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_child(*args: str) -> dict[str, float]:
    """Run CHILD with `args` in a fresh interpreter; its timing, and its peak RSS read from outside."""
    command = [sys.executable, "-c", CHILD, *args]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        assert child.stdin is not None
        try:
            # Bounded: a child that never answers is a failed measurement, not a hung benchmark.
            if not select.select([child.stdout], [], [], CHILD_TIMEOUT)[0]:
                raise RuntimeError(f"the benchmark child gave no result in {CHILD_TIMEOUT:.0f} s")
            line = child.stdout.readline()
            if not line:
                raise RuntimeError(f"the benchmark child failed: {' '.join(args)}")
            result: dict[str, float] = json.loads(line)
            result["peak"] = peak_rss_mb(child.pid)
        finally:
            child.stdin.close()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
    return result


REPEATS = 3
CHILD_TIMEOUT = 1800.0


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


def bench_validate_submit(sizes: tuple[int, ...]) -> dict[int, dict[str, dict[str, float]]]:
    """For each size: validating, then submitting, a job of that many lines (fresh interpreters)."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp, emulator() as url:
        for size in sizes:
            source = Path(tmp) / f"job-{size}.jsonl"
            write_job(source, size)
            validate = best_of(REPEATS, "validate", str(source), str(Path(tmp) / "unused"), url)
            submit = best_of(REPEATS, "submit", str(source), str(Path(tmp) / f"out-{size}"), url)
            results[size] = {"validate": validate, "submit": submit, "mb": source.stat().st_size / (1 << 20)}
    return results


def best_of(repeats: int, action: str, source: str, out: str, url: str) -> dict[str, float]:
    """The run of least CPU time among `repeats` (each in a fresh interpreter and output directory):
    on a shared machine the least disturbed one is the closest to the cost of the work."""
    runs = [measure_child(action, source, f"{out}-{attempt}", url) for attempt in range(repeats)]
    return min(runs, key=lambda run: run["cpu"])


def report(quick: bool) -> str:
    """The bulk section of the benchmark report (markdown)."""
    lines, rpm = (60, 1200) if quick else (300, 600)
    online = bench_online_rate(lines, rpm, burst_seconds=1.0)
    sizes = (500, 5_000) if quick else (5_000, 50_000)
    measured = bench_validate_submit(sizes)
    verdict = "met" if online["fraction"] >= 0.9 and online["failed"] == 0 else "MISSED"
    large = measured[sizes[1]]
    ratio = large["submit"]["cpu"] / large["validate"]["cpu"]
    growth = large["submit"]["peak"] - measured[sizes[0]]["submit"]["peak"]
    rows = []
    for size in sizes:
        for action in ("validate", "submit"):
            result = measured[size][action]
            rows.append(
                f"| {action} {size:,} lines ({measured[size]['mb']:.1f} MB): CPU, wall, peak RSS | "
                f"{result['cpu']:.2f} s, {result['seconds']:.2f} s, {result['peak']:.1f} MB |"
            )
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
            *rows,
            f"| submit / validate at {sizes[1]:,} lines, CPU time (target <= 1.5) | "
            f"{ratio:.2f} ({'met' if ratio <= 1.5 else 'MISSED'}) |",
            f"| submit's peak RSS growth from {sizes[0]:,} to {sizes[1]:,} lines | {growth:+.1f} MB |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not a measurement")
    print(report(parser.parse_args().quick))


if __name__ == "__main__":
    main()
