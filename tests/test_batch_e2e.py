"""Bulk jobs end to end against the live emulator: validation first, the Batch API backend (skip,
save, error file, resume after a crash) and the online backend under a rate limit."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import wrapper
from wrapper.batch import Job, JobInvalid, _remote, validate_job
from wrapper.mock.pytest_plugin import ImagesMock

GOOD = {"model": "dall-e-2", "size": "256x256", "response_format": "b64_json"}
# Line number -> a line the API would refuse, and the parameter at fault.
INVALID: dict[int, tuple[dict[str, Any] | str, str | None]] = {
    7: ({"custom_id": "bad7", "prompt": "x", "model": "dall-e-3", "n": 2}, "n"),
    50: ({"custom_id": "bad50", "prompt": "x", "model": "dall-e-2", "size": "999x999"}, "size"),
    51: ({"custom_id": "c3", "prompt": "a copy", **GOOD}, "custom_id"),  # c3 is line 4's id
    120: ({"custom_id": "bad120", "prompt": "x", "colour": "red", **GOOD}, "colour"),
    150: ('{"custom_id": "bad150", "prompt": ', None),  # not JSON
    199: ({"custom_id": "../bad199", "prompt": "x", **GOOD}, "custom_id"),
}


def write_job(path: Path, count: int = 200, invalid: dict[int, Any] | None = None) -> list[str]:
    """A job of `count` lines (1-based `invalid` ones replaced); the custom_ids of the valid lines."""
    valid = []
    with path.open("w") as handle:
        for number in range(1, count + 1):
            if invalid and number in invalid:
                line = invalid[number][0]
                handle.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
                continue
            custom_id = f"c{number - 1}"
            handle.write(
                json.dumps({"custom_id": custom_id, "prompt": f"fox number {number}", **GOOD}) + "\n"
            )
            valid.append(custom_id)
    return valid


@pytest.fixture
def client(images_mock: ImagesMock) -> Iterator[wrapper.Client]:
    with wrapper.Client(api_key="sk-test", base_url=images_mock.url, max_retries=0) as client:
        yield client


def manifest(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_validation_names_exactly_the_invalid_lines_and_nothing_is_uploaded(
    tmp_path: Path, images_mock: ImagesMock
) -> None:
    source = tmp_path / "job.jsonl"
    write_job(source, invalid=INVALID)
    report = validate_job(source)
    assert report.lines == 200
    assert [error.number for error in report.errors] == sorted(INVALID)
    assert [error.param for error in report.errors] == [INVALID[n][1] for n in sorted(INVALID)]
    duplicate = next(error for error in report.errors if error.number == 51)
    assert "already used by line 4" in duplicate.message
    with pytest.raises(JobInvalid) as caught:
        Job.create(source, tmp_path / "out")
    assert len(caught.value.errors) == len(INVALID)
    assert "line 7 (bad7): n 2 is not supported by dall-e-3" in str(caught.value)
    assert not (tmp_path / "out").exists()
    assert len(images_mock.files) == 0


def test_a_job_submitted_with_skip_completes_and_saves_every_valid_line(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    valid = write_job(source, invalid=INVALID)
    job = Job.create(source, out, skip_invalid=True, max_lines=100)
    assert (job.state.lines, job.state.invalid, len(job.state.chunks)) == (194, 6, 2)
    seen = []
    report = job.run(client, interval=0.0, on_progress=lambda s: seen.append(s.completed))
    assert job.status(client).finished
    assert seen[-1] == 194
    assert (report.succeeded, report.failed, report.files) == (194, 0, 194)
    records = {record["custom_id"]: record for record in manifest(out)}
    assert sorted(records) == sorted(valid)
    for custom_id in valid:
        assert records[custom_id]["files"] == [f"{custom_id}.png"]
        assert (out / f"{custom_id}.png").read_bytes().startswith(b"\x89PNG")
    assert len(images_mock.batches.newest_first()) == 2


def test_the_error_files_lines_are_reported(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    lines = [
        {"custom_id": "fine", "prompt": "a fox", **GOOD, "n": 2},
        # A model outside the table gets the schema's checks only; the emulator, like the API, answers
        # a model that does not exist with 404 model_not_found, in the error file.
        {"custom_id": "too-big", "prompt": "a fox", "model": "future-model", "size": "9000x9000"},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = Job.create(source, out).run(client, interval=0.0)
    assert (report.succeeded, report.failed) == (1, 1)
    assert report.errors[0]["custom_id"] == "too-big"
    assert report.errors[0]["status_code"] == 404
    assert report.errors[0]["param"] == "model"
    records = {record["custom_id"]: record for record in manifest(out)}
    assert records["fine"]["files"] == ["fine-1.png", "fine-2.png"]
    assert records["too-big"]["status"] == "failed"
    assert "future-model" in records["too-big"]["error"]["message"]


def test_an_expired_batch_reports_the_lines_it_did_not_run(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    write_job(source, count=10)
    images_mock.faults.queue_batch("expired")
    report = Job.create(source, out).run(client, interval=0.0)
    assert (report.succeeded, report.failed) == (5, 5)
    assert {error["code"] for error in report.errors} == {"batch_expired"}


def test_a_run_killed_half_way_and_restarted_submits_nothing_twice(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    valid = write_job(source, count=40)
    job = Job.create(source, out, max_lines=10)
    real_create, created = _remote.create, []

    def create_then_die(*args: Any) -> _remote.BatchInfo:
        info = real_create(*args)
        created.append(info.id)
        if len(created) == 2:  # the batch exists on the server, but the run dies before recording it
            raise KeyboardInterrupt
        return info

    monkeypatch.setattr(_remote, "create", create_then_die)
    with pytest.raises(KeyboardInterrupt):
        job.submit(client)
    monkeypatch.setattr(_remote, "create", real_create)
    again = Job.open(out)  # a new process would do just this
    again.submit(client)
    again.submit(client)
    batches = images_mock.batches.newest_first()
    assert len(batches) == 4
    assert len({batch.input_file_id for batch in batches}) == 4
    again.wait(client, interval=0.0)
    saved = _fetch_killed_after(again, client, monkeypatch, records=15)
    assert saved == 15
    Job.open(out).fetch(client)
    counts = Counter(record["custom_id"] for record in manifest(out))
    assert sorted(counts) == sorted(valid)
    assert set(counts.values()) == {1}


def _fetch_killed_after(
    job: Job, client: wrapper.Client, monkeypatch: pytest.MonkeyPatch, records: int
) -> int:
    append, written = job.dir.append, []

    def append_then_die(record: dict[str, Any]) -> None:
        if len(written) == records:
            raise KeyboardInterrupt
        append(record)
        written.append(record)

    monkeypatch.setattr(job.dir, "append", append_then_die)
    with pytest.raises(KeyboardInterrupt):
        job.fetch(client)
    return len(written)


def test_the_online_backend_under_a_rate_limit_finishes_with_no_failed_line(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    valid = write_job(source, count=24)
    images_mock.limits.configure(rpm=1200, burst_seconds=0.25)  # 20 a second, 5 at once
    report = Job.create(source, out, backend="online").run_online(client, concurrency=4)
    assert (report.succeeded, report.failed) == (24, 0)
    assert sorted(record["custom_id"] for record in manifest(out)) == sorted(valid)
    sent = [r for r in images_mock.requests if r.operation == "generate"]
    assert len(sent) - images_mock.limits.rejected == 24


def test_an_online_run_stopped_half_way_resumes_without_resending(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    valid = write_job(source, count=12)
    job = Job.create(source, out, backend="online")

    def stop_after_five(progress: Any) -> None:
        if progress.succeeded == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        job.run_online(client, concurrency=1, on_progress=stop_after_five)
    assert len(manifest(out)) == 5
    report = Job.open(out).run_online(client, concurrency=3)
    assert report.succeeded == 7
    assert sorted(record["custom_id"] for record in manifest(out)) == sorted(valid)
    assert len([r for r in images_mock.requests if r.operation == "generate"]) == 12


def _data_url(size: tuple[int, int]) -> str:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 255)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _edit_line(custom_id: str, **body: Any) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/images/edits", "body": body}


def test_edits_in_bulk_run_by_image_reference(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    import base64

    source, out = tmp_path / "edits.jsonl", tmp_path / "out"
    file_id = images_mock.app.add_file(base64.b64decode(_data_url((48, 48)).split(",", 1)[1]))
    lines = [
        _edit_line(
            "by-url", model="gpt-image-1", prompt="add a hat", images=[{"image_url": _data_url((64, 64))}]
        ),
        _edit_line("by-id", model="gpt-image-1", prompt="add a hat", images=[{"file_id": file_id}]),
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = Job.create(source, out).run(client, interval=0.0)
    assert (report.succeeded, report.failed) == (2, 0)
    assert sorted(path.name for path in out.glob("*.png")) == ["by-id.png", "by-url.png"]


def test_an_edit_line_without_references_or_on_dall_e_2_is_named_before_upload(tmp_path: Path) -> None:
    source = tmp_path / "edits.jsonl"
    lines = [
        _edit_line("no-images", model="gpt-image-1", prompt="add a hat"),
        _edit_line(
            "dalle", model="dall-e-2", prompt="add a hat", images=[{"image_url": _data_url((64, 64))}]
        ),
        _edit_line("ftp", model="gpt-image-1", prompt="add a hat", images=[{"image_url": "ftp://x/y.png"}]),
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = validate_job(source)
    found = {error.custom_id: error for error in report.errors}
    assert set(found) == {"no-images", "dalle", "ftp"}
    assert found["no-images"].param == "image"
    assert "dall-e-2" in found["dalle"].message
    assert "ftp" in found["ftp"].message


def test_a_rerun_sends_the_lines_an_expired_batch_did_not_run_and_only_those(
    tmp_path: Path, client: wrapper.Client, images_mock: ImagesMock
) -> None:
    source, out = tmp_path / "job.jsonl", tmp_path / "out"
    valid = write_job(source, count=10)
    images_mock.faults.queue_batch("expired")
    first = Job.create(source, out).run(client, interval=0.0)
    assert (first.succeeded, first.failed, first.missing) == (5, 5, 5)
    second = Job.open(out).run(client, interval=0.0)
    assert (second.succeeded, second.failed, second.missing) == (5, 0, 0)
    batches = images_mock.batches.newest_first()
    assert len(batches) == 2
    succeeded = [record["custom_id"] for record in manifest(out) if record["status"] == "succeeded"]
    assert sorted(succeeded) == sorted(valid)
    third = Job.open(out).run(client, interval=0.0)
    assert (third.succeeded, third.missing) == (0, 0)
    assert len(images_mock.batches.newest_first()) == 2
