"""MSA activation: frequency ladders, amplitude modulation, spacings, last-dimension application."""

from __future__ import annotations

import math

import pytest
import torch

from inrkit.nn.msa import MSA, MSAConfig, msa_frequencies


def test_log_ladder_is_base10_increasing_one_per_channel():
    w = msa_frequencies(5, 1.0, 3.0)
    assert w.dtype == torch.float64
    assert torch.allclose(w, torch.tensor([10.0, 10 ** 1.5, 100.0, 10 ** 2.5, 1000.0], dtype=torch.float64),
                          rtol=1e-14)
    assert msa_frequencies(1, 1.3, 4.0).tolist() == [10 ** 1.3]  # a single channel gets 10^s_min


def test_linear_and_uniform_random_spacings():
    lin = msa_frequencies(4, 0.0, 2.0, "linear")
    assert torch.allclose(lin, torch.tensor([1.0, 34.0, 67.0, 100.0], dtype=torch.float64))
    a = msa_frequencies(64, 1.0, 3.0, "uniform_random", seed=5)
    assert torch.equal(a, msa_frequencies(64, 1.0, 3.0, "uniform_random", seed=5))  # seeded
    assert not torch.equal(a, msa_frequencies(64, 1.0, 3.0, "uniform_random", seed=6))
    assert a.min() >= 10.0 and a.max() <= 1000.0 and torch.all(a[1:] >= a[:-1])
    state = torch.get_rng_state()
    MSA(MSAConfig(features=8, spacing="uniform_random"))
    assert torch.equal(state, torch.get_rng_state())  # construction leaves the global RNG alone
    with pytest.raises(ValueError, match="spacing"):
        msa_frequencies(4, 0.0, 1.0, "cubic")


@pytest.mark.parametrize("amplitude", [True, False])
def test_values_with_and_without_amplitude_modulation(amplitude):
    act = MSA(MSAConfig(features=4, s_min=0.0, s_max=2.0, amplitude_modulation=amplitude)).double()
    z = torch.tensor([[0.3, -0.2, 0.05, 0.7]], dtype=torch.float64)
    w = [10 ** (2 * i / 3) for i in range(4)]
    expect = [math.sin(wi * zi) / (wi if amplitude else 1.0) for wi, zi in zip(w, z[0].tolist(), strict=True)]
    assert torch.allclose(act(z)[0], torch.tensor(expect, dtype=torch.float64), rtol=1e-12, atol=1e-15)
    if amplitude:  # bounded by 1/omega, slope cos(omega z) in [-1, 1]
        zz = torch.randn(100, 4, dtype=torch.float64, requires_grad=True)
        y = act(zz)
        assert torch.all(y.abs() <= 1 / torch.tensor(w, dtype=torch.float64) + 1e-15)
        (g,) = torch.autograd.grad(y.sum(), zz)
        assert g.abs().max() <= 1 + 1e-12


def test_applies_along_the_last_dimension_for_any_leading_shape():
    act = MSA(MSAConfig(features=6, s_min=1.0, s_max=2.0))
    z = torch.randn(2, 5, 6)  # [B, N, C]: the official code would read C from dim 1
    w = msa_frequencies(6, 1.0, 2.0).float()
    assert torch.allclose(act(z), torch.sin(w * z) / w)
    assert act(z[0, 0]).shape == (6,)
    with pytest.raises(ValueError, match="last dimension"):
        act(torch.randn(6, 5))


def test_frequencies_are_a_non_persistent_buffer_recast_exactly():
    act = MSA(MSAConfig(features=8, s_min=1.0, s_max=5.0))
    assert "omega" not in act.state_dict() and not list(act.parameters())
    assert act.omega.dtype == torch.float32
    act = act.double()
    assert act.omega.dtype == torch.float64
    assert torch.equal(act.omega, msa_frequencies(8, 1.0, 5.0))  # exact, not the rounded float32 ladder
    act = act.float().double()
    assert torch.equal(act.omega, msa_frequencies(8, 1.0, 5.0))
