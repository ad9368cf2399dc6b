"""The first hour of a new user: start banner, threads, config files, list/--version/help, README snippet."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from inrkit.cli import main

QUICK = ["--steps", "4", "--set", "field.hidden_features=16", "--set", "trainer.eval_every=2",
         "--set", "trainer.progress=false"]


def _same_metrics(a: dict, b: dict) -> None:
    drop = {"wall_s", "outputs"}
    assert {k: v for k, v in a.items() if k not in drop} == {k: v for k, v in b.items() if k not in drop}


def test_fit_off_a_terminal_prints_the_banner(tiny_png, tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.run([sys.executable, "-m", "inrkit.cli", "fit", str(tiny_png), "--model", "siren",
                           "--out", str(out), "--threads", "1", "--device", "cpu", *QUICK],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    for line in ("recipe   siren-image (preset quick", "signal   ", "fitted 20x24", "field    siren, ",
                 "parameters", "train    4 steps on cpu, 1 thread", "estimate ~", f"output   {out}"):
        assert line in err, (line, err)
    assert "warning:" not in err


def test_quiet_and_python_fit_print_no_banner(tiny_png, tmp_path, capsys):
    assert main(["fit", str(tiny_png), "--model", "siren", "--out", str(tmp_path / "q"), "--quiet", *QUICK]) == 0
    assert "inrkit: recipe" not in capsys.readouterr().err
    import inrkit

    inrkit.fit(str(tiny_png), model="siren", steps=2, sets={"field.hidden_features": 8})
    assert "inrkit: recipe" not in capsys.readouterr().err


def test_banner_probe_leaves_the_fit_unchanged(tiny_png, capsys):
    from inrkit.cli_config import recipe_config
    from inrkit.train.run import fit

    cfg = recipe_config("siren-image", "quick", str(tiny_png), sets=tuple(QUICK[3::2]) + ("trainer.steps=4",))
    plain = fit(cfg)
    shown = fit(cfg, banner=True)
    assert "inrkit: estimate ~" in capsys.readouterr().err
    _same_metrics(plain.metrics, shown.metrics)
    assert [r.get("loss") for r in plain.history] == [r.get("loss") for r in shown.history]


def test_cpu_estimate_over_an_hour_warns(tiny_png, monkeypatch):
    import inrkit.banner as banner
    from inrkit.cli_config import recipe_config
    from inrkit.train.run import build

    monkeypatch.setattr(banner, "_probe", lambda *a: 7200.0)
    cfg, task, field = build(recipe_config("siren-image", "quick", str(tiny_png)))
    lines = banner.banner_lines(cfg, task, field, None)
    assert any(line.startswith("warning: this fit would take about 2.0 h on a CPU") for line in lines)


def test_config_file_round_trip_and_bare_resume(tiny_png, tmp_path, capsys):
    sets = [a for a in QUICK[2:] if a != "--set"]
    assert main(["config", "siren", "--signal", str(tiny_png), "--set", "trainer.steps=4",
                 *[x for s in sets for x in ("--set", s)]]) == 0
    path = tmp_path / "run.json"
    path.write_text(capsys.readouterr().out)
    assert json.loads(path.read_text())["trainer"]["steps"] == 4
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["fit", "--config", str(path), "--out", str(a), "--quiet"]) == 0
    assert main(["fit", str(tiny_png), "--model", "siren", "--out", str(b), "--quiet", *QUICK]) == 0
    first = json.loads((a / "metrics.json").read_text())
    _same_metrics(first, json.loads((b / "metrics.json").read_text()))
    assert (a / "config.json").read_text() == (b / "config.json").read_text()

    assert main(["fit", "--out", str(a), "--resume", "--quiet"]) == 0  # the saved config, nothing else
    _same_metrics(first, json.loads((a / "metrics.json").read_text()))
    capsys.readouterr()
    assert main(["fit", str(tiny_png), "--model", "siren", "--out", str(a), "--resume", *QUICK,
                 "--set", "field.hidden_features=8"]) == 2
    err = capsys.readouterr().err
    assert "field.hidden_features: 16 -> 8" in err and err.count("\n") == 1


def test_config_keys_show_the_field_comments(capsys):
    assert main(["config", "siren-image", "--keys"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^trainer\.steps = 500 +# number of optimiser steps\.$", out, re.M)
    assert re.search(r"^field\.hidden_features = \d+ +# width H", out, re.M)


def test_list_pattern_version_and_help_defaults(capsys):
    assert main(["list", "recipes", "siren-image*"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names and all(n.startswith("siren-image") for n in names)
    assert main(["list", "recipes", "finer-aud"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["finer-audio"]
    with pytest.raises(SystemExit):
        main(["--version"])
    assert re.match(r"inrkit \d", capsys.readouterr().out)
    with pytest.raises(SystemExit):
        main(["fit", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: quick)" in text and "physical cores" in text and "(default: paper)" in text


def test_threads_default_and_explicit(monkeypatch):
    import torch

    from inrkit.threads import physical_cores, set_threads

    assert 1 <= physical_cores() <= (os.cpu_count() or 1)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert set_threads(None) == 1 and torch.get_num_threads() == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert set_threads(None) == physical_cores()
    torch.set_num_threads(1)


def test_readme_snippet_runs_twice(tmp_path, monkeypatch):
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    assert 'preset="quick"' in code
    code = code.replace('preset="quick"', 'preset="quick", steps=3, sets={"signal.max_side": 24}')  # test size
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        exec(compile(code, "README.md", "exec"), {})
