"""Compare openapi.yaml with the official API description and the official `openai` package.

    python scripts/api_drift.py --openapi FILE [--openapi FILE ...] [--skip-sdk] [--json]
    python scripts/api_drift.py --skip-openapi            # the installed `openai` package only
    make drift OPENAPI=FILE                               # (default: ../shared/reference's extracts)

For the operations of openapi.yaml (and any image operation upstream has that we lack) it lists each
difference in request parameters, answer and event fields, enum values, bounds, required, nullable,
models and what is deprecated, with a verdict: behind, ahead, deviation (on record in openapi.yaml's
`x-deviations`, with its reason) or conflict (on record with other values). Its first lines give
what openapi.yaml was reconciled with (`x-reconciled-with`) and what it is compared with now, and
warn when the description given is not the one on record. Exit 0 when every difference is on record,
1 when any is not or a record is stale (listing them), 2 when an input cannot be read (naming it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from drift import _openapi, _sdk
from drift._compare import UNREVIEWED, Difference, Record, differences, judged, stale
from drift._facts import Facts, Surface

ROOT = Path(__file__).resolve().parent.parent


class Unreadable(Exception):
    """An input that cannot be read: exit 2, naming it."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        spec = _read(args.spec)
        report = run(spec, args.openapi or [], skip_sdk=args.skip_sdk)
    except Unreadable as exc:
        print(f"api_drift: cannot read {exc}", file=sys.stderr)
        return 2
    for entry in report["inputs"]:
        if "openapi" in entry and not entry["on_record"]:
            print(f"api_drift: warning: {entry['openapi']} is not the description on record", file=sys.stderr)
    print(json.dumps(report, indent=2) if args.json else "\n".join(text_lines(report)))
    return 1 if report["unreviewed"] or report["stale"] else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml", help="our spec (openapi.yaml)")
    parser.add_argument("--openapi", type=Path, action="append", help="an official description (repeatable)")
    parser.add_argument("--skip-openapi", action="store_true", help="compare with no description")
    parser.add_argument("--skip-sdk", action="store_true", help="do not compare with the openai package")
    parser.add_argument("--json", action="store_true", help="print the report as a JSON document")
    return parser


def _read(path: Path) -> Mapping[str, Any]:
    try:
        return _openapi.load(path)
    except (OSError, ValueError) as exc:
        raise Unreadable(f"{path}: {exc}") from exc


def run(spec: Mapping[str, Any], descriptions: list[Path], *, skip_sdk: bool) -> dict[str, Any]:
    """The whole report as plain data: provenance, inputs, judged differences, stale records."""
    record = spec.get("x-reconciled-with") or {}
    ours = our_surface(spec)
    upstreams, inputs = [], []
    if descriptions:
        upstreams.append(_description(descriptions, list(_operation_ids(spec)), inputs, record))
    if not skip_sdk:
        upstreams.append(_package(inputs, record))
    records = [Record.from_entry(entry) for entry in spec.get("x-deviations") or ()]
    found = [item for upstream in upstreams for item in differences(ours, upstream)]
    judged_items, unused = judged(found, records)
    left = stale(unused, upstreams)
    return {
        "reconciled_with": record,
        "inputs": inputs,
        "differences": [item.as_json() for item in judged_items],
        "stale": [{"where": list(r.where), "change": r.change, "against": r.against} for r in left],
        "unreviewed": sum(item.verdict in UNREVIEWED for item in judged_items),
    }


def our_surface(spec: Mapping[str, Any]) -> Surface:
    """openapi.yaml's operations, and what the capability table says of models and endpoints."""
    from wrapper._capabilities import MODELS, OPERATION_LIFECYCLE

    places = _openapi.surface_places([spec], _operation_ids(spec))
    for name, row in MODELS.items():
        dated = row.lifecycle.retired_on is not None or row.lifecycle.deprecated_on is not None
        places[f"model {name}"] = Facts(kind="model", deprecated=dated)
    for operation_id, operation in _operation_ids(spec).items():
        cycle = OPERATION_LIFECYCLE.get(operation)
        if cycle is not None and (cycle.retired_on or cycle.deprecated_on):
            places[operation_id] = Facts(kind="operation", deprecated=True)
    return Surface("ours", places)


def _operation_ids(spec: Mapping[str, Any]) -> dict[str, str]:
    """Every operationId of the spec, with its wrapper operation (`generate`) or ''."""
    found = _openapi.operations([spec])
    return {name: str((op.body.get("x-wrapper") or {}).get("operation", "")) for name, op in found.items()}


def _description(
    paths: list[Path], wanted: list[str], inputs: list[dict[str, Any]], record: Mapping[str, Any]
) -> Surface:
    known = {entry.get("sha256") for entry in record.get("openapi") or ()}
    documents = []
    for path in paths:
        documents.append(_read(path))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        inputs.append({"openapi": str(path), "sha256": digest, "on_record": digest in known})
    places = _openapi.surface_places(documents, wanted)
    digests = ", ".join(entry["sha256"][:12] for entry in inputs if "openapi" in entry)
    return Surface("openapi", places, version=digests)


def _package(inputs: list[dict[str, Any]], record: Mapping[str, Any]) -> Surface:
    try:
        surface = _sdk.read()
    except ImportError as exc:
        raise Unreadable(f"the openai package: {exc}") from exc
    except (AttributeError, TypeError, ValueError) as exc:
        raise Unreadable(f"the openai package's image types: {exc!r}") from exc
    recorded = (record.get("sdk") or {}).get("versions") or []
    version = surface.version.removeprefix("openai ")
    inputs.append({"sdk": surface.version, "on_record": version in recorded})
    return surface


def text_lines(report: Mapping[str, Any]) -> Iterator[str]:
    """The report as text: provenance first, then each difference, then a summary."""
    yield from provenance(report)
    items = [Difference(**item) for item in report["differences"]]
    for item in sorted(items, key=lambda item: (item.verdict in UNREVIEWED, item.against, item.where)):
        yield item.line()
    for entry in report["stale"]:
        where = ", ".join(entry["where"])
        yield f"stale     {entry['against']:<7} {where}: {entry['change']} (on record, no longer seen)"
    counts = {
        verdict: sum(item.verdict == verdict for item in items) for verdict in ("deviation", *UNREVIEWED)
    }
    summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    yield f"{len(items)} differences: {summary}; {len(report['stale'])} stale records"
    if report["unreviewed"] or report["stale"]:
        yield "unreviewed: absorb each difference or record it in x-deviations (docs/api-changes.md)"


def provenance(report: Mapping[str, Any]) -> Iterator[str]:
    record = report["reconciled_with"]
    for entry in record.get("openapi") or ():
        yield f"reconciled with: {entry.get('file')} of {entry.get('date')} (sha256 {entry.get('sha256')})"
    sdk = record.get("sdk") or {}
    if sdk:
        yield f"reconciled with: openai {', '.join(map(str, sdk.get('versions') or ()))}"
    for entry in report["inputs"]:
        if "openapi" in entry:
            note = "on record" if entry["on_record"] else "WARNING: not the description on record"
            yield f"compared with:   {entry['openapi']} (sha256 {entry['sha256']}; {note})"
        else:
            note = "on record" if entry["on_record"] else "a version not on record"
            yield f"compared with:   {entry['sdk']} ({note})"


if __name__ == "__main__":
    sys.exit(main())
