"""The PINN task: collocation sets, loss terms, metric, outputs and float64 support."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.fields.msa import MSA_PRESETS
from inrkit.fields.pinn import PINN, PINNConfig
from inrkit.metrics.regression import relative_l2
from inrkit.recipes import find_recipe
from inrkit.signals import load_signal
from inrkit.tasks.pde import PDEConfig, PDETask
from inrkit.train.run import fit

TINY = PDEConfig(n_interior=64, n_boundary=16, n_initial=16, eval_points=16)


class Exact(torch.nn.Module):
    """A 'field' returning the exact solution (plus a dummy parameter)."""

    def __init__(self, problem, dtype=torch.float64, scale=1.0):
        super().__init__()
        self.problem, self.scale = problem, scale
        self.w = torch.nn.Parameter(torch.zeros((), dtype=dtype))

    def forward(self, x):
        return self.problem.exact(x) / self.scale + 0 * self.w


@pytest.mark.parametrize("name", ["heat1d", "advection1d", "poisson2d", "allen_cahn2d", "helmholtz2d",
                                  "poisson_msa"])
def test_exact_solution_has_zero_loss_and_error(name):
    task = PDETask(TINY, load_signal(f"pde:{name}"))
    field = Exact(task.problem, scale=task.u_scale)
    losses = task.loss(field, task.sample(0, torch.Generator()))
    assert float(losses["loss"].detach()) < 1e-18
    ev = task.evaluate(field, final=True)
    assert ev["rel_l2"] < 1e-14 and ev["neg_log10_rel_l2"] > 14


def test_collocation_sets():
    heat = PDETask(TINY, load_signal("pde:heat1d"))
    pts = heat.points
    assert pts["interior"].shape == (64, 2) and pts["boundary"].shape == (32, 2) and pts["initial"].shape == (16, 2)
    assert set(pts["boundary"][:, 0].tolist()) == {0.0, 1.0} and (pts["initial"][:, 1] == 0).all()
    adv = PDETask(TINY, load_signal("pde:advection1d"))
    lo, hi = adv.points["periodic_lo"], adv.points["periodic_hi"]
    assert (lo[:, 0] == 0).all() and torch.allclose(hi[:, 0], torch.full_like(hi[:, 0], 2 * math.pi))
    assert torch.equal(lo[:, 1], hi[:, 1])
    poisson = PDETask(TINY, load_signal("pde:poisson2d"))
    assert poisson.points["boundary"].shape == (64, 2) and "initial" not in poisson.points
    again = PDETask(TINY, load_signal("pde:poisson2d"))
    assert torch.equal(poisson.points["interior"], again.points["interior"])  # seeded, fixed
    resampled = PDETask(override(TINY, "resample", True), load_signal("pde:poisson2d"))
    gen = torch.Generator().manual_seed(1)
    assert not torch.equal(resampled.sample(0, gen)["interior"], resampled.sample(1, gen)["interior"])


def test_loss_is_differentiable_and_follows_the_field_dtype():
    task = PDETask(override(TINY, "normalize_inputs", True), load_signal("pde:poisson_msa"))
    torch.manual_seed(0)
    for field in (PINN(PINNConfig(hidden_features=8, hidden_layers=1)),
                  __import__("inrkit.fields.msa", fromlist=["MSANet"]).MSANet(
                      override(override(MSA_PRESETS["pde"], "hidden_features", 8), "dtype", "float64"))):
        losses = task.loss(field, task.points)
        losses["loss"].backward()
        assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in field.parameters())
        assert losses["loss"].dtype == next(field.parameters()).dtype
        assert np.isfinite(task.evaluate(field)["rel_l2"])


def test_relative_l2_and_input_errors():
    assert relative_l2(np.array([1.0, 1.0]), np.array([1.0, 0.0])) == 1.0
    with pytest.raises(InputError, match="pde:<problem>"):
        PDETask(TINY, load_signal("function:y4"))


def test_quick_fit_writes_outputs_and_gradient_stats(tmp_path):
    cfg = find_recipe("msa", "pde").config("quick", "pde:heat1d")
    for k, v in {"trainer.steps": 4, "trainer.eval_every": 2, "trainer.progress": False, "task.n_interior": 64,
                 "task.n_boundary": 16, "task.n_initial": 16, "task.eval_points": 16,
                 "field.hidden_features": 16}.items():
        cfg = override(cfg, k, v)
    r = fit(cfg, tmp_path / "run")
    assert math.isfinite(r.metrics["rel_l2"])
    assert {f"grad_log10_layer{i}" for i in range(1, 6)} <= set(r.metrics)
    assert all(-30 < r.metrics[f"grad_log10_layer{i}"] < 10 for i in range(1, 6))
    assert (tmp_path / "run" / "reconstruction.png").exists() and (tmp_path / "run" / "reconstruction.npz").exists()
    assert "grad_log10_layer1" in r.history[-1]


def test_solution_scaling_of_the_msa_poisson_problem():
    signal = load_signal("pde:poisson_msa")
    scaled, raw = PDETask(TINY, signal), PDETask(override(TINY, "scale_solution", False), signal)
    assert math.isclose(scaled.u_scale, 1 / (101 * math.pi ** 2)) and raw.u_scale == 1.0
    assert PDETask(TINY, load_signal("pde:heat1d")).u_scale == 1.0
    field = Exact(scaled.problem, scale=scaled.u_scale)
    assert scaled.evaluate(field)["rel_l2"] < 1e-14 and raw.evaluate(field)["rel_l2"] > 1
