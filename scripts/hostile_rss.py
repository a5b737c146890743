"""Memory under hostile peers (docs/reliability.md); not part of `make test`.

The emulator under hostile, rejected requests: starts `python -m wrapper.mock` on a free loopback
port, sends `--requests` generation requests whose body is 1 MB of JSON: a prompt made of ~350,000
empty lists (valid JSON, refused with a 400; parsed, it takes ~20 MB of objects), and prints the
server's resident memory (VmRSS) as it goes and its peak (VmHWM):

    python scripts/hostile_rss.py [--requests 1000] [--every 100]

The client under a hostile upstream (`--client`): each case in a fresh process, against a loopback
server in it, printing the process's peak RSS: a normal call (one 1536x1024 image, ~3 MB of
JSON), a gzip bomb (1.2 MB expanding to 1.2 GB), a 300 MB event stream without a newline:

    python scripts/hostile_rss.py --client
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1024 * 1024


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100, help="print the memory every N requests")
    parser.add_argument("--client", action="store_true", help="measure the client instead")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)  # one client case, in this process
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


CASES = ("normal", "gzip-bomb", "no-newline")
MB = 1024 * 1024


def client_cases() -> int:
    """Run each client case in a fresh interpreter and print its peak RSS."""
    peaks = {}
    for case in CASES:
        command = [sys.executable, __file__, "--case", case]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
        print(done.stdout.strip() or done.stderr.strip()[-400:])
        peaks[case] = float(done.stdout.split()[-2]) if done.returncode == 0 else float("nan")
    for case in CASES[1:]:
        print(f"{case}: {peaks[case] - peaks['normal']:+.0f} MB over a normal call's peak")
    return 0


def answer_script(case: str) -> tuple[bytes, Iterator[bytes]]:
    """The head and body chunks the loopback upstream sends for `case`."""
    if case == "normal":  # one 1536x1024 image's worth of base64, as the API answers it
        body = json.dumps({"created": 1, "data": [{"b64_json": "A" * (3 * MB)}]}).encode()
        return _head("application/json", len(body)), iter([body])
    if case == "gzip-bomb":
        packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        block = b" " * MB
        body = b"".join(
            [packer.compress(b"{"), *(packer.compress(block) for _ in range(1200)), packer.flush()]
        )
        return _head("application/json", len(body), "content-encoding: gzip\r\n"), iter([body])
    block = b"A" * (64 * 1024)  # no-newline: data: and 300 MB of one line
    return _head("text/event-stream"), itertools.chain([b"data: "], itertools.repeat(block, 300 * 16))


def _head(content_type: str, length: int | None = None, extra: str = "") -> bytes:
    size = f"content-length: {length}\r\n" if length is not None else ""
    return (
        f"HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\n{size}{extra}connection: close\r\n\r\n".encode()
    )


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?i)content-length: *(\d+)", head)
    while length and len(body) < int(length[1]):
        body += conn.recv(65536)


def client_case(case: str) -> int:
    """Serve `case` on loopback from a thread, call it with the client, print the peak RSS."""
    import wrapper

    head, chunks = answer_script(case)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            _read_request(conn)
            try:
                conn.sendall(head)
                for chunk in chunks:
                    conn.sendall(chunk)
            except OSError:
                pass  # the client stopped reading: the point

    threading.Thread(target=serve, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    started = time.monotonic()
    with wrapper.Client(api_key="sk-hostile", base_url=url, max_retries=0) as client:
        try:
            if case == "no-newline":
                client.images.generate(prompt="x", model="gpt-image-1.5", stream=True).final()
            else:
                client.images.generate(prompt="x", model="gpt-image-1.5")
            outcome = "ok"
        except wrapper.WrapperError as exc:
            outcome = f"{type(exc).__name__} ({str(exc)[:80]})"
    took = time.monotonic() - started
    print(f"{case}: {outcome} in {took:.1f} s; peak RSS {memory_mb(os.getpid(), 'VmHWM'):.0f} MB")
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.case:
        return client_case(args.case)
    if args.client:
        return client_cases()
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
