"""SCONE and its random-binary-mask ablation: counts, init, masks, switches, the collage formula."""

from __future__ import annotations

import math

import pytest
import torch

from inrkit.nn.collage import MASK_KINDS, MaskActivation, MaskActivationConfig, mask_function
from inrkit.ops.coords import grid
from inrkit.registry import FIELDS


@pytest.mark.parametrize("name", ["scone", "scone_rbm"])
@pytest.mark.parametrize(("dims", "expected"), [((2, 3), 192_753), ((3, 3), 194_003), ((3, 1), 193_501)])
def test_parameter_counts(name, dims, expected):
    f = FIELDS.create(name, in_features=dims[0], out_features=dims[1])
    assert len(f.bases) == 4  # hidden_layers=3 -> K = 4 levels
    assert f.parameter_counts() == {"params": expected, "params_deployed": expected, "params_numel": expected,
                                    "params_frozen": 0}


def test_initialisation_ranges():
    torch.manual_seed(0)
    f = FIELDS.create("scone", in_features=2, hidden_features=250, omega_0=30.0)
    first = f.mask_layers[0].linear
    for t in (first.weight, first.bias):  # SIREN first layer, bias also U(±1/d)
        assert t.abs().max() <= 0.5 and t.abs().max() > 0.45
    bound = math.sqrt(6 / 250) / 30
    for lin in [layer.linear for layer in f.mask_layers[1:]] + [f.output]:
        for t in (lin.weight, lin.bias):
            assert t.abs().max() <= bound
            assert t.numel() < 100 or t.abs().max() > 0.9 * bound  # uniform up to the bound
    for basis in f.bases:  # PyTorch default U(±1/sqrt d)
        for t in (basis.linear.weight, basis.linear.bias):
            assert t.abs().max() <= 2 ** -0.5 and t.abs().max() > 0.6


def test_mask_means_fall_with_depth_at_init():
    torch.manual_seed(0)
    f = FIELDS.create("scone")
    x = grid((96, 96), "endpoint").reshape(-1, 2)
    with torch.no_grad():
        means = [m.mean().item() for m in f.masks(x).values()]
        out_std = f(x).std().item()
    for got, want in zip(means, (0.50, 0.27, 0.14, 0.05), strict=True):  # methods.md §7.6
        assert abs(got - want) < 0.04
    assert 1e-3 < out_std < 1e-2


def test_forward_is_the_collage_formula():
    torch.manual_seed(0)
    f = FIELDS.create("scone", hidden_features=16, hidden_layers=1, omegas=(50.0, 20.0, 7.0))
    assert [b.omega for b in f.bases] == [50.0, 20.0]  # entries beyond K are ignored
    x = torch.rand(9, 2) * 2 - 1
    z = x
    for layer, basis, w in zip(f.mask_layers, f.bases, (50.0, 20.0), strict=True):
        m = torch.sin(30.0 * layer.linear(z)) ** 2
        z = m * torch.sin(w * basis.linear(x))  # the basis always reads the raw coordinates
    assert torch.allclose(f(x), f.output(z), atol=1e-6)
    with pytest.raises(ValueError, match="omegas has 2 values for 4"):
        FIELDS.create("scone", omegas=(90.0, 60.0))


@pytest.mark.parametrize("kind", MASK_KINDS)
def test_mask_activations(kind):
    u = torch.linspace(-4, 4, 101)
    expect = {"sin2": torch.sin(u) ** 2, "sigmoid": 1 / (1 + torch.exp(-u)), "gauss": torch.exp(-u ** 2),
              "nsin": (torch.sin(u) + 1) / 2, "ntanh": (torch.tanh(u) + 1) / 2}[kind]
    assert torch.allclose(mask_function(kind, u), expect, atol=1e-6)
    act = MaskActivation(MaskActivationConfig(kind, omega_0=3.0))
    y = act(u / 3.0)
    assert torch.allclose(y, expect, atol=1e-6) and y.min() >= 0 and y.max() <= 1
    f = FIELDS.create("scone", hidden_features=8, hidden_layers=1, mask_activation=kind)
    assert torch.isfinite(f(torch.rand(4, 2))).all()


