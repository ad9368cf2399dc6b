"""INCODE (methods.md §9.8): composer and harmoniser by hand, init statistics, binding, counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from inrkit.errors import InputError
from inrkit.nn.harmonizer import dct_matrix, mel_filterbank, mfcc
from inrkit.registry import FIELDS, RECIPES
from inrkit.signals.base import Signal


def small(**kw):
    return FIELDS.create("incode", in_features=2, out_features=1, hidden_features=8, hidden_layers=1,
                         condition_size=16, **kw)


def test_composer_and_harmoniser_by_hand():
    torch.manual_seed(0)
    f = small()
    f.bind_signal(Signal(np.random.rand(20, 24, 3).astype(np.float32), "image"))
    x = torch.rand(6, 2) * 2 - 1
    feats = f.prior(f.condition[None]).mean(dim=(-2, -1))  # GAP of the ResNet front, [1, 64]
    lins = [m for m in f.harmonizer if isinstance(m, torch.nn.Linear)]
    h = torch.nn.functional.silu(lins[0](feats))
    a, b, c, d = lins[2](torch.nn.functional.silu(lins[1](h)))[0]
    assert torch.allclose(f.coefficients()[1], torch.stack([a, b, c, d]), atol=1e-6)

    def layer(lin, h):
        return math.e ** a * torch.sin(math.e ** b * 30.0 * lin(h) + c) + d

    y = f.output(layer(f.layers[1], layer(f.layers[0], x)))
    assert torch.allclose(f(x), y, atol=1e-5)
    out, reg = f.forward_and_regularization(x)
    assert torch.equal(out, f(x)) and reg["coef_reg"].item() == 0.0  # positive coefficients at init


def test_regulariser_penalises_negative_coefficients():
    f = small(per_layer=True)
    coef = torch.tensor([[-1.0, 2.0, -3.0, 0.5], [0.0, -2.0, 1.0, -4.0]])
    assert f._penalty(coef).item() == pytest.approx(0.1993 + 3 * 0.0588 + 2 * 0.0196 + 4 * 0.0269)
    assert f.coefficients().shape == (2, 4) and not torch.equal(f.coefficients()[0], f.coefficients()[1])
    shared = small()
    assert shared._penalty(coef[:1].expand(2, 4)).item() == pytest.approx(0.1993 + 3 * 0.0588)


def test_init_statistics():
    torch.manual_seed(0)
    f = FIELDS.create("incode", hidden_features=256, hidden_layers=3)
    lins = [m for m in f.harmonizer if isinstance(m, torch.nn.Linear)]
    w = torch.cat([lin.weight.flatten() for lin in lins])
    # trunc-normal(std 1e-3) cut at ±2 (absolute, torch and code default): a normal in practice
    assert abs(w.std().item() - 1e-3) < 1e-4 and w.abs().max() < 6e-3
    assert all(torch.all(lin.bias == 0.3120) for lin in lins)
    coef = f.coefficients()
    assert torch.allclose(coef, torch.full_like(coef, 0.312), atol=0.01)  # e^a ~ e^b ~ 1.37 at init
    assert f.layers[0].weight.abs().max() <= 0.5 and f.layers[1].weight.abs().max() <= math.sqrt(6 / 256) / 30
    assert f.output.weight.abs().max() <= math.sqrt(6 / 256) / 30
    with torch.no_grad():
        y = f(torch.rand(2048, 2) * 2 - 1)
    assert 1e-3 < y.std().item() < 1.0


def test_binding_changes_the_coefficients_and_checks_the_kind():
    torch.manual_seed(0)
    f = small()
    before = f.coefficients().detach().clone()
    f.bind_signal(Signal(np.linspace(0, 1, 30 * 30, dtype=np.float32).reshape(30, 30, 1), "image"))
    assert f.condition.shape == (3, 16, 16) and torch.equal(f.condition[0], f.condition[2])  # grey -> 3 channels
    assert not torch.equal(before, f.coefficients())  # tiny at init: the MLP weights are ~1e-3
    with pytest.raises(InputError, match="needs an image"):
        f.bind_signal(Signal(np.zeros((100, 1), np.float32), "audio"))
    state = f.state_dict()
    assert "condition" in state  # saved with the weights


def test_build_binds_the_signal():
    from inrkit.train.run import build

    cfg = RECIPES.get("incode-image").config("quick", "builtin:camera")
    signal = Signal(np.random.rand(12, 12, 3).astype(np.float32), "image")
    cfg = cfg.__class__(**{**cfg.__dict__, "field": cfg.field.__class__(**{**cfg.field.__dict__,
                                                                            "condition_size": 8})})
    _, _, field = build(cfg, signal=signal)
    assert field.condition.abs().sum() > 0


def test_mfcc_parts():
    fb = mel_filterbank(201, 50, 16_000)
    assert fb.shape == (201, 50) and fb.max() <= 1.0 and (fb.sum(0) > 0).all()
    dct = dct_matrix(50, 50)
    assert torch.allclose(dct.T @ dct, torch.eye(50, dtype=torch.float64), atol=1e-10)  # orthonormal DCT-II
    t = torch.arange(16_000) / 16_000
    coeffs = mfcc(torch.sin(2 * math.pi * 440 * t), 16_000)
    assert coeffs.shape == (50, (16_000 - 400) // 160 + 1) and torch.isfinite(coeffs).all()
    audio = FIELDS.create("incode", in_features=1, out_features=1, hidden_features=8, hidden_layers=1, prior="mfcc")
    audio.bind_signal(Signal(np.sin(np.arange(4000) / 7.0)[:, None].astype(np.float32), "audio",
                             (-1.0, 1.0), {"sample_rate": 8000}))
    assert audio.condition.shape == (50,) and audio.condition.abs().sum() > 0


def test_counts_and_recipes():
    f = FIELDS.create("incode", in_features=2, out_features=3, hidden_features=256, hidden_layers=3)
    counts = f.parameter_counts()
    assert counts["params_composer"] == 198_915  # the SIREN 4 x 256 it conditions
    # ResNet-34 front 9,408 + 128 + 3 x (2 x 36,864 + 2 x 128); MLP 64-64-32-4
    assert counts["params_harmonizer"] == 9408 + 128 + 3 * (2 * 36_864 + 256) + (64 * 64 + 64) + (64 * 32 + 32) + 132
    assert RECIPES.get("incode-image").trainer.optim.lr == 9e-4
    audio = RECIPES.get("incode-audio")
    assert audio.field.prior == "mfcc" and audio.field.first_omega_0 == 3000.0
