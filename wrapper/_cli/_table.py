"""`images models`: the capability table, one block per model, readable at any terminal width."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._capabilities import DEFAULT_MODELS, GPT_DEFAULT_MODEL, MODELS, FileRule, ModelCapabilities

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
    sizes = _values(row.sizes, row.default_size)
    if row.custom_sizes is not None:
        rule = row.custom_sizes
        sizes += (
            f"; any WxH in multiples of {rule.multiple_of}, edges up to {rule.max_edge}, "
            f"ratio at most {rule.max_aspect:g}:1, at most {rule.max_pixels} pixels "
            f"(above {rule.experimental_above_pixels} experimental)"
        )
    stream = f"yes, 0 to {row.max_partial_images} partial images" if row.streams else ""
    return [
        ("size", sizes),
        ("quality", _values(row.qualities, row.default_quality)),
        ("n", f"1 to {row.max_n}"),
        ("prompt", f"up to {row.max_prompt_chars} characters"),
        ("style", _values(row.styles)),
        ("format", _values(row.output_formats)),
        ("response_format", _values(row.response_formats)),
        ("background", _values(row.backgrounds)),
        ("moderation", _values(row.moderations)),
        ("input_fidelity", _values(row.input_fidelities)),
        ("stream", stream),
        ("transparency", _values(row.transparent_formats)),
        ("compression", f"0-100 for {_values(row.compression_formats)}" if row.compression_formats else ""),
        *((label, _files(rule)) for label, rule in _file_rules(row) if rule is not None),
        ("revised prompt", "yes, the prompt is rewritten and returned" if row.revises_prompt else ""),
    ]


def _file_rules(row: ModelCapabilities) -> list[tuple[str, FileRule | None]]:
    return [("edit images", row.edit_images), ("mask", row.mask), ("variation image", row.variation_image)]


def _files(rule: FileRule) -> str:
    count = "1 file" if rule.max_count == 1 else f"up to {rule.max_count} files"
    each = " each" if rule.max_count > 1 else ""
    square = ", square" if rule.square else ""
    return f"{count}: {', '.join(rule.formats)}, under {rule.max_bytes // 2**20} MB{each}{square}"


def _values(values: tuple[str, ...], default: str | None = None) -> str:
    return ", ".join(f"{value} (default)" if value == default else value for value in values)
