"""Draw the benchmark table as bar charts: one panel per measurement, the three peers side by side,
the wrapper's bar marked; written as a PNG that docs/benchmarks.md shows.

    python scripts/bench_plots.py [TABLE.md] [-o docs/img/benchmarks.png]

TABLE.md is a page holding the table `scripts/bench.py` prints (default: docs/benchmarks.md, the run
of record; `make bench` passes the run it has just made). Needs matplotlib (the `bench` extra).
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "benchmarks.md"
IMAGE = ROOT / "docs" / "img" / "benchmarks.png"
COLOURS = ("#9aa5b1", "#c8a26b", "#2f6db5")
_BETTER = re.compile(r"\s*\((lower|higher) is better\)\s*$")


@dataclass(frozen=True)
class Measurement:
    name: str
    unit: str
    values: tuple[float, float, float]  # in the order of the table's peers
    better: str  # "lower" or "higher"


def read_table(text: str) -> tuple[tuple[str, ...], list[Measurement]]:
    """The peers (from the header) and the rows of the first table in `text` whose header starts
    `| measurement | unit |` (the table `scripts/bench.py` prints); other tables are not read."""
    peers: tuple[str, ...] = ()
    rows: list[Measurement] = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|"):
            if rows:
                break  # the end of the table
            continue
        if cells[:2] == ["measurement", "unit"] and not peers:
            peers = tuple(cells[2:5])
            continue
        if not peers or set(cells[0]) <= {"-"}:
            continue
        found = _BETTER.search(cells[0])
        better = found.group(1) if found else "lower"
        values = (float(cells[2]), float(cells[3]), float(cells[4]))
        rows.append(Measurement(_BETTER.sub("", cells[0]), cells[1], values, better))
    return peers, rows


def draw(peers: tuple[str, ...], rows: list[Measurement], path: Path) -> Path:
    """One horizontal bar chart per measurement, in a grid, saved as a PNG at `path`."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display, no GUI toolkit
    import matplotlib.pyplot as plt

    columns = 2
    lines = -(-len(rows) // columns)
    figure, axes = plt.subplots(lines, columns, figsize=(11, 1.8 * lines + 0.6), squeeze=False)
    for axis, row in zip(axes.flat, rows, strict=False):
        bars = axis.barh(peers, row.values, color=COLOURS)
        axis.bar_label(bars, labels=[f"{value:g}" for value in row.values], padding=3, fontsize=8)
        axis.invert_yaxis()
        title = textwrap.fill(f"{row.name} ({row.unit}, {row.better} is better)", 62)
        axis.set_title(title, fontsize=8.5, loc="left")
        axis.set_xlim(0, max(row.values) * 1.25)
        axis.tick_params(labelsize=8)
        axis.spines[["top", "right"]].set_visible(False)
    for axis in list(axes.flat)[len(rows) :]:
        axis.set_visible(False)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, metadata={"Software": None})  # no version stamp: reruns compare equal
    plt.close(figure)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("table", nargs="?", type=Path, default=PAGE)
    parser.add_argument("-o", "--output", type=Path, default=IMAGE)
    args = parser.parse_args(argv)
    peers, rows = read_table(args.table.read_text())
    if not rows:
        print(f"{args.table}: no benchmark table found", file=sys.stderr)
        return 1
    print(draw(peers, rows, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
