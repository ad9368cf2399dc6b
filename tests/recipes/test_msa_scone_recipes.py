"""MSA and SCONE recipes pin the protocol settings of protocols.md §6, §1.4 and §1.5."""

from __future__ import annotations

import pytest

from inrkit.recipes import find_recipe
from inrkit.registry import RECIPES, TABLES, type_name
from inrkit.train.run import build


def test_msa_function1d_paper_protocol():
    cfg = RECIPES.get("msa-function1d").config("paper")
    assert cfg.signal.source == "function:y4" and type_name(cfg.task) == "function1d"
    f = cfg.field
    assert (f.hidden_layers, f.hidden_features, f.dtype) == (3, 256, "float64") and cfg.task.dtype == "float64"
    assert f.s_min == (1.0, 1.0, 1.0, 0.0) and f.s_max == (5.5, 5.5, 5.5, 0.8)
    t = cfg.trainer
    assert (t.steps, t.optim.name, t.optim.lr, t.schedule.kind, t.schedule.lr_min) == (10_000, "adam", 1e-4, "cosine",
                                                                                      1e-7)
    assert cfg.task.n_samples is None and cfg.task.sample_seed == 42 and cfg.task.heldout_points == 20_000
    _, task, field = build(cfg)
    assert task.coords.shape == (1024, 1) and field.parameter_counts()["params"] == 198_145
    quick = RECIPES.get("msa-function1d").config("quick")
    assert quick.trainer.steps < t.steps and quick.field == f


@pytest.mark.parametrize("model", ["siren", "finer", "wire"])
def test_baselines_share_the_1d_schedule_in_float32(model):
    recipe = find_recipe(model, "function1d")
    cfg = recipe.config("paper")
    assert cfg.trainer == RECIPES.get("msa-function1d").trainer
    assert cfg.task.dtype == "float32" and (cfg.field.hidden_layers, cfg.field.hidden_features) == (3, 256)


def test_msa_and_scone_image_protocols():
    msa = RECIPES.get("msa-image-msa").config("paper")
    assert (msa.field.hidden_features, msa.field.hidden_layers) == (400, 3)
    assert msa.task.coord_range == (0.0, 1.0) and msa.task.target_range == (0.0, 1.0)
    assert (msa.trainer.steps, msa.trainer.optim.lr, msa.trainer.schedule.lr_min) == (1500, 1e-3, 5e-4)
    for name in ("siren-image-msa", "finer-image-msa", "wire-image-msa"):
        base = RECIPES.get(name).config("paper")
        assert base.trainer == msa.trainer and base.task == msa.task and base.field.hidden_features == 400
    scone = RECIPES.get("scone-image-scone").config("paper")
    assert scone.task.coord_convention == "endpoint" and scone.task.target_range == (-1.0, 1.0)
    assert (scone.trainer.steps, scone.trainer.optim.lr, scone.trainer.schedule.lr_min) == (10_000, 1e-4, 1e-6)
    assert RECIPES.get("msa-image-msa").config("quick").signal.max_side == 192


def test_tables_carry_the_paper_number_and_rows():
    t = TABLES.get("msa-1d")
    assert [r.label for r in t.rows] == ["SIREN", "WIRE", "FINER", "MSA"]
    assert t.rows[-1].paper == {"mse": 7.96e-14} and "mse_heldout" in t.metrics
    labels = [r.label for r in TABLES.get("scone-image").rows]
    assert {"RFF MLP", "SIREN", "WIRE", "SCONE", "SCONE RBM", "SCONE sigmoid-L"} <= set(labels)
    assert [r.label for r in TABLES.get("msa-spacing").rows][-1] == "log, NoAM"
