"""Benchmarks of `wrapper` against raw httpx2 (the floor) and the official `openai` SDK, in one run.

Every measurement alternates the three peers against the same fixed-response server on loopback
(scripts/bench_server.py, a separate process), and reports ratios from that one run:

1. per call: `images.generate` with a small base64 answer, sequential (median), and async with 64
   requests in flight (requests/s, p50, p99, CPU per request; scripts/bench_async.py), every peer on
   its own default stack in a fresh process per round;
2. `import` + client construction, in fresh interpreters (median of several runs), and the same
   with the first call (the wrapper loads its table and result types on first use); the project's
   packages are byte-compiled first, as an installed wheel would be;
3. peak RSS of an edit with N x 20 MB images given as paths and as open files, N = 2 and 8;
4. decoding a stream of 3 partial + 1 completed events of several MB each (throughput);
5. the emulator's (wrapper.mock) throughput for small generations;
6. bulk jobs (scripts/bench_bulk.py): the online backend's rate under an emulated limit, and the
   peak memory of validating and submitting a 50,000-line job (`--bulk` runs only these).

`python scripts/bench.py` (or `make bench`) prints a markdown table; `--quick` shrinks every size
for a smoke run. Needs the `bench` extra (openai, psutil).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = ("httpx2", "openai", "wrapper")
MB = 1024 * 1024


@dataclass
class Row:
    name: str
    unit: str
    values: dict[str, float]
    better: str  # "lower" or "higher"
    notes: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """Terminate a server, then kill it if it has not ended 10 s later: no wait without a bound."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def server(*args: str) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, str(HERE / "bench_server.py"), "--port", str(port), *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        try:
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            stop(process)


# --- 1. per call ------------------------------------------------------------------------------------


def sync_callers(
    base_url: str, only: str | None = None
) -> dict[str, tuple[Callable[[], object], Callable[[], None]]]:
    """One generate call and a close per peer (only `only`'s, which then alone is imported)."""
    body = {"prompt": "a small red square", "model": "gpt-image-1.5"}
    callers: dict[str, tuple[Callable[[], object], Callable[[], None]]] = {}
    if only in (None, "httpx2"):
        import httpx2

        raw = httpx2.Client(base_url=base_url, headers={"Authorization": "Bearer sk-bench"})
        callers["httpx2"] = (lambda: raw.post("/images/generations", json=body).json(), raw.close)
    if only in (None, "openai"):
        import openai

        sdk = openai.OpenAI(api_key="sk-bench", base_url=base_url, max_retries=0)
        callers["openai"] = (
            lambda: sdk.images.generate(prompt=body["prompt"], model="gpt-image-1.5"),
            sdk.close,
        )
    if only in (None, "wrapper"):
        import wrapper

        ours = wrapper.Client(api_key="sk-bench", base_url=base_url, max_retries=0)
        callers["wrapper"] = (
            lambda: ours.images.generate(prompt=body["prompt"], model="gpt-image-1.5"),
            ours.close,
        )
    return callers


_FRESH_CALLER = """
import statistics, sys, time
sys.path.insert(0, {here!r})
from bench import sync_callers
call, close = sync_callers({base_url!r}, only={peer!r})[{peer!r}]
for _ in range(20):
    call()
samples = []
for _ in range({calls}):
    start = time.perf_counter()
    call()
    samples.append(time.perf_counter() - start)
close()
print(statistics.median(samples) * 1e6)
"""


def bench_sequential_fresh(base_url: str, calls: int, rounds: int) -> Row:
    """Per call with each peer alone in its own fresh interpreter (no shared heap, caches or GC
    pressure), the order rotated each round; the median over rounds of each run's median."""
    samples: dict[str, list[float]] = {peer: [] for peer in PEERS}
    for index in range(rounds):
        order = PEERS[index % len(PEERS) :] + PEERS[: index % len(PEERS)]
        for peer in order:
            code = _FRESH_CALLER.format(here=str(HERE), base_url=base_url, peer=peer, calls=calls)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1800
            )
            samples[peer].append(float(out.stdout))
    values = {peer: statistics.median(s) for peer, s in samples.items()}
    name = f"generate, sequential, fresh process per peer (median of {rounds} runs x {calls} calls)"
    return Row(name, "µs/call", values, "lower")


