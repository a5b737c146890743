"""The `images` command line: subcommands and options.

Every non-file parameter of an operation becomes an option, built from `_spec` (generated from
openapi.yaml: flag, kind, the description's first sentence); the capability table adds which models
take which values. No parameter or model is named here, so a parameter added to the spec or a row
added to the table shows up in `images <command> --help`.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .._capabilities import (
    DEFAULT_MODELS,
    DEFAULTS_UNTIL,
    GPT_DEFAULT_MODEL,
    MODELS,
    Choice,
    Limit,
    ModelCapabilities,
    Needs,
    Operation,
    Switch,
)
from .._references import ImageURL
from .._schema import Param
from .._spec import OPERATIONS, P
from .._validation import MODEL


def options(operation: Operation) -> list[Param]:
    """The parameters of `operation` that are options (the required ones are arguments)."""
    return [
        param for param in OPERATIONS[operation].params.values() if not param.required and not param.is_file
    ]


def _flags() -> dict[str, str]:
    flags: dict[str, str] = {}
    for spec in OPERATIONS.values():
        for param in spec.params.values():
            positional = param.required and (param.is_file or not spec.files)
            flags[param.name] = param.name.upper() if positional else param.flag
    return flags


FLAGS = _flags()
"""The flag (or argument) of each API parameter, for error messages."""
DEFAULT_PARTIALS = 2
EPILOG = "Every model, its values and defaults: images models. Without an API key: add --mock."


class UsageError(Exception):
    """Options that parse one by one but do not go together."""


def check(args: argparse.Namespace) -> None:
    """Refuse what argparse cannot, before anything is sent: `--partial-images` without a stream, an
    output directory that is a file, a job file that is not there (each a usage error, exit 2)."""
    if getattr(args, P.partial_images, None) is not None and not args.stream:
        raise UsageError("--partial-images needs --stream: partial images are only sent in a stream")
    output: Path | None = getattr(args, "output_dir", None)
    if output is not None and output.exists() and not output.is_dir():
        raise UsageError(f"the output directory {output} is a file: name a directory (made when missing)")
    job: Path | None = getattr(args, "job", None)
    if job is not None and not job.is_file():
        raise UsageError(f"no job file {job}" + (" (a directory)" if job.is_dir() else ""))


class _Formatter(argparse.HelpFormatter):
    """Wraps help text between words only, so that model names such as gpt-image-1 stay whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def build_parser() -> argparse.ArgumentParser:
    """The `images` parser: generate, edit, vary, models and mock, each with its own options."""
    parser = argparse.ArgumentParser(
        prog="images",
        description="Generate, edit and vary images with the Images API, or against its built-in emulator.",
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.set_defaults(debug=False, json=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common, api = _common(), _api()

    def command(name: str, summary: str, *parents: argparse.ArgumentParser) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, parents=[common, *parents], help=summary, description=summary, formatter_class=_Formatter
        )

    _generate(command("generate", "Create images from a prompt.", api))
    _edit(command("edit", "Edit or extend images guided by a prompt.", api))
    _vary(command("vary", "Create variations of an image.", api))
    models = command("models", "Print each model's status, what it accepts, and the defaults.")
    _as_of(models)
    models.add_argument("names", nargs="*", metavar="MODEL", help="only these models (default: all current)")
    models.add_argument("--all", action="store_true", help="list retired models too, after the current ones")
    _mock(command("mock", "Serve the emulator of the API over HTTP."))
    from ._batch import register  # `images batch ...`: its own module

    register(commands, common, _Formatter)
    return parser


def _common() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
    parent.add_argument("--debug", action="store_true", help="log requests and show tracebacks")
    return parent


def _api() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--mock", action="store_true", help="use the built-in emulator: no key, no network")
    parent.add_argument("--base-url", help="the API's base URL (default: OPENAI_BASE_URL or the public API)")
    parent.add_argument("-o", "--output-dir", type=Path, default=Path("."), help="where to save (default .)")
    parent.add_argument("--name", help="file name stem of the results (default: from the prompt)")
    _as_of(parent)
    return parent


def _as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="check requests against the API as of this day (default today): models retired by then are "
        "refused; with --mock, the emulator plays that day too",
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _json_object(text: str) -> object:
    try:
        value = json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not JSON; write an object such as '{{\"key\": 1}}'"
        ) from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"{text!r} is not a JSON object")
    return value


def _generate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(P.prompt, help="what to draw")
    _options(parser, "generate")


