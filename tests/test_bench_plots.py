"""`make bench` draws its table: scripts/bench_plots.py reads the table scripts/bench.py prints (the
one of record is in docs/benchmarks.md) and writes the PNG that page shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_plots  # noqa: E402

sys.path.remove(str(ROOT / "scripts"))

TABLE = """Measured today.

| measurement | unit | httpx2 | openai SDK | wrapper | wrapper / httpx2 | wrapper / SDK |
|---|---|---|---|---|---|---|
| generate, sequential (median of 5) (lower is better) | µs/call | 500.0 | 1000.0 | 510.0 | 1.02x | 0.51x |
| stream of events (higher is better) | MB/s | 200.0 | 80.0 | 190.0 | 0.95x | 2.38x |

| measurement | unit | emulator | Prism | ratio |
|---|---|---|---|---|
| another table | ms | 1.0 | 2.0 | 3.0 |
"""


def test_the_table_is_read_with_its_peers_and_nothing_after_it() -> None:
    peers, rows = bench_plots.read_table(TABLE)
    assert peers == ("httpx2", "openai SDK", "wrapper")
    assert [(row.name, row.unit, row.values, row.better) for row in rows] == [
        ("generate, sequential (median of 5)", "µs/call", (500.0, 1000.0, 510.0), "lower"),
        ("stream of events", "MB/s", (200.0, 80.0, 190.0), "higher"),
    ]


def test_the_page_of_record_has_a_table_and_shows_its_plot() -> None:
    page = bench_plots.PAGE.read_text()
    _, rows = bench_plots.read_table(page)
    assert len(rows) >= 8
    assert "](img/benchmarks.png)" in page
    assert bench_plots.IMAGE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_plot_is_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the bench extra draws the plots")
    peers, rows = bench_plots.read_table(TABLE)
    path = bench_plots.draw(peers, rows, tmp_path / "plot.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