def test_learnable_scale_is_one_trainable_scalar_per_level():
    base = FIELDS.create("scone", hidden_features=8)
    f = FIELDS.create("scone", hidden_features=8, learnable_scale=True, mask_activation="sigmoid")
    assert f.parameter_counts()["params"] == base.parameter_counts()["params"] + 4
    scales = [layer.activation.scale for layer in f.mask_layers]
    assert all(isinstance(s, torch.nn.Parameter) and s.item() == 30.0 for s in scales)
    f(torch.rand(16, 2)).square().sum().backward()
    assert all(s.grad is not None and s.grad != 0 for s in scales)


def test_frozen_bases_and_no_basis_bias():
    f = FIELDS.create("scone", train_bases=False)
    basis_params = 4 * (2 * 250 + 250)
    assert f.parameter_counts()["params"] == 192_753 - basis_params
    assert f.parameter_counts()["params_frozen"] == basis_params
    trainable = {id(p) for ps in f.param_groups().values() for p in ps}
    assert not any(id(p) in trainable for b in f.bases for p in b.parameters())
    g = FIELDS.create("scone", basis_bias=False)
    assert all(b.linear.bias is None for b in g.bases)
    assert g.parameter_counts()["params"] == 192_753 - 4 * 250


def test_random_binary_masks_are_fixed_and_deterministic():
    x = grid((20, 24), "endpoint").reshape(-1, 2)
    torch.manual_seed(0)
    a = FIELDS.create("scone_rbm", hidden_features=40)
    torch.manual_seed(1)
    b = FIELDS.create("scone_rbm", hidden_features=40)
    ma, mb = a.masks(x), b.masks(x)
    assert list(ma) == ["level1", "level2", "level3", "level4"]
    for k in ma:  # independent of the training seed and of the call
        assert torch.equal(ma[k], mb[k]) and torch.equal(ma[k], a.masks(x)[k])
        assert set(ma[k].unique().tolist()) <= {0.0, 1.0}
        assert abs(ma[k].mean().item() - 0.5) < 0.02  # Bernoulli(0.5)
    assert not torch.equal(ma["level1"], ma["level2"])
    assert len({tuple(r) for r in ma["level1"].tolist()}) == x.shape[0]  # one mask per pixel
    other = FIELDS.create("scone_rbm", hidden_features=40, mask_seed=7)
    assert not torch.equal(other.masks(x)["level1"], ma["level1"])
    y1 = a(x)
    a(x).square().sum().backward()  # training changes parameters, never the masks
    with torch.no_grad():
        for p in a.parameters():
            p.add_(0.01)
    assert torch.equal(a.masks(x)["level1"], ma["level1"]) and not torch.equal(a(x), y1)


def test_rbm_grid_mode_maps_to_nearest_pixel_and_forward_formula():
    f = FIELDS.create("scone_rbm", hidden_features=8, hidden_layers=1, grid_shape=(20, 24))
    x = grid((20, 24), "endpoint").reshape(-1, 2)
    idx = f.pixel_index(x)
    assert torch.equal(idx, torch.stack(torch.meshgrid(torch.arange(20), torch.arange(24), indexing="ij"),
                                        -1).reshape(-1, 2))
    pitch = torch.tensor([2 / 19, 2 / 23])
    near = x + 0.3 * pitch * torch.tensor([1.0, -1.0])  # within half a pixel: the same mask
    assert torch.equal(f.masks(near)["level1"], f.masks(x)["level1"])
    m = f.masks(x)
    z = m["level1"] * f.linears[0](x) * torch.sin(90.0 * f.bases[0].linear(x))
    z = m["level2"] * f.linears[1](z) * torch.sin(60.0 * f.bases[1].linear(x))
    assert torch.allclose(f(x), f.output(z), atol=1e-6)
    with pytest.raises(ValueError, match="grid_shape"):
        FIELDS.create("scone_rbm", grid_shape=(20, 24, 3))
