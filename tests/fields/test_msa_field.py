"""MSA field: layer counting, parameter counts, per-block frequencies, init and float64."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from inrkit.fields.msa import MSA_PRESETS, MSANet
from inrkit.nn.msa import msa_frequencies
from inrkit.registry import FIELDS


@pytest.mark.parametrize(("kw", "expected"), [
    (dict(in_features=2, out_features=3, hidden_layers=3, hidden_features=256), 198_915),  # colour image 4x256
    (dict(in_features=1, out_features=1, hidden_layers=3, hidden_features=256), 198_145),  # methods.md §0.3
    (dict(in_features=2, out_features=3, hidden_layers=3, hidden_features=400), 483_603),
    (dict(in_features=3, out_features=3, hidden_layers=2, hidden_features=400), 323_603),
    (dict(in_features=3, out_features=1, hidden_layers=2, hidden_features=256), 132_865),
])
def test_parameter_counts(kw, expected):
    f = FIELDS.create("msa", **kw)
    assert f.parameter_counts() == {"params": expected, "params_deployed": expected, "params_numel": expected,
                                    "params_frozen": 0}


@pytest.mark.parametrize(("preset", "expected"), [("1d", 198_145), ("image", 483_603), ("video", 323_603),
                                                  ("occupancy", 132_865), ("sdf", 132_865)])
def test_preset_counts(preset, expected):
    assert MSANet(MSA_PRESETS[preset]).parameter_counts()["params"] == expected


def test_blocks_and_per_block_frequencies():
    f = FIELDS.create("msa", hidden_features=16, hidden_layers=3, s_min=(1.0, 1.0, 1.0, 0.0),
                      s_max=(5.5, 5.5, 5.5, 0.8))
    assert len(f.net.layers) == 4  # hidden_layers + 1 blocks, then the linear read-out
    ladders = f.frequencies()
    assert torch.allclose(ladders[0], msa_frequencies(16, 1.0, 5.5))
    assert torch.allclose(ladders[3], msa_frequencies(16, 0.0, 0.8))
    g = FIELDS.create("msa", hidden_features=8, hidden_layers=2, s_min=(0.5,), s_max=2.0)  # broadcast
    assert all(torch.allclose(w, msa_frequencies(8, 0.5, 2.0)) for w in g.frequencies())
    assert len(FIELDS.create("msa", hidden_layers=0, hidden_features=8).net.layers) == 1
    with pytest.raises(ValueError, match="s_min has 2 values for 4 MSA blocks"):
        FIELDS.create("msa", hidden_features=8, s_min=(1.0, 2.0))


def test_spacing_options_reach_every_block():
    f = FIELDS.create("msa", hidden_features=8, hidden_layers=1, spacing="uniform_random", spacing_seed=3)
    a, b = f.frequencies()
    assert not torch.equal(a, b)  # block i uses seed + i
    assert torch.equal(a, msa_frequencies(8, 1.0, 5.0, "uniform_random", 3))
    g = FIELDS.create("msa", hidden_features=8, hidden_layers=1, amplitude_modulation=False)
    assert all(not layer.activation.cfg.amplitude_modulation for layer in g.net.layers)


def test_pytorch_default_init():
    torch.manual_seed(0)
    f = FIELDS.create("msa", in_features=2, hidden_features=256, hidden_layers=1)
    first, hidden, out = f.net.layers[0].linear, f.net.layers[1].linear, f.net.output
    for lin, n in ((first, 2), (hidden, 256), (out, 256)):
        bound = n ** -0.5
        assert lin.weight.abs().max() <= bound and lin.weight.abs().max() > 0.9 * bound
        assert lin.bias.abs().max() <= bound


def test_float64_converts_parameters_and_frequencies():
    cfg = replace(MSA_PRESETS["1d"], hidden_features=16)
    f = MSANet(cfg)
    assert all(p.dtype == torch.float64 for p in f.parameters())
    assert all(layer.activation.omega.dtype == torch.float64 for layer in f.net.layers)
    assert torch.equal(f.net.layers[0].activation.omega, msa_frequencies(16, 1.0, 5.5))
    y = f(torch.linspace(-1, 1, 7, dtype=torch.float64)[:, None])
    assert y.dtype == torch.float64 and y.shape == (7, 1)
    with pytest.raises(ValueError, match="dtype"):
        FIELDS.create("msa", dtype="float16")
