"""The emulator's memory under hostile, rejected requests (README "Reliability"); not part of `make test`.

Starts `python -m wrapper.mock` on a free loopback port, sends `--requests` generation requests
whose body is 1 MB of JSON: a prompt made of ~350,000 empty lists (valid JSON, refused with a
400; parsed, it takes ~20 MB of objects), and prints the server's resident memory (VmRSS) as it
goes and its peak (VmHWM):

    python scripts/hostile_rss.py [--requests 1000] [--every 100]
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1024 * 1024


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100, help="print the memory every N requests")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def memory_mb(pid: int, field: str) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"{field}:\s+(\d+) kB", status)
    return int(match[1]) / 1024 if match else float("nan")


def hostile_body() -> bytes:
    """A JSON object just under the 1 MB limit whose prompt is a list of empty lists."""
    head, tail = b'{"model": "dall-e-3", "prompt": [', b"]}"
    count = (LIMIT - len(head) - len(tail) + 1) // 3
    return head + b",".join([b"[]"] * count) + tail


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the emulator exited at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the emulator did not start within 20 s")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    port = free_port()
    command = [sys.executable, "-m", "wrapper.mock", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, server)
        body = hostile_body()
        print(f"{len(body)} bytes per request; RSS at start {memory_mb(server.pid, 'VmRSS'):.0f} MB")
        url = f"http://127.0.0.1:{port}/v1/images/generations"
        headers = {"authorization": "Bearer hostile", "content-type": "application/json"}
        statuses: dict[int, int] = {}
        started = time.monotonic()
        with httpx2.Client(timeout=60) as http:
            for sent in range(1, args.requests + 1):
                status = http.post(url, content=body, headers=headers).status_code
                statuses[status] = statuses.get(status, 0) + 1
                if sent == 1 or sent % args.every == 0:
                    print(f"after {sent:5d} requests: RSS {memory_mb(server.pid, 'VmRSS'):6.0f} MB")
        took = time.monotonic() - started
        print(f"statuses {statuses}; {took:.0f} s; peak RSS {memory_mb(server.pid, 'VmHWM'):.0f} MB")
        return 0 if set(statuses) == {400} else 1
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
