"""BACON: the multiplicative recursion by hand, quantised init, measured band limits, counts, losses."""

from __future__ import annotations

import math

import torch

from inrkit.methods.bacon import IMAGE, SDF, reuse_map
from inrkit.registry import FIELDS, RECIPES
from inrkit.tasks.base import regression_loss


def test_recursion_and_outputs_by_hand():
    torch.manual_seed(0)
    f = FIELDS.create("bacon", in_features=2, out_features=1, hidden_features=6, hidden_layers=2, half_width=1.0)
    x = torch.rand(5, 2) * 2 - 1
    xp = x / 2  # [-1, 1] -> BACON's [-0.5, 0.5]

    def g(k):
        return torch.sin(xp @ f.filters[k].weight.T + f.filters[k].bias)

    z1 = g(1) * (g(0) @ f.linears[0].weight.T + f.linears[0].bias)
    z2 = g(2) * (z1 @ f.linears[1].weight.T + f.linears[1].bias)
    outs = f.multiscale(x)
    assert len(outs) == 2 and f.output_layers == [1, 2]
    assert torch.allclose(outs[0], f.outputs[0](z1), atol=1e-6) and torch.allclose(outs[1], f.outputs[1](z2), atol=1e-6)
    assert torch.equal(f(x), outs[-1])


def test_quantised_frozen_filters_and_init_statistics():
    torch.manual_seed(0)
    f = FIELDS.create(IMAGE)
    assert f.m == [16, 16, 32, 32, 32]  # round(256 s / 2)
    for flt, m in zip(f.filters, f.m, strict=True):
        k = flt.weight / (2 * math.pi)
        assert not flt.weight.requires_grad and torch.allclose(k, k.round(), atol=1e-5)
        assert k.abs().max() == m and abs(k.mean().item()) < 1.5  # uniform over -m..m, both ends reached
        assert flt.bias.abs().max() <= math.pi and flt.bias.abs().max() > 3.0
    bound = math.sqrt(6 / 256)
    for lin in [*f.linears, *f.outputs]:
        assert lin.weight.abs().max() <= bound and lin.weight.abs().max() > 0.95 * bound
    with torch.no_grad():
        ys = f.multiscale(torch.rand(4096, 2) * 2 - 1)
    assert all(0.2 < y.std().item() < 5.0 for y in ys)


def test_every_output_is_band_limited():
    """A 1-D BACON is a trigonometric polynomial: no DFT energy above its band limits on one period."""
    torch.manual_seed(0)
    f = FIELDS.create("bacon", in_features=1, out_features=1, hidden_features=32, hidden_layers=3,
                      frequency=40.0, half_width=0.5)
    limits = f.band_limits()
    assert limits == [10.0, 15.0, 20.0] and limits[-1] == 40.0 / 2  # m = 5 per filter; Nyquist of f
    n = 256
    x = (torch.arange(n, dtype=torch.float64) / n - 0.5)[:, None]
    with torch.no_grad():
        outs = f.double().multiscale(x)
    for y, limit in zip(outs, limits, strict=True):
        power = torch.fft.rfft(y[:, 0]).abs() ** 2
        assert power[int(limit) + 1:].sum() < 1e-10 * power.sum()  # float32 2 pi k: ~1e-14 leakage
        assert power[int(limit) - 2:int(limit) + 1].sum() > 1e-12 * power.sum()


def test_reuse_and_sdf_preset():
    assert reuse_map(9) == [2, 2, 2, 4, 4, 6, 6, 8, 8] and reuse_map(4) == [0, 0, 3, 3]
    f = FIELDS.create(SDF)
    assert len(f.filters) == 4 and f.filter_of_layer == [0, 0, 0, 1, 1, 2, 2, 3, 3]
    assert f.band_limits()[-1] == 192.0  # 384 / 2 in the [-0.5, 0.5] frame
    counts = f.parameter_counts()
    # used filter phases 4 x 256, 8 hidden linears, read-outs at layers 2, 4, 6, 8
    assert counts["params"] == 4 * 256 + 8 * (256 * 256 + 256) + 4 * 257
    assert counts["params_frozen"] == 4 * 256 * 3


def test_image_counts_and_recipes():
    f = FIELDS.create(IMAGE)
    counts = f.parameter_counts()
    assert counts["params"] == 5 * 256 + 4 * (256 * 256 + 256) + 3 * (256 * 3 + 3) == 266_761
    assert counts["params_frozen"] == 5 * 256 * 2
    image = RECIPES.get("bacon-image")
    assert image.trainer.optim.lr == 5e-3 and image.field.frequency == 512.0
    assert image.config("quick").field.frequency == 192.0
    assert RECIPES.get("bacon-shape").field.reuse_filters


def test_multiscale_losses_average_every_output():
    torch.manual_seed(0)
    f = FIELDS.create("bacon", in_features=2, out_features=1, hidden_features=8, hidden_layers=2)
    x, t = torch.rand(32, 2) * 2 - 1, torch.rand(32, 1)
    out = regression_loss(f, x, t)
    mses = [torch.mean((y - t) ** 2) for y in f.multiscale(x)]
    assert torch.allclose(out["mse"], mses[-1]) and torch.allclose(out["loss"], sum(mses) / 2)
