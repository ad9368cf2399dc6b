"""Hash grid in the tiny-cuda-nn convention (methods.md §9.6): resolutions, table sizes, lookup, init, tcnn."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch

from inrkit.encodings.hashgrid import HashGrid, HashGridConfig
from inrkit.encodings.hashgrid_tcnn import tcnn_available
from inrkit.errors import InputError

REF_PRIMES = (1, 2654435761, 805459861)


def ngp(seed: int = 0, **kw) -> HashGrid:
    torch.manual_seed(seed)
    kw.setdefault("init_bound", 1.0)
    return HashGrid(HashGridConfig(convention="instant_ngp", **kw)).double()


def ref_scale(level: int, n_min: int, b: float) -> float:
    """tiny-cuda-nn's ``exp2f(level * log2(b)) * N_min - 1`` in float32, written out with numpy."""
    f32 = np.float32
    return float(f32(np.exp2(f32(level) * np.log2(f32(b)))) * f32(n_min) - f32(1.0))


def ref_encode(grid: HashGrid, x: torch.Tensor, b: float) -> torch.Tensor:
    """Per point, level and corner: u = s t + 0.5, floor, index mod the level size (grid.h)."""
    cfg, table = grid.cfg, grid.table.detach().tolist()
    lo, hi = cfg.coord_range
    out = []
    for point in x.tolist():
        feats = []
        for level in range(cfg.n_levels):
            s = ref_scale(level, cfg.min_resolution, b)
            res = math.ceil(s) + 1
            size = min(-(-(res ** len(point)) // 8) * 8, 2**cfg.bitwidth)
            u = [s * min(max((p - lo) / (hi - lo), 0.0), 1.0) + 0.5 for p in point]
            i0 = [math.floor(v) for v in u]
            acc = [0.0] * cfg.feature_dim
            for bits in itertools.product((0, 1), repeat=len(point)):
                corner = [i + c for i, c in zip(i0, bits, strict=True)]
                if res ** len(point) <= 2**cfg.bitwidth:
                    row = sum(c * res**k for k, c in enumerate(corner)) % size
                else:
                    h = 0
                    for c, prime in zip(corner, REF_PRIMES, strict=False):
                        h ^= (c * prime) & 0xFFFFFFFF
                    row = h % size
                w = math.prod(v - i if c else 1 - (v - i) for v, i, c in zip(u, i0, bits, strict=True))
                acc = [a + w * f for a, f in zip(acc, table[grid.offsets[level] + row], strict=True)]
            feats += acc
        out.append(feats)
    return torch.tensor(out, dtype=torch.float64)


def test_tcnn_image_sample_sizes():
    """tiny-cuda-nn's config_hash.json: L 16, T 2^15, N_min 16, b 1.5 -> six dense levels, then 2^15 rows."""
    grid = HashGrid(HashGridConfig(convention="instant_ngp", n_levels=16, bitwidth=15, per_level_scale=1.5))
    assert grid.resolutions[:7] == (16, 24, 36, 54, 81, 122, 183)
    assert grid.table_sizes[:7] == (256, 576, 1296, 2920, 6568, 14888, 32768)  # 54^2 = 2916 -> 2920
    assert sum(p.numel() for p in grid.parameters()) == 2 * (sum(grid.table_sizes[:6]) + 10 * 2**15) == 708_368
    assert abs(grid.table.abs().max().item() - 1e-4) < 1e-6  # U(±1e-4)
    assert abs(grid.table.std().item() - 1e-4 / math.sqrt(3)) < 1e-6


def test_paper_growth_factor_from_n_max():
    grid = HashGrid(HashGridConfig(convention="instant_ngp", n_levels=16, min_resolution=16, max_resolution=2048))
    b = math.exp(math.log(2048 / 16) / 15)
    assert grid.resolutions == tuple(math.ceil(ref_scale(level, 16, b)) + 1 for level in range(16))
    assert grid.resolutions[-1] == 2048


@pytest.mark.parametrize("kw", [
    dict(in_features=2, n_levels=4, bitwidth=8, min_resolution=4, max_resolution=40),
    dict(in_features=3, n_levels=3, bitwidth=9, min_resolution=3, max_resolution=12),
    dict(in_features=2, n_levels=3, bitwidth=7, min_resolution=5, per_level_scale=2.0, coord_range=(0.0, 1.0)),
])
def test_matches_brute_force_reference(kw):
    grid = ngp(**kw)
    assert 0 < grid._n_dense < grid.cfg.n_levels
    from inrkit.encodings.hashgrid import growth_factor

    lo, hi = grid.cfg.coord_range
    x = lo + (hi - lo) * torch.rand(30, grid.in_features, dtype=torch.float64)
    x = torch.cat((x, torch.full((1, grid.in_features), float(hi)), torch.full((1, grid.in_features), float(lo))))
    # float32 exp2 may differ by one ulp between numpy and torch (a 1e-7 relative shift of s_l)
    torch.testing.assert_close(grid(x), ref_encode(grid, x, growth_factor(grid.cfg)), rtol=0, atol=1e-5)


def test_vertex_and_top_wrap():
    """At t = (i - 0.5) / s a point sits on vertex i; at t = 1 a dense level reads the wrapped vertex R."""
    grid = ngp(in_features=2, n_levels=1, bitwidth=10, min_resolution=16)  # s = 15, R = 16, 256 rows
    rows = grid.table.detach()
    x = torch.tensor([[(3 - 0.5) / 15 * 2 - 1, (5 - 0.5) / 15 * 2 - 1]], dtype=torch.float64)
    torch.testing.assert_close(grid(x)[0], rows[3 + 5 * 16])
    top = grid(torch.tensor([[1.0, -1.0]], dtype=torch.float64))[0]  # u = (15.5, 0.5): i_x 15 and 16 (wraps)
    torch.testing.assert_close(top, 0.25 * (rows[15] + rows[16] + rows[15 + 16] + rows[16 + 16]))


def test_gradients_and_double_backward():
    grid = ngp(in_features=2, n_levels=3, bitwidth=6, min_resolution=3, max_resolution=12)
    x = (torch.rand(6, 2, dtype=torch.float64) * 1.8 - 0.9).requires_grad_(True)
    assert torch.autograd.gradcheck(grid, (x,))
    assert torch.autograd.gradgradcheck(grid, (x,))


def test_validation():
    with pytest.raises(InputError):
        HashGrid(HashGridConfig(convention="instant_ngp", per_level_scale=0.5))
    with pytest.raises(InputError):
        HashGrid(HashGridConfig(backend="tcnn"))  # tcnn implements the instant_ngp convention only
    if not tcnn_available():
        with pytest.raises(InputError, match="tinycudann"):
            HashGrid(HashGridConfig(convention="instant_ngp", backend="tcnn"))


@pytest.mark.skipif(not tcnn_available(), reason="tinycudann is not installed (or no CUDA device)")
@pytest.mark.parametrize("d", [2, 3])
def test_tcnn_backend_matches_torch_backend(d):
    kw = dict(convention="instant_ngp", in_features=d, n_levels=8, bitwidth=12, min_resolution=16, max_resolution=256)
    torch.manual_seed(0)
    ref = HashGrid(HashGridConfig(**kw)).cuda()
    torch.manual_seed(0)
    fast = HashGrid(HashGridConfig(backend="tcnn", **kw)).cuda()
    assert torch.equal(ref.table, fast.table)
    x = torch.rand(4096, d, device="cuda") * 2 - 1
    torch.testing.assert_close(fast(x), ref(x), rtol=1e-4, atol=1e-7)
    g = torch.randn(4096, ref.out_features, device="cuda")
    (ga,) = torch.autograd.grad(ref(x), ref.table, g)
    (gb,) = torch.autograd.grad(fast(x), fast.table, g)
    torch.testing.assert_close(gb, ga, rtol=1e-3, atol=1e-5)
