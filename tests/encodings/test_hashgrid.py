"""Hash-grid encoding: wisp conventions (methods.md §8.4), parameter counts (§8.9), autograd."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from torch.func import functional_call

import inrkit.encodings.hashgrid as hashgrid_module
from inrkit.encodings.hashgrid import HashGrid, HashGridConfig, grid_resolutions
from inrkit.errors import InputError
from inrkit.registry import ENCODINGS

# written out independently of the module under test
REF_PRIMES = (1, 2654435761, 805459861, 3674653429)


def n_params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def make_grid(seed: int = 0, dtype: torch.dtype = torch.float64, **kw) -> HashGrid:
    torch.manual_seed(seed)
    kw.setdefault("init_std", 1.0)
    return HashGrid(HashGridConfig(**kw)).to(dtype)


def ref_row(corner: tuple[int, ...], res: int, bitwidth: int) -> int:
    """Row of an integer vertex inside its level's table: dense, or the uint32 XOR hash."""
    size = 2**bitwidth
    if res ** len(corner) <= size:
        return sum(c * res**k for k, c in enumerate(corner))
    h = 0
    for c, p in zip(corner, REF_PRIMES, strict=False):
        h ^= (c * p) & 0xFFFFFFFF  # uint32 product
    return h % size


def ref_encode(grid: HashGrid, x: torch.Tensor) -> torch.Tensor:
    """Slow, obvious per-point, per-level, per-corner evaluation of the encoding."""
    cfg = grid.cfg
    table = grid.table.detach().tolist()
    lo, hi = cfg.coord_range
    rows = []
    for point in x.tolist():
        feats = []
        for level, res in enumerate(grid.resolutions):
            u = [min(max(res * (p - lo) / (hi - lo), 0.0), res - 1 - 1e-5) for p in point]
            i0 = [math.floor(v) for v in u]
            w = [v - i for v, i in zip(u, i0, strict=True)]
            acc = [0.0] * cfg.feature_dim
            for bits in itertools.product((0, 1), repeat=len(point)):
                weight = math.prod(wk if b else 1 - wk for wk, b in zip(w, bits, strict=True))
                corner = tuple(i + b for i, b in zip(i0, bits, strict=True))
                row = table[grid.offsets[level] + ref_row(corner, res, cfg.bitwidth)]
                acc = [a + weight * f for a, f in zip(acc, row, strict=True)]
            feats += acc
        rows.append(feats)
    return torch.tensor(rows, dtype=torch.float64)


def test_resolutions_follow_wisp():
    assert grid_resolutions(16, 256, 10) == (16, 21, 29, 40, 54, 74, 101, 138, 188, 255)
    cfg = HashGridConfig(min_resolution=8, max_resolution=128)
    assert HashGrid(cfg).resolutions == (8, 10, 14, 20, 27, 37, 50, 69, 94, 127)
    assert grid_resolutions(16, 256, 1) == (16,)


@pytest.mark.parametrize(
    "kw, count",
    [
        (dict(), 17_412),
        (dict(min_resolution=8, max_resolution=128), 13_218),
        (dict(in_features=3, n_levels=12, bitwidth=11), 49_152),
        (dict(in_features=3, n_levels=12, bitwidth=11, min_resolution=13, max_resolution=13), 49_152),
        (dict(in_features=3, n_levels=10, bitwidth=10), 20_480),
    ],
)
def test_parameter_counts(kw, count):
    grid = HashGrid(HashGridConfig(**kw))
    assert n_params(grid) == count == grid.cfg.feature_dim * sum(grid.table_sizes)
    assert grid.out_features == grid.cfg.n_levels * grid.cfg.feature_dim


def test_registry_builds_from_name_and_dict():
    grid = ENCODINGS.create("hashgrid", in_features=3)
    assert isinstance(grid, HashGrid) and grid.in_features == 3
    grid = ENCODINGS.create({"type": "hashgrid", "n_levels": 4, "coord_range": [0, 1]})
    assert grid.cfg.coord_range == (0.0, 1.0) and grid.out_features == 8
    with pytest.raises(InputError):
        HashGrid(HashGridConfig(min_resolution=1))


