"""function1d task: training vs held-out MSE, float64 path, outputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from inrkit.errors import InputError
from inrkit.signals import load_signal
from inrkit.signals.function1d import y4
from inrkit.tasks.function1d import Function1DConfig, Function1DTask


class Fn(torch.nn.Module):
    """A 'field' computing a fixed function of x."""

    def __init__(self, fn, dtype=torch.float32):
        super().__init__()
        self.fn = fn
        self.p = torch.nn.Parameter(torch.zeros((), dtype=dtype))

    def forward(self, x):
        return self.fn(x) + 0 * self.p


def part(x):  # two of y4's four terms
    return 0.5 * torch.sin(2 * x) + torch.cos(200 * x) * torch.cos(x)


def test_mse_and_heldout_mse_against_independent_computation():
    task = Function1DTask(Function1DConfig(n_samples=300, sample_seed=7, heldout_points=5000, dtype="float64"),
                          load_signal("function:y4"))
    assert task.primary_metric == "neg_log10_mse"
    m = task.evaluate(Fn(part, torch.float64))
    rng = np.random.RandomState(7)
    x = rng.uniform(-1, 1, size=(300, 1))
    xh = np.linspace(-1, 1, 5000)[:, None]

    def ref(x):
        return 0.5 * np.sin(2 * x) + np.cos(200 * x) * np.cos(x)

    assert m["mse"] == pytest.approx(np.mean((ref(x) - y4(x)) ** 2), rel=1e-12)
    assert m["mse_heldout"] == pytest.approx(np.mean((ref(xh) - y4(xh)) ** 2), rel=1e-12)
    assert m["mse"] != m["mse_heldout"]
    assert m["neg_log10_mse"] == pytest.approx(-math.log10(m["mse"]))
    batch = task.sample(0, torch.Generator())
    assert batch["coords"].shape == (300, 1) and batch["coords"].dtype == torch.float64  # full batch
    loss = task.loss(Fn(part, torch.float64), batch)
    assert loss["loss"].dtype == torch.float64 and loss["loss"].item() == pytest.approx(m["mse"], rel=1e-12)


def test_exact_fit_scores_zero_training_error_and_float32_default():
    task = Function1DTask(Function1DConfig(n_samples=50, heldout_points=100), load_signal("function:y4-grid"))
    assert task.coords.dtype == torch.float32
    exact = Fn(lambda x: torch.from_numpy(y4(x.double().numpy())).float())
    m = task.evaluate(exact)
    # float32 coordinates round x by ~3e-8, which y4's slopes (~600) turn into ~1e-11 squared error
    assert m["mse"] < 1e-10 and m["mse_heldout"] < 1e-10


def test_dtype_mismatch_and_wrong_signal_raise_one_line_errors(tiny_png):
    task = Function1DTask(Function1DConfig(dtype="float64", n_samples=8, heldout_points=8),
                          load_signal("function:y4"))
    with pytest.raises(InputError, match="float64 but the field"):
        task.loss(Fn(part), task.sample(0, torch.Generator()))
    with pytest.raises(InputError, match="function:<name>"):
        Function1DTask(Function1DConfig(), load_signal(str(tiny_png)))


def test_write_outputs_plot_and_arrays(tmp_path):
    task = Function1DTask(Function1DConfig(n_samples=16, heldout_points=64), load_signal("function:sin200"))
    out = task.write_outputs(Fn(part), tmp_path)
    assert out == {"reconstruction": "reconstruction.png", "arrays": "reconstruction.npz"}
    data = np.load(tmp_path / "reconstruction.npz")
    assert data["x"].shape == data["prediction"].shape == (64,) and data["x_train"].shape == (16,)
    assert np.allclose(data["target"], np.sin(200 * data["x"]))
    assert (tmp_path / "reconstruction.png").stat().st_size > 1000
    with pytest.raises(InputError):
        task.reconstruct(Fn(part), shift=0.5)
