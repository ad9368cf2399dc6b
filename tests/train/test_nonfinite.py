"""No NaN over good state (issue 14): a diverging fit stops with one line, exit 2, and keeps the last
finite checkpoint, from which ``--resume`` continues."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file
from test_trainer import tiny_config  # noqa: I001  (tests/train on sys.path)

from inrkit.cli import main
from inrkit.tasks.fitting import FittingTask
from inrkit.train.guard import NonFiniteError, NonFiniteGuard
from inrkit.train.hooks import AFTER_UPDATE, Hook
from inrkit.train.run import fit
from inrkit.train.trainer import Trainer

COMMON = ["--model", "siren", "--preset", "quick", "--no-progress", "--quiet", "--device", "cpu",
          "--set", "field.hidden_features=16", "--set", "field.hidden_layers=1",
          "--set", "trainer.checkpoint_every=1", "--set", "trainer.eval_every=4", "--set", "task.batch_size=64"]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "inrkit.cli", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore", "OMP_NUM_THREADS": "1"})


def _one_error_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("inrkit: error: "), stderr
    assert "Traceback" not in stderr and len(lines[0]) < 300
    return lines[0]


def _checkpoint(run_dir):
    weights = load_file(str(run_dir / "checkpoint" / "model.safetensors"))
    state = torch.load(run_dir / "checkpoint" / "state.pt", weights_only=True)
    return weights, state


def test_huge_learning_rate_exits_2_and_keeps_a_finite_resumable_checkpoint(tiny_png, tmp_path, capsys):
    out = tmp_path / "run"
    args = ["fit", str(tiny_png), *COMMON, "--steps", "30", "--set", "trainer.optim.lr=1e12", "--out", str(out)]
    res = _cli(*args)
    assert res.returncode == 2, res.stderr
    line = _one_error_line(res.stderr)
    assert "non-finite at step" in line and "learning rate too high" in line
    step = int(line.split("at step ")[1].split()[0])
    weights, state = _checkpoint(out)
    assert state["step"] == step - 1 and all(torch.isfinite(w).all() for w in weights.values())
    assert all(torch.isfinite(torch.tensor(r["loss"])) for r in state["history"] if "loss" in r)
    assert not (out / "metrics.json").exists()
    capsys.readouterr()
    assert main([*args, "--resume"]) == 2  # resumes from the finite checkpoint and diverges the same way
    assert _one_error_line(capsys.readouterr().err) == line
    assert _checkpoint(out)[1]["step"] == step - 1


def test_injected_nan_at_a_random_step_then_resume_equals_a_clean_run(tiny_png, tmp_path, monkeypatch, capsys):
    steps = 12
    bad = random.Random(1234).randint(2, steps - 1)
    args = ["fit", str(tiny_png), *COMMON, "--steps", str(steps), "--set", "trainer.optim.lr=1e-3"]
    real_loss, calls = FittingTask.loss, []

    def poisoned(self, field, batch):
        calls.append(1)
        losses = real_loss(self, field, batch)
        if len(calls) == bad:
            losses["loss"] = losses["loss"] * float("nan")
        return losses

    monkeypatch.setattr(FittingTask, "loss", poisoned)
    cut = tmp_path / "cut"
    assert main([*args, "--out", str(cut)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert f"loss became non-finite at step {bad} " in line and f"checkpoint (step {bad - 1})" in line
    weights, state = _checkpoint(cut)
    assert state["step"] == bad - 1 and all(torch.isfinite(w).all() for w in weights.values())
    with open(cut / "history.csv") as f:  # streamed rows of the finished steps only
        assert [int(r["step"]) for r in csv.DictReader(f)] == [r["step"] for r in state["history"]]

    monkeypatch.setattr(FittingTask, "loss", real_loss)
    assert main([*args, "--out", str(cut), "--resume"]) == 0
    assert main([*args, "--out", str(tmp_path / "clean")]) == 0
    a = json.loads((cut / "metrics.json").read_text())
    b = json.loads((tmp_path / "clean" / "metrics.json").read_text())
    for key in ("psnr", "ssim", "mse", "psnr_peak", "peak_step"):
        assert a[key] == b[key], key
    assert _losses(cut / "history.csv") == _losses(tmp_path / "clean" / "history.csv")


def _losses(path) -> list[str]:
    with open(path) as f:
        return [r["loss"] for r in csv.DictReader(f)]


@pytest.mark.parametrize("sync", [True, False])
def test_nan_weights_never_reach_a_checkpoint(tiny_png, tmp_path, sync):
    """A weight poisoned after an update is caught before the next checkpoint; the deferred
    (accelerator) loss check names the first bad step too."""
    from inrkit.train.run import build

    cfg, task, field = build(tiny_config(tiny_png, **{"trainer.checkpoint_every": 3, "trainer.log_every": 100}))

    def poison(state):
        with torch.no_grad():
            next(state.field.parameters()).view(-1)[0] = float("nan")

    guard = NonFiniteGuard(sync_every_step=sync)
    trainer = Trainer(cfg.trainer)
    trainer.default_hooks = lambda state: [guard]
    with pytest.raises(NonFiniteError, match=r"loss became non-finite at step 5 "):
        trainer.fit(field, task, run_dir=tmp_path, callbacks=(Hook(AFTER_UPDATE, poison, every=4),))
    weights, state = _checkpoint(tmp_path)
    assert state["step"] == 3 and all(torch.isfinite(w).all() for w in weights.values())


def test_error_is_an_input_error_and_a_floating_point_error(tiny_png):
    from inrkit.errors import InputError

    cfg = tiny_config(tiny_png, **{"trainer.optim.lr": 1e20, "trainer.steps": 5})
    with pytest.raises(NonFiniteError) as info:
        fit(cfg)
    assert isinstance(info.value, InputError) and isinstance(info.value, FloatingPointError)
    assert "kept" not in str(info.value)  # no run directory: no checkpoint to speak of