@pytest.mark.parametrize(
    "kw",
    [  # 2-D: 4, 8 dense (8^2 = 64 fills the table exactly), 16, 31 hashed
        dict(in_features=2, n_levels=4, bitwidth=6, min_resolution=4, max_resolution=32),
        # 3-D: 4, 8 dense (8^3 = 512 = table size), 15 hashed
        dict(in_features=3, n_levels=3, bitwidth=9, min_resolution=4, max_resolution=16),
        dict(in_features=1, n_levels=3, bitwidth=3, min_resolution=5, max_resolution=20, feature_dim=3),
        dict(in_features=2, n_levels=3, bitwidth=5, min_resolution=3, max_resolution=9, coord_range=(0.0, 4.0)),
    ],
)
def test_matches_brute_force_reference(kw):
    grid = make_grid(**kw)
    assert 0 < grid._n_dense < grid.cfg.n_levels  # both kinds of levels are exercised
    lo, hi = grid.cfg.coord_range
    x = lo + (hi - lo) * (torch.rand(40, grid.in_features, dtype=torch.float64) * 1.2 - 0.1)
    torch.testing.assert_close(grid(x), ref_encode(grid, x), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("res, bitwidth", [(12, 10), (700, 12)])
def test_vertex_reads_table_row(res, bitwidth):
    # one level; 12^2 <= 2^10 is dense, 700^2 > 2^12 is hashed with products past 2^32
    grid = make_grid(n_levels=1, bitwidth=bitwidth, min_resolution=res, max_resolution=res)
    vertices = [(0, 0), (1, 0), (0, 1), (3, 5), (res - 2, 7), (res - 2, res - 2), (7, res - 1)]
    x = torch.tensor([[2.0 * i / res - 1 for i in v] for v in vertices], dtype=torch.float64)
    rows = torch.tensor([ref_row(v, res, bitwidth) for v in vertices])
    expect = grid.table.detach()[rows]
    torch.testing.assert_close(grid(x), expect, rtol=0, atol=2e-5 * expect.abs().max().item())


def test_hash_of_large_corners_matches_uint32_reference():
    grid = make_grid(in_features=3, n_levels=1, bitwidth=14, min_resolution=64, max_resolution=64)
    corners = torch.tensor([[0, 0, 0], [1, 2, 3], [63, 1, 0], [100_000, 70_000, 99_999], [2**20, 3, 2**19]])
    idx = grid._corner_index(corners.t()[None])[0]  # [C, N]
    for n, corner in enumerate(corners.tolist()):
        for c, bits in enumerate(itertools.product((0, 1), repeat=3)):
            vertex = tuple(i + b for i, b in zip(corner, bits, strict=True))
            assert idx[c, n].item() == ref_row(vertex, 64, 14)


def test_continuous_along_a_line():
    grid = make_grid(in_features=2, n_levels=4, bitwidth=6, min_resolution=4, max_resolution=32)
    s = torch.linspace(-1.2, 1.2, 4001, dtype=torch.float64)[:, None]
    x = torch.cat((s, 0.37 * s + 0.1), dim=1)
    y = grid(x)
    step = (s[1] - s[0]).item()
    # each level is Lipschitz with constant <= d * (R / 2) * 2 max|table| (per unit of x)
    bound = 2 * (max(grid.resolutions) / 2) * 2 * grid.table.abs().max().item() * step
    assert (y[1:] - y[:-1]).abs().max().item() <= bound


def test_boundary_reads_clamped_cell():
    grid = make_grid(in_features=2, n_levels=4, bitwidth=6, min_resolution=4, max_resolution=32)
    x = torch.tensor([[1.0, 1.0], [1.0, 1.0], [5.0, 1.0], [-1.0, -1.0], [-3.0, -1.0]], dtype=torch.float64)
    x.requires_grad_(True)
    y = grid(x)
    assert torch.equal(y[0], y[2]) and torch.equal(y[3], y[4])
    # the top 1/R of each axis reads constant features
    r0 = grid.resolutions[0]
    near = torch.tensor([[1 - 1.0 / r0, 1.0]], dtype=torch.float64)
    assert torch.equal(grid(near)[0, :2], y[0, :2].detach())
    (gx,) = torch.autograd.grad(y.sum(), x)
    assert torch.equal(gx[:3], torch.zeros_like(gx[:3])) and gx[4, 0] == 0  # clamped: no gradient
    assert (gx[3] != 0).all() and gx[4, 1] != 0  # -1 itself is inside the domain
    # at +1 a dense level reads (almost exactly) its last vertex
    last = grid.table.detach()[ref_row((r0 - 1, r0 - 1), r0, 6)]
    torch.testing.assert_close(y[0, :2].detach(), last, rtol=0, atol=1e-4 * grid.table.abs().max().item())


def test_float32_boundary_with_large_dense_level():
    # R - 1 - 1e-5 rounds to R - 1 in float32 here; the upper corner must stay in the table
    grid = make_grid(
        dtype=torch.float32, in_features=1, n_levels=1, bitwidth=12, min_resolution=4096, max_resolution=4096
    )
    y = grid(torch.tensor([[1.0], [2.0], [-1.0]]))
    torch.testing.assert_close(y[0], grid.table.detach()[4095], rtol=0, atol=1e-3)
    torch.testing.assert_close(y[1], y[0])


@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
def test_shapes_and_finite_gradients(batch):
    grid = make_grid(dtype=torch.float32, init_std=0.01, in_features=3, n_levels=4, bitwidth=8)
    x = (torch.rand(*batch, 3) * 2 - 1).requires_grad_(True)
    y = grid(x)
    assert y.shape == (*batch, 8) and y.dtype == torch.float32
    gx, gt = torch.autograd.grad(y.square().sum(), (x, grid.table))
    assert gx.shape == x.shape and torch.isfinite(gx).all() and torch.isfinite(gt).all()
    with pytest.raises(InputError):
        grid(torch.zeros(4, 2))


def test_cpu_chunking_changes_nothing(monkeypatch):
    grid = make_grid(dtype=torch.float32, init_std=0.01)
    x = (torch.rand(3000, 2) * 2 - 1).requires_grad_(True)

    def run():
        y = grid(x)
        return (y, *torch.autograd.grad(y.square().sum(), (x, grid.table)))

    whole = run()
    monkeypatch.setattr(hashgrid_module, "_CHUNK_ABOVE", 2**15)
    monkeypatch.setattr(hashgrid_module, "_CHUNK_BYTES", 2**15)  # about 100 points per chunk
    chunked = run()
    assert torch.equal(whole[0], chunked[0])
    torch.testing.assert_close(whole[1:], chunked[1:])  # gradients: same sums, possibly another order


@pytest.mark.parametrize("d, bitwidth", [(1, 3), (2, 5), (3, 5)])
def test_gradcheck_and_double_backward(d, bitwidth):
    grid = make_grid(in_features=d, n_levels=3, bitwidth=bitwidth, min_resolution=3, max_resolution=9)
    assert 0 < grid._n_dense < 3
    x = (torch.rand(6, d, dtype=torch.float64) * 1.8 - 0.9).requires_grad_(True)
    table = grid.table.detach().clone().requires_grad_(True)

    def f(x, table):
        return functional_call(grid, {"table": table}, (x,))

    assert torch.autograd.gradcheck(f, (x, table))
    assert torch.autograd.gradgradcheck(grid, (x,))
    assert torch.autograd.gradgradcheck(f, (x, table))


def test_second_derivatives_are_nonzero_across_axes():
    grid = make_grid(in_features=2, n_levels=2, bitwidth=6, min_resolution=4, max_resolution=8)
    x = (torch.rand(16, 2, dtype=torch.float64) * 1.6 - 0.8).requires_grad_(True)
    (gx,) = torch.autograd.grad(grid(x)[:, 0].sum(), x, create_graph=True)
    (hxy,) = torch.autograd.grad(gx[:, 0].sum(), x)
    assert hxy[:, 1].abs().max() > 0  # the bilinear cross term d2f/dxdy
    assert torch.equal(hxy[:, 0], torch.zeros(16, dtype=torch.float64))  # linear along each axis


# torch's forward-AD decompositions (used by hessian) still call torch.jit.script on first use
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_torch_func_vmap_and_hessian():
    grid = make_grid(in_features=3, n_levels=3, bitwidth=7, min_resolution=4, max_resolution=16)
    x = torch.rand(2, 5, 3, dtype=torch.float64) * 2 - 1
    torch.testing.assert_close(torch.func.vmap(grid)(x), grid(x), rtol=0, atol=0)
    hess = torch.func.vmap(torch.func.hessian(lambda p: grid(p).sum()))(x[0])  # [5, 3, 3]
    xr = x[0].clone().requires_grad_(True)
    (gx,) = torch.autograd.grad(grid(xr).sum(), xr, create_graph=True)
    rows = [torch.autograd.grad(gx[:, k].sum(), xr, retain_graph=True)[0] for k in range(3)]
    torch.testing.assert_close(hess, torch.stack(rows, dim=1))


def test_same_seed_same_init_and_deterministic_backward():
    a, b, c = make_grid(seed=3), make_grid(seed=3), make_grid(seed=4)
    assert torch.equal(a.table, b.table) and not torch.equal(a.table, c.table)
    torch.manual_seed(0)
    grid = HashGrid(HashGridConfig())
    assert abs(grid.table.std().item() - 0.01) < 1e-3
    x, gout = torch.rand(2048, 2) * 2 - 1, torch.randn(2048, 20)
    grads = [torch.autograd.grad(grid(x), grid.table, gout)[0] for _ in range(2)]
    assert torch.equal(grads[0], grads[1])


def test_zero_finest_level():
    kw = dict(n_levels=4, bitwidth=6, min_resolution=4, max_resolution=32)
    full, quirk = make_grid(**kw), make_grid(zero_finest_level=True, **kw)
    assert torch.equal(full.table, quirk.table) and n_params(quirk) == n_params(full)
    x = torch.rand(10, 2, dtype=torch.float64) * 2 - 1
    y = quirk(x)
    assert y.shape == (10, 8) and torch.equal(y[:, -2:], torch.zeros(10, 2, dtype=torch.float64))
    torch.testing.assert_close(y[:, :-2], full(x)[:, :-2], rtol=0, atol=0)
    (gt,) = torch.autograd.grad(y.sum(), quirk.table)
    assert torch.equal(quirk.level_table(3).new_zeros(quirk.table_sizes[3], 2), gt[quirk.offsets[3] :])
    assert gt[: quirk.offsets[3]].abs().sum() > 0


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_matches_cpu():
    grid = make_grid(dtype=torch.float32, in_features=3, n_levels=6, bitwidth=12)
    x = torch.rand(1000, 3) * 2.2 - 1.1
    torch.testing.assert_close(grid.cuda()(x.cuda()).cpu(), grid.cpu()(x))
