"""SAPE (methods.md §9.7): encoding and mask by hand, the block schedule, progression, init and the trainer hook."""

from __future__ import annotations

import math

import torch

from inrkit.config import override
from inrkit.methods.sape import SAPEField, block_ends, box_blur
from inrkit.registry import FIELDS, RECIPES


def small(**kw) -> SAPEField:
    torch.manual_seed(0)
    kw = {"in_features": 2, "out_features": 3, "hidden_features": 32, "num_frequencies": 4, "mask_resolution": 6,
          **kw}
    return FIELDS.create("sape", **kw)


def test_encoding_order_and_frequencies():
    f = small()
    x = torch.rand(5, 2) * 2 - 1
    b = f.frequencies  # [d, m], columns sorted by |magnitude|, unit directions times the magnitude
    norms = b.norm(dim=0)
    assert torch.all(norms[1:] >= norms[:-1])
    enc = f.encode(x)
    assert enc.shape == (5, 2 + 8) and torch.equal(enc[:, :2], x)
    for j in range(4):
        p = 2 * math.pi * (x @ b[:, j])
        torch.testing.assert_close(enc[:, 2 + 2 * j], p.sin())
        torch.testing.assert_close(enc[:, 3 + 2 * j], p.cos())


def test_block_schedule_follows_the_code():
    assert block_ends(10, 2) == [2, 4, 6, 8, 10]
    assert block_ends(515, 3)[-2:] == [510, 515] and len(block_ends(515, 3)) == 171  # 170 reveals, last takes 5
    f = FIELDS.create("sape", mask_resolution=4)
    assert f.num_blocks == 256 and f.block_iterations(5000) == 9 and f.k == 3  # 4^2 = 16 cells <= 100
    assert FIELDS.create("sape", mask_resolution=128).k == 5


def test_initial_mask_is_the_identity_block():
    f = small()
    x = torch.rand(20, 2) * 2 - 1
    m = f.masks(x)
    assert torch.equal(m[:, :2], torch.ones(20, 2)) and torch.equal(m[:, 2:], torch.zeros(20, 8))
    h = f.encode(x) * m
    torch.testing.assert_close(f(x), f.net(h))


def test_mask_is_blurred_then_interpolated_by_hand():
    f = small()
    res, e = 6, f.channels
    f.revealed[:] = 4
    f.revealed[2 + 3 * res] = 10  # cell (i0=2, i1=3) shows every channel
    cells = (torch.arange(e) < f.revealed[:, None]).float()  # [36, E], flat index i0 + 6 i1
    grid = cells.t().reshape(e, res, res)  # [E, i1, i0]
    blurred = torch.stack([box_blur(g, 3) for g in grid]).reshape(e, -1).t()  # [36, E]
    x = torch.tensor([[0.1, 0.3], [-0.9, 0.95]])
    got = f.masks(x)
    for n, point in enumerate(x.tolist()):
        u = [((p + 1) / 2) * 4 + 0.5 for p in point]
        want = torch.zeros(e)
        for c0 in (0, 1):
            for c1 in (0, 1):
                i = [math.floor(v) + c for v, c in zip(u, (c0, c1), strict=True)]
                w = math.prod((v - math.floor(v)) if c else (math.floor(v) + 1 - v)
                              for v, c in zip(u, (c0, c1), strict=True))
                want += w * blurred[i[0] + res * i[1]]
        torch.testing.assert_close(got[n], want)


def test_progression_stops_converged_cells():
    f = small()
    x = torch.rand(400, 2) * 2 - 1
    loss = torch.where(x[:, 0] < 0, torch.tensor(1.0), torch.tensor(0.0))  # left half unsolved, right half done
    f.accumulate(x, loss)
    f.advance()
    assert int(f.level) == 1 and float(f.loss_weight.sum()) == 0.0
    cols = torch.arange(36) % 6  # i0: the first coordinate's cell index
    assert (f.revealed[cols <= 1] == 4).all() and (f.in_progress[cols <= 1]).all()
    assert (f.revealed[cols == 5] == 2).all() and not f.in_progress[cols == 5].any()  # its 3-box is all solved
    f.accumulate(x, loss)
    f.advance()
    assert (f.revealed[cols <= 1] == 6).all() and (f.revealed[cols == 5] == 2).all()


def test_init_output_spread_and_counts():
    f = FIELDS.create("sape", in_features=2, out_features=3)
    assert f.parameter_counts()["params"] == 514 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 3 + 3 == 264_195
    torch.manual_seed(0)
    g = small(num_frequencies=64, hidden_features=256, mask_resolution=16)
    with torch.no_grad():
        y = g(torch.rand(4096, 2) * 2 - 1)
    # PyTorch-default ReLU MLP on [x] only (the identity block): outputs ~ the last biases, spread ~0.01-0.2
    assert 0.005 < y.std().item() < 0.5


def test_trainer_hook_reveals_blocks_during_a_fit(tiny_png):
    from inrkit.train.run import fit

    cfg = RECIPES.get("sape-image").config("quick", str(tiny_png))
    for key, value in {"trainer.steps": 40, "trainer.eval_every": 0, "trainer.progress": False,
                       "trainer.device": "cpu", "field.num_frequencies": 4, "field.mask_resolution": 4}.items():
        cfg = override(cfg, key, value)
    result = fit(cfg)
    f = result.field
    assert f.block_iterations(40) == 5 and int(f.level) == 4  # 4 blocks after 8 reveals: capped at the end
    assert (f.revealed == f.channels).all() or not f.in_progress.all()
