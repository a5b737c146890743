"""The subcommands: send one request, save what comes back, report it."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .. import _lifecycle
from .._capabilities import DEFAULT_MODELS, GPT_DEFAULT_MODEL, MODELS, ModelCapabilities, Operation
from .._errors import StreamError
from .._lifecycle import defaults_apply, status
from .._references import ImageURL
from .._results import ImagesResponse, check_stem, extension_for, publish
from .._spec import OPERATIONS, P
from .._streaming import (
    ImageEditCompletedEvent,
    ImageEditPartialImageEvent,
    ImageGenCompletedEvent,
    ImageGenPartialImageEvent,
    Stream,
)
from .._validation import MODEL, resolve_model
from . import _report
from ._parser import DEFAULT_PARTIALS, UsageError, fallback_model
from ._report import Incomplete, Outcome, Saved
from ._session import Session, connect

Send = Callable[[Session, dict[str, Any]], "ImagesResponse | Stream[Any]"]
_DETAILS = (P.size, P.quality, P.background, P.output_format)
"""What a stream event reports of how its image was drawn (each named like the parameter it resolves)."""
# Results are saved as <stem>[-<index>][-partial-<index>].<ext>.
_RESULT_SUFFIX = r"(-\d+)?(-partial-\d+)?\.[a-z]+"


def generate(args: argparse.Namespace) -> int:
    """`images generate PROMPT ...`"""
    return _request(args, "generate", _slug(args.prompt), lambda s, p: s.client.images.generate(**p))


def edit(args: argparse.Namespace) -> int:
    """`images edit IMAGE... --prompt P [--mask M] ...`"""
    images: list[Path | ImageURL] = args.image
    extra = {P.image: images[0] if len(images) == 1 else images, P.mask: args.mask, P.markup: args.markup}
    return _request(args, "edit", _slug(args.prompt), lambda s, p: s.client.images.edit(**p, **extra))


def vary(args: argparse.Namespace) -> int:
    """`images vary IMAGE [--n --size]`"""
    stem = _slug(args.image.stem) + "-variation"
    return _request(
        args, "variation", stem, lambda s, p: s.client.images.create_variation(image=args.image, **p)
    )


def models(args: argparse.Namespace) -> int:
    """`images models [MODEL...] [--all]`: each model's status as of `--as-of` (default today) and what
    it accepts; the models named, else the current ones (the retired ones too with --all, after them)."""
    as_of = args.as_of or _lifecycle.default_as_of()
    rows = _chosen_models(args.names, args.all, as_of)
    if args.json:
        defaults: dict[str, str] = dict(DEFAULT_MODELS.items()) if defaults_apply(as_of) else {}
        document = {"as_of": as_of.isoformat(), "defaults": defaults, "gpt_default": GPT_DEFAULT_MODEL}
        _report.print_json({**document, "models": [_row_json(row, as_of) for row in rows]})
        return 0
    from ._table import capability_lines

    out = _report.console()
    hidden = 0 if args.names or args.all else len(MODELS) - len(rows)
    for line in capability_lines(rows, as_of, out.width, retired_hidden=hidden):
        out.print(line)
    return 0


def _chosen_models(names: list[str], everything: bool, as_of: date) -> list[ModelCapabilities]:
    unknown = [name for name in names if name not in MODELS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], MODELS, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; images models --all lists them all"
        raise UsageError(f"unknown model {unknown[0]!r}{hint}")
    if names:
        return [MODELS[name] for name in dict.fromkeys(names)]
    retired = [row for row in MODELS.values() if _retired(row, as_of)]
    current = [row for row in MODELS.values() if row not in retired]
    return current + retired if everything else current


def _retired(row: ModelCapabilities, as_of: date) -> bool:
    return row.lifecycle.retired_on is not None and as_of >= row.lifecycle.retired_on


def mock(args: argparse.Namespace) -> int:
    """`images mock`: serve the emulator until interrupted (the options of `python -m wrapper.mock`)."""
    from ..mock.__main__ import serve

    return serve(args, "images mock")


def _request(args: argparse.Namespace, operation: Operation, stem: str, send: Send) -> int:
    if args.name is not None:
        _check_name(args.name)
    params = _params(args, operation)
    as_of = args.as_of or _lifecycle.default_as_of()
    model = _model(operation, args.model, params, as_of)
    if getattr(args, P.stream, False):
        params.update({P.stream: True, P.partial_images: _partials(args, MODELS.get(model))})
        model = _model(operation, args.model, params, as_of)
    params[MODEL] = model  # always named: the API no longer picks one for requests without it
    with connect(mock=args.mock, base_url=args.base_url, as_of=args.as_of) as session:
        directory = args.output_dir
        with _report.waiting(f"waiting for {model} ({operation})", args.json):
            result = send(session, params)
        directory.mkdir(parents=True, exist_ok=True)
        names = _Names(directory, args.name if args.name is not None else stem)
        outcome = Outcome(operation, model)
        if isinstance(result, Stream):
            try:
                _save_stream(result, names, outcome, params, args.json)
            except StreamError as exc:  # the images that did arrive are saved: say which, then fail
                raise Incomplete(exc, outcome) from exc
        else:
            _save_result(result, session, names, outcome)
    _report.show(outcome, args.json)
    return 0


def _model(operation: Operation, named: str | None, params: Mapping[str, Any], as_of: date) -> str:
    """The model to send: the one named, the API's default of that day, or (none any more) the command's
    own: the GPT default, or the model that did the operation when that one does not do it."""
    return resolve_model(operation, named, params, as_of=as_of) or fallback_model(operation)


def _params(args: argparse.Namespace, operation: Operation) -> dict[str, Any]:
    names = [param.name for param in OPERATIONS[operation].params.values() if not param.is_file]
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def _partials(args: argparse.Namespace, row: ModelCapabilities | None) -> int | None:
    """`--partial-images`, or a default the model accepts (none for a model that does not stream)."""
    if args.partial_images is not None:
        return int(args.partial_images)
    if row is None or not row.streams:
        return None if row is not None else DEFAULT_PARTIALS
    return min(DEFAULT_PARTIALS, row.max_partial_images or 0)


def _save_result(result: ImagesResponse, session: Session, names: _Names, outcome: Outcome) -> None:
    many = len(result.data) > 1
    for index, image in enumerate(result.data, 1):
        content = image.content(http_client=session.http)
        path = names.write(f"-{index}" if many else "", content, image.output_format)
        outcome.files.append(Saved(path, image.revised_prompt))
    outcome.usage, outcome.request_id = result.usage, result.request_id
    outcome.details = {name: value for name in _DETAILS if (value := getattr(result, name)) is not None}
    if result.svg_usage is not None:  # the SVG author's tokens, apart from the image's
        svg = result.svg_usage
        outcome.details["svg_usage"] = (
            f"svg by {svg.model}: {svg.total_tokens} tokens ({svg.reasoning_tokens} reasoning)"
        )


def _save_stream(
    stream: Stream[Any], names: _Names, outcome: Outcome, params: Mapping[str, Any], as_json: bool
) -> None:
    count, partials = int(params.get(P.n) or 1), int(params.get(P.partial_images) or 0)
    usages = []
    with stream, _report.progress(count * (partials + 1), as_json) as progress:
        outcome.request_id = stream.http.request_id
        for event in stream:
            suffix = "" if count == 1 else f"-{len(outcome.files) + 1}"
            if isinstance(event, ImageGenCompletedEvent | ImageEditCompletedEvent):
                path = names.write(suffix, event.content(), event.output_format)
                outcome.files.append(Saved(path))
                usages.append(event.usage)
                outcome.details = {key: getattr(event, key) for key in _DETAILS}
                progress.completed(path)
            elif isinstance(event, ImageGenPartialImageEvent | ImageEditPartialImageEvent):
                partial = f"{suffix}-partial-{event.partial_image_index}"
                path = names.write(partial, event.content(), event.output_format)
                outcome.partials.append(path)
                progress.partial(path, event.partial_image_index)
    outcome.usage = _report.total_usage(usages)


def _slug(text: str, words: int = 6) -> str:
    """A file name stem from text: its first words, lower case, letters and digits only."""
    parts = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(parts)[:48].strip("-") or "image"


def _check_name(name: str) -> None:
    try:
        check_stem(name)
    except ValueError as exc:
        raise UsageError(f"--name {exc}") from None


class _Names:
    """The files of one run: `stem`, or `stem-2`, `stem-3`, ... so that no earlier result is
    overwritten, even by a run in parallel. The first file written claims the stem atomically (an
    exclusive create); every later file of the run is created exclusively too."""

    def __init__(self, directory: Path, stem: str) -> None:
        self.directory = directory
        self.base = stem
        self.stem: str | None = None

    def write(self, suffix: str, content: bytes, output_format: str | None) -> Path:
        """Write `<stem><suffix><ext>`, claiming a free stem on the first call."""
        extension = extension_for(output_format, content)
        if self.stem is not None:
            path = self.directory / f"{self.stem}{suffix}{extension}"
            publish(path, content, exclusive=True)
            return path
        for candidate in self._candidates():
            path = self.directory / f"{candidate}{suffix}{extension}"
            try:
                publish(path, content, exclusive=True)
            except FileExistsError:  # another run took it between the listing and now
                continue
            self.stem = candidate
            return path
        raise AssertionError("unreachable: the candidates never end")

    def _candidates(self) -> Iterator[str]:
        number = 1
        while True:
            candidate = self.base if number == 1 else f"{self.base}-{number}"
            taken = re.compile(re.escape(candidate) + _RESULT_SUFFIX)
            if not any(taken.fullmatch(path.name) for path in self.directory.iterdir()):
                yield candidate
            number += 1


def _row_json(row: ModelCapabilities, as_of: date) -> dict[str, Any]:
    document = dataclasses.asdict(row)
    document["operations"] = [op for op in ("generate", "edit", "variation") if row.supports(op)]
    cycle = document["lifecycle"]
    document["lifecycle"] = {key: v.isoformat() if isinstance(v, date) else v for key, v in cycle.items()}
    document["status"] = status(row.lifecycle, as_of)
    return document
