"""Measure the emulator side by side with the Stainless Prism mock, and its memory under large uploads.

    .venv/bin/python scripts/mock_bench.py [--rounds 3] [--seconds 4] [--no-prism] [--no-wrk]
                                           [--uploads 10] [--upload-mb 50]
    make bench-mock

Both servers run in child processes on loopback: the emulator (`python -m wrapper.mock`) and Prism
(`prism mock` of the API's own OpenAPI description, ../shared/reference/, the mock the official SDK's
tests run against). Prism is installed from the npm registry into a cache folder when absent; without
npm, the description or a working install it is skipped, saying why. One Python load generator (an
`httpx2.AsyncClient`, what a service's test suite sees) sends the same requests to each, first a fresh
prompt every request so the emulator's cache of identical requests never answers: gpt-image-1.5, quality low,
1024x1024, b64 at 1 and 16 in flight, and gpt-image-2 at 2048x2048; then each with one prompt
repeated, what a suite's identical calls see (the emulator answers those from its cache). Rounds
alternate between the
servers; each row gives min/median/max requests/s over the rounds and p50/p99 latency over all of
them. With `wrk` on PATH the same requests go through wrk too (a Lua script varies the prompt).
Then, unless `--uploads 0`, the emulator's resident memory is sampled every 10 ms with psutil while
`--uploads` clients each send a real 1024x1024 PNG padded to `--upload-mb`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import psutil

from wrapper._capabilities import MODELS
from wrapper._validation import validate_request

AUTH = {"authorization": "Bearer sk-bench"}
MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "reference" / "openai-openapi-images-2026-08.yaml"
PRISM_PACKAGE = "@stainless-api/prism-cli@5"
PRISM_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "images-client" / "prism"


@dataclass(frozen=True)
class Scenario:
    """One kind of request, sent with `concurrency` in flight."""

    model: str
    size: str
    concurrency: int
    repeated: bool = False
    """The same request every time (answered from the emulator's cache), else a fresh prompt each."""

    @property
    def name(self) -> str:
        prompts = "one prompt" if self.repeated else "distinct prompts"
        return f"{self.model} {self.size} low, {prompts}, {self.concurrency} in flight"

    def body(self, number: int) -> dict[str, object]:
        take = 0 if self.repeated else number
        return {
            "prompt": f"a benchmark fox, take {take}",
            "model": self.model,
            "quality": "low",
            "size": self.size,
        }


SCENARIOS = tuple(
    Scenario(model, size, concurrency, repeated)
    for model, size in (("gpt-image-1.5", "1024x1024"), ("gpt-image-2", "2048x2048"))
    for repeated in (False, True)
    for concurrency in (1, 16)
)
"""Distinct prompts, then one repeated, at 1 and 16 in flight, for each model and size."""


def check_scenarios() -> None:
    """Every scenario's model is in the capability table and takes its size (a stale script fails here)."""
    for scenario in SCENARIOS:
        assert scenario.model in MODELS, f"{scenario.model} is not in the capability table"
        params = {k: v for k, v in scenario.body(0).items() if k != "model"}
        validate_request("generate", scenario.model, params, as_of=None)


@dataclass
class Tally:
    """What the rounds of one scenario on one server measured."""

    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    def row(self, scenario: Scenario, server: str, against: Tally | None) -> str:
        low, mid, high = min(self.rates), statistics.median(self.rates), max(self.rates)
        cuts = statistics.quantiles(self.latencies, n=100)
        ratio = f"{mid / statistics.median(against.rates):.2f}x" if against and against.rates else ""
        return (
            f"| {scenario.name} | {server} | {low:.1f} / {mid:.1f} / {high:.1f} | {cuts[49] * 1000:.1f} "
            f"| {cuts[98] * 1000:.1f} | {ratio} |" + (f" {self.failures} failed" if self.failures else "")
        )


# --- the servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def child(command: list[str], url: str, what: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` until the block ends (terminate, then kill); wait until `url` answers."""
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        try:
            _wait(url, what, process)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait(url: str, what: str, process: subprocess.Popen[bytes]) -> None:
    with httpx2.Client(trust_env=False) as http:
        for _ in range(1200):  # 30 s: Prism reads and resolves the whole description first
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode} before it answered")
            try:
                http.post(url + "/images/generations", json={}, headers=AUTH)
                return
            except httpx2.TransportError:
                time.sleep(0.025)
    raise RuntimeError(f"{what} did not answer within 30 s")


