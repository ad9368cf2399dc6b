"""Trainer: schedules, parameter groups, checkpoints and exact resume."""

from __future__ import annotations

import math

import pytest
import torch

from inrkit.config import override
from inrkit.registry import RECIPES
from inrkit.train.run import fit
from inrkit.train.schedules import ScheduleConfig, lr_factor
from inrkit.train.trainer import OptimConfig, make_optimizer


def test_schedule_factors():
    assert lr_factor(ScheduleConfig("constant"), 50, 100, 1e-3) == 1.0
    assert math.isclose(lr_factor(ScheduleConfig("exp_decay", gamma=0.1), 50, 100, 1e-3), 0.1 ** 0.5)
    assert math.isclose(lr_factor(ScheduleConfig("exp_decay", gamma=0.1), 200, 100, 1e-3), 0.1)
    assert math.isclose(lr_factor(ScheduleConfig("cosine", lr_min=1e-6), 100, 100, 1e-4), 1e-2)
    assert math.isclose(lr_factor(ScheduleConfig("cosine_to_1pct"), 100, 100, 1.0), 0.01)
    assert math.isclose(lr_factor(ScheduleConfig("step", gamma=0.1, step_size=10), 25, 100, 1.0), 0.01)


def test_bacon_sdf_schedule():
    bacon = ScheduleConfig("bacon_sdf", lr_min=1e-4)
    assert math.isclose(lr_factor(bacon, 0, 100, 1e-4), 0.01)  # warm-up factor only at step 0
    assert math.isclose(lr_factor(bacon, 1, 100, 1e-4), 1.0) and math.isclose(lr_factor(bacon, 77, 100, 1e-4), 1.0)
    assert math.isclose(5e-4 * lr_factor(bacon, 50, 100, 5e-4), math.sqrt(5e-4 * 1e-4))  # log-linear midpoint
    assert math.isclose(5e-4 * lr_factor(bacon, 100, 100, 5e-4), 1e-4)


def test_group_learning_rates():
    a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(2))
    opt = make_optimizer(OptimConfig(lr=1e-3, group_lr={"grid": 5e-3}), {"main": [a], "grid": [b]})
    assert [g["lr"] for g in opt.param_groups] == [1e-3, 5e-3]


def tiny_config(tiny_png, **sets):
    cfg = RECIPES.get("siren-image").config("quick", str(tiny_png))
    base = {"field.hidden_features": 16, "field.hidden_layers": 1, "trainer.steps": 12, "trainer.eval_every": 4,
            "trainer.checkpoint_every": 0, "trainer.log_every": 1, "trainer.progress": False,
            "trainer.device": "cpu", "task.batch_size": 64}
    for k, v in {**base, **sets}.items():
        cfg = override(cfg, k, v)
    return cfg


class StopAt:
    def __init__(self, step):
        self.step = step

    def __call__(self, step, info):
        if step == self.step:
            raise KeyboardInterrupt


@pytest.mark.parametrize("checkpoint_every", [0, 5])
def test_resume_equals_uninterrupted(tiny_png, tmp_path, checkpoint_every):
    cfg = tiny_config(tiny_png, **{"trainer.checkpoint_every": checkpoint_every})
    full = fit(cfg, tmp_path / "full")
    with pytest.raises(KeyboardInterrupt):
        fit(cfg, tmp_path / "cut", callbacks=(StopAt(7),))
    assert (tmp_path / "cut" / "checkpoint" / "state.pt").exists()
    assert not (tmp_path / "cut" / "metrics.json").exists()
    resumed = fit(cfg, tmp_path / "cut", resume=True)
    for key in ("psnr", "ssim", "mse", "psnr_edge", "noisiness"):
        assert resumed.metrics[key] == full.metrics[key], key
    sd_full, sd_cut = full.field.state_dict(), resumed.field.state_dict()
    assert all(torch.equal(sd_full[k], sd_cut[k]) for k in sd_full)
    assert [r["loss"] for r in resumed.history] == [r["loss"] for r in full.history]


def test_same_seed_same_result_and_run_result_fields(tiny_png):
    cfg = tiny_config(tiny_png, **{"trainer.steps": 5})
    a, b = fit(cfg), fit(cfg)
    assert a.metrics["psnr"] == b.metrics["psnr"]
    assert a.params == a.metrics["params"] > 0 and a.wall_s > 0
    assert a.config["field"]["type"] == "siren"


def test_training_reduces_loss(tiny_png):
    cfg = tiny_config(tiny_png, **{"trainer.steps": 100, "task.batch_size": 0, "field.hidden_features": 32,
                                 "trainer.optim.lr": 2e-3, "trainer.schedule.kind": "constant"})
    r = fit(cfg)
    assert r.history[-1]["loss"] < 0.5 * r.history[0]["loss"]


def test_lbfgs_refinement_and_grad_stats_in_history():
    cfg = RECIPES.get("pinn-pde").config("quick", "pde:poisson2d")
    for k, v in {"trainer.steps": 6, "trainer.lbfgs_steps": 3, "trainer.lbfgs_max_iter": 5, "trainer.eval_every": 0,
                 "trainer.log_every": 1, "trainer.progress": False, "trainer.device": "cpu", "task.resample": False,
                 "task.n_interior": 64,
                 "task.n_boundary": 16, "task.eval_points": 16, "field.hidden_features": 16}.items():
        cfg = override(cfg, k, v)
    r = fit(cfg)
    losses = [row["loss"] for row in r.history if "loss" in row]
    assert len(losses) == 6 and losses[-1] < losses[2]  # L-BFGS steps 4-6 keep decreasing the loss
    assert all("grad_log10_layer1" in row for row in r.history if "loss" in row)
    assert math.isfinite(r.metrics["grad_log10_layer5"])
