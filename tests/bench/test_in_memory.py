"""Bench keeps results in memory: executors return RunResults, nothing re-reads what a fit just
returned, ``--set`` is parsed once, and ``import inrkit`` alone registers the tables."""

from __future__ import annotations

import subprocess
import sys

import pytest

import inrkit.analysis.convergence as convergence
import inrkit.bench.executors as executors
import inrkit.bench.runner as runner
import inrkit.config as config
from inrkit.bench.runner import parse_sets, run_table
from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.errors import InputError
from inrkit.registry import TABLES

SMALL = {"field.hidden_features": 8, "field.hidden_layers": 1, "trainer.steps": 4, "trainer.eval_every": 2}


def table(source: str) -> str:
    name = "in-memory"
    if name not in TABLES:
        register_table(TableSpec(name=name, description="t", quality=(5.0, 99.0),
                                 rows=(Row("SIREN", "siren-image", SMALL), Row("FINER", "finer-image", SMALL)),
                                 signals={"quick": (source,), "paper": (source,)}))
    return name


def _no_reading(*args, **kwargs):
    raise AssertionError("a fit's outputs were read back from disk")


@pytest.mark.parametrize("ensemble", [0, 2])
def test_fresh_fits_are_not_read_back_and_a_rerun_reads_the_same_rows(tiny_png, tmp_path, monkeypatch, ensemble):
    name, out = table(str(tiny_png)), tmp_path / "b"
    with monkeypatch.context() as m:
        m.setattr(executors, "read_json", _no_reading)
        m.setattr(convergence, "read_history", _no_reading)
        rows = run_table(name, "quick", out, seeds=2, device="cpu", progress=False, ensemble=ensemble)
    assert len(rows) == 4 and all("error" not in r for r in rows)
    assert all(r["steps_to_psnr_5"] == 1.0 for r in rows)  # evaluated every step (MIN_EVALS)
    first = (out / "results.csv").read_text()
    again = run_table(name, "quick", out, seeds=2, device="cpu", progress=False)  # all skipped: read from disk
    assert (out / "results.csv").read_text() == first
    assert [r["psnr"] for r in again] == [r["psnr"] for r in rows]


def test_set_values_are_parsed_once_per_bench(tiny_png, tmp_path, monkeypatch):
    calls = []
    real = config.parse_value

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(config, "parse_value", counting)
    monkeypatch.setattr(runner, "parse_value", counting)
    rows = run_table(table(str(tiny_png)), "quick", tmp_path / "b", seeds=2, device="cpu", progress=False,
                     extra=("trainer.steps=3",))
    assert len(rows) == 4 and all(r["steps"] == 3 for r in rows)
    assert calls.count("3") == 1  # (the device is set per job, as data)


def test_parse_sets_keeps_text_as_the_cli_reads_it():
    assert parse_sets(("trainer.steps=3", 'task.name="7"', "field.type=siren", "a.b=[1, 2]")) == (
        ("trainer.steps", 3), ("task.name", '"7"'), ("field.type", "siren"), ("a.b", [1, 2]))
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_sets(("novalue",))


def test_import_inrkit_registers_the_bench_tables():
    code = ("import inrkit; from inrkit.registry import TABLES; names = sorted(TABLES.names()); "
            "import inrkit.bench; print(len(names), names == sorted(TABLES.names()))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    count, same = res.stdout.split()
    assert int(count) > 0 and same == "True"
