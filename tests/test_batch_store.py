"""A job's directory: one process at a time, one backend, the file that was validated, only its
own lines saved, and a full disk that stops a run cleanly without losing or merging records."""

from __future__ import annotations

import base64
import errno
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from processes import read_lines

import wrapper
from wrapper._cli import main
from wrapper.batch import Job, JobBusy, JobConflict, JobStopped, _remote, _save
from wrapper.batch._store import JobDir
from wrapper.mock.pytest_plugin import ImagesMock

GOOD = {"model": "dall-e-2", "size": "256x256", "response_format": "b64_json"}
OK = {"created": 1, "data": [{"b64_json": "iVBORw0KGgo="}]}


def write_job(path: Path, count: int) -> Path:
    lines = [{"custom_id": f"c{n}", "prompt": f"fox {n}", **GOOD} for n in range(count)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def generations(images_mock: ImagesMock) -> int:
    return len([request for request in images_mock.requests if request.operation == "generate"])


def finished_batch(monkeypatch: pytest.MonkeyPatch, output: list[dict[str, Any]]) -> wrapper.Client:
    """Make batch_1 a finished batch whose output file holds `output`; the client to fetch with."""
    finished = _remote.BatchInfo(
        "batch_1", "completed", len(output), len(output), 0, output_file_id="file_out"
    )

    @contextmanager
    def lines(client: object, file_id: str) -> Iterator[Iterator[str]]:
        yield iter(json.dumps(line) for line in output)

    monkeypatch.setattr(_remote, "retrieve", lambda client, batch_id: finished)
    monkeypatch.setattr(_remote, "lines", lines)
    return wrapper.Client(api_key="sk-test", base_url="http://127.0.0.1:9/v1")


@pytest.fixture
def client(images_mock: ImagesMock) -> Iterator[wrapper.Client]:
    with wrapper.Client(api_key="sk-test", base_url=images_mock.url, max_retries=0) as client:
        yield client


# --- one process at a time ----------------------------------------------------------------------


def test_a_job_run_by_another_process_is_refused_at_once(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    job = Job.create(write_job(tmp_path / "job.jsonl", 4), tmp_path / "out", backend="online")
    with Job.open(job.path).running():  # as another process would hold it: another open file
        with pytest.raises(JobBusy, match=f"pid {os.getpid()}"):
            Job.open(job.path).run_online(client)
        with pytest.raises(JobBusy):
            Job.open(job.path).fetch(client)
    assert generations(images_mock) == 0
    assert Job.open(job.path).run_online(client).succeeded == 4


HOLD = """
import sys
from wrapper.batch._store import JobDir
with JobDir(sys.argv[1]).locked():
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path: Path) -> None:
    command = [sys.executable, "-c", HOLD, str(tmp_path / "out")]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert [line.strip() for line in read_lines(holder, 1)] == ["locked"]
            with pytest.raises(JobBusy), JobDir(tmp_path / "out").locked():
                pass
        finally:
            holder.kill()  # SIGKILL: no clean-up runs in the holder
            holder.wait(timeout=10)
    with JobDir(tmp_path / "out").locked():
        pass


# --- one backend ----------------------------------------------------------------------------


def test_a_submitted_job_is_not_sent_online_as_well(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 5), tmp_path / "out"
    Job.create(source, out).submit(client)
    with pytest.raises(JobConflict, match=r"images batch fetch .* --wait"):
        Job.create(source, out, backend="online")
    with pytest.raises(JobConflict, match="already sent to the Batch API"):
        Job.open(out).run_online(client)
    assert generations(images_mock) == 0
    report = Job.open(out).run(client, interval=0.0)
    assert (report.succeeded, report.missing) == (5, 0)


def test_the_cli_refuses_an_online_run_of_a_submitted_job(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 3), tmp_path / "out"
    assert main(["batch", "submit", str(source), "-o", str(out), "--mock"]) == 0
    assert main(["batch", "run", str(source), "-o", str(out), "--mock", "--online"]) == 2
    assert "already sent to the Batch API" in capsys.readouterr().err
    assert not (out / "manifest.jsonl").exists()


def test_an_online_job_is_not_submitted_as_well(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 3), tmp_path / "out"
    Job.create(source, out, backend="online").run_online(client)
    with pytest.raises(JobConflict, match="--online"):
        Job.open(out).submit(client)
    assert len(images_mock.batches.newest_first()) == 0


def test_a_job_nothing_was_sent_for_may_still_change_backend(tmp_path: Path, client: wrapper.Client) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 2), tmp_path / "out"
    Job.create(source, out)  # the Batch API by default, but nothing submitted
    assert Job.open(out).run_online(client).succeeded == 2


# --- the file that was validated ------------------------------------------------------------


def test_a_job_keeps_the_absolute_path_it_was_made_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    first.mkdir(), second.mkdir()
    write_job(first / "jobs.jsonl", 2)
    (second / "jobs.jsonl").write_text(json.dumps({"custom_id": "other", "prompt": "x", **GOOD}) + "\n")
    monkeypatch.chdir(first)
    Job.create("jobs.jsonl", out)
    monkeypatch.chdir(second)
    with pytest.raises(JobConflict, match=f"holds the job of {first / 'jobs.jsonl'}"):
        Job.create("jobs.jsonl", out)
    assert [line.custom_id for line in Job.open(out).lines()] == ["c0", "c1"]


def test_a_changed_source_is_refused(tmp_path: Path) -> None:
    source, out = write_job(tmp_path / "jobs.jsonl", 2), tmp_path / "out"
    Job.create(source, out)
    write_job(source, 3)
    with pytest.raises(JobConflict, match="has changed since"):
        Job.create(source, out)


# --- only the job's own lines are saved ----------------------------------------------------------


def test_output_ids_the_job_never_had_are_not_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 2), tmp_path / "out"
    job = Job.create(source, out)
    job.state.chunks[0].batch_id = "batch_1"
    job.dir.save(job.state)
    answer = {"status_code": 200, "body": OK}
    output = [
        {"custom_id": custom_id, "response": answer}
        for custom_id in ("c0", "../escaped", str(tmp_path / "abs"), "sub/dir/x", "stranger", "c1")
    ]
    report = Job.open(out).fetch(finished_batch(monkeypatch, output))
    assert (report.succeeded, report.missing) == (2, 0)
    assert sorted(error["custom_id"] for error in report.errors) == sorted(
        ["../escaped", str(tmp_path / "abs"), "sub/dir/x", "stranger"]
    )
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == ["c0.png", "c1.png"]
    assert sorted(record["custom_id"] for record in records(out)) == ["c0", "c1"]


def test_a_bad_output_line_is_its_own_failure_and_the_fetch_saves_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 7), tmp_path / "out"
    job = Job.create(source, out)
    job.state.chunks[0].batch_id = "batch_1"
    job.dir.save(job.state)
    with socket.socket() as probe:  # a port nothing listens on: the URL result cannot be fetched
        probe.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{probe.getsockname()[1]}/img.png"
    bodies = {
        "c0": OK,
        "c1": {"created": 1, "data": [{"b64_json": "not base64!"}]},
        "c2": {"created": 1, "data": [{"url": gone}]},
        "c3": {"created": 1, "data": "nope"},
        "c4": "nope",
        "c5": {"created": 1, "data": [42]},
        "c6": OK,
    }
    output = [
        {"custom_id": key, "response": {"status_code": 200, "body": body}} for key, body in bodies.items()
    ]
    fetching = finished_batch(monkeypatch, output)
    report = Job.open(out).fetch(fetching)
    assert (report.succeeded, report.failed, report.missing) == (2, 5, 5)
    saved = {record["custom_id"]: record for record in records(out)}
    assert sorted(saved) == [f"c{n}" for n in range(7)]
    assert [saved[key]["status"] for key in ("c0", "c6")] == ["succeeded", "succeeded"]
    assert "base64" in saved["c1"]["error"]["message"]
    assert gone in saved["c2"]["error"]["message"]
    assert [saved[key]["retryable"] for key in ("c3", "c4", "c5")] == [True] * 3  # unreadable answers
    again = Job.open(out).fetch(fetching)  # nothing left to fetch, and no crash
    assert (again.succeeded, again.failed, again.missing) == (0, 0, 5)


def test_a_fetch_saves_no_more_images_than_the_line_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    lines = [{"custom_id": "c0-1", "prompt": "a", **GOOD}, {"custom_id": "c0", "prompt": "b", **GOOD}]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    job = Job.create(source, out)
    job.state.chunks[0].batch_id = "batch_1"
    job.dir.save(job.state)
    png = "iVBORw0KGgo="
    others = [base64.b64encode(b"\x89PNG\r\n\x1a\n" + tag).decode() for tag in (b"first", b"second")]
    two = {"created": 1, "data": [{"b64_json": other} for other in others]}
    output = [
        {"custom_id": "c0-1", "response": {"status_code": 200, "body": OK}},
        {"custom_id": "c0", "response": {"status_code": 200, "body": two}},  # one more than it asked for
    ]
    report = Job.open(out).fetch(finished_batch(monkeypatch, output))
    assert (report.succeeded, report.files) == (2, 2)
    saved = {record["custom_id"]: record for record in records(out)}
    assert (saved["c0"]["files"], saved["c0"]["dropped"]) == (["c0.png"], 1)
    assert (out / "c0-1.png").read_bytes() == base64.b64decode(png)  # c0's second image did not replace it


def test_a_line_that_cannot_be_saved_is_its_own_failure_not_the_fetchs(
    tmp_path: Path, client: wrapper.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 4), tmp_path / "out"
    job = Job.create(source, out)
    job.submit(client)
    job.wait(client, interval=0.0)
    real = _save.publish

    def publish(path: Path, content: bytes, **options: Any) -> None:
        if path.name.startswith("c2"):  # e.g. a file system with shorter names than validation assumed
            raise OSError(errno.ENAMETOOLONG, "File name too long")
        real(path, content, **options)

    monkeypatch.setattr(_save, "publish", publish)
    report = Job.open(out).fetch(client)
    assert (report.succeeded, report.failed, report.missing) == (3, 1, 1)
    assert "File name too long" in report.errors[0]["message"]


# --- a full disk --------------------------------------------------------------------------------


def failing_after(count: int, real: Any) -> Any:
    calls = []

    def publish(path: Path, content: bytes, **options: Any) -> None:
        calls.append(path)
        if len(calls) > count:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, content, **options)

    return publish


def test_a_full_disk_stops_an_online_run_cleanly_and_a_resume_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = Job.create(write_job(tmp_path / "job.jsonl", 20), tmp_path / "out", backend="online")
    sent = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content)["prompt"])
        return httpx2.Response(200, json=OK)

    async def run() -> Any:
        http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
        with anyio.fail_after(10):
            async with wrapper.AsyncClient(
                api_key="k", base_url="https://api.test/v1", http_client=http
            ) as c:
                return await job.arun_online(c, concurrency=4)

    real = _save.publish
    monkeypatch.setattr(_save, "publish", failing_after(5, real))
    with pytest.raises(JobStopped, match="No space left") as stopped:
        anyio.run(run)
    assert "15 lines still missing" in str(stopped.value)
    assert len(sent) <= 5 + 4  # what was saved, and at most the requests in flight when the disk filled
    monkeypatch.setattr(_save, "publish", real)
    job = Job.open(job.path)
    report = anyio.run(run)
    assert (report.succeeded, report.missing) == (15, 0)
    assert sorted(record["custom_id"] for record in records(job.path)) == sorted(f"c{n}" for n in range(20))


def test_a_full_disk_during_a_fetch_loses_nothing(
    tmp_path: Path, client: wrapper.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = write_job(tmp_path / "job.jsonl", 8), tmp_path / "out"
    job = Job.create(source, out)
    job.submit(client)
    job.wait(client, interval=0.0)
    real = _save.publish
    monkeypatch.setattr(_save, "publish", failing_after(3, real))
    with pytest.raises(JobStopped, match="fetch again"):
        Job.open(out).fetch(client)
    monkeypatch.setattr(_save, "publish", real)
    report = Job.open(out).fetch(client)
    assert (report.succeeded, report.missing) == (5, 0)
    assert sorted(record["custom_id"] for record in records(out)) == sorted(f"c{n}" for n in range(8))


def test_a_manifest_line_cut_short_is_taken_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = JobDir(tmp_path)
    directory.append({"custom_id": "a", "status": "succeeded"})
    real_write = os.write

    def half(fd: int, data: bytes) -> int:
        return real_write(fd, data[: len(data) // 2])  # a full disk: the write stops part way

    monkeypatch.setattr(os, "write", half)
    with pytest.raises(OSError, match="manifest line"):
        directory.append({"custom_id": "b", "status": "succeeded"})
    monkeypatch.setattr(os, "write", real_write)
    directory.append({"custom_id": "c", "status": "succeeded"})
    assert [record["custom_id"] for record in directory.records()] == ["a", "c"]
