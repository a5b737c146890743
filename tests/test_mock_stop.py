"""Ctrl-C stops the emulator from the first line of its banner on, even in a process that started
with SIGINT ignored (what a non-interactive shell gives its background jobs and everything they
start): before, a Ctrl-C sent between the banner and the moment uvicorn installs its handlers was
dropped and the emulator served on forever."""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from processes import read_lines, running, stop

from wrapper.mock._serving import run_until_stopped

BIN = Path(sys.executable).parent
STARTED_IGNORING_CTRL_C = ["bash", "-c", 'trap "" INT; exec "$@"', "bash"]
ATTEMPTS = 3  # the moment the signal lands varies from run to run; each attempt must stop

pytestmark = pytest.mark.network


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "wrapper.mock"], [str(BIN / "images"), "mock"]],
    ids=["python -m wrapper.mock", "images mock"],
)
def test_ctrl_c_right_after_the_banner_stops_the_emulator(command: list[str]) -> None:
    for _ in range(ATTEMPTS):
        with running([*STARTED_IGNORING_CTRL_C, *command, "--port", "0"]) as emulator:
            [first] = read_lines(emulator, 1)
            assert first.startswith("Images API emulator on http://127.0.0.1:")
            _, err = stop(emulator, signal.SIGINT, timeout=5)  # then SIGTERM, then SIGKILL
        assert emulator.returncode == 0, err  # not -15 or -9: the Ctrl-C itself stopped it


class FakeServer:
    """Stands for uvicorn.Server: `run` receives a Ctrl-C the moment it starts."""

    def __init__(self) -> None:
        self.stopped_by: list[int] = []
        self.handler_while_running: object = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.stopped_by.append(sig)

    def run(self, sockets: list[socket.socket]) -> None:
        self.handler_while_running = signal.getsignal(signal.SIGINT)
        signal.raise_signal(signal.SIGINT)


@pytest.fixture
def ctrl_c_ignored() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_ignored")
def test_ctrl_c_goes_to_the_server_from_the_banner_on_and_the_handler_is_restored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = FakeServer()
    with socket.socket() as listener:
        run_until_stopped(server, listener, "banner")  # type: ignore[arg-type]
    assert capsys.readouterr().out == "banner\n"
    assert server.handler_while_running == server.handle_exit
    assert server.stopped_by == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