def bench_sequential(base_url: str, calls: int) -> Row:
    callers = sync_callers(base_url)
    samples: dict[str, list[float]] = {peer: [] for peer in PEERS}
    for call, _ in callers.values():
        for _ in range(20):
            call()
    block = 25
    for _ in range(max(1, calls // block)):
        for peer in PEERS:
            call = callers[peer][0]
            for _ in range(block):
                start = time.perf_counter()
                call()
                samples[peer].append(time.perf_counter() - start)
    for _, close in callers.values():
        close()
    values = {peer: statistics.median(s) * 1e6 for peer, s in samples.items()}
    return Row(f"generate, sequential (median of {len(samples['httpx2'])})", "µs/call", values, "lower")


def bench_async(base_url: str, calls: int, rounds: int) -> list[Row]:
    """Many calls in flight (scripts/bench_async.py): each peer on its own default stack, in a fresh
    process per round; the median of the rounds, with min-max in the notes."""
    from bench_async import fresh_rounds

    results = fresh_rounds(base_url, calls, ASYNC_IN_FLIGHT, rounds)
    label = f"generate, async, {ASYNC_IN_FLIGHT} in flight, fresh process per peer ({calls} calls x {rounds})"
    rows = []
    for key, unit, better in ASYNC_METRICS:
        series = {peer: [r[key] for r in runs] for peer, runs in results.items()}
        values = {peer: statistics.median(s) for peer, s in series.items()}
        spread = ", ".join(f"{peer} {min(s):.0f}-{max(s):.0f}" for peer, s in series.items())
        rows.append(Row(f"{label}: {key}", unit, values, better, notes=f"min-max: {spread}"))
    return rows


ASYNC_IN_FLIGHT = 64
ASYNC_TARGETS = {"rps": ">=", "p99_ms": "<=", "cpu_us": "<="}
ASYNC_METRICS = (
    ("rps", "requests/s", "higher"),
    ("p50_ms", "ms", "lower"),
    ("p99_ms", "ms", "lower"),
    ("cpu_us", "µs CPU/request", "lower"),
)


# --- 2. import + init -------------------------------------------------------------------------------

IMPORT_CODE = {
    "httpx2": "import httpx2; httpx2.Client()",
    "openai": "import openai; openai.OpenAI(api_key='sk-bench')",
    "wrapper": "import wrapper; wrapper.Client(api_key='sk-bench')",
}


def compile_bytecode() -> None:
    """Byte-compile this project's packages, as pip does when it installs a wheel: the peers in
    site-packages were compiled at install, while an editable install (and PYTHONDONTWRITEBYTECODE)
    would leave ours to be compiled from source in every fresh interpreter."""
    import compileall

    root = HERE.parent
    for package in ("wrapper", "generated"):
        compileall.compile_dir(str(root / package), quiet=1)


def bench_import(runs: int) -> Row:
    compile_bytecode()
    samples: dict[str, list[float]] = {peer: [] for peer in PEERS}
    for _ in range(runs):
        for peer in PEERS:
            code = (
                f"import time; t = time.perf_counter(); {IMPORT_CODE[peer]}; print(time.perf_counter() - t)"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1800
            )
            samples[peer].append(float(out.stdout.strip()))
    values = {peer: statistics.median(s) * 1e3 for peer, s in samples.items()}
    return Row(f"import + client construction (median of {runs} fresh interpreters)", "ms", values, "lower")


_COLD_CALL = """
import time
start = time.perf_counter()
import sys
sys.path.insert(0, {here!r})
from bench import sync_callers
call, close = sync_callers({base_url!r}, only={peer!r})[{peer!r}]
call()
print((time.perf_counter() - start) * 1e3)
close()
"""


def bench_cold_call(base_url: str, runs: int) -> Row:
    """A fresh interpreter's first call, import and construction included: what `import + client
    construction` leaves for later (the wrapper loads its table and result types on first use)."""
    compile_bytecode()
    samples: dict[str, list[float]] = {peer: [] for peer in PEERS}
    for _ in range(runs):
        for peer in PEERS:
            code = _COLD_CALL.format(here=str(HERE), base_url=base_url, peer=peer)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1800
            )
            samples[peer].append(float(out.stdout))
    values = {peer: statistics.median(s) for peer, s in samples.items()}
    name = f"import + construction + first call (median of {runs} fresh interpreters)"
    return Row(name, "ms", values, "lower")


# --- 3. upload memory -------------------------------------------------------------------------------

UPLOAD_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    peer, mode, base_url, *paths = sys.argv[1:]
    def rss_mb():
        # VmHWM is this process's own peak; ru_maxrss would inherit the parent's across fork+exec.
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    if peer == "httpx2":
        import httpx2
        client = httpx2.Client(base_url=base_url, headers={"Authorization": "Bearer sk-bench"}, timeout=120)
        before = rss_mb()
        files = [("image[]", (Path(p).name, open(p, "rb"), "image/png")) for p in paths]
        data = {"prompt": "combine", "model": "gpt-image-1.5"}
        client.post("/images/edits", files=files, data=data).json()
    elif peer == "openai":
        import openai
        client = openai.OpenAI(api_key="sk-bench", base_url=base_url, max_retries=0, timeout=120)
        before = rss_mb()
        images = [Path(p) for p in paths] if mode == "paths" else [open(p, "rb") for p in paths]
        client.images.edit(image=images, prompt="combine", model="gpt-image-1.5")
    else:
        import wrapper
        client = wrapper.Client(api_key="sk-bench", base_url=base_url, max_retries=0, timeout=120)
        before = rss_mb()
        images = list(paths) if mode == "paths" else [open(p, "rb") for p in paths]
        client.images.edit(image=images, prompt="combine", model="gpt-image-1.5")
    print(json.dumps({"before": before, "peak": rss_mb()}))
    """
)


def make_png(path: Path, size: int) -> None:
    """A file that starts like a 4096x4096 RGBA PNG, padded to `size` bytes (only headers are read)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 4096, 4096, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    with path.open("wb") as out:
        out.write(head)
        block = os.urandom(MB)
        remaining = size - len(head)
        while remaining > 0:
            out.write(block[: min(MB, remaining)])
            remaining -= MB


def bench_upload(base_url: str, file_mb: int, counts: tuple[int, ...]) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"image{i}.png" for i in range(max(counts))]
        for path in paths:
            make_png(path, file_mb * MB)
        for mode in ("paths", "files"):
            peaks: dict[int, dict[str, float]] = {}
            for count in counts:
                peaks[count] = {}
                for peer in PEERS:
                    args = [peer, mode, base_url, *map(str, paths[:count])]
                    out = subprocess.run(
                        [sys.executable, "-c", UPLOAD_CHILD, *args],
                        capture_output=True,
                        text=True,
                        check=True,
                        timeout=1800,
                    )
                    result = json.loads(out.stdout)
                    peaks[count][peer] = result["peak"]
            for count in counts:
                rows.append(
                    Row(
                        f"edit, {count} x {file_mb} MB images as {mode}: peak RSS",
                        "MB",
                        peaks[count],
                        "lower",
                    )
                )
    return rows


