"""Contract tests parametrised over every registered field."""

from __future__ import annotations

import pytest
import torch

from inrkit.encodings.gaussian_fourier import GaussianFourierConfig
from inrkit.nn.activations import SineConfig
from inrkit.registry import FIELDS

ALL = FIELDS.names()


def small(name: str, **kw):
    cfg = FIELDS.default_config(name)
    sizes = {"hidden_features": 32, "hidden_layers": 2}
    sizes = {k: v for k, v in sizes.items() if hasattr(cfg, k)}
    return FIELDS.create(name, **{**sizes, **kw})


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
@pytest.mark.parametrize("dims", [(2, 3), (3, 1)])
def test_shapes_for_any_leading_batch(name, batch, dims):
    torch.manual_seed(0)
    f = small(name, in_features=dims[0], out_features=dims[1])
    y = f(torch.rand(*batch, dims[0]) * 2 - 1)
    assert y.shape == (*batch, dims[1])
    assert y.dtype == torch.float32
    assert torch.isfinite(y).all()


@pytest.mark.parametrize("name", ALL)
def test_finite_gradients_for_parameters_and_inputs(name):
    torch.manual_seed(0)
    f = small(name)
    x = (torch.rand(64, 2) * 2 - 1).requires_grad_(True)
    y = f(x)
    (gx,) = torch.autograd.grad(y.square().sum(), x, retain_graph=True)
    assert torch.isfinite(gx).all()
    loss = y.square().sum()
    if hasattr(f, "multiscale"):  # BACON's coarser read-outs are trained through multiscale() only
        loss = loss + sum(o.square().sum() for o in f.multiscale(x))
    loss.backward()
    grads = [p.grad for p in f.parameters() if p.requires_grad]
    assert grads and all(g is not None and torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_init_and_different_seed_differs(name):
    def weights(seed):
        torch.manual_seed(seed)
        return torch.cat([torch.view_as_real(p).flatten() if p.is_complex() else p.flatten()
                          for p in small(name).parameters()])

    assert torch.equal(weights(3), weights(3))
    assert not torch.equal(weights(3), weights(4))


@pytest.mark.parametrize("name", ALL)
def test_forward_has_no_side_effects(name):
    torch.manual_seed(0)
    f = small(name)
    x = torch.rand(10, 2)
    before = {k: v.clone() for k, v in f.state_dict().items()}
    y1, y2 = f(x), f(x)
    assert torch.equal(y1, y2)
    assert all(torch.equal(before[k], v) for k, v in f.state_dict().items())


@pytest.mark.parametrize("name", [n for n in ALL if small(n).supports_double_backward])
def test_double_backward_where_declared(name):
    torch.manual_seed(0)
    f = small(name, out_features=1)
    x = (torch.rand(16, 2) * 2 - 1).requires_grad_(True)
    (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g[:, 0].sum(), x, create_graph=True)
    assert torch.isfinite(h).all() and h.abs().sum() > 0
    h.sum().backward()
    assert all(torch.isfinite(p.grad).all() for p in f.parameters() if p.grad is not None)


@pytest.mark.parametrize("name", ALL)
def test_param_groups_cover_all_trainable_parameters(name):
    f = small(name)
    grouped = [p for ps in f.param_groups().values() for p in ps]
    trainable = [p for p in f.parameters() if p.requires_grad]
    assert len(grouped) == len(trainable)
    assert {id(p) for p in grouped} == {id(p) for p in trainable}


@pytest.mark.parametrize(("name", "kw", "expected"), [
    ("siren", dict(in_features=2, out_features=3, hidden_layers=2, hidden_features=256), 133_123),
    ("siren", dict(in_features=2, out_features=3, hidden_layers=3, hidden_features=256), 198_915),
    ("siren", dict(in_features=3, out_features=3, hidden_layers=3, hidden_features=256), 199_171),
    ("finer", dict(in_features=2, out_features=3, hidden_layers=3, hidden_features=256), 198_915),
    ("ffn", dict(in_features=3, out_features=3, hidden_layers=2, hidden_features=256,
                 encoding=GaussianFourierConfig(num_frequencies=128)),
     198_147),
])
def test_reference_parameter_counts(name, kw, expected):
    assert FIELDS.create(name, **kw).parameter_counts()["params"] == expected


def test_wire_width_rule_and_complex_counting():
    f = FIELDS.create("wire", in_features=3, out_features=3, hidden_features=360, hidden_layers=3)
    assert f.hidden_width == 254
    counts = f.parameter_counts()
    assert counts["params_numel"] == 196_091  # SCONE's table (numel)
    assert counts["params"] == 391_166  # real-equivalent
    g = FIELDS.create("wire", hidden_features=256, width_rule="as_given")
    assert g.hidden_width == 256


def test_pe_encoding_width_and_order():
    from inrkit.encodings.positional import Positional, PositionalConfig

    enc = Positional(PositionalConfig(in_features=2, num_frequencies=10))
    assert enc.out_features == 42
    x = torch.tensor([[0.3, -0.2]])
    out = enc(x)[0]
    assert torch.allclose(out[:2], x[0])
    assert torch.allclose(out[2:4], torch.sin(x[0]))  # k = 0, c = 1: sines of all coordinates first
    assert torch.allclose(out[4:6], torch.cos(x[0]))
    assert torch.allclose(out[6:8], torch.sin(2 * x[0]))


def test_finer_scale_is_detached_unless_asked():
    from inrkit.nn.activations import Finer, FinerConfig

    z = torch.tensor([0.5], requires_grad=True)
    for scale_grad, expected in [(False, 30 * 1.5 * torch.cos(torch.tensor(30 * 1.5 * 0.5))),
                                 (True, 30 * (2 * 0.5 + 1) * torch.cos(torch.tensor(30 * 1.5 * 0.5)))]:
        (g,) = torch.autograd.grad(Finer(FinerConfig(30.0, None, scale_grad))(z).sum(), z)
        assert torch.allclose(g, expected.reshape(1), atol=1e-4)


def test_siren_initialisation_ranges():
    f = FIELDS.create("siren", hidden_features=64, hidden_layers=2, first_activation=SineConfig(30.0),
                      activation=SineConfig(20.0))
    first, hidden = f.net.layers[0].linear, f.net.layers[1].linear
    assert first.weight.abs().max() <= 1 / 2 + 1e-6  # U(±1/n), n = 2
    assert hidden.weight.abs().max() <= (6 / 64) ** 0.5 / 20 + 1e-6
    assert f.net.output.weight.abs().max() <= (6 / 64) ** 0.5 / 20 + 1e-6
    assert hidden.weight.abs().max() > 0.8 * (6 / 64) ** 0.5 / 20


@pytest.mark.parametrize("name", ALL)
def test_saved_weights_load_back_into_a_fresh_field(name, tmp_path):
    """Every field's state dict survives ``save_weights`` (safetensors refuses tensors sharing memory)."""
    from inrkit.train.checkpoint import load_weights, save_weights

    torch.manual_seed(0)
    f = small(name, in_features=2, out_features=3)
    save_weights(tmp_path / "model.safetensors", f)
    torch.manual_seed(1)
    g = small(name, in_features=2, out_features=3)
    load_weights(tmp_path / "model.safetensors", g)
    x = torch.rand(16, 2) * 2 - 1
    assert torch.equal(f(x), g(x))
