"""Tests for the SASNet FEmb layer (methods.md section 8.2)."""

import itertools
import math

import numpy as np
import pytest
import torch
from torch import nn

from inrkit.nn.femb import FEmbFrequencies, FrequencyEmbedding, sample_femb_frequencies

# (n, d, B, L, p, K) -> (#LOW, #HIGH, stride, low group, cut-offs, band sizes); methods.md 8.2 table.
REFERENCE = [
    ((256, 2, 60, 12, 0.5, 4), (324, 216, 6, 128, (12, 24.25, 36.5, 48.75, 61), (19, 23, 38, 48))),
    ((400, 2, 60, 12, 0.5, 5), (324, 310, 5, 200, (12, 21.8, 31.6, 41.4, 51.2, 61), (18, 34, 38, 48, 62))),
    ((256, 2, 42, 9, 0.5, 4), (189, 230, 4, 128, (9, 17.5, 26, 34.5, 43), (15, 23, 46, 44))),
    ((256, 3, 30, 6, 0.5, 4), (1182, 4776, 3, 128, (6, 12.25, 18.5, 24.75, 31), (13, 17, 36, 62))),
    ((256, 3, 40, 6, 0.5, 4), (1182, 4833, 4, 128, (6, 14.75, 23.5, 32.25, 41), (6, 15, 43, 64))),
]
IDS = ["paper-image", "official-demo", "repo-tiger", "volume-sdf30", "sdf40"]


@pytest.mark.parametrize(("config", "expected"), REFERENCE, ids=IDS)
def test_reference_table(config, expected):
    n_low_cand, n_high_cand, stride, low_group, cutoffs, bands = expected
    f = sample_femb_frequencies(*config)
    assert isinstance(f, FEmbFrequencies)
    assert f.n_low_candidates == n_low_cand
    assert f.n_high_candidates == n_high_cand
    assert f.stride == stride
    assert f.group_sizes == (low_group, *bands)
    assert f.band_sizes == bands
    assert f.low_group_size == low_group
    np.testing.assert_allclose(f.cutoffs, cutoffs, rtol=0, atol=1e-9)
    assert f.rows.shape == (config[0], config[1])
    assert f.rows.dtype == np.int64


def test_paper_image_band_sizes():
    f = sample_femb_frequencies(256, 2, 60, 12, 0.5, 4)
    assert f.group_sizes == (128, 19, 23, 38, 48)


def _reference_sampler(n, d, B, L, p, K, seed=42):
    """Independent re-derivation: itertools lattices and Generator.choice on the candidate arrays."""
    n_low = 0 if p == 0 else math.ceil(p * n) - d
    n_high = n - d - n_low
    low = np.array([k for k in itertools.product(range(0, L + 1), *[range(-L, L + 1)] * (d - 1)) if any(k)])
    s = math.ceil(math.sqrt(max((B**2 - L**2) / max(n_high, 1), 1)))
    high = np.array(
        [
            k
            for k in itertools.product(range(0, B + 1, s), *[range(-B, B + 1, s)] * (d - 1))
            if max(abs(c) for c in k) > L
        ]
    )
    rng = np.random.default_rng(seed)
    lo = rng.choice(low, size=n_low, replace=n_low >= len(low)) if n_low > 0 else np.zeros((0, d))
    hi = rng.choice(high, size=n_high, replace=False)
    cut = np.linspace(L, B + 1, K + 1)
    m = np.abs(hi).max(axis=1)
    bands = [hi[(m >= cut[j]) & (m < cut[j + 1])] for j in range(K)]
    return np.concatenate([np.eye(d), lo, *bands]).astype(np.int64)


@pytest.mark.parametrize(("config", "expected"), REFERENCE, ids=IDS)
def test_rows_match_independent_reference(config, expected):
    np.testing.assert_array_equal(sample_femb_frequencies(*config).rows, _reference_sampler(*config))


