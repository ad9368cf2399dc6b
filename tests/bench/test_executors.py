"""Executors: atomic fit directories, kill-and-rerun, process pool, Ray and ensembles agree with local."""

from __future__ import annotations

import csv
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import inrkit.train.run as run_module
from inrkit.bench.executors import execute_fit, partial_dir
from inrkit.bench.runner import run_table
from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.registry import TABLES

SMALL = {"field.hidden_features": 8, "field.hidden_layers": 1, "trainer.steps": 4, "trainer.eval_every": 2}
VOLATILE = ("wall_s", "run_dir", "device", "ensemble_wall_s")


def tiny_table(name: str, source: str, steps: int = 4) -> str:
    if name not in TABLES:
        small = {**SMALL, "trainer.steps": steps}
        register_table(TableSpec(
            name=name, description="executor test table",
            rows=(Row("SIREN", "siren-image", small), Row("FINER", "finer-image", small)),
            signals={"quick": (source,), "paper": (source,)}, quality=(5.0, 99.0)))
    return name


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path) as f:
        return list(csv.DictReader(f))


def comparable(rows: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["row"], r["seed"]): {k: v for k, v in r.items() if k not in VOLATILE and not k.startswith("time_to_")}
            for r in rows}


def assert_same_results(a: Path, b: Path) -> None:
    ra, rb = comparable(read_csv(a)), comparable(read_csv(b))
    assert ra.keys() == rb.keys()
    for key in ra:
        for col, va in ra[key].items():
            vb = rb[key].get(col, "")
            try:
                assert float(va) == pytest.approx(float(vb), rel=1e-6, abs=1e-9, nan_ok=True), (key, col)
            except ValueError:
                assert va == vb, (key, col)


def test_fit_is_written_atomically(tiny_png, tmp_path):
    name = tiny_table("exec-atomic", str(tiny_png))
    run_table(name, "quick", tmp_path / "b", seeds=1, device="cpu", progress=False, rows=("SIREN",))
    run = tmp_path / "b" / "runs" / "SIREN" / "tiny" / "seed0"
    assert (run / "metrics.json").exists() and not partial_dir(run).exists()
    rows = read_csv(tmp_path / "b" / "results.csv")
    assert float(rows[0]["time_to_psnr_5"]) > 0 and rows[0]["steps_to_psnr_5"] == "1.0"  # >= 20 evaluations: every step
    assert rows[0]["time_to_psnr_99"] == "nan"  # never reached
    summary = (tmp_path / "b" / "summary.md").read_text()
    assert "Time to quality" in summary and "(1/1)" in summary and "– (0/1)" in summary


