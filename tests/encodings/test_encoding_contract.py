"""Contract tests over every registered encoding (alone and as the encoding of an ``mlp`` field).

A new encoding registered in one file is picked up here with no other edit.
"""

from __future__ import annotations

import pytest
import torch
from torch.func import functional_call, vmap

from inrkit.registry import ENCODINGS, FIELDS

ALL = ENCODINGS.names()


def encoding(name: str, d: int = 2):
    return ENCODINGS.create(name, in_features=d)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
def test_shapes_and_finite_values(name, d, batch):
    torch.manual_seed(0)
    enc = encoding(name, d)
    assert enc.in_features == d
    out = enc(torch.rand(*batch, d) * 2 - 1)
    assert out.shape == (*batch, enc.out_features) and torch.isfinite(out).all()


@pytest.mark.parametrize("name", ALL)
def test_input_gradients_and_no_side_effects(name):
    torch.manual_seed(0)
    enc = encoding(name)
    x = (torch.rand(32, 2) * 1.8 - 0.9).requires_grad_(True)
    before = {k: v.clone() for k, v in enc.state_dict().items()}
    out = enc(x)
    assert torch.equal(out, enc(x))
    assert all(torch.equal(before[k], v) for k, v in enc.state_dict().items())
    weights = torch.randn(out.shape[-1])  # a random read-out (|gamma|^2 is constant for Fourier features)
    (g,) = torch.autograd.grad((out * weights).sum(), x)
    assert torch.isfinite(g).all() and g.abs().sum() > 0


@pytest.mark.parametrize("name", ALL)
def test_vmap_over_stacked_copies(name):
    torch.manual_seed(0)
    encs = [encoding(name) for _ in range(2)]
    state = {k: torch.stack([dict(e.named_parameters(), **dict(e.named_buffers()))[k] for e in encs])
             for k in dict(encs[0].named_parameters(), **dict(encs[0].named_buffers()))}
    x = torch.rand(2, 9, 2) * 2 - 1
    out = vmap(lambda s, xi: functional_call(encs[0], s, (xi,)))(state, x)
    for i, e in enumerate(encs):
        assert torch.allclose(out[i], e(x[i]), atol=1e-6)


@pytest.mark.parametrize("name", ALL)
def test_encoding_feeds_an_mlp_field(name):
    torch.manual_seed(0)
    f = FIELDS.create("mlp", in_features=3, out_features=2, hidden_features=16, hidden_layers=1,
                      encoding=ENCODINGS.default_config(name))
    assert f.encoding.in_features == 3  # the field's coordinate dimension wins over the encoding default
    assert f(torch.rand(4, 3)).shape == (4, 2)
