"""Instant-NGP (methods.md §9.6): the forward by hand, counts, init statistics, param groups and decay."""

from __future__ import annotations

import math

import torch

from inrkit.config import override
from inrkit.registry import FIELDS, RECIPES
from inrkit.train.trainer import OptimConfig, make_optimizer


def small(**kw):
    torch.manual_seed(0)
    kw = {"in_features": 2, "out_features": 3, **kw}
    return FIELDS.create("ngp", encoding={"type": "hashgrid", "convention": "instant_ngp", "n_levels": 4,
                                          "bitwidth": 10, "min_resolution": 16, "max_resolution": 64}, **kw)


def test_forward_by_hand_without_biases():
    f = small()
    x = torch.rand(7, 2) * 2 - 1
    h = f.encoding(x)
    w = [layer.linear.weight for layer in f.net.layers] + [f.net.output.weight]
    y = torch.relu(torch.relu(h @ w[0].T) @ w[1].T) @ w[2].T  # enc -> 64 -> 64 -> out, no biases
    torch.testing.assert_close(f(x), y)
    assert all(layer.linear.bias is None for layer in f.net.layers) and f.net.output.bias is None


def test_parameter_count_is_table_plus_three_weight_matrices():
    f = small()
    table = 2 * sum(f.encoding.table_sizes)
    assert f.parameter_counts()["params"] == table + 8 * 64 + 64 * 64 + 64 * 3
    # the official image config (T 2^24, N_max 256): all 16 levels dense, 2 * sum(next8(R^2)) + 32*64 + 64*64 + 64*3
    cfg = RECIPES.get("ngp-image").config("paper")
    for key, value in {"field.encoding.bitwidth": 24, "field.encoding.max_resolution": 256}.items():
        cfg = override(cfg, key, value)
    image = FIELDS.create(cfg.field)
    sizes = [-(-(r * r) // 8) * 8 for r in image.encoding.resolutions]
    assert image.parameter_counts()["params"] == 2 * sum(sizes) + 6336 == 431_808
    # the image protocol's size (T 2^14, N_max 192): the fine levels are capped at T rows
    sized = FIELDS.create(RECIPES.get("ngp-image").config("paper").field).encoding
    assert max(sized.table_sizes) == 2 ** 14 and min(sized.table_sizes) < 2 ** 14


def test_xavier_uniform_weights_and_init_output_spread():
    f = small(hidden_features=256)
    for lin in [layer.linear for layer in f.net.layers] + [f.net.output]:
        bound = math.sqrt(6 / (lin.in_features + lin.out_features))
        assert lin.weight.abs().max() <= bound and lin.weight.abs().max() > 0.95 * bound
    with torch.no_grad():
        h = f.encoding(torch.rand(4096, 2) * 2 - 1)
        y = f(torch.rand(4096, 2) * 2 - 1)
    # features ~ U(±1e-4) interpolated (std <= 1e-4/sqrt 3); Xavier-uniform ReLU layers keep it within ~x2
    assert 1e-5 < h.std().item() < 1e-4 / math.sqrt(3)
    assert 1e-6 < y.std().item() < 1e-4


def test_weight_decay_skips_the_grid():
    f = small()
    groups = f.param_groups()
    assert groups["grid"] == [f.encoding.table] and len(groups["main"]) == 3
    cfg = RECIPES.get("ngp-image").config("quick").trainer.optim
    opt = make_optimizer(cfg, groups)
    decay = {g["name"]: g["weight_decay"] for g in opt.param_groups}
    assert decay == {"main": 1e-6, "grid": 0.0} and cfg.betas == (0.9, 0.99) and cfg.eps == 1e-15
    assert make_optimizer(OptimConfig(weight_decay=0.1), groups).param_groups[1]["weight_decay"] == 0.1


def test_recipes_follow_the_instant_ngp_configs():
    shape = RECIPES.get("ngp-shape").config("paper")
    enc = shape.field.encoding
    # the SDF config's grid, except its table size: T 2^12 instead of 2^19 sizes it to the protocol's budget
    assert (enc.bitwidth, enc.max_resolution, enc.coord_range, enc.in_features) == (12, 2048, (-0.5, 0.5), 3)
    assert shape.trainer.optim.lr == 1e-4 and not shape.trainer.optim.amsgrad
    image = RECIPES.get("ngp-image").config("paper")
    assert (image.field.encoding.bitwidth, image.field.encoding.max_resolution) == (14, 192)  # [sized]
    assert image.trainer.optim.lr == 1e-2
    assert (image.field.hidden_layers, image.field.hidden_features) == (1, 64)
