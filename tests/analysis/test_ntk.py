"""Empirical NTK: agreement with an explicit Jacobian, eigenvalue ratios and the trainer callback."""

from __future__ import annotations

import pytest
import torch

from inrkit.analysis.ntk import NTKCallback, eigen_ratios, empirical_ntk, ntk_eigenvalues, ntk_summary
from inrkit.registry import FIELDS, TASKS
from inrkit.signals import load_signal
from inrkit.train.trainer import Trainer, TrainerConfig


def tiny(name="siren", **kw):
    torch.manual_seed(0)
    return FIELDS.create(name, in_features=1, out_features=1, hidden_features=6, hidden_layers=1, **kw)


def explicit_ntk(field, x):
    rows = []
    for xi in x:
        grads = torch.autograd.grad(field(xi[None])[0, 0], [p for p in field.parameters() if p.requires_grad])
        rows.append(torch.cat([(torch.view_as_real(g) if g.is_complex() else g).flatten() for g in grads]).double())
    j = torch.stack(rows)
    return j @ j.T


@pytest.mark.parametrize("name", ["siren", "msa", "wire"])  # WIRE: complex weights, by real and imaginary part
def test_kernel_matches_explicit_jacobian(name):
    f = tiny(name)
    x = torch.linspace(-1, 1, 7)[:, None]
    k = empirical_ntk(f, x, chunk=3)
    assert k.shape == (7, 7) and k.dtype == torch.float64
    assert torch.allclose(k, explicit_ntk(f, x), rtol=1e-5, atol=1e-8)
    ev = ntk_eigenvalues(k)
    assert torch.all(ev[:-1] >= ev[1:]) and ev[-1] > -1e-6 * ev[0]  # descending, PSD


def test_ratios_sum_to_one():
    f = tiny()
    summary = ntk_summary(f, torch.linspace(-1, 1, 12)[:, None])
    ratios = [summary[k] for k in ("lambda1_ratio", "lambda2_ratio", "lambda3_ratio", "rest_ratio")]
    assert sum(ratios) == pytest.approx(1.0, abs=1e-12)
    assert ratios[0] >= ratios[1] >= ratios[2] >= 0
    assert summary["trace"] == pytest.approx(float(empirical_ntk(f, torch.linspace(-1, 1, 12)[:, None]).trace()))
    r = eigen_ratios(torch.tensor([4.0, 3.0, 2.0, 1.0]))
    assert r == pytest.approx({"lambda1_ratio": 0.4, "lambda2_ratio": 0.3, "lambda3_ratio": 0.2, "rest_ratio": 0.1})


def test_callback_records_every_n_steps_during_training():
    task = TASKS.create({"type": "function1d", "n_samples": 16, "heldout_points": 32},
                        load_signal("function:y4"))
    f = tiny()
    cb = NTKCallback(f, task.coords[:8], every=2)
    assert [r["step"] for r in cb.records] == [0]
    Trainer(TrainerConfig(steps=5, eval_every=0, progress=False, device="cpu", checkpoint_every=0)).fit(
        f, task, callbacks=(cb,))
    assert [r["step"] for r in cb.records] == [0, 2, 4]
    assert cb.records[0]["trace"] != cb.records[-1]["trace"]  # the kernel moves with training
    with pytest.raises(ValueError):
        NTKCallback(f, task.coords, every=0)
