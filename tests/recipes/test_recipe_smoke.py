"""Smoke fit of every registered recipe on a tiny signal of its kind (both presets resolve)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh

from inrkit.config import override
from inrkit.registry import RECIPES
from inrkit.train.run import fit


def tiny_signal(kind, tiny_png, request=None):
    """A tiny signal of ``kind`` and the overrides that keep it tiny: (source, overrides, metric)."""
    if kind == "function1d":
        return "function:y4", {"task.n_samples": 64, "task.heldout_points": 256}, "mse"
    if kind in ("shape", "occupancy"):
        mesh = tiny_png.parent / "tiny_sphere.obj"
        trimesh.creation.icosphere(subdivisions=2).export(mesh)
        if kind == "occupancy":
            return f"occupancy:{mesh}", {"task.resolution": 16, "task.batch_size": 1000}, "iou"
        return str(mesh), {"task.n_points": 2000, "task.batch_size": 200, "task.mesh_resolution": 16,
                           "task.iou_resolution": 16, "task.eval_resolution": 8, "task.chamfer_points": 500}, "iou"
    if kind == "volume":
        path = tiny_png.parent / "tiny_volume.npy"
        z, y, x = np.mgrid[0:12, 0:13, 0:14] / 14.0
        np.save(path, (0.5 + 0.4 * np.sin(4 * x + 3 * y - 2 * z)).astype(np.float32))
        return str(path), {"task.batch_size": 512}, "psnr"
    if kind == "pde":
        return "pde:heat1d", {"task.n_interior": 32, "task.n_boundary": 8, "task.n_initial": 8,
                              "task.eval_points": 12, "field.hidden_features": 16}, "rel_l2"
    if kind == "video":
        tiny = {"signal.crop": None, "signal.stride": 2, "signal.max_side": None, "task.batch_size": 256,
                "field.hidden_features": 16}
        return str(request.getfixturevalue("tiny_video_npz")), tiny, "psnr"
    if kind == "audio":
        tiny = {"signal.crop": None, "task.batch_size": 0, "field.hidden_features": 16}
        return str(request.getfixturevalue("tiny_wav")), tiny, "snr"
    return str(tiny_png), {}, "psnr"


@pytest.mark.parametrize("name", RECIPES.names())
def test_recipe_smoke_fit(name, tiny_png, request):
    recipe = RECIPES.get(name)
    source, tiny, metric = tiny_signal(recipe.kind, tiny_png, request)
    cfg = recipe.config("quick", source)
    for key, value in tiny_overrides(recipe, {"trainer.steps": 3, "trainer.eval_every": 2, "trainer.progress": False,
                                              "trainer.device": "cpu", **tiny}).items():
        cfg = override(cfg, key, value)
    r = fit(cfg)
    if not getattr(recipe, "trainable", True):  # a classical baseline: reconstructs, trains nothing
        assert math.isfinite(r.metrics[metric]) and r.metrics["params"] == 0 and r.metrics["steps"] == 0
        assert recipe.config("paper").method == recipe.classical
        return
    assert math.isfinite(r.metrics[metric]) and r.metrics["params"] > 0
    assert r.metrics["steps"] == 3
    assert recipe.config("paper").trainer.steps >= cfg.trainer.steps


def tiny_overrides(recipe, overrides: dict) -> dict:
    """The overrides that apply to a recipe: a baseline recipe (``trainable = False``) has no trainer
    steps or field, only the seed / device keys the bench runner sets and the signal / task keys."""
    if getattr(recipe, "trainable", True):
        return overrides
    return {k: v for k, v in overrides.items()
            if k.startswith(("signal.", "task.")) or k in ("trainer.seed", "trainer.device", "trainer.progress")}
