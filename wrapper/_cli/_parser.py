"""The `images` command line: subcommands and options, with help text read from the capability table.

No model is named here: which values exist, which models take them and the defaults all come from
`MODELS` / `DEFAULT_MODELS`, so a new row of the table shows up in `images <command> --help`.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path

from .._capabilities import DEFAULT_MODELS, GPT_DEFAULT_MODEL, MODELS, ModelCapabilities, Operation

Column = Callable[[ModelCapabilities], Iterable[str]]

# Each API parameter the CLI sets, with its flag and the table column listing its values.
OPTIONS: dict[str, tuple[str, Column | None]] = {
    "size": ("--size", lambda row: row.sizes),
    "n": ("--n", None),
    "quality": ("--quality", lambda row: row.qualities),
    "style": ("--style", lambda row: row.styles),
    "background": ("--background", lambda row: row.backgrounds),
    "output_format": ("--format", lambda row: row.output_formats),
    "output_compression": ("--compression", None),
    "moderation": ("--moderation", lambda row: row.moderations),
    "input_fidelity": ("--input-fidelity", lambda row: row.input_fidelities),
}
PARAMS: dict[Operation, tuple[str, ...]] = {
    "generate": (
        "size", "n", "quality", "style", "background", "output_format", "output_compression", "moderation",
    ),
    "edit": ("size", "n", "quality", "background", "output_format", "output_compression", "input_fidelity"),
    "variation": ("size", "n"),
}  # fmt: skip
FLAGS = {param: flag for param, (flag, _) in OPTIONS.items()} | {
    "model": "--model",
    "prompt": "--prompt",
    "image": "IMAGE",
    "mask": "--mask",
    "partial_images": "--partial-images",
}
"""The flag of each API parameter, for error messages."""
DEFAULT_PARTIALS = 2
EPILOG = "Every model, its values and defaults: images models. Without an API key: add --mock."


class UsageError(Exception):
    """Options that parse one by one but do not go together."""


def check(args: argparse.Namespace) -> None:
    """Refuse what argparse cannot: `--partial-images` only means something in a stream."""
    if getattr(args, "partial_images", None) is not None and not args.stream:
        raise UsageError("--partial-images needs --stream: partial images are only sent in a stream")


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
    command("models", "Print what each model accepts, and the defaults.")
    _mock(command("mock", "Serve the emulator of the API over HTTP."))
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
    return parent


def _generate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help="what to draw")
    _model(parser, "generate")
    _options(parser, "generate")
    _streaming(parser)


def _edit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", nargs="+", type=Path, help="the image(s) to edit")
    parser.add_argument("--prompt", required=True, help="what to change")
    parser.add_argument("--mask", type=Path, help="a PNG whose transparent pixels mark where to edit")
    _model(parser, "edit")
    _options(parser, "edit")
    _streaming(parser)


def _vary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", type=Path, help="the image to vary")
    _model(parser, "variation")
    _options(parser, "variation")


def _mock(parser: argparse.ArgumentParser) -> None:
    from ..mock._options import add_options  # the options of `python -m wrapper.mock`, no dependency

    add_options(parser)


def _model(parser: argparse.ArgumentParser, operation: Operation) -> None:
    known = ", ".join(name for name, row in MODELS.items() if row.supports(operation))
    default = DEFAULT_MODELS[operation]
    if operation == "generate":
        default += f", or {GPT_DEFAULT_MODEL} when an option only GPT image models take is set"
    parser.add_argument("--model", help=f"one of {known} (default {default})")


def _options(parser: argparse.ArgumentParser, operation: Operation) -> None:
    rows = [row for row in MODELS.values() if row.supports(operation)]
    for param in PARAMS[operation]:
        flag, column = OPTIONS[param]
        kind = int if column is None else str
        metavar = flag.lstrip("-").upper().replace("-", "_")
        parser.add_argument(flag, dest=param, type=kind, metavar=metavar, help=_help(param, rows))


def _streaming(parser: argparse.ArgumentParser) -> None:
    rows = [row for row in MODELS.values() if row.streams]
    most = max(row.max_partial_images or 0 for row in rows)
    parser.add_argument(
        "--stream", action="store_true", help=f"stream live progress and save partial images ({_who(rows)})"
    )
    parser.add_argument(
        "--partial-images",
        type=int,
        default=None,
        metavar="K",
        help=f"partial images per result, 0 to {most} (default {DEFAULT_PARTIALS}); needs --stream",
    )


def _help(param: str, rows: list[ModelCapabilities]) -> str:
    if param == "n":
        return f"how many images (1 to {max(row.max_n for row in rows)}; some models take fewer)"
    if param == "output_compression":
        takers = [row for row in rows if row.compression_formats]
        formats = sorted({fmt for row in takers for fmt in row.compression_formats})
        return f"0-100, for {' and '.join(formats)} output ({_who(takers)})"
    column = OPTIONS[param][1]
    assert column is not None
    takers = [row for row in rows if tuple(column(row))]
    values = list(dict.fromkeys(value for row in takers for value in column(row)))
    text = f"{', '.join(values)} ({_who(takers)})"
    if param == "size" and any(row.custom_sizes for row in takers):
        text += f"; any WxH on {_who([row for row in takers if row.custom_sizes])}"
    return text


def _who(rows: list[ModelCapabilities]) -> str:
    """Name models compactly: a whole family as `<family> models`, others by name."""
    names: list[str] = []
    for family in dict.fromkeys(row.family for row in MODELS.values()):
        members = [row.name for row in MODELS.values() if row.family == family]
        chosen = [row.name for row in rows if row.family == family]
        names += [f"{family} models"] if chosen == members and len(members) > 1 else chosen
    return ", ".join(names) if names else "no model"
