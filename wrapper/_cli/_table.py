"""`images models`: the capability table, one block per model, readable at any terminal width."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .._capabilities import (
    DEFAULT_MODELS,
    DEFAULTS_UNTIL,
    GPT_DEFAULT_MODEL,
    MODELS,
    OPERATION_LIFECYCLE,
    ModelCapabilities,
)
from .._lifecycle import defaults_apply, status
from .._rule_text import facts

if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table


def capability_table(as_of: date) -> Group:
    """Every model of `MODELS` with its status as of `as_of` and what it accepts ("(default)" after a
    default), then the defaults and the retired operations."""
    from rich.console import Group
    from rich.text import Text

    return Group(*(_block(row, as_of) for row in MODELS.values()), Text(defaults_note(as_of)))


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


def _block(row: ModelCapabilities, as_of: date) -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(row.name, ", ".join(op for op in ("generate", "edit", "variation") if row.supports(op)))
    grid.add_row("  status", f"{status(row.lifecycle, as_of)} as of {as_of.isoformat()}")
    for label, value in _facts(row):
        if value:
            grid.add_row(f"  {label}", value)
    return grid


def _facts(row: ModelCapabilities) -> list[tuple[str, str]]:
    return facts(row)
