"""Contract tests over every registered activation: each one becomes a working ``mlp`` field.

A new activation registered in one file is picked up here with no other edit.
"""

from __future__ import annotations

import pytest
import torch

from inrkit.config import override
from inrkit.fields.siren import SirenConfig
from inrkit.registry import ACTIVATIONS, FIELDS

ALL = ACTIVATIONS.names()


def field_with(name: str, in_features: int = 2, out_features: int = 3, width: int = 16):
    cfg = FIELDS.default_config("mlp", in_features=in_features, out_features=out_features, hidden_features=width,
                                hidden_layers=2, activation=ACTIVATIONS.default_config(name))
    return FIELDS.create(cfg)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("batch", [(), (7,), (2, 3)])
def test_activation_builds_an_mlp_with_real_finite_outputs(name, batch):
    torch.manual_seed(0)
    f = field_with(name)
    y = f(torch.rand(*batch, 2) * 2 - 1)
    assert y.shape == (*batch, 3) and y.dtype == torch.float32 and torch.isfinite(y).all()


@pytest.mark.parametrize("name", ALL)
def test_activation_field_has_finite_gradients_and_bounded_init_spread(name):
    torch.manual_seed(0)
    f = field_with(name, width=64)
    x = (torch.rand(512, 2) * 2 - 1).requires_grad_(True)
    y = f(x)
    assert 0.0 < y.std().item() < 10.0  # the activation's own init keeps the output in a sane band
    (gx,) = torch.autograd.grad(y.square().sum(), x, retain_graph=True)
    assert torch.isfinite(gx).all()
    y.square().sum().backward()
    grads = [p.grad for p in f.parameters() if p.requires_grad]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_init(name):
    def weights(seed):
        torch.manual_seed(seed)
        return torch.cat([torch.view_as_real(p).flatten() if p.is_complex() else p.flatten()
                          for p in field_with(name).parameters()])

    assert torch.equal(weights(1), weights(1)) and not torch.equal(weights(1), weights(2))


@pytest.mark.parametrize("name", [n for n in ALL if ACTIVATIONS.get(n).smooth])
def test_double_backward_of_smooth_activations(name):
    torch.manual_seed(0)
    f = field_with(name, out_features=1)
    assert f.supports_double_backward
    x = (torch.rand(16, 2) * 2 - 1).requires_grad_(True)
    (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g[:, 0].sum(), x)
    assert torch.isfinite(h).all()


@pytest.mark.parametrize("name", ALL)
def test_swapping_the_activation_by_set(name):
    cfg = override(SirenConfig(hidden_features=8, hidden_layers=1), "activation.type", name)
    cfg = override(cfg, "first_activation", name)
    assert cfg.activation == ACTIVATIONS.default_config(name)
    assert FIELDS.create(cfg)(torch.zeros(4, 2)).shape == (4, 3)