# --- 4. stream decoding -----------------------------------------------------------------------------


def bench_stream(base_url: str, runs: int, event_bytes: int) -> Row:
    import httpx2
    import openai

    import wrapper

    raw = httpx2.Client(base_url=base_url, headers={"Authorization": "Bearer sk-bench"}, timeout=60)
    sdk = openai.OpenAI(api_key="sk-bench", base_url=base_url, max_retries=0, timeout=60)
    ours = wrapper.Client(api_key="sk-bench", base_url=base_url, max_retries=0, timeout=60)
    body = {"prompt": "x", "model": "gpt-image-1.5", "stream": True, "partial_images": 3}

    def run_httpx() -> int:
        with raw.sse("/images/generations", method="POST", json=body, max_event_size=None) as source:
            return sum(len(json.loads(sse.data)["b64_json"]) for sse in source)

    def run_sdk() -> int:
        stream = sdk.images.generate(prompt="x", model="gpt-image-1.5", stream=True, partial_images=3)
        return sum(len(event.b64_json) for event in stream)

    def run_wrapper() -> int:
        with ours.images.generate(prompt="x", model="gpt-image-1.5", stream=True, partial_images=3) as stream:
            return sum(len(event.b64_json) for event in stream)

    runners = {"httpx2": run_httpx, "openai": run_sdk, "wrapper": run_wrapper}
    samples: dict[str, list[float]] = {peer: [] for peer in PEERS}
    for _ in range(runs):
        for peer in PEERS:
            start = time.perf_counter()
            received = runners[peer]()
            samples[peer].append(received / MB / (time.perf_counter() - start))
    raw.close()
    sdk.close()
    ours.close()
    values = {peer: statistics.median(s) for peer, s in samples.items()}
    size = event_bytes / MB
    return Row(
        f"stream of 3 partial + 1 completed events of {size:g} MB (median of {runs})",
        "MB/s",
        values,
        "higher",
    )