@pytest.mark.parametrize(("config", "expected"), REFERENCE, ids=IDS)
def test_row_structure(config, expected):
    n, d, B, L, p, K = config
    f = sample_femb_frequencies(*config)
    rows = f.rows
    np.testing.assert_array_equal(rows[:d], np.eye(d, dtype=np.int64))
    slices = f.group_slices()
    assert len(slices) == K + 1
    assert slices[0] == slice(0, f.group_sizes[0])
    assert slices[-1].stop == n
    low = rows[slices[0]][d:]
    assert np.all(low[:, 0] >= 0)
    assert np.all(np.abs(low).max(axis=1) <= L)
    assert np.all(np.any(low != 0, axis=1))
    for j, sl in enumerate(slices[1:]):
        cheb = np.abs(rows[sl]).max(axis=1)
        assert np.all(cheb >= f.cutoffs[j]) and np.all(cheb < f.cutoffs[j + 1])
        assert np.all(cheb > L) and np.all(cheb <= B)
        # strided lattice: first axis multiple of s from 0, others offset from -B
        assert np.all(rows[sl][:, 0] % f.stride == 0)
        assert np.all((rows[sl][:, 1:] + B) % f.stride == 0)
    # Drawn without replacement in these configs: no duplicate draws (a low draw may repeat a basis row).
    assert len(np.unique(rows[d:], axis=0)) == n - d
    assert not rows.flags.writeable


def test_same_seed_same_rows_and_seed_matters():
    a = sample_femb_frequencies(256, 2, 60, 12, 0.5, 4)
    b = sample_femb_frequencies(256, 2, 60, 12, 0.5, 4, seed=42)
    c = sample_femb_frequencies(256, 2, 60, 12, 0.5, 4, seed=7)
    np.testing.assert_array_equal(a.rows, b.rows)
    assert not np.array_equal(a.rows, c.rows)


def test_p_zero_low_group_is_basis_only():
    f = sample_femb_frequencies(64, 2, 20, 4, 0.0, 3)
    assert f.group_sizes[0] == 2
    assert sum(f.group_sizes) == 64
    np.testing.assert_array_equal(f.rows[:2], np.eye(2, dtype=np.int64))
    assert np.all(np.abs(f.rows[2:]).max(axis=1) > 4)
    # The high draw is the first (and only) use of the generator.
    f2 = sample_femb_frequencies(64, 2, 20, 4, 0.0, 1)
    high_cand_order = _high_lattice(2, 20, 4, f2.stride)
    rng = np.random.default_rng(42)
    np.testing.assert_array_equal(f2.rows[2:], rng.choice(high_cand_order, size=62, replace=False))


def _high_lattice(d, B, L, s):
    cand = itertools.product(range(0, B + 1, s), *[range(-B, B + 1, s)] * (d - 1))
    return np.array([k for k in cand if max(abs(c) for c in k) > L])


def test_k_one_single_band_in_drawn_order():
    f = sample_femb_frequencies(256, 2, 60, 12, 0.5, 1)
    assert f.group_sizes == (128, 128)
    assert f.cutoffs == (12.0, 61.0)
    assert len(f.group_slices()) == 2


def test_all_high_candidates_then_extra_draws_and_low_with_replacement():
    # d=1: |LOW| = 2 (k = 1, 2) < n_low = 9 -> replace=True; stride 4 -> HIGH = {4, 8} < n_high = 10.
    f = sample_femb_frequencies(20, 1, 10, 2, 0.5, 1)
    assert f.n_low_candidates == 2 and f.n_high_candidates == 2 and f.stride == 4
    assert f.group_sizes == (10, 10)
    low = f.rows[1:10, 0]
    high = f.rows[10:, 0]
    assert set(low.tolist()) <= {1, 2}
    np.testing.assert_array_equal(high[:2], [4, 8])  # all of HIGH first, in enumeration order
    assert set(high[2:].tolist()) <= {4, 8}
    rng = np.random.default_rng(42)
    exp_low = np.array([1, 2])[rng.choice(2, size=9, replace=True)]
    exp_extra = np.array([4, 8])[rng.choice(2, size=8, replace=True)]
    np.testing.assert_array_equal(low, exp_low)
    np.testing.assert_array_equal(high[2:], exp_extra)


def test_p_one_no_high_rows():
    f = sample_femb_frequencies(32, 2, 20, 4, 1.0, 3)
    assert f.group_sizes == (32, 0, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(n=2, d=2), "exceed"),
        (dict(low_fraction=1.5), r"\[0, 1\]"),
        (dict(low_fraction=-0.1), r"\[0, 1\]"),
        (dict(low_range=60), "smaller than band_limit"),
        (dict(n_high_bands=0), "K must be >= 1"),
        (dict(low_fraction=0.001), "smaller than d"),
    ],
)
def test_validation(kwargs, match):
    args = dict(n=256, d=2, band_limit=60, low_range=12, low_fraction=0.5, n_high_bands=4)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        sample_femb_frequencies(**args)


