"""Initialisation statistics: activation and output spread at init stay inside a band."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from inrkit.registry import FIELDS


def hidden_and_output(field, x):
    h = field.net.features(x)
    return h, field(x)


@pytest.mark.parametrize("name", ["siren", "finer"])
@pytest.mark.parametrize("width", [64, 256])
@pytest.mark.parametrize("depth", [1, 4])
@pytest.mark.parametrize("omega", [10.0, 30.0, 60.0])
def test_sine_activations_keep_arcsine_spread(name, width, depth, omega):
    """SIREN's init keeps sin activations ~ arcsine distributed (std 1/sqrt 2) at every depth."""
    torch.manual_seed(0)
    act = FIELDS.default_config(name).activation
    f = FIELDS.create(name, hidden_features=width, hidden_layers=depth, first_activation=replace(act, omega_0=omega),
                      activation=replace(act, omega_0=omega))
    x = torch.rand(4096, 2) * 2 - 1
    with torch.no_grad():
        h, y = hidden_and_output(f, x)
    assert 0.55 < h.std().item() < 0.85
    # read-out U(±sqrt(6/H)/omega) on unit-variance-ish features: std ~ 1/omega plus the bias spread
    assert y.std().item() < 3.0 / omega + 0.1
    assert y.std().item() > 0.1 / omega


@pytest.mark.parametrize("name", FIELDS.names())
@pytest.mark.parametrize("width", [32, 128])
@pytest.mark.parametrize("depth", [1, 3])
def test_every_field_output_spread_is_bounded(name, width, depth):
    torch.manual_seed(0)
    f = FIELDS.create(name, hidden_features=width, hidden_layers=depth)
    with torch.no_grad():
        y = f(torch.rand(2048, 2) * 2 - 1)
    assert torch.isfinite(y).all()
    assert 1e-4 < y.std().item() < 5.0
