"""`images models`: the capability table, one block per model, readable at any terminal width, each
line as long as its words (no padding: what it prints can be copied or diffed)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from .._capabilities import (
    DEFAULT_MODELS,
    DEFAULTS_UNTIL,
    GPT_DEFAULT_MODEL,
    OPERATION_LIFECYCLE,
    ModelCapabilities,
)
from .._lifecycle import defaults_apply, status
from .._rule_text import facts

if TYPE_CHECKING:
    from rich.text import Text

INDENT = 2


def capability_lines(
    rows: Iterable[ModelCapabilities], as_of: date, width: int, *, retired_hidden: int = 0
) -> list[Text]:
    """The blocks of `rows` as lines of at most `width` characters (a value wraps under itself), then
    the defaults, and how many retired models are not shown."""
    from rich.text import Text

    lines: list[Text] = []
    for row in rows:
        operations = ", ".join(op for op in ("generate", "edit", "variation") if row.supports(op))
        lines.append(Text.assemble((row.name, "bold"), f"  {operations}"))
        pairs = [("status", f"{status(row.lifecycle, as_of)} as of {as_of.isoformat()}")]
        pairs += [(label, value) for label, value in facts(row) if value]
        column = max(len(label) for label, _ in pairs) + INDENT * 2
        for label, value in pairs:
            head = f"{' ' * INDENT}{label}".ljust(column)
            wrapped = textwrap.wrap(value, max(width - column, 20), break_on_hyphens=False) or [""]
            lines += [Text((head if i == 0 else " " * column) + part) for i, part in enumerate(wrapped)]
    hidden = f" Not shown: {retired_hidden} retired model(s) (images models --all)." if retired_hidden else ""
    note = defaults_note(as_of) + hidden
    lines += [Text(part) for part in textwrap.wrap(note, width, break_on_hyphens=False)]
    return lines


def defaults_note(as_of: date) -> str:
    """What happens without a model, and which operations are retired, as of `as_of`."""
    operations = " ".join(
        f"The {operation} endpoint: {status(cycle, as_of)}."
        for operation, cycle in OPERATION_LIFECYCLE.items()
    )
    if not defaults_apply(as_of):
        return (
            f"As of {as_of.isoformat()} the API names no default model (none since"
            f" {DEFAULTS_UNTIL.isoformat()}): name one; images commands send"
            f" {GPT_DEFAULT_MODEL} when --model is not given. {operations}"
        )
    defaults = ", ".join(f"{operation} {model}" for operation, model in DEFAULT_MODELS.items())
    return (
        f"As of {as_of.isoformat()}, models used when none is given: {defaults}; a generation with an option"
        f" only GPT image models take uses {GPT_DEFAULT_MODEL}. {operations}"
    )
