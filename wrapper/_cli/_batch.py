"""`images batch validate|submit|status|fetch|cancel|run`: bulk jobs from the command line; the
examples are `EXAMPLES`, shown by `images batch --help`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import WrapperError
from . import _report
from ._session import connect

if TYPE_CHECKING:
    from ..batch import FetchReport, Job, JobStatus

EXAMPLES = """examples:
  images batch validate prompts.jsonl                  # every invalid line, at once (exit 2 if any)
  images batch submit prompts.jsonl -o out             # upload + create the batches
  images batch status out                              # request_counts of each batch
  images batch fetch out --wait                        # save the images, write out/manifest.jsonl
  images batch cancel out
  images batch run prompts.txt -o out --model gpt-image-1.5 --quality low            # all in one
  images batch run prompts.txt -o out --model gpt-image-1.5 --online --concurrency 8 # now, paced

The output directory is the job's handle: run the same command again to resume (one process at a
time); lines that failed for a retryable reason are sent again, and the exit code is 1 while any
line is still without its image.
"""
USAGE_ERROR, API_ERROR = 2, 1
OPERATIONS = ["generate", "edit"]
"""The operations the Batch API runs (`wrapper.batch` is imported only when a job runs)."""


def register(commands: Any, common: argparse.ArgumentParser, formatter: type[argparse.HelpFormatter]) -> None:
    """Add `images batch ...` to the `images` parser."""
    from ._parser import _options

    summary = "Run a JSONL job of many requests on the Batch API, or online paced by the rate limits."

    class Examples(formatter):  # type: ignore[valid-type,misc]
        def _fill_text(self, text: str, width: int, indent: str) -> str:
            return "".join(indent + line for line in text.splitlines(keepends=True))  # lines as written

    parser = commands.add_parser(
        "batch", help=summary, description=summary, epilog=EXAMPLES, formatter_class=Examples
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, text: str, *, job: bool, out: bool, api: bool) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(
            name, parents=[common], help=text, description=text, formatter_class=formatter
        )
        if job:
            sub.add_argument(
                "job", type=Path, help="the job: JSONL (Batch API or short lines) or .txt prompts"
            )
            sub.add_argument("--operation", choices=OPERATIONS, default="generate", help="of short lines")
            sub.add_argument(
                "--skip-invalid", action="store_true", help="send the valid lines, skip the rest"
            )
            _options(sub, "generate")  # shared options: the default of every line that does not set them
        if out:
            sub.add_argument("-o", "--output-dir", type=Path, required=True, help="the job's directory")
        elif not job:
            sub.add_argument("output_dir", type=Path, help="the job's directory (from submit or run)")
        if api:
            sub.add_argument(
                "--mock", action="store_true", help="use the built-in emulator: no key, no network"
            )
            sub.add_argument(
                "--base-url", help="the API's base URL (default: OPENAI_BASE_URL or the public API)"
            )
        return sub

    action("validate", "Check every line as a single call would be checked.", job=True, out=False, api=False)
    action("submit", "Validate, upload and create the batches.", job=True, out=True, api=True)
    action("status", "Show each batch's status and request counts.", job=False, out=False, api=True)
    fetch = action("fetch", "Save the results of the batches that ended.", job=False, out=False, api=True)
    fetch.add_argument("--wait", action="store_true", help="poll until every batch has ended first")
    action("cancel", "Cancel the job's unfinished batches.", job=False, out=False, api=True)
    run = action("run", "Validate, send and save the whole job.", job=True, out=True, api=True)
    run.add_argument("--online", action="store_true", help="send now through the images endpoints, paced")
    run.add_argument(
        "--concurrency", type=int, default=8, help="requests in flight when --online (default 8)"
    )
    parser.set_defaults(mock=False)


def run(args: argparse.Namespace) -> int:
    """Dispatch `images batch ACTION`."""
    from ..batch import JobConflict, JobInvalid, JobStopped

    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "validate": _validate,
        "submit": _submit,
        "status": _status,
        "fetch": _fetch,
        "cancel": _cancel,
        "run": _run,
    }
    try:
        return handlers[args.action](args)
    except JobInvalid as exc:
        return _invalid(exc.errors, exc.lines, args.json)
    except JobConflict as exc:  # busy, another job or backend, a changed source: the message says what to do
        _report.error_line(str(exc))
        return USAGE_ERROR
    except JobStopped as exc:
        _report.error_line(str(exc))
        return API_ERROR
    except WrapperError as exc:
        if "holds no job" in str(exc):
            _report.error_line(str(exc))
            return USAGE_ERROR
        raise


def _defaults(args: argparse.Namespace) -> dict[str, Any]:
    from ._parser import options

    return {
        p.name: getattr(args, p.name) for p in options("generate") if getattr(args, p.name, None) is not None
    }


def _validate(args: argparse.Namespace) -> int:
    from ..batch import validate_job

    report = validate_job(args.job, args.operation, _defaults(args))
    if report.errors:
        return _invalid(report.errors, report.lines, args.json)
    _say(args, report.to_json(), f"all {report.lines} lines are valid")
    return 0


def _invalid(errors: list[Any], lines: int, as_json: bool) -> int:
    if as_json:
        _report.print_json(
            {"lines": lines, "valid": lines - len(errors), "errors": [e.to_json() for e in errors]}
        )
    else:
        for error in errors:
            _report.error_line(str(error))
        _report.error_line(f"{len(errors)} of {lines} lines are invalid (--skip-invalid sends the others)")
    return USAGE_ERROR


def _create(args: argparse.Namespace, backend: str) -> Job:
    from ..batch import Job

    return Job.create(
        args.job,
        args.output_dir,
        operation=args.operation,
        defaults=_defaults(args),
        skip_invalid=args.skip_invalid,
        backend=backend,
    )


def _submit(args: argparse.Namespace) -> int:
    job = _create(args, "batch")
    with connect(mock=args.mock, base_url=args.base_url) as session:
        batches = job.submit(session.client)
    document = {"job_id": job.id, "output_dir": str(job.path), "batches": [b.id for b in batches]}
    _say(args, document, f"job {job.id}: {len(batches)} batch(es) submitted; images batch status {job.path}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from ..batch import Job

    job = Job.open(args.output_dir)
    with connect(mock=args.mock, base_url=args.base_url) as session:
        status = job.status(session.client)
    _say(args, status.to_json(), _status_text(status))
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from ..batch import Job

    job = Job.open(args.output_dir)
    with connect(mock=args.mock, base_url=args.base_url) as session:
        if args.wait:
            with _polling(args.json) as show:
                job.wait(session.client, on_progress=show)
        report = job.fetch(session.client)
    if job.state.backend == "online" and not args.json:
        how = f"images batch run {job.state.source} -o {job.path} --online"
        _report.console().print(
            f"job {job.id} runs online, not on the Batch API: nothing to fetch (run it with `{how}`)",
            highlight=False,
            markup=False,
        )
    return _fetched(args, job, report)


def _cancel(args: argparse.Namespace) -> int:
    from ..batch import Job

    job = Job.open(args.output_dir)
    with connect(mock=args.mock, base_url=args.base_url) as session:
        cancelled = job.cancel(session.client)
    document = {"job_id": job.id, "batches": [{"id": b.id, "status": b.status} for b in cancelled]}
    _say(args, document, f"job {job.id}: {len(cancelled)} batch(es) cancelling")
    return 0


def _run(args: argparse.Namespace) -> int:
    job = _create(args, "online" if args.online else "batch")
    with connect(mock=args.mock, base_url=args.base_url) as session:
        if args.online:
            with _counting(job.state.lines, args.json) as show:
                report = job.run_online(session.client, concurrency=args.concurrency, on_progress=show)
        else:
            with _polling(args.json) as show:
                report = job.run(session.client, on_progress=show, interval=0.5 if args.mock else 2.0)
    return _fetched(args, job, report)


def _fetched(args: argparse.Namespace, job: Job, report: FetchReport) -> int:
    text = f"{report.succeeded} succeeded, {report.failed} failed, {report.files} images saved in {job.path}"
    if report.skipped:
        text += f" ({report.skipped} lines done before)"
    if report.pending:
        text += f"; {report.pending} batch(es) not finished yet (fetch again later)"
    if report.missing:
        text += f"; {report.missing} of {job.state.lines} lines still without an image (run again to retry)"
    if job.state.invalid:
        from ..batch._job import INVALID

        text += f"; {job.state.invalid} invalid line(s) skipped, not sent (listed in {job.path / INVALID})"
    if not args.json:
        for error in report.errors[:20]:
            where = error.get("custom_id") or error.get("batch_id")
            _report.error_line(f"{where}: {error.get('message')}")
    document = {"job_id": job.id, "manifest": str(job.dir.manifest), **report.to_json()}
    _say(args, {**document, "invalid": job.state.invalid}, text)
    # Non-zero while any line lacks its image, so that a script's `until images batch run ...` loop works.
    return API_ERROR if report.failed or report.missing else 0


def _status_text(status: JobStatus) -> str:
    lines = [
        f"{b.id}: {b.status}, {b.completed} completed, {b.failed} failed of {b.total}" for b in status.batches
    ]
    lines.append(f"job {status.job_id}: {status.completed + status.failed} of {status.total} done")
    return "\n".join(lines)


def _say(args: argparse.Namespace, document: dict[str, Any], text: str) -> None:
    if args.json:
        _report.print_json(document)
    else:
        _report.console().print(text, highlight=False, markup=False)


@contextmanager
def _polling(as_json: bool) -> Iterator[Callable[[JobStatus], None]]:
    """A progress bar fed by each poll's request counts (nothing with --json)."""
    if as_json:
        yield lambda status: None
        return
    from rich.progress import Progress

    with Progress(console=_report.console(), transient=True) as bar:
        task = bar.add_task("batches", total=None)

        def show(status: JobStatus) -> None:
            states = ", ".join(sorted({b.status for b in status.batches}))
            bar.update(task, total=status.total or None, completed=status.completed + status.failed)
            bar.update(task, description=states)

        yield show


@contextmanager
def _counting(total: int, as_json: bool) -> Iterator[Callable[[Any], None]]:
    if as_json:
        yield lambda progress: None
        return
    from rich.progress import Progress

    with Progress(console=_report.console(), transient=True) as bar:
        task = bar.add_task("online", total=total)

        def show(progress: Any) -> None:
            bar.update(task, completed=progress.succeeded + progress.failed + progress.skipped)

        yield show
