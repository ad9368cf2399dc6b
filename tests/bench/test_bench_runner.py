"""Bench: a table declared as data runs, writes results.csv / summary.md, and reruns skip finished fits."""

from __future__ import annotations

import csv

import pytest

from inrkit.bench.runner import plan, run_table
from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.registry import TABLES

SMALL = {"field.hidden_features": 8, "field.hidden_layers": 1, "trainer.steps": 3, "trainer.eval_every": 3}


@pytest.fixture
def tiny_table(tiny_png):
    name = "test-tiny-table"
    if name not in TABLES:
        register_table(TableSpec(
            name=name, description="test table",
            rows=(Row("SIREN", "siren-image", SMALL, paper={"psnr": 30.0}), Row("FINER", "finer-image", SMALL)),
            signals={"quick": (str(tiny_png),), "paper": (str(tiny_png),)},
            metrics=("psnr", "ssim", "params", "wall_s")))
    return name


def test_bench_writes_results_and_skips_finished(tiny_table, tmp_path):
    out = tmp_path / "bench"
    rows = run_table(tiny_table, "quick", out, seeds=2, device="cpu", progress=False)
    assert len(rows) == 4
    with open(out / "results.csv") as f:
        table = list(csv.DictReader(f))
    assert {r["row"] for r in table} == {"SIREN", "FINER"} and {r["seed"] for r in table} == {"0", "1"}
    for col in ("table", "row", "signal", "seed", "scale", "psnr", "ssim", "params", "wall_s"):
        assert col in table[0]
    summary = (out / "summary.md").read_text()
    assert "| SIREN |" in summary and "psnr (paper)" in summary and "30.00" in summary

    metrics_files = sorted((out / "runs").rglob("metrics.json"))
    stamps = {p: p.stat().st_mtime_ns for p in metrics_files}
    (metrics_files[0].parent / "metrics.json").unlink()  # one fit "lost": only it reruns
    run_table(tiny_table, "quick", out, seeds=2, device="cpu", progress=False)
    changed = [p for p in metrics_files if p.stat().st_mtime_ns != stamps[p]]
    assert changed == [metrics_files[0]]


def test_registered_tables_plan_over_existing_recipes(tmp_path):
    from inrkit.registry import RECIPES

    for name in TABLES.names():
        table = TABLES.get(name)
        for scale in ("quick", "paper"):
            jobs = plan(table, scale, None, tmp_path)
            assert jobs
            assert all(j.row.recipe in RECIPES for j in jobs)


def test_rows_filter(tiny_table, tmp_path):
    from inrkit.errors import InputError

    table = TABLES.get(tiny_table)
    assert {j.row.label for j in plan(table, "quick", 1, tmp_path, rows=("FINER",))} == {"FINER"}
    with pytest.raises(InputError, match="unknown row"):
        plan(table, "quick", 1, tmp_path, rows=("nope",))


def test_cli_signals_runs_the_first_n_signals(tmp_path, capsys):
    from inrkit.cli import main

    out = tmp_path / "b"
    assert main(["bench", "sasnet-table1", "--signals", "0", "--out", str(out)]) == 2
    assert "--signals must be >= 1" in capsys.readouterr().err
    table = TABLES.get("sasnet-table1")
    jobs = plan(table, "medium", 1, tmp_path, rows=("SIREN",), n_signals=2)
    assert [j.signal for j in jobs] == list(table.signals["medium"][:2])


def test_time_to_quality_follows_psnr_in_tables_led_by_psnr_peak():
    # scone-image leads with psnr_peak; its evaluation curve is PSNR, so time to 25/30/35 dB is recorded
    table = TABLES.get("scone-image")
    assert table.metrics[0] == "psnr_peak"
    assert table.quality_metric == "psnr" and table.quality_levels == (25.0, 30.0, 35.0)
    assert TABLES.get("msa-image").quality_metric == "psnr"
