"""Measure the emulator: requests/second for small generations, peak memory under 10 x 50 MB uploads.

    .venv/bin/python scripts/mock_bench.py [--seconds 5] [--clients 8] [--uploads 10] [--upload-mb 50]

The emulator runs in a child process (`python -m wrapper.mock`); its resident memory is sampled every
10 ms with psutil while the uploads are in flight. Each upload is a real 1024x1024 PNG padded with an
ancillary chunk to the requested size, read from one temporary file, so the client holds no copies.
"""

from __future__ import annotations

import argparse
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx2
import psutil

AUTH = {"authorization": "Bearer sk-bench"}
MB = 1024 * 1024


@contextmanager
def emulator() -> Iterator[tuple[str, psutil.Process]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "wrapper.mock", "--host", "127.0.0.1", "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as child:
        try:
            url = f"http://127.0.0.1:{port}/v1"
            _wait(url)
            yield url, psutil.Process(child.pid)
        finally:
            child.terminate()
            child.wait(timeout=10)


def _wait(url: str) -> None:
    with httpx2.Client(trust_env=False) as http:
        for _ in range(400):
            try:
                http.get(url + "/images/generations")
                return
            except httpx2.TransportError:
                time.sleep(0.025)
    raise RuntimeError("the emulator did not start")


def throughput(url: str, seconds: float, clients: int) -> tuple[int, float]:
    """Small (256x256 b64) generations from `clients` threads for `seconds`: (requests, per second)."""
    deadline = time.monotonic() + seconds
    body = {"prompt": "a small benchmark picture", "size": "256x256", "response_format": "b64_json"}

    def worker(index: int) -> int:
        done = 0
        with httpx2.Client(base_url=url, headers=AUTH, trust_env=False) as http:
            while time.monotonic() < deadline:
                response = http.post(
                    "/images/generations", json={**body, "prompt": f"{body['prompt']} {index}"}
                )
                response.raise_for_status()
                done += 1
        return done

    start = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(worker, range(clients)))
    return total, total / (time.monotonic() - start)


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
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--upload-mb", type=int, default=50)
    args = parser.parse_args(argv)
    with emulator() as (url, process):
        total, rate = throughput(url, args.seconds, args.clients)
        print(
            f"small generations: {total} in {args.seconds:g} s, {args.clients} clients: {rate:.0f} requests/s"
        )
        statuses, baseline, peak = uploads(url, process, args.uploads, args.upload_mb)
        print(
            f"{args.uploads} concurrent {args.upload_mb} MB uploads: statuses {sorted(set(statuses))}, "
            f"emulator RSS {baseline / MB:.0f} MB before, {peak / MB:.0f} MB peak "
            f"(+{(peak - baseline) / MB:.0f} MB)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