def _paper_layer(period=2.0):
    return FrequencyEmbedding(2, 256, 60, 12, 0.5, 4, period=period)


def test_module_weight_bias_and_attributes():
    torch.manual_seed(0)
    m = _paper_layer(period=2.0)
    rows = torch.as_tensor(np.array(m.frequencies.rows), dtype=torch.float64)
    assert m.weight.requires_grad is False
    assert m.weight.dtype == torch.float32 and m.weight.shape == (256, 2)
    torch.testing.assert_close(m.weight.double(), 2 * math.pi / 2.0 * rows, rtol=1e-6, atol=1e-5)
    assert m.bias.requires_grad is True and m.bias.shape == (256,)
    assert m.bias.abs().max() <= 1 / math.sqrt(2)
    assert set(m.state_dict()) == {"weight", "bias"}
    assert [p for p in m.parameters() if p.requires_grad] == [m.bias]
    assert m.group_sizes == (128, 19, 23, 38, 48)
    sl = m.band_slices()
    assert [s.stop - s.start for s in sl] == [128, 19, 23, 38, 48]
    assert sl[0].start == 0 and sl[-1].stop == 256
    assert all(a.stop == b.start for a, b in zip(sl[:-1], sl[1:], strict=True))
    m2 = FrequencyEmbedding(2, 256, 60, 12, 0.5, 4, period=2 / 0.95)
    torch.testing.assert_close(m2.weight.double(), 2 * math.pi * 0.95 / 2 * rows, rtol=1e-6, atol=1e-5)


def test_bias_init_matches_linear_under_same_torch_seed():
    torch.manual_seed(123)
    ref = nn.Linear(3, 256)
    after_ref = torch.rand(4)
    torch.manual_seed(123)
    m = FrequencyEmbedding(3, 256, 30, 6, 0.5, 4)
    after = torch.rand(4)
    torch.testing.assert_close(m.bias.detach(), ref.bias.detach(), rtol=0, atol=0)
    torch.testing.assert_close(after, after_ref, rtol=0, atol=0)


@pytest.mark.parametrize("batch", [(), (7,), (2, 3)])
def test_forward_shape(batch):
    m = _paper_layer()
    x = torch.rand(*batch, 2) * 2 - 1
    y = m(x)
    assert y.shape == (*batch, 256)
    expected = torch.sin(x @ m.weight.T + m.bias)
    torch.testing.assert_close(y, expected)


def test_forward_is_side_effect_free():
    m = _paper_layer()
    state = {k: v.clone() for k, v in m.state_dict().items()}
    x = torch.rand(5, 2) * 2 - 1
    x0 = x.clone()
    y1 = m(x)
    y2 = m(x)
    torch.testing.assert_close(y1, y2, rtol=0, atol=0)
    torch.testing.assert_close(x, x0, rtol=0, atol=0)
    for k, v in m.state_dict().items():
        torch.testing.assert_close(v, state[k], rtol=0, atol=0)


def test_gradients_finite_and_double_backward():
    m = FrequencyEmbedding(3, 256, 30, 6, 0.5, 4).double()
    x = (torch.rand(11, 3, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    y = m(x)
    (g,) = torch.autograd.grad(y.pow(2).sum(), x, create_graph=True)
    assert torch.isfinite(g).all()
    (h,) = torch.autograd.grad(g.sum(), x)
    assert torch.isfinite(h).all()
    m(x.detach()).sum().backward()
    assert m.weight.grad is None
    assert m.bias.grad is not None and torch.isfinite(m.bias.grad).all()


@pytest.mark.parametrize("d", [2, 3])
def test_period_two_is_periodic(d):
    cfg = (60, 12) if d == 2 else (30, 6)
    m = FrequencyEmbedding(d, 256, cfg[0], cfg[1], 0.5, 4, period=2.0)
    x = torch.rand(64, d) * 2 - 1
    y = m(x)
    for i in range(d):
        shift = torch.zeros(d)
        shift[i] = 2.0
        torch.testing.assert_close(m(x + shift), y, rtol=0, atol=5e-4)
    # Endpoint-inclusive grid: with P = 2 the two ends coincide.
    ends = torch.tensor([[-1.0] * d, [1.0] * d])
    e = m(ends)
    torch.testing.assert_close(e[0], e[1], rtol=0, atol=5e-4)


def test_invalid_period():
    with pytest.raises(ValueError, match="period"):
        FrequencyEmbedding(2, 64, 20, 4, 0.5, 2, period=0.0)
