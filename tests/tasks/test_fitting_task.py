"""Image fitting task: sampling, loss, metrics against independent computations, queries."""

from __future__ import annotations

import numpy as np
import torch

from inrkit.signals.base import Signal
from inrkit.tasks.fitting import FittingConfig, FittingTask


class Const(torch.nn.Module):
    """A 'field' returning a fixed image-valued function of the coordinates."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.p = torch.nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return self.fn(x) + 0 * self.p

    def regularization(self, x):
        return {}


def make_task(**kw) -> FittingTask:
    y, x = np.mgrid[0:16, 0:20] / 20.0
    img = np.stack([0.5 + 0.4 * np.sin(3 * x + 2 * y + k) for k in range(3)], axis=-1)
    img[4:8, 5:10] = 0.9
    sig = Signal(values=img.astype(np.float32), kind="image")
    return FittingTask(FittingConfig(**kw), sig)


def test_targets_mapped_to_range_and_back():
    t = make_task(target_range=(-1.0, 1.0))
    assert torch.allclose(t.targets, torch.from_numpy(t.signal.values).reshape(-1, 3) * 2 - 1)
    assert torch.allclose(t.to_unit(t.targets), torch.from_numpy(t.signal.values).reshape(-1, 3))


def test_full_and_random_batches():
    t = make_task()
    g = torch.Generator().manual_seed(0)
    assert t.sample(0, g)["coords"].shape == (320, 2)
    t2 = make_task(batch_size=50)
    b = t2.sample(0, g)
    assert b["coords"].shape == (50, 2) and b["targets"].shape == (50, 3)


def test_psnr_of_known_error_and_clamping():
    t = make_task(target_range=(0.0, 1.0))
    gt = torch.from_numpy(t.signal.values).reshape(-1, 3)
    lookup = {tuple(c.tolist()): i for i, c in enumerate(t.coords)}

    def fn(x):
        idx = torch.tensor([lookup[tuple(c.tolist())] for c in x])
        return gt[idx] + 0.05

    m = t.evaluate(Const(fn))
    pred = np.clip(t.signal.values + 0.05, 0, 1)
    mse = np.mean((pred - t.signal.values) ** 2)
    assert abs(m["psnr"] - 10 * np.log10(1 / mse)) < 1e-6
    assert 0 < m["ssim"] <= 1


def test_reconstruct_shapes_for_shift_and_scale():
    t = make_task()
    f = Const(lambda x: torch.zeros(x.shape[0], 3))
    assert t.reconstruct(f).shape == (16, 20, 3)
    assert t.reconstruct(f, shift=0.125).shape == (16, 20, 3)
    assert t.reconstruct(f, scale=4).shape == (64, 80, 3)
    q = t.query_metrics(f, shift=0.125, scale=2)
    assert set(q) == {"psnr_shift", "psnr_down"}


def test_noisiness_uses_model_gradient_in_normalised_units():
    """A field equal to a linear ramp in y has gradient 0.5*a per [-1,1] unit when trained on [0,1]."""
    t = make_task(coord_range=(0.0, 1.0), target_range=(0.0, 1.0))
    f = Const(lambda x: (0.3 * x[:, :1]).repeat(1, 3))
    g = t.model_gray_gradient(f)
    assert np.allclose(g[..., 0], 0.3 * 0.5, atol=1e-6) and np.allclose(g[..., 1], 0.0)


def test_final_metrics_include_edge_metrics():
    t = make_task()
    m = t.evaluate(Const(lambda x: torch.zeros(x.shape[0], 3)), final=True)
    assert {"psnr", "ssim", "psnr_edge", "noisiness"} <= set(m)


def test_lpips_is_skipped_with_a_message_when_weights_are_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    y, x = np.mgrid[0:40, 0:36] / 40.0
    img = np.stack([0.5 + 0.4 * np.sin(3 * x + 2 * y + k) for k in range(3)], axis=-1).astype(np.float32)
    t = FittingTask(FittingConfig(edge_metrics=False), Signal(values=img, kind="image"))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = t.evaluate(Const(lambda c: torch.zeros(c.shape[0], 3)), final=True)
    assert m["lpips"] is None and m["lpips_status"].startswith("skipped:")
    assert "psnr_u8" in m