@contextmanager
def emulator() -> Iterator[tuple[str, psutil.Process]]:
    port = free_port()
    command = [sys.executable, "-m", "wrapper.mock", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/v1"
    with child(command, url, "the emulator") as process:
        yield url, psutil.Process(process.pid)


def prism_command(home: Path) -> tuple[list[str] | None, str]:
    """The command that runs Prism (installing it into `home` when absent), or None and why not."""
    if not SPEC.is_file():
        return None, f"Prism skipped: the API's description is not at {SPEC}"
    binary = home / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            return None, "Prism skipped: npm is not on PATH"
        home.mkdir(parents=True, exist_ok=True)
        print(f"installing {PRISM_PACKAGE} into {home} ...", flush=True)
        install = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(home), PRISM_PACKAGE]
        try:
            done = subprocess.run(install, capture_output=True, text=True, timeout=600, check=False)
        except subprocess.TimeoutExpired:
            return None, "Prism skipped: npm install took over 10 minutes"
        if done.returncode != 0 or not binary.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"Prism skipped: npm install failed ({last})"
    return [str(binary), "mock", "-h", "127.0.0.1", "-p", "{port}", str(SPEC)], ""


@contextmanager
def prism(command: list[str]) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"  # Prism serves the description's paths without its server's /v1
    with child([part.replace("{port}", str(port)) for part in command], url, "Prism"):
        yield url


# --- the load generator -----------------------------------------------------------------------------


async def load(url: str, scenario: Scenario, seconds: float, start: int) -> tuple[float, list[float], int]:
    """Requests of `scenario` for `seconds`, `scenario.concurrency` in flight from one async client:
    (requests/s, each latency in seconds, failures)."""
    latencies: list[float] = []
    failures = 0
    counter = iter(range(start, start + 10**9))
    limits = httpx2.Limits(
        max_connections=scenario.concurrency, max_keepalive_connections=scenario.concurrency
    )
    async with httpx2.AsyncClient(
        base_url=url, headers=AUTH, limits=limits, timeout=60, trust_env=False
    ) as http:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                response = await http.post("/images/generations", json=scenario.body(next(counter)))
                latencies.append(time.perf_counter() - began)
                failures += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(scenario.concurrency)))
        elapsed = time.perf_counter() - began
    return len(latencies) / elapsed, latencies, failures


def check_answer(url: str, scenario: Scenario) -> None:
    """The emulator answers a real image of the size asked for (a benchmark of wrong answers is void)."""
    import base64
    import io

    from PIL import Image

    with httpx2.Client(base_url=url, headers=AUTH, timeout=60, trust_env=False) as http:
        answer = http.post("/images/generations", json=scenario.body(-1))
    answer.raise_for_status()
    with Image.open(io.BytesIO(base64.b64decode(answer.json()["data"][0]["b64_json"]))) as image:
        image.load()
        assert f"{image.width}x{image.height}" == scenario.size, (image.size, scenario.size)


def side_by_side(servers: dict[str, str], rounds: int, seconds: float) -> None:
    print("| requests | server | req/s min / median / max | p50 ms | p99 ms | emulator / Prism |")
    print("|---|---|---|---|---|---|")
    sent = 0
    for scenario in SCENARIOS:
        check_answer(servers["emulator"], scenario)
        tallies = {name: Tally() for name in servers}
        for _ in range(rounds):
            for name, url in servers.items():  # alternated, so that the machine's moods fall on both
                rate, latencies, failures = asyncio.run(load(url, scenario, seconds, sent))
                sent += len(latencies)
                tallies[name].rates.append(rate)
                tallies[name].latencies += latencies
                tallies[name].failures += failures
        prism_tally = tallies.get("Prism")
        for name, tally in tallies.items():
            print(tally.row(scenario, name, prism_tally if name == "emulator" else None), flush=True)


# --- wrk --------------------------------------------------------------------------------------------

WRK_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local body = string.format(
    '{"prompt":"a wrk fox, take %d","model":"%s","quality":"low","size":"%s"}', counter, MODEL, SIZE)
  return wrk.format("POST", PATH, {["content-type"] = "application/json",
    ["authorization"] = "Bearer sk-bench"}, body)