# --- 5. emulator ------------------------------------------------------------------------------------


def bench_emulator(calls: int) -> str:
    import httpx2

    port = free_port()
    command = [sys.executable, "-m", "wrapper.mock", "--host", "127.0.0.1", "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        url = f"http://127.0.0.1:{port}/v1"
        try:
            for _ in range(100):
                with contextlib.suppress(httpx2.HTTPError):
                    httpx2.get(url.replace("/v1", "/"), timeout=0.2)
                    break
                time.sleep(0.1)

            async def run() -> float:
                body = {
                    "prompt": "a dot",
                    "model": "gpt-image-2",
                    "size": "256x256",
                    "quality": "low",
                }
                headers = {"Authorization": "Bearer sk-bench"}
                async with httpx2.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
                    gate = asyncio.Semaphore(8)

                    async def one(i: int) -> None:
                        async with gate:
                            answer = await client.post(
                                "/images/generations", json={**body, "prompt": f"dot {i}"}
                            )
                            answer.raise_for_status()

                    start = time.perf_counter()
                    await asyncio.gather(*(one(i) for i in range(calls)))
                    return calls / (time.perf_counter() - start)

            rate = asyncio.run(run())
        finally:
            stop(process)
    what = f"{calls} gpt-image-2 256x256 low-quality generations, 8 in flight, uvicorn on loopback"
    return f"{rate:.0f} requests/s ({what})"


# --- report -----------------------------------------------------------------------------------------


def ratio(row: Row, peer: str, base: str) -> str:
    return f"{row.values[peer] / row.values[base]:.2f}x"


def render(rows: list[Row], emulator: str, quick: bool) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"Measured {date.today().isoformat()} on {machine}{' (quick smoke sizes)' if quick else ''}.",
        "",
        "| measurement | unit | httpx2 | openai SDK | wrapper | wrapper / httpx2 | wrapper / SDK |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = " | ".join(f"{row.values[p]:.1f}" for p in PEERS)
        lines.append(
            f"| {row.name} ({row.better} is better) | {row.unit} | {cells} | "
            f"{ratio(row, 'wrapper', 'httpx2')} | {ratio(row, 'wrapper', 'openai')} |"
        )
    lines += [""] + [f"- {row.name}: {row.notes}" for row in rows if row.notes]
    lines += ["", f"Emulator: {emulator}.", "", "Targets, from the same run:", ""]
    lines += [f"- {line}" for line in targets(rows)]
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    """The issue's targets, each judged on this run's numbers."""
    by_name = {row.name.split(" (")[0]: row for row in rows}
    sequential = next(row for row in rows if row.name.startswith("generate, sequential ("))
    fresh = next(row for row in rows if row.name.startswith("generate, sequential, fresh"))
    imports = next(row for row in rows if row.name.startswith("import + client construction"))
    stream = next(row for row in rows if row.name.startswith("stream"))
    uploads = [row for name, row in by_name.items() if name.startswith("edit,")]
    out = [
        _judge(
            "per call <= 1.10 x httpx2 (alternated in one process)",
            sequential.values["wrapper"] / sequential.values["httpx2"],
            1.10,
        ),
        _judge(
            "per call <= 1.10 x httpx2 (fresh process per peer)",
            fresh.values["wrapper"] / fresh.values["httpx2"],
            1.10,
        ),
        _judge("per call <= 0.7 x the SDK", sequential.values["wrapper"] / sequential.values["openai"], 0.7),
        _judge("import + init <= 0.35 x the SDK", imports.values["wrapper"] / imports.values["openai"], 0.35),
        _judge(
            "stream decoding >= 1.5 x the SDK", stream.values["wrapper"] / stream.values["openai"], 1.5, True
        ),
    ]
    for row in rows:
        metric = row.name.rsplit(": ", 1)[-1]
        if row.name.startswith("generate, async") and metric in ASYNC_TARGETS:
            value = row.values["wrapper"] / row.values["openai"]
            out.append(
                _judge(f"async {metric} {ASYNC_TARGETS[metric]} x the SDK", value, 1.0, metric == "rps")
            )
    excess = max(row.values["wrapper"] - row.values["httpx2"] for row in uploads)
    out.append(_judge("upload peak RSS <= httpx2 + 15 MB (worst case)", excess, 15.0, unit=" MB"))
    for mode in ("paths", "files"):
        mine = sorted(
            (row for row in uploads if row.name.endswith(f"{mode}: peak RSS")), key=lambda r: r.name
        )
        if len(mine) == 2:
            growth = abs(mine[1].values["wrapper"] - mine[0].values["wrapper"])
            out.append(_judge(f"upload RSS flat as the payload grows ({mode})", growth, 5.0, unit=" MB"))
    return out


def _judge(label: str, value: float, limit: float, at_least: bool = False, unit: str = "x") -> str:
    met = value >= limit if at_least else value <= limit
    shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:+.1f}{unit}"
    return f"{label}: {shown} - {'met' if met else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark wrapper against httpx2 and the openai SDK.")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run, not a measurement")
    parser.add_argument("--bulk", action="store_true", help="only the bulk jobs' benchmarks (bench_bulk.py)")
    args = parser.parse_args()
    quick = args.quick
    from bench_bulk import report as bulk_report  # scripts/ is on sys.path: this file's directory

    if args.bulk:
        print(bulk_report(quick))
        return
    calls, async_calls, imports = (50, 200, 2) if quick else (500, 2000, 7)
    file_mb, stream_mb, stream_runs, emulator_calls = (1, 0.25, 2, 50) if quick else (20, 4, 7, 500)
    event_bytes = int(stream_mb * MB)
    rows = []
    with server() as base_url:
        rows.append(bench_sequential(base_url, calls))
        rows.append(bench_sequential_fresh(base_url, calls, 3 if quick else 7))
        rows.extend(bench_async(base_url, async_calls, 3))
        rows.append(bench_cold_call(base_url, imports))
        rows.extend(bench_upload(base_url, file_mb, (2, 8)))
    with server("--event-bytes", str(event_bytes)) as base_url:
        rows.append(bench_stream(base_url, stream_runs, event_bytes))
    rows.append(bench_import(imports))
    print(render(rows, bench_emulator(emulator_calls), quick))
    print()
    print(bulk_report(quick))


if __name__ == "__main__":
    main()