def _edit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        P.image,
        nargs="+",
        type=image_argument,
        help="the image(s) to edit: paths, or https:// or data: URLs (sent by reference, GPT image models)",
    )
    parser.add_argument("--prompt", required=True, help="what to change")
    parser.add_argument(
        "--mask", type=image_argument, help="a PNG (path or URL) whose transparent pixels mark where to edit"
    )
    parser.add_argument(
        "--markup", type=Path, help="a transparent PNG drawn over the first image to show what to change"
    )
    _options(parser, "edit")


def image_argument(text: str) -> Path | ImageURL:
    """A path, or a URL (`https://`, `http://`, `data:`) to send as an image reference."""
    if text.lower().startswith(URL_PREFIXES):
        return ImageURL(text)
    return Path(text)


URL_PREFIXES = ("https://", "http://", "data:")


def _vary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(P.image, type=Path, help="the image to vary")
    _options(parser, "variation")


def _mock(parser: argparse.ArgumentParser) -> None:
    from ..mock._options import add_options  # the options of `python -m wrapper.mock`, no dependency

    add_options(parser)


def _options(parser: argparse.ArgumentParser, operation: Operation) -> None:
    rows = [row for row in MODELS.values() if row.supports(operation)]
    for param in options(operation):
        text = _first_sentence(param.description)
        note = _model_note(operation) if param.name == MODEL else _note(param.name, rows)
        help_text = f"{text} {note}".strip() if note else text
        if param.kind == "boolean":
            parser.add_argument(
                param.flag, dest=param.name, action="store_true", default=None, help=help_text
            )
            continue
        kinds: dict[str, Callable[[str], object]] = {"integer": int, "number": float, "object": _json_object}
        kind = kinds.get(param.kind, str)
        metavar = "JSON" if param.kind == "object" else param.flag.lstrip("-").upper().replace("-", "_")
        parser.add_argument(param.flag, dest=param.name, type=kind, metavar=metavar, help=help_text)


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def fallback_model(operation: Operation) -> str:
    """The model the command names when --model is not given and the API has no default: the GPT
    default, or for an operation it does not do (variations) the model that did."""
    return GPT_DEFAULT_MODEL if MODELS[GPT_DEFAULT_MODEL].supports(operation) else DEFAULT_MODELS[operation]


def _model_note(operation: Operation) -> str:
    known = ", ".join(name for name, row in MODELS.items() if row.supports(operation))
    default = DEFAULT_MODELS[operation]
    if operation == "generate":
        default += f", or {GPT_DEFAULT_MODEL} when an option only GPT image models take is set"
    return (
        f"One of {known} (see images models for which are retired). Default: "
        f"{fallback_model(operation)}, sent by name; as of a day before {DEFAULTS_UNTIL.isoformat()}, "
        f"{default}."
    )


def _note(param: str, rows: list[ModelCapabilities]) -> str:
    """What the capability table adds: which models take which values (empty for a parameter it has
    no rule for)."""
    rule = rows[0].rule(param) if rows else None
    takers = [row for row in rows if rule is not None and getattr(row, rule.column)]
    if isinstance(rule, Choice):
        values = list(dict.fromkeys(value for row in takers for value in getattr(row, rule.column)))
        text = f"{', '.join(values)} ({_who(takers)})"
        free = [row for row in takers if rule.free_form and getattr(row, rule.free_form)]
        return text + (f"; any WxH on {_who(free)}" if free else "")
    if isinstance(rule, Limit) and not rule.length and takers:
        limits = {getattr(row, rule.column) for row in takers}
        fewer = "; some models take fewer" if len(limits) > 1 else ""
        return f"At most {max(limits)} ({_who(takers)}{fewer})."
    if isinstance(rule, Needs):
        formats = sorted({value for row in takers for value in getattr(row, rule.column)})
        return f"With {rule.other} {' or '.join(formats)} ({_who(takers)})."
    if isinstance(rule, Switch):
        return f"({_who(takers)})"
    return ""


def _who(rows: list[ModelCapabilities]) -> str:
    """Name models compactly: a whole family as `<family> models`, others by name."""
    names: list[str] = []
    for family in dict.fromkeys(row.family for row in MODELS.values()):
        members = [row.name for row in MODELS.values() if row.family == family]
        chosen = [row.name for row in rows if row.family == family]
        names += [f"{family} models"] if chosen == members and len(members) > 1 else chosen
    return ", ".join(names) if names else "no model"
