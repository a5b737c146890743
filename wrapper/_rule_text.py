"""The capability table in words: one phrase per rule of a row, for `images models` and docs/models.md.

Walks `PARAM_RULES`, `PAIRED_RULES` and `FILE_COLUMNS`, so a rule added to the table is shown
everywhere without naming its parameter here.
"""

from __future__ import annotations

from collections.abc import Callable

from ._capabilities import (
    DEFAULT_COLUMNS,
    FILE_COLUMNS,
    PAIRED_RULES,
    PARAM_RULES,
    Choice,
    FileRule,
    Lifecycle,
    Limit,
    ModelCapabilities,
    Needs,
    SizeRule,
    Switch,
)

Mark = Callable[[str], str]


def plain_default(value: str) -> str:
    return f"{value} (default)"


def rule_text(row: ModelCapabilities, param: str, mark: Mark = plain_default) -> str:
    """What `row` accepts for `param`, in words; empty when the model does not take it."""
    rule = PARAM_RULES[param]
    column = getattr(row, rule.column)
    if isinstance(rule, Choice):
        default = getattr(row, DEFAULT_COLUMNS[param]) if param in DEFAULT_COLUMNS else None
        text = ", ".join(mark(value) if value == default else value for value in column)
        free: SizeRule | None = getattr(row, rule.free_form) if rule.free_form else None
        return text + (f"; or {size_rule_text(free)}" if free is not None else "")
    if isinstance(rule, Limit):
        if column is None:
            return ""
        return f"up to {column} characters" if rule.length else f"up to {column}"
    if isinstance(rule, Switch):
        return "yes" if column else ""
    return _needs_text(rule, column)


def _needs_text(rule: Needs, column: tuple[str, ...]) -> str:
    if not column:
        return ""
    return f"with {rule.other} {' or '.join(column)}"


def size_rule_text(rule: SizeRule) -> str:
    """A free-form size rule in words (the validation message says the same)."""
    return (
        f"WIDTHxHEIGHT with both sides multiples of {rule.multiple_of}, an aspect ratio within "
        f"1:{rule.max_aspect:g} to {rule.max_aspect:g}:1, a longest side of at most {rule.max_edge} "
        f"and at most {rule.max_pixels} pixels (above {rule.experimental_above_pixels} experimental)"
    )


def file_text(rule: FileRule) -> str:
    count = "1 file" if rule.max_count == 1 else f"up to {rule.max_count} files"
    each = " each" if rule.max_count > 1 else ""
    square = ", square" if rule.square else ""
    same = f", the size of the first {rule.same_size_as}" if rule.same_size_as else ""
    alpha = ", with transparent pixels" if rule.needs_alpha else ""
    return (
        f"{count}: {', '.join(rule.formats)}, under {rule.max_bytes // 2**20} MB{each}{square}{same}{alpha}"
    )


def lifecycle_text(cycle: Lifecycle) -> str:
    """A model's dates in words, the same whatever the day: `available from 2026-09-08`,
    `retired on 2026-05-12 (use a GPT image model)`; empty when the documents give no date."""
    words = []
    if cycle.available_from is not None:
        words.append(f"available from {cycle.available_from.isoformat()}")
    if cycle.deprecated_on is not None:
        words.append(f"deprecated on {cycle.deprecated_on.isoformat()}")
    if cycle.retired_on is not None:
        words.append(f"retired on {cycle.retired_on.isoformat()} (use {' or '.join(cycle.replacements)})")
    return "; ".join(words)


def facts(row: ModelCapabilities, mark: Mark = plain_default) -> list[tuple[str, str]]:
    """Every rule of `row` as (label, words); a rule the model does not take has empty words."""
    out = [(param, rule_text(row, param, mark)) for param in PARAM_RULES]
    for param, rule in PAIRED_RULES.items():
        needed: tuple[str, ...] = getattr(row, rule.column)
        text = f"{rule.value} needs {rule.other} {' or '.join(needed)}" if needed else ""
        out.append((f"{param} {rule.value}", text))
    for (operation, param), column in FILE_COLUMNS.items():
        file_rule: FileRule | None = getattr(row, column)
        out.append((f"{operation} {param}", file_text(file_rule) if file_rule else ""))
    out.append(("revised prompt", "yes, the prompt is rewritten and returned" if row.revises_prompt else ""))
    return out
