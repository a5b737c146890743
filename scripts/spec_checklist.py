"""What openapi.yaml has that the hand-written parts do not: printed by `make generate` after it has
regenerated the code, a short checklist of what else to touch (CONTRIBUTING.md, "The loop").

- an enum value of a parameter with a per-model rule that no row of the capability table offers
  (a new `output_format` no model takes yet: add it to the rows that offer it);
- a request parameter without a rule in `PARAM_RULES` that is not a file and not known to be taken by
  every model as the schema says (SCHEMA_ONLY below): a rule, or an entry in SCHEMA_ONLY;
- what tests/test_drift.py finds: a model without a row, a response or event field the result types
  do not expose.

It checks the tree it belongs to (this file's project, not the installed package) and never fails:
the tests fail where a hand-written part is wrong; this says where to look.

    python scripts/spec_checklist.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "generated"), str(ROOT / "tests")]

from test_drift import drift  # noqa: E402

from wrapper._capabilities import FILE_COLUMNS, MODELS, PARAM_RULES, Choice  # noqa: E402
from wrapper._spec import OPERATIONS, P  # noqa: E402

# Parameters every model of the table takes as the schema says: no per-model rule is needed.
SCHEMA_ONLY = frozenset({P.model, P.user, P.safety_identifier, P.complexity})


def unoffered_values() -> list[str]:
    """Enum values of a parameter ruled by a Choice column that no row offers."""
    lines = []
    for name, rule in PARAM_RULES.items():
        if not isinstance(rule, Choice):
            continue
        offered = {value for row in MODELS.values() for value in getattr(row, rule.column)}
        params = [spec.params[name] for spec in OPERATIONS.values() if name in spec.params]
        spec_values = {value for param in params for value in param.enum or ()}
        lines += [
            f"{name} {value!r}: no row of MODELS offers it (column {rule.column}, wrapper/_capabilities.py)"
            for value in sorted(spec_values - offered)
        ]
    return lines


def unruled_parameters() -> list[str]:
    """Request parameters that have no rule, are not files and are not known to be schema-only."""
    lines = []
    for operation, spec in OPERATIONS.items():
        for name in spec.params:
            if name in PARAM_RULES or name in SCHEMA_ONLY or (operation, name) in FILE_COLUMNS:
                continue
            lines.append(
                f"{operation} parameter {name!r}: no rule in PARAM_RULES; every model takes it as the "
                "schema says? then add it to SCHEMA_ONLY (scripts/spec_checklist.py)"
            )
    return lines


def checklist() -> list[str]:
    return [*unoffered_values(), *unruled_parameters(), *drift(ROOT / "openapi.yaml")]


def main() -> int:
    items = checklist()
    if not items:
        print("spec checklist: the hand-written parts know everything openapi.yaml has.")
        return 0
    print(f"spec checklist: {len(items)} thing(s) openapi.yaml has that the hand-written parts do not:")
    for item in items:
        print(f"  - {item}")
    print("  (CONTRIBUTING.md, 'Adding a parameter': where each goes; make test checks the rest)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
