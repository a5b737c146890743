"""`make fuzz`: schemathesis against a live emulator (uvicorn on loopback, under a memory limit).

The same settings and extensions as the in-process run of `make test` (tests/schemathesis.toml,
tests/fuzz_hooks.py), many more cases, real pixels at full size, and a seed of your choice:

    python scripts/fuzz.py [--cases 5000] [--seed 1] [--memory-mb 2048] [--official]

With `--official` (`make fuzz-official`) the cases come from the API's own 2026-08 description
(../shared/reference/, with the adaptations listed in tests/fuzz_official_hooks.py) under
tests/schemathesis-official.toml, as tests/test_fuzz_official.py does in-process.

Prints schemathesis' own output, then a report: cases, failures, time, the server's peak memory and
whether it survived. Exits non-zero when schemathesis found a failure or the server died.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "schemathesis.toml"
HOOKS = ROOT / "tests" / "fuzz_hooks.py"
OFFICIAL_CONFIG = ROOT / "tests" / "schemathesis-official.toml"
OFFICIAL_HOOKS = ROOT / "tests" / "fuzz_official_hooks.py"
OPERATIONS = 3


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000, help="at least this many generated cases")
    parser.add_argument("--seed", type=int, default=1, help="hypothesis seed (the run is reproducible)")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space limit of the server")
    parser.add_argument("--official", action="store_true", help="fuzz from the API's 2026-08 description")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(port: int, api_key: str, memory_mb: int, log: Path) -> subprocess.Popen[bytes]:
    """The emulator as its own process, its address space capped so a runaway allocation fails fast."""
    limit = memory_mb * 1024 * 1024

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [sys.executable, "-m", "wrapper.mock", "--port", str(port), "--api-key", api_key]
    with log.open("wb") as sink:
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, preexec_fn=cap_memory
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the emulator exited at start:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the emulator did not start within 20 s")


def peak_memory_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match[1]) / 1024 if match else None


def sources(official: bool) -> tuple[Path, Path, Path]:
    """The spec, settings and hooks of the run."""
    if not official:
        return ROOT / "openapi.yaml", CONFIG, HOOKS
    sys.path.insert(0, str(ROOT / "tests"))
    from fuzz_official_hooks import adapted_path

    return adapted_path(), OFFICIAL_CONFIG, OFFICIAL_HOOKS


def run_schemathesis(url: str, cases: int, seed: int, official: bool) -> tuple[int, str]:
    per_operation = math.ceil(cases / OPERATIONS)
    schemathesis = Path(sys.executable).with_name("schemathesis")
    spec, config, hooks = sources(official)
    command = [
        str(schemathesis),
        "--config-file",
        str(config),
        "run",
        str(spec),
        "--url",
        url,
        "--max-examples",
        str(per_operation),
        "--seed",
        str(seed),
        "--continue-on-failure",
        "--no-color",
    ]
    tests = str(ROOT / "tests")  # the official hooks import tests/fuzz_hooks.py
    path = os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "SCHEMATHESIS_HOOKS": hooks.stem, "PYTHONPATH": path}
    lines: list[str] = []
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            lines.append(line)
    return process.returncode, "".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    config = OFFICIAL_CONFIG if args.official else CONFIG
    api_key = tomllib.loads(config.read_text())["auth"]["openapi"]["ApiKeyAuth"]["bearer"]
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        server = start_server(port, api_key, args.memory_mb, log)
        started = time.monotonic()
        try:
            url = f"http://127.0.0.1:{port}/v1"
            code, output = run_schemathesis(url, args.cases, args.seed, args.official)
        finally:
            elapsed = time.monotonic() - started
            peak = peak_memory_mb(server.pid)
            alive = server.poll() is None
            server.terminate()
            server.wait(timeout=10)
        crashed = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
    generated = re.search(r"(\d+) generated", output)
    failures = re.search(r"(\d+) (?:distinct )?failures?\b", output) if code else None
    total = int(generated[1]) if generated else 0
    print(f"\n== make {'fuzz-official' if args.official else 'fuzz'} report ==")
    print(f"cases generated:   {total} (asked for at least {args.cases}; seed {args.seed})")
    print(f"failures:          {failures[1] if failures else (0 if code == 0 else 'see above')}")
    print(f"time:              {elapsed:.1f} s ({total / elapsed if elapsed else 0:.0f} cases/s)")
    shown = f"{peak:.0f} MB" if peak else "unknown"
    print(f"server peak RSS:   {shown} (address space capped at {args.memory_mb} MB)")
    print(f"server:            {'alive' if alive else 'DIED'}, {len(crashed)} traceback(s) in its log")
    ok = code == 0 and alive and not crashed and total >= args.cases
    print(f"result:            {'clean' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
