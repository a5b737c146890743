"""What a command prints: for people (rich, with live progress) or as JSON (`--json`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .._results import Usage

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True, slots=True)
class Saved:
    """One result written to disk, with the prompt the model drew from when it rewrote ours."""

    path: Path
    revised_prompt: str | None = None


@dataclass(slots=True)
class Outcome:
    """Everything a command reports about one request."""

    operation: str
    model: str
    files: list[Saved] = field(default_factory=list)
    partials: list[Path] = field(default_factory=list)
    usage: Usage | None = None
    request_id: str | None = None
    details: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "model": self.model,
            "files": [{"path": str(s.path), "revised_prompt": s.revised_prompt} for s in self.files],
            "partials": [str(path) for path in self.partials],
            "usage": _usage_json(self.usage),
            "request_id": self.request_id,
            **self.details,
        }


class Incomplete(Exception):
    """A request that failed after some of its results were saved: the error, and what was saved."""

    def __init__(self, error: Exception, outcome: Outcome) -> None:
        super().__init__(str(error))
        self.error = error
        self.outcome = outcome


class Progress(Protocol):
    """Told about each image a stream delivers, as it arrives."""

    def partial(self, path: Path, index: int) -> None: ...

    def completed(self, path: Path) -> None: ...


def total_usage(usages: Sequence[Usage | None]) -> Usage | None:
    """The sum of the usages of a stream's completed events (None when none carried one)."""
    known = [usage for usage in usages if usage is not None]
    if not known:
        return None
    return Usage(
        input_tokens=_sum([u.input_tokens for u in known]),
        output_tokens=_sum([u.output_tokens for u in known]),
        total_tokens=_sum([u.total_tokens for u in known]),
    )


def _sum(counts: Sequence[int | None]) -> int | None:
    """A total, or None when an event left its count out (a partial sum would be reported as whole)."""
    present = [count for count in counts if count is not None]
    return sum(present) if len(present) == len(counts) else None


def print_json(document: object) -> None:
    print(json.dumps(document, indent=2))


def console() -> Console:
    """A console that never wraps paths or colours numbers, so what it prints can be copied."""
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False, emoji=False)


def show(outcome: Outcome, as_json: bool) -> None:
    """Print the outcome of a request: JSON, or saved paths, revised prompts and token usage."""
    if as_json:
        print_json(outcome.to_json())
        return
    out = console()
    for saved in outcome.files:
        out.print(f"saved [bold]{saved.path}[/bold]", markup=True)
        if saved.revised_prompt:
            out.print(f"  revised prompt: {saved.revised_prompt}", markup=False)
    facts = [outcome.model, *outcome.details.values()]
    if outcome.partials:
        facts.append(f"{len(outcome.partials)} partial image(s) saved")
    if outcome.usage is not None:
        facts.append(_usage_text(outcome.usage))
    if outcome.request_id:
        facts.append(f"request {outcome.request_id}")
    out.print(" · ".join(facts), style="dim", markup=False)


@contextmanager
def waiting(what: str, as_json: bool) -> Iterator[None]:
    """A spinner with the elapsed time while a request waits for its answer (tens of seconds on the
    API): on a terminal only, so nothing with `--json` or when stdout is piped or redirected."""
    out = None if as_json else console()
    if out is None or not out.is_terminal:
        yield
        return
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    with Bar(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=out, transient=True
    ) as bar:
        bar.add_task(what, total=None)
        yield


@contextmanager
def progress(total: int, as_json: bool) -> Iterator[Progress]:
    """Live progress of a stream on the terminal (nothing with `--json`)."""
    if as_json:
        yield _Silent()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Bar(*columns, console=console(), transient=True) as bar:
        yield _Live(bar, bar.add_task("streaming", total=total))


class _Silent:
    def partial(self, path: Path, index: int) -> None:
        pass

    def completed(self, path: Path) -> None:
        pass


class _Live:
    def __init__(self, bar: Any, task: Any) -> None:
        self.bar, self.task = bar, task

    def partial(self, path: Path, index: int) -> None:
        self.bar.console.print(f"partial image {index} → {path}", markup=False, highlight=False)
        self.bar.update(self.task, advance=1, description=f"partial {index}")

    def completed(self, path: Path) -> None:
        self.bar.update(self.task, advance=1, description="completed")


def _usage_text(usage: Usage) -> str:
    text = f"tokens: {usage.input_tokens} in, {usage.output_tokens} out, {usage.total_tokens} total"
    details = usage.input_tokens_details
    if details is not None:
        text += f" (input: {details.text_tokens} text, {details.image_tokens} image)"
    return text


def _usage_json(usage: Usage | None) -> dict[str, Any] | None:
    if usage is None:
        return None
    document: dict[str, Any] = {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    for name in ("input_tokens_details", "output_tokens_details"):
        details = getattr(usage, name)
        if details is not None:
            document[name] = {"text_tokens": details.text_tokens, "image_tokens": details.image_tokens}
    return document


def error_line(message: str) -> None:
    """Print an error for people on stderr, after whatever stdout holds so far."""
    sys.stdout.flush()
    print(f"images: error: {message}", file=sys.stderr)
