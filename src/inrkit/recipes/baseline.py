"""Baseline recipes: a classical (non-learned) reconstruction of a task's measurements.

A ``BaselineRecipe`` is registered in ``RECIPES`` beside the INR recipes, so a table row can name
it; ``config`` returns an ``inrkit.train.baseline.BaselineRunConfig``, which ``train.run.fit``
reconstructs and scores without training. ``trainable = False`` tells it apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.recipes.base import PRESETS, RecipeInfo
from inrkit.registry import RECIPES
from inrkit.train.baseline import BaselineRunConfig
from inrkit.train.run import SignalConfig


@dataclass(frozen=True)
class BaselineRecipe(RecipeInfo):
    """A classical reconstruction with the kind, provenance and presets of every recipe (``RecipeInfo``);
    ``method`` and ``protocol`` stay empty (a classical method is no field preset: see ``classical``)."""

    #: registry name, e.g. "fbp-inverse-ct".
    name: str
    #: the task (its operator must know ``classical``).
    task: Any
    #: the classical method, one of the operator's ``baselines``.
    classical: str

    #: a classical reconstruction trains nothing.
    trainable = False

    def config(self, preset: str = "paper", source: str | None = None) -> BaselineRunConfig:
        if preset not in PRESETS:
            raise InputError(f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}")
        if preset == "medium" and self.medium is None:
            raise InputError(f"recipe {self.name} has no medium scale")
        cfg = BaselineRunConfig(signal=SignalConfig(source or self.default_signal, **self.signal), task=self.task,
                                method=self.classical, recipe=self.name, preset=preset)
        for key, value in {"quick": self.quick, "medium": self.medium, "paper": self.paper}[preset].items():
            if key.startswith(("signal.", "task.")):
                cfg = override(cfg, key, value)
        return cfg


def register_baseline(recipe: BaselineRecipe) -> BaselineRecipe:
    RECIPES.add(recipe.name, recipe, description=recipe.description)
    return recipe
