"""sinc (methods.md §9.3): hand-computed values of sin(omega z) / (omega z) and its gradient at 0."""

from __future__ import annotations

import math

import torch

from inrkit.registry import ACTIVATIONS, FIELDS, TABLES


def test_sinc_values_and_gradient_at_zero():
    act = ACTIVATIONS.create("sinc")  # omega = pi
    z = torch.tensor([0.0, 0.5, 1.0, -1.5], requires_grad=True)
    y = act(z)
    expected = torch.tensor([1.0, 2 / math.pi, 0.0, -2 / (3 * math.pi)])
    assert torch.allclose(y, expected, atol=1e-6)
    (g,) = torch.autograd.grad(y[0], z)
    assert torch.isfinite(g).all() and abs(g[0].item()) < 1e-6  # d/dz sinc at 0 is 0
    assert torch.allclose(ACTIVATIONS.create("sinc", omega_0=2.0)(torch.tensor([0.25])),
                          torch.tensor([math.sin(0.5) / 0.5]))


def test_sinc_joins_the_open_tables_by_its_one_file():
    assert FIELDS.create("sinc").parameter_counts()["params"] == FIELDS.create("siren").parameter_counts()["params"]
    for table in ("baselines-image", "sasnet-table1", "siren-audio", "sasnet-table3", "sasnet-table2"):
        assert "sinc" in [r.label for r in TABLES.get(table).all_rows()], table
