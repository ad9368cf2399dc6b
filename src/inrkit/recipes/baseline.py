"""Baseline recipes: a classical (non-learned) reconstruction of a task's measurements.

A ``BaselineRecipe`` is registered in ``RECIPES`` beside the INR recipes, so a table row can name
it; ``config`` returns an ``inrkit.train.baseline.BaselineRunConfig``, which ``train.run.fit``
reconstructs and scores without training. ``trainable = False`` tells it apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.recipes.base import PRESETS
from inrkit.registry import RECIPES
from inrkit.train.baseline import BaselineRunConfig
from inrkit.train.run import SignalConfig


@dataclass(frozen=True)
class BaselineRecipe:
    """A classical reconstruction with provenance (the presets and provenance fields of ``Recipe``)."""

    #: registry name, e.g. "fbp-inverse-ct".
    name: str
    #: the task (its operator must know ``classical``).
    task: Any
    #: the classical method, one of the operator's ``baselines`` (not named ``method``: main's Recipe uses
    #: that for a METHODS entry).
    classical: str
    #: signal kind the recipe applies to.
    kind: str = "image"
    #: one line for ``inrkit list recipes``.
    description: str = ""
    #: where the settings come from.
    reference: str = ""
    #: dotted overrides of the quick preset (``signal.*`` and ``task.*`` keys).
    quick: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the paper preset.
    paper: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the medium scale; None: the recipe has no medium scale.
    medium: dict[str, Any] | None = None
    #: built-in signal used when none is given.
    default_signal: str = "builtin:camera"
    #: signal preparation of the paper preset.
    signal: dict[str, Any] = field(default_factory=dict)
    #: the METHODS entry (none: a classical method is no field preset; see ``classical``).
    method: str = ""
    #: the protocol the recipe was made from (none: baseline recipes are registered directly).
    protocol: str = ""

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
