"""The soak's duplicate count (scripts/soak_bulk.py `count_online`) on synthetic logs: a resend is
excused only when the run that got the first whole answer was killed."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import soak_bulk  # noqa: E402
from soak_bulk import Exchange  # noqa: E402

sys.path.remove(str(ROOT / "scripts"))


def answer(custom_id: str, run: int, ended: float, status: int = 200) -> Exchange:
    return Exchange(custom_id, status, whole=True, run=run, ended=ended)


def counts(
    log: list[Exchange], killed_at: dict[int, float], starts: dict[int, set[str]] | None = None
) -> dict[str, int]:
    return soak_bulk.count_online(log, starts or {}, killed_at)


def test_a_resend_after_a_run_that_was_not_killed_is_a_duplicate() -> None:
    log = [answer("a", run=1, ended=1.0), answer("a", run=2, ended=5.0)]
    assert counts(log, killed_at={})["duplicates"] == 1


def test_a_resend_after_a_kill_is_counted_apart() -> None:
    log = [
        answer("a", run=1, ended=1.0),  # answered before the kill at 2.0, not yet recorded
        answer("b", run=1, ended=3.0),  # answered after it: in flight when the process died
        answer("a", run=2, ended=5.0),
        answer("b", run=2, ended=5.0),
    ]
    found = counts(log, killed_at={1: 2.0})
    assert found == {
        "duplicates": 0,
        "answered_in_flight_at_a_kill": 1,
        "answered_but_unrecorded_at_a_kill": 1,
    }


def test_two_whole_answers_in_one_run_count_once_each() -> None:
    log = [answer("a", run=1, ended=1.0), answer("a", run=1, ended=2.0), answer("a", run=1, ended=3.0)]
    assert counts(log, killed_at={1: 10.0})["duplicates"] == 2


def test_a_line_asked_again_after_its_success_was_recorded_is_a_duplicate() -> None:
    log = [answer("a", run=1, ended=1.0), answer("a", run=2, ended=5.0, status=503)]
    assert counts(log, killed_at={1: 2.0}, starts={2: {"a"}})["duplicates"] == 1


def test_failed_answers_and_a_single_success_are_not_duplicates() -> None:
    log = [
        answer("a", run=1, ended=1.0, status=503),
        answer("a", run=2, ended=2.0),
        answer("b", run=2, ended=2.0),
    ]
    assert counts(log, killed_at={})["duplicates"] == 0
