"""FR (methods.md §9.5): the basis by hand, W = Lambda B, init bounds, merging and counting."""

from __future__ import annotations

import math

import torch

from inrkit.methods.fr import FourierLinear, fourier_basis
from inrkit.registry import FIELDS, RECIPES


def test_basis_rows_by_hand():
    b = fourier_basis(3, low=2, high=1, phases=2, alpha=0.5)
    # f = (1/2, 1, 1); T = 2 pi / (1/2) = 4 pi; p = (-2 pi, 0, 2 pi); phi = (0, pi)
    p = [-2 * math.pi, 0.0, 2 * math.pi]
    expected = [[0.5 * math.cos(f * x + ph) for x in p] for f in (0.5, 1.0, 1.0) for ph in (0.0, math.pi)]
    assert b.shape == (6, 3) and torch.allclose(b, torch.tensor(expected), atol=1e-6)


def test_fourier_linear_weight_and_init_bound():
    torch.manual_seed(0)
    basis = fourier_basis(8, low=4, high=4, phases=2, alpha=0.05)
    lin = FourierLinear(8, 5, basis, omega_0=30.0)
    bound = math.sqrt(6 / 16) / basis.norm(dim=1) / 30.0
    assert (lin.coefficients.abs() <= bound).all() and torch.equal(lin.bias, torch.zeros(5))
    x = torch.randn(3, 8)
    assert torch.allclose(lin(x), x @ (lin.coefficients @ basis).T, atol=1e-6)


def test_merged_network_is_the_same_function_and_counts_both():
    torch.manual_seed(0)
    f = FIELDS.create("fr", hidden_features=16, hidden_layers=2, low_frequencies=4, high_frequencies=4, phases=4)
    x = torch.rand(10, 2) * 2 - 1
    plain = f.merged()
    assert torch.allclose(plain(x), f(x), atol=1e-6)
    counts = f.parameter_counts()
    assert counts["params_merged"] == plain.parameter_counts()["params"] == (2 * 16 + 16) + 2 * (16 * 16 + 16) + 51
    assert counts["params"] == counts["params_merged"] + 2 * (16 * 32 - 16 * 16)  # Lambda is 16 x M, M = 32
    assert "fr-image" in RECIPES.names()
