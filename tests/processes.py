"""Child processes in tests, every wait bounded: a child that hangs fails its test within seconds
instead of holding the run (`with subprocess.Popen(...)` alone waits without a bound on the way out)."""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

LINE_TIMEOUT = 60.0  # a cold start on a busy machine prints its banner within seconds
STOP_TIMEOUT = 10.0


@contextmanager
def running(argv: Sequence[str], **options: Any) -> Iterator[subprocess.Popen[str]]:
    """`argv` started with its output in pipes (text), stopped on the way out however the block ends."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)
    try:
        yield process
    finally:
        stop(process)


def read_lines(process: subprocess.Popen[str], count: int, timeout: float = LINE_TIMEOUT) -> list[str]:
    """The next `count` lines of the child's stdout ('' past its end); the child is killed (and the test
    fails) when they take longer than `timeout`."""
    assert process.stdout is not None
    stdout, lines = process.stdout, []
    reader = threading.Thread(target=lambda: lines.extend(stdout.readline() for _ in range(count)))
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        process.kill()
        reader.join(STOP_TIMEOUT)
        raise AssertionError(f"{process.args!r} printed {lines!r}, not {count} lines, in {timeout} s")
    return lines


def stop(
    process: subprocess.Popen[str], sig: int = signal.SIGINT, timeout: float = STOP_TIMEOUT
) -> tuple[str, str]:
    """Send `sig` (Ctrl-C) unless the child has ended, and collect what is left of its output; a child
    still running `timeout` seconds later is terminated, then killed."""
    if process.poll() is None:
        process.send_signal(sig)
    for escalate in (process.terminate, process.kill):
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            escalate()
        else:
            return out or "", err or ""
    out, err = process.communicate(timeout=timeout)
    return out or "", err or ""