end
"""


def wrk_pair(servers: dict[str, str], seconds: float) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk skipped: not on PATH (apt-get install wrk)")
        return
    print("\n| wrk, 1 thread, 16 connections | server | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for scenario in (SCENARIOS[1], SCENARIOS[5]):
            for name, url in servers.items():
                path = httpx2.URL(url).path.rstrip("/") + "/images/generations"
                script = Path(folder) / "post.lua"
                script.write_text(
                    f'MODEL = "{scenario.model}"\nSIZE = "{scenario.size}"\nPATH = "{path}"\n' + WRK_SCRIPT
                )
                command = [wrk, "-t1", "-c16", f"-d{seconds:g}s", "--latency", "-s", str(script), url]
                out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
                rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
                p50, p99 = (re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out) for p in ("50", "99"))
                shown = [f"{float(rate[1]):.1f}" if rate else "?", _ms(p50), _ms(p99)]
                print(
                    f"| {scenario.model} {scenario.size} | {name} | " + " | ".join(shown) + " |", flush=True
                )


def _ms(match: re.Match[str] | None) -> str:
    if match is None:
        return "?"
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match[2]]
    return f"{float(match[1]) * scale:.1f}"


# --- memory under uploads ---------------------------------------------------------------------------


def padded_png(path: Path, size: int) -> None:
    """A valid 1024x1024 PNG of `size` bytes: the padding is a private ancillary chunk."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (1024, 1024), (30, 60, 90, 255)).save(buffer, "PNG")
    image = buffer.getvalue()
    padding = size - len(image) - 12
    with path.open("wb") as file:
        file.write(image[:33])  # signature + IHDR
        file.write(struct.pack(">I", padding) + b"prVt")
        crc = zlib.crc32(b"prVt")
        block = bytes(MB)
        for start in range(0, padding, MB):
            chunk = block[: min(MB, padding - start)]
            crc = zlib.crc32(chunk, crc)
            file.write(chunk)
        file.write(struct.pack(">I", crc & 0xFFFFFFFF))
        file.write(image[33:])


def uploads(url: str, process: psutil.Process, count: int, size_mb: int) -> tuple[list[int], int, int]:
    """`count` concurrent edits with one `size_mb` image each: (statuses, baseline RSS, peak RSS)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.png"
        padded_png(path, size_mb * MB)
        baseline = peak = process.memory_info().rss
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, process.memory_info().rss)
                time.sleep(0.01)

        def send(_: int) -> int:
            with path.open("rb") as image, httpx2.Client(headers=AUTH, timeout=120, trust_env=False) as http:
                files = {"image": ("big.png", image, "image/png")}
                data = {"prompt": "x", "model": "gpt-image-1.5", "quality": "low"}
                return http.post(url + "/images/edits", data=data, files=files).status_code

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            with ThreadPoolExecutor(count) as pool:
                statuses = list(pool.map(send, range(count)))
        finally:
            stop.set()
            sampler.join()
    return statuses, baseline, peak


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per scenario and server (default 3)")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of a round (default 4)")
    parser.add_argument("--no-prism", action="store_true", help="measure the emulator alone")
    parser.add_argument("--no-wrk", action="store_true", help="skip the wrk pair")
    parser.add_argument("--prism-home", type=Path, default=PRISM_HOME, help="where Prism is installed")
    parser.add_argument("--uploads", type=int, default=10, help="concurrent large uploads (0: none)")
    parser.add_argument("--upload-mb", type=int, default=50)
    args = parser.parse_args(argv)
    check_scenarios()
    with ExitStack() as stack:
        url, process = stack.enter_context(emulator())
        servers = {"emulator": url}
        command, why = (
            (None, "Prism skipped: --no-prism") if args.no_prism else prism_command(args.prism_home)
        )
        if command is not None:
            servers["Prism"] = stack.enter_context(prism(command))
        else:
            print(why)
        side_by_side(servers, args.rounds, args.seconds)
        if not args.no_wrk:
            wrk_pair(servers, args.seconds)
        if args.uploads:
            statuses, baseline, peak = uploads(url, process, args.uploads, args.upload_mb)
            print(
                f"\n{args.uploads} concurrent {args.upload_mb} MB uploads: statuses {sorted(set(statuses))}, "
                f"emulator RSS {baseline / MB:.0f} MB before, {peak / MB:.0f} MB peak "
                f"(+{(peak - baseline) / MB:.0f} MB)"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
