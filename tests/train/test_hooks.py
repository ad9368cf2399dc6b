"""Trainer hooks: named points in order, every-N, stop requests, stateful components, streamed
history.csv and progress lines off a terminal (issue 15)."""

from __future__ import annotations

import csv

import pytest
from test_trainer import tiny_config  # noqa: I001  (tests/train on sys.path)

from inrkit.train.history import history_csv
from inrkit.train.hooks import AFTER_EVAL, AFTER_STEP, AT_END, BEFORE_TRAIN, POINTS, Hook
from inrkit.train.run import build, fit
from inrkit.train.trainer import Trainer


class Recorder:
    """A component with a hook at every point and a counter that travels in checkpoints."""

    name = "recorder"

    def __init__(self):
        self.calls: list[tuple[str, int]] = []
        self.evals = 0

    def hooks(self):
        return [Hook(where, lambda s, w=where: self.calls.append((w, s.step))) for where in POINTS] + [
            Hook(AFTER_EVAL, self.count)]

    def count(self, state):
        self.evals += 1

    def state_dict(self):
        return {"evals": self.evals}

    def load_state_dict(self, state):
        self.evals = state["evals"]


def test_points_run_in_order_and_every_n(tiny_png, tmp_path):
    rec, every = Recorder(), []
    cfg = tiny_config(tiny_png, **{"trainer.steps": 4, "trainer.eval_every": 2, "trainer.checkpoint_every": 3})
    fit(cfg, tmp_path / "run", callbacks=(rec, Hook(AFTER_STEP, lambda s: every.append(s.step), every=2)))
    assert every == [2, 4]
    assert rec.calls[:8] == [("before_train", 0), ("before_step", 0), ("after_update", 1), ("after_step", 1),
                             ("before_step", 1), ("after_update", 2), ("after_eval", 2), ("after_step", 2)]
    assert ("on_checkpoint", 3) in rec.calls
    assert rec.calls[-3:] == [("after_eval", 4), ("at_end", 4), ("on_checkpoint", 4)]
    assert rec.evals == 2  # periodic at 2, final at 4
    with pytest.raises(ValueError, match="unknown hook point"):
        Hook("after_lunch", print)


def test_stop_request_checkpoints_and_resume_restores_component_state(tiny_png, tmp_path):
    cfg = tiny_config(tiny_png)

    def stop_at_6(state):
        state.stop = state.step == 6

    full_rec = Recorder()
    full = fit(cfg, tmp_path / "full", callbacks=(full_rec,))
    with pytest.raises(KeyboardInterrupt):
        fit(cfg, tmp_path / "cut", callbacks=(Recorder(), Hook(AFTER_STEP, stop_at_6)))
    rec = Recorder()
    resumed = fit(cfg, tmp_path / "cut", resume=True, callbacks=(rec,))
    assert rec.evals == full_rec.evals and resumed.metrics["psnr"] == full.metrics["psnr"]
    assert resumed.metrics["psnr_peak"] == full.metrics["psnr_peak"]
    assert resumed.metrics["peak_step"] == full.metrics["peak_step"]
    assert [r["loss"] for r in resumed.history] == [r["loss"] for r in full.history]


def test_history_csv_grows_while_training_and_ends_as_history_csv(tiny_png, tmp_path):
    run_dir = tmp_path / "run"
    seen = []

    def look(state):
        with open(run_dir / "history.csv") as f:
            seen.append([int(r["step"]) for r in csv.DictReader(f)] == [r["step"] for r in state.history])

    result = fit(tiny_config(tiny_png), run_dir, callbacks=(Hook(AFTER_STEP, look),))
    assert len(seen) == 12 and all(seen)
    assert (run_dir / "history.csv").read_text() == history_csv(result.history)


def test_progress_lines_off_a_terminal(tiny_png, tmp_path, capsys):
    cfg = tiny_config(tiny_png, **{"trainer.progress": True, "trainer.progress_every_s": 0.0, "trainer.log_every": 4})
    fit(cfg)
    lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("fit ")]
    assert [x.split()[1] for x in lines] == ["1/12", "4/12", "8/12", "12/12"]
    assert "psnr" not in lines[0] and "psnr" in lines[1] and "it/s, ETA" in lines[-1] and "loss" in lines[-1]


def test_inrkit_fit_prints_progress_when_stderr_is_not_a_terminal(tiny_png, tmp_path, capsys):
    from inrkit.cli import main

    assert main(["fit", str(tiny_png), "--model", "siren", "--preset", "quick", "--steps", "8", "--device", "cpu",
                 "--set", "field.hidden_features=16", "--set", "trainer.eval_every=4",
                 "--out", str(tmp_path / "run")]) == 0
    err = capsys.readouterr().err  # captured: not a terminal
    lines = [x for x in err.splitlines() if x.startswith("fit ")]
    assert lines and lines[-1].startswith("fit 8/8 (100%) loss ") and " psnr " in lines[-1]
    assert "it/s, ETA 0:00:00" in lines[-1]


def test_plain_callbacks_and_components_mix(tiny_png):
    cfg, task, field = build(tiny_config(tiny_png, **{"trainer.steps": 3}))
    steps, ends = [], []
    hooks = (lambda step, info: steps.append((step, "loss" in info["row"])),
             Hook(BEFORE_TRAIN, lambda s: ends.append("start")), Hook(AT_END, lambda s: ends.append(s.metrics["psnr"])))
    result = Trainer(cfg.trainer).fit(field, task, callbacks=hooks)
    assert steps == [(1, True), (2, True), (3, True)]
    assert ends == ["start", result.metrics["psnr"]]


def test_gradient_statistics_survive_a_resume(tmp_path):
    from inrkit.config import override
    from inrkit.registry import RECIPES

    cfg = RECIPES.get("pinn-pde").config("quick", "pde:poisson2d")
    for k, v in {"trainer.steps": 6, "trainer.eval_every": 0, "trainer.log_every": 1, "trainer.progress": False,
                 "trainer.device": "cpu", "trainer.grad_stats_every": 2, "task.resample": False,
                 "task.n_interior": 64, "task.n_boundary": 16, "task.eval_points": 16,
                 "field.hidden_features": 16}.items():
        cfg = override(cfg, k, v)
    full = fit(cfg, tmp_path / "full")

    def stop_at_3(state):
        state.stop = state.step == 3

    with pytest.raises(KeyboardInterrupt):
        fit(cfg, tmp_path / "cut", callbacks=(Hook(AFTER_STEP, stop_at_3),))
    resumed = fit(cfg, tmp_path / "cut", resume=True)
    grads = [k for k in full.metrics if k.startswith("grad_")]
    assert grads and all(resumed.metrics[k] == full.metrics[k] for k in grads)
    assert resumed.history == [{**r, "wall_s": s["wall_s"]} for r, s in zip(full.history, resumed.history, strict=True)]
