"""STAF (methods.md §9.9): the sum of sinusoids by hand, init statistics, counts and recipes."""

from __future__ import annotations

import math

import torch

from inrkit.registry import ACTIVATIONS, FIELDS, RECIPES


def test_sum_of_sinusoids_by_hand():
    act = ACTIVATIONS.create("staf", tau=2)
    with torch.no_grad():
        act.w.copy_(torch.tensor([1.0, 3.0]))
        act.phi.copy_(torch.tensor([0.0, math.pi / 2]))
        act.b.copy_(torch.tensor([2.0, -0.5]))
    z = torch.tensor([[0.0, 0.4], [-1.0, math.pi]])
    expected = [[2 * math.sin(v) - 0.5 * math.sin(3 * v + math.pi / 2) for v in row] for row in z.tolist()]
    assert torch.allclose(act(z), torch.tensor(expected), atol=1e-6)
    skip = ACTIVATIONS.create("staf", tau=2, skip=True)
    skip.load_state_dict(act.state_dict())
    assert torch.allclose(skip(z), act(z) + z, atol=1e-6)


def test_per_neuron_triples():
    act = ACTIVATIONS.create("staf", tau=3, per_neuron=True, features=4)
    assert act.w.shape == act.phi.shape == act.b.shape == (4, 3)
    z = torch.randn(7, 4)
    manual = torch.stack([(act.b[j] * torch.sin(act.w[j] * z[:, j:j + 1] + act.phi[j])).sum(-1)
                          for j in range(4)], dim=-1)
    assert torch.allclose(act(z), manual, atol=1e-6)
    cfg = ACTIVATIONS.default_config("staf", per_neuron=True, skip=True)
    f = FIELDS.create("staf", hidden_features=16, hidden_layers=1, activation=cfg)
    assert f.net.layers[1].activation.w.shape == (16, 5)  # the mlp fills in the width


def test_init_statistics():
    torch.manual_seed(0)
    tau, n = 5, 20_000
    w, phi, b = [], [], []
    for _ in range(n // tau):
        act = ACTIVATIONS.create("staf", omega_0=30.0, tau=tau)
        w.append(act.w.detach()), phi.append(act.phi.detach()), b.append(act.b.detach())
    w, phi, b = torch.cat(w), torch.cat(phi), torch.cat(b)
    assert w.min() >= 0 and w.max() <= 30 and abs(w.mean().item() - 15) < 0.5  # omega_0 U(0, 1)
    assert phi.abs().max() <= math.pi and abs(phi.mean().item()) < 0.1  # U(±pi)
    # b^2 = |l| with l ~ Laplace(0, 1/(2 tau)): E b^2 = 1/(2 tau), signs balanced
    assert abs(b.square().mean().item() - 1 / (2 * tau)) < 0.01 and abs(torch.sign(b).mean().item()) < 0.05
    f = FIELDS.create("staf")
    first, hidden = f.net.layers[0].linear, f.net.layers[1].linear
    assert first.weight.abs().max() <= 1 / math.sqrt(2) and hidden.weight.abs().max() <= 1 / 16  # PyTorch default
    with torch.no_grad():
        y = f(torch.rand(2048, 2) * 2 - 1)
    assert 1e-3 < y.std().item() < 5.0


def test_preset_counts_and_recipes():
    f = FIELDS.create("staf", in_features=2, out_features=3, hidden_features=256, hidden_layers=3)
    assert f.parameter_counts()["params"] == 198_915 + 4 * 15  # SIREN-sized mlp + 3 tau per layer
    acts = [layer.activation for layer in f.net.layers]
    assert [a.skip for a in acts] == [False, True, True, True]  # no skip in the first layer [code]
    assert acts[0].w.max() > 30  # first omega_0 60
    assert RECIPES.get("staf-image").trainer.optim.lr == 1e-3
    audio = RECIPES.get("staf-audio")
    assert audio.trainer.optim.lr == 2.5e-4 and audio.field.activation.skip is False
    assert {"staf-image", "staf-image-sasnet", "staf-audio", "staf-occupancy"} <= set(RECIPES.names())
