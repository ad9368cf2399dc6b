"""MFN (methods.md §9.1): the multiplicative recursion by hand and the reference parameter count."""

from __future__ import annotations

import torch

from inrkit.registry import FIELDS, RECIPES


def test_recursion_by_hand():
    torch.manual_seed(0)
    f = FIELDS.create("mfn_gabor", in_features=2, out_features=1, hidden_features=4, hidden_layers=1)
    x = torch.rand(5, 2)

    def g(k):
        flt = f.filters[k]
        dist = ((x[:, None, :] - flt.mu) ** 2).sum(-1)
        return torch.sin(x @ flt.linear.weight.T + flt.linear.bias) * torch.exp(-0.5 * flt.gamma * dist)

    z = (g(0) @ f.linears[0].weight.T + f.linears[0].bias) * g(1)
    assert torch.allclose(f(x), z @ f.output.weight.T + f.output.bias, atol=1e-6)


def test_reference_counts_and_recipes():
    gabor = FIELDS.create("mfn_gabor", in_features=3, out_features=3, hidden_features=256, hidden_layers=3)
    assert gabor.parameter_counts()["params"] == 206_339  # methods.md §0.3 (SCONE video table 206.3K)
    fourier = FIELDS.create("mfn_fourier", in_features=3, out_features=3, hidden_features=256, hidden_layers=3)
    assert fourier.parameter_counts()["params"] == 206_339 - 4 * 256 * 4
    assert {"mfn_fourier-image", "mfn_gabor-image"} <= set(RECIPES.names())
