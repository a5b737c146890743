"""`images models`: the capability table, one block per model, readable at any terminal width."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._capabilities import DEFAULT_MODELS, GPT_DEFAULT_MODEL, MODELS, ModelCapabilities
from .._rule_text import facts

if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table


def capability_table() -> Group:
    """Every model of `MODELS` with what it accepts ("(default)" after a default), then the defaults."""
    from rich.console import Group
    from rich.text import Text

    defaults = ", ".join(f"{operation} {model}" for operation, model in DEFAULT_MODELS.items())
    note = (
        f"Models used when none is given: {defaults}; a generation with an option only GPT image models "
        f"take uses {GPT_DEFAULT_MODEL}."
    )
    return Group(*(_block(row) for row in MODELS.values()), Text(note))


def _block(row: ModelCapabilities) -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(row.name, ", ".join(op for op in ("generate", "edit", "variation") if row.supports(op)))
    for label, value in _facts(row):
        if value:
            grid.add_row(f"  {label}", value)
    return grid


def _facts(row: ModelCapabilities) -> list[tuple[str, str]]:
    return facts(row)
