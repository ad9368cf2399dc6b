"""Smoke fit of every registered recipe on a tiny image (both presets resolve)."""

from __future__ import annotations

import math

import pytest

from inrkit.config import override
from inrkit.registry import RECIPES
from inrkit.train.run import fit


@pytest.mark.parametrize("name", RECIPES.names())
def test_recipe_smoke_fit(name, tiny_png):
    recipe = RECIPES.get(name)
    cfg = recipe.config("quick", str(tiny_png))
    for key, value in {"trainer.steps": 3, "trainer.eval_every": 2, "trainer.progress": False,
                       "trainer.device": "cpu"}.items():
        cfg = override(cfg, key, value)
    r = fit(cfg)
    assert math.isfinite(r.metrics["psnr"]) and r.metrics["params"] > 0
    assert r.metrics["steps"] == 3
    assert recipe.config("paper").trainer.steps >= cfg.trainer.steps