def test_interrupted_fit_resumes_from_its_partial_directory(tiny_png, tmp_path, monkeypatch):
    from inrkit.bench.runner import Job, fit_spec, parse_sets

    table = TABLES.get(tiny_table("exec-atomic", str(tiny_png)))
    job = Job(table.name, table.rows[0], str(tiny_png), 0, "quick", tmp_path / "seed0")
    spec = fit_spec(job, "cpu", parse_sets(("trainer.checkpoint_every=2",)))
    calls = []
    real_step = run_module.Trainer.fit

    def interrupted(self, *a, callbacks=(), **k):
        def stop(step, info):
            if step == 2:
                raise KeyboardInterrupt
        return real_step(self, *a, callbacks=(*callbacks, stop), **k)

    monkeypatch.setattr(run_module.Trainer, "fit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        execute_fit(spec)
    assert partial_dir(job.run_dir).exists() and not job.run_dir.exists()
    monkeypatch.setattr(run_module.Trainer, "fit", real_step)
    orig = run_module.fit
    monkeypatch.setattr(run_module, "fit", lambda *a, **k: calls.append(k.get("resume")) or orig(*a, **k))
    result = execute_fit(spec)
    assert calls == [True] and result.metrics["steps"] == 4 and not partial_dir(job.run_dir).exists()
    # bench fits evaluate at least MIN_EVALS times: at 4 steps, every step
    assert result.field is None and [h["step"] for h in result.history] == [1, 2, 3, 4]


def test_killed_bench_reruns_only_the_missing_fits(tiny_png, tmp_path, monkeypatch):
    """SIGKILL a real ``inrkit bench`` midway; the rerun fits only what had not finished."""
    out = tmp_path / "bench"
    script = tmp_path / "bench.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        import inrkit, inrkit.bench
        from inrkit.bench.tables import Row, TableSpec, register_table
        small = {dict(SMALL, **{"trainer.steps": 60, "trainer.eval_every": 30})!r}
        register_table(TableSpec(name="exec-kill", description="t",
            rows=(Row("SIREN", "siren-image", small), Row("FINER", "finer-image", small)),
            signals={{"quick": ({str(tiny_png)!r},), "paper": ({str(tiny_png)!r},)}}))
        from inrkit.cli import main
        sys.exit(main(["bench", "exec-kill", "--seeds", "3", "--device", "cpu", "--out", {str(out)!r}]))
    """))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and len(list(out.glob("runs/*/*/seed*/metrics.json"))) < 2:
        assert proc.poll() is None, "bench ended before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = sorted(out.glob("runs/*/*/seed*/metrics.json"))
    assert 2 <= len(done) < 6
    stamps = {p: p.stat().st_mtime_ns for p in done}
    assert all(not p.parent.name.endswith(".partial") for p in done)

    name = "exec-kill"
    if name not in TABLES:
        small = dict(SMALL, **{"trainer.steps": 60, "trainer.eval_every": 30})
        register_table(TableSpec(name=name, description="t",
                                 rows=(Row("SIREN", "siren-image", small), Row("FINER", "finer-image", small)),
                                 signals={"quick": (str(tiny_png),), "paper": (str(tiny_png),)}))
    fitted = []
    orig = run_module.fit
    monkeypatch.setattr(run_module, "fit", lambda cfg, run_dir, **k: fitted.append(run_dir) or orig(cfg, run_dir, **k))
    rows = run_table(name, "quick", out, seeds=3, device="cpu", progress=False)
    assert len(rows) == 6 and len(fitted) == 6 - len(done)
    assert {p: p.stat().st_mtime_ns for p in done} == stamps
    assert not list(out.glob("runs/*/*/*.partial"))


def test_process_pool_and_ensemble_reproduce_local_results(tiny_png, tmp_path):
    name = tiny_table("exec-compare", str(tiny_png))
    run_table(name, "quick", tmp_path / "local", seeds=2, device="cpu", progress=False)
    run_table(name, "quick", tmp_path / "ens", seeds=2, device="cpu", progress=False, ensemble=4)
    rows = read_csv(tmp_path / "ens" / "results.csv")
    assert {r["ensemble_size"] for r in rows} == {"2"}  # each row's two seeds ran as one ensemble
    a, b = comparable(read_csv(tmp_path / "local" / "results.csv")), comparable(rows)
    for key in a:
        assert float(b[key]["psnr"]) == pytest.approx(float(a[key]["psnr"]), abs=1e-3)
    run_table(name, "quick", tmp_path / "pool", seeds=2, device="cpu", progress=False, workers=2)
    assert_same_results(tmp_path / "local" / "results.csv", tmp_path / "pool" / "results.csv")


def test_ray_executor_reproduces_local_results(tiny_png, tmp_path):
    pytest.importorskip("ray")
    name = tiny_table("exec-compare", str(tiny_png))
    run_table(name, "quick", tmp_path / "local", seeds=2, device="cpu", progress=False)
    from inrkit.bench.executors import RayExecutor

    assert RayExecutor(num_cpus=2).cpus_per_fit == 1.0
    run_table(name, "quick", tmp_path / "ray", seeds=2, device="cpu", progress=False, executor="ray")
    assert_same_results(tmp_path / "local" / "results.csv", tmp_path / "ray" / "results.csv")
    assert (tmp_path / "ray" / "summary.md").exists()
    assert all(math.isfinite(float(r["psnr"])) for r in read_csv(tmp_path / "ray" / "results.csv"))


@pytest.mark.parametrize("ensemble", [0, 2])
def test_a_failing_fit_is_reported_and_the_others_finish(tiny_png, tmp_path, capsys, ensemble):
    name = "exec-failing"
    if name not in TABLES:
        register_table(TableSpec(name=name, description="t", signals={"quick": (str(tiny_png),), "paper": ()},
                                 rows=(Row("broken", "siren-image",
                                           {**SMALL, "signal.source": str(tmp_path / "gone.png")}),
                                       Row("SIREN", "siren-image", SMALL))))
    rows = run_table(name, "quick", tmp_path / "b", seeds=2, device="cpu", progress=False, ensemble=ensemble)
    broken = [r for r in rows if r["row"] == "broken"]
    assert len(broken) == 2 and all("gone.png" in r["error"] for r in broken)
    assert all(math.isfinite(r["psnr"]) and "error" not in r for r in rows if r["row"] == "SIREN")
    assert "fit failed (broken" in capsys.readouterr().err
    assert "| SIREN |" in (tmp_path / "b" / "summary.md").read_text()


def test_workers_from_a_program_on_stdin_get_one_line(tmp_path):
    """Spawned workers re-import ``__main__``; a program read from stdin has no file to import."""
    import subprocess
    import sys

    code = ("from inrkit.bench.executors import LocalExecutor, FitSpec\n"
            "from inrkit.cli import main\n"
            "import sys\n"
            "try:\n"
            "    list(LocalExecutor(2).map([FitSpec('a', {}, 'x'), FitSpec('b', {}, 'y')]))\n"
            "except Exception as e:\n"
            "    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.stdout.startswith("InputError --workers > 1 starts worker processes"), out.stdout + out.stderr
