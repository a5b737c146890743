"""Soak test of bulk jobs: `images batch run` killed with SIGKILL at random moments and resumed,
against the emulator with faults, until the job is done; then every line is checked. Two phases:
the online backend (`--online`), then the Batch API (batches that take a few seconds to run).

    make soak-bulk                                   # 300 lines each, at most 240 s in all
    .venv/bin/python scripts/soak_bulk.py --lines 500 --seconds 300 --seed 7 \
        --emulator "--error-rate 0.15 --error-status 500 --latency 0.05"

The emulator runs in this process on a free loopback port (its faults from the options of
`images mock`), behind a counting wrapper that logs, for each image request, the line it was for,
its status, whether its answer was delivered whole, and in which run (a run is one `images`
process; the next one starts only when no request of the previous is still being answered).

Checked at the end of each phase (exit 1 if anything fails):
- each line has exactly one `succeeded` record in the manifest with the files it asked for, they
  exist, and no image file is there that no record names;
- duplicates = 0. Online: no line was requested again once a run had started with its success
  recorded, no run received two whole 200 answers for one line, and no line answered whole to a run
  that ended on its own was sent again. A line whose request was in flight when its process was
  killed, or whose answer had arrived but was not yet recorded, is sent again by the next run: that
  is the price of `kill -9` at that instant, counted apart. Batch API: no part of the job was
  submitted as two batches.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LINE = {"model": "gpt-image-2", "size": "256x256", "quality": "low"}
PREFIX = "soak line "


@dataclass
class Exchange:
    custom_id: str | None
    status: int | None
    whole: bool
    run: int
    ended: float = field(default_factory=time.monotonic)


@dataclass
class Counting:
    """An ASGI wrapper around the emulator: one `Exchange` per image request, by run."""

    app: Any
    run: int = 0
    in_flight: int = 0
    log: list[Exchange] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/images/generations"):
            await self.app(scope, receive, send)
            return
        body, answer = bytearray(), {"status": None, "whole": False}
        run = self.run

        async def tap_receive() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
            return message

        async def tap_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                answer["whole"] = True

        self.in_flight += 1
        try:
            await self.app(scope, tap_receive, tap_send)
        finally:
            self.in_flight -= 1
            self.log.append(Exchange(_custom_id(bytes(body)), answer["status"], bool(answer["whole"]), run))

    def __getattr__(self, name: str) -> Any:  # LiveServer reads the app's base path
        return getattr(self.app, name)


def _custom_id(body: bytes) -> str | None:
    try:
        prompt = json.loads(body)["prompt"]
    except (ValueError, KeyError, TypeError):
        return None
    return prompt.removeprefix(PREFIX) if isinstance(prompt, str) else None


def emulator(options: str, seed: int, batch_duration: float) -> Counting:
    from wrapper.mock import RateLimits, create_app
    from wrapper.mock.__main__ import _STATUS_FAULTS, parse_args
    from wrapper.mock._faults import Faults

    args = parse_args([*shlex.split(options), "--seed", str(seed)])
    faults = Faults(
        rate=args.error_rate, fault=_STATUS_FAULTS[args.error_status], latency=args.latency, seed=args.seed
    )
    limits = RateLimits(rpm=1200, burst_seconds=0.5)  # 20/s, 10 at once: a fresh process meets 429s
    app = create_app(
        faults=faults, limits=limits, max_recorded=16, as_of=args.as_of, batch_duration=batch_duration
    )
    return Counting(app)


def write_job(path: Path, lines: int) -> dict[str, int]:
    """The job; the number of images each line asks for (every tenth asks for two)."""
    images = {}
    with path.open("w") as out:
        for number in range(lines):
            custom_id = f"s{number:04d}"
            n = 2 if number % 10 == 9 else 1
            line = {"custom_id": custom_id, "prompt": PREFIX + custom_id, "n": n, **LINE}
            out.write(json.dumps(line) + "\n")
            images[custom_id] = n
    return images


@dataclass
class Soak:
    counting: Counting
    command: list[str]
    rng: random.Random
    kills: int = 0
    resumes: int = 0
    killed_at: dict[int, float] = field(default_factory=dict)
    exits: Counter[int] = field(default_factory=Counter)

    def cycle(self, deadline: float, kill_after: tuple[float, float]) -> bool:
        """One `images` process, killed at a random moment unless it ends first; True when it
        ended with every line done (exit 0)."""
        self.wait_quiet()
        self.counting.run += 1
        environment = {**os.environ, "OPENAI_API_KEY": "sk-soak"}
        process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment, text=True
        )
        budget = min(self.rng.uniform(*kill_after), max(0.1, deadline - time.monotonic()))
        try:
            code = process.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            self.killed_at[self.counting.run] = time.monotonic()
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            self.kills += 1
            return False
        finally:
            assert process.stderr is not None
            errors = process.stderr.read()
            process.stderr.close()
        self.exits[code] += 1
        if code not in (0, 1):
            raise SystemExit(f"images exited {code}:\n{errors}")
        return code == 0

    def wait_quiet(self, timeout: float = 30.0) -> None:
        """Until the emulator answers nothing more of the previous run (bounded)."""
        limit = time.monotonic() + timeout
        while self.counting.in_flight and time.monotonic() < limit:
            time.sleep(0.01)


def check_manifest(out: Path, images: dict[str, int]) -> list[str]:
    """What is wrong with the job's results: a line without exactly one success, files missing,
    extra or not as many as the line asked for."""
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    wins = [record for record in records if record["status"] == "succeeded"]
    succeeded = Counter(record["custom_id"] for record in wins)
    problems = [f"{cid}: {count} succeeded records" for cid, count in succeeded.items() if count != 1]
    problems += [f"{cid}: no succeeded record" for cid in images if cid not in succeeded]
    problems += [
        f"{r['custom_id']}: {len(r['files'])} files"
        for r in wins
        if len(r["files"]) != images[r["custom_id"]]
    ]
    named = {name for record in records for name in record["files"]}
    on_disk = {path.name for path in out.iterdir() if path.is_file() and path.suffix == ".png"}
    problems += [f"{name}: named in the manifest, missing" for name in sorted(named - on_disk)]
    problems += [f"{name}: a file no record names" for name in sorted(on_disk - named)]
    return problems


def count_online(
    log: list[Exchange], starts: dict[int, set[str]], killed_at: dict[int, float]
) -> dict[str, int]:
    """Duplicates, and the lines answered whole to a run that was killed and sent again by a later
    run: answered after the kill (the request was in flight), or before it but not yet recorded.
    A whole 200 answered to a run that was not killed, then asked for again, is a duplicate."""
    answers: dict[str, list[Exchange]] = {}
    duplicates = 0
    for exchange in log:
        if exchange.custom_id is None:
            continue
        if exchange.custom_id in starts.get(exchange.run, set()):
            duplicates += 1  # asked again although the run started with its success recorded
        if exchange.status == 200 and exchange.whole:
            answers.setdefault(exchange.custom_id, []).append(exchange)
    in_flight = unrecorded = 0
    for exchanges in answers.values():
        for earlier, later in itertools.pairwise(exchanges):  # runs follow one another, in order
            killed = killed_at.get(earlier.run)
            if later.run == earlier.run or killed is None:
                duplicates += 1  # twice in one run, or again after a run that ended on its own
            elif earlier.ended >= killed:
                in_flight += 1
            else:
                unrecorded += 1
    return {"duplicates": duplicates, "answered_in_flight_at_a_kill": in_flight,
            "answered_but_unrecorded_at_a_kill": unrecorded}  # fmt: skip


def count_batches(app: Any) -> tuple[int, int]:
    """(parts of the job submitted as more than one batch, batches created)."""
    batches = app.batches.newest_first()
    parts = Counter(tuple(sorted((batch.metadata or {}).items())) for batch in batches)
    return sum(count - 1 for count in parts.values() if count > 1), len(batches)


def succeeded_ids(out: Path) -> set[str]:
    manifest = out / "manifest.jsonl"
    if not manifest.exists():
        return set()
    done = set()
    for raw in manifest.read_bytes().splitlines(keepends=True):
        if raw.endswith(b"\n"):
            record = json.loads(raw)
            if record.get("status") == "succeeded":
                done.add(record["custom_id"])
    return done


def phase(backend: str, args: argparse.Namespace, deadline: float) -> dict[str, Any]:
    """One soak of `args.lines` lines on `backend` ("online" or "batch"); its figures."""
    from wrapper.mock import LiveServer

    started = time.monotonic()
    counting = emulator(args.emulator, args.seed, batch_duration=0.0 if backend == "online" else 3.0)
    with tempfile.TemporaryDirectory() as tmp, LiveServer(counting) as server:  # type: ignore[arg-type]
        source, out = Path(tmp) / "soak.jsonl", Path(tmp) / "out"
        images = write_job(source, args.lines)
        command = [sys.executable, "-m", "wrapper", "batch", "run", str(source), "-o", str(out),
                   "--base-url", server.url, "--json"]  # fmt: skip
        if backend == "online":
            command += ["--online", "--concurrency", str(args.concurrency)]
        soak = Soak(counting, command, random.Random(args.seed))
        starts: dict[int, set[str]] = {}
        done = False
        while not done and time.monotonic() < deadline:
            soak.wait_quiet()
            starts[counting.run + 1] = succeeded_ids(out)
            soak.resumes += 1 if counting.run else 0
            done = soak.cycle(deadline, (args.kill_after[0], args.kill_after[1]))
        soak.wait_quiet()
        problems = check_manifest(out, images) if done else ["did not finish in time"]
        if backend == "online":
            counts = count_online(counting.log, starts, soak.killed_at)
            duplicates = counts.pop("duplicates")
            cut = sum(1 for exchange in counting.log if exchange.custom_id is None)
            extra = {"requests": len(counting.log), **counts, "requests_cut_by_a_kill": cut}
        else:
            duplicates, batches = count_batches(counting.app)
            extra = {"batches": batches}
    if duplicates:
        problems.append(f"{duplicates} duplicates")
    statuses = Counter(str(exchange.status) for exchange in counting.log)
    return {
        "backend": backend, "lines": args.lines, "kills": soak.kills, "resumes": soak.resumes,
        "duplicates": duplicates, **extra, "statuses": dict(sorted(statuses.items())),
        "seconds": round(time.monotonic() - started, 1), "problems": problems[:20],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300, help="lines of each phase's job")
    parser.add_argument("--seconds", type=float, default=240.0, help="the bound on the whole soak")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8, help="online requests in flight")
    parser.add_argument("--backend", choices=["online", "batch", "both"], default="both")
    parser.add_argument(
        "--emulator", default="--error-rate 0.1 --error-status 503 --latency 0.05",
        help="options of `images mock` for the emulator (its faults)",
    )  # fmt: skip
    parser.add_argument("--kill-after", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    args = parser.parse_args()
    deadline = time.monotonic() + args.seconds
    backends = ["online", "batch"] if args.backend == "both" else [args.backend]
    figures = [phase(backend, args, deadline) for backend in backends]
    print(json.dumps({"emulator": args.emulator, "seed": args.seed, "phases": figures}, indent=1))
    return 1 if any(figure["problems"] for figure in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
