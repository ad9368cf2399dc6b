"""Recipe: a named (field, task, trainer) triple with its paper reference and presets.

``paper`` is the published protocol (GPU scale). ``quick`` applies dotted overrides (the same syntax
as ``--set``) sized for a 2-core CPU in minutes. Benchmark tables refer to recipes by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.registry import RECIPES
from inrkit.train.run import RunConfig, SignalConfig
from inrkit.train.trainer import TrainerConfig

#: scales, smallest first: quick (CPU minutes), medium (the paper's samples-per-parameter and steps within a CPU
#: hour per table row, where a protocol defines it), paper (the published protocol).
PRESETS = ("quick", "medium", "paper")


@dataclass(frozen=True, kw_only=True)
class RecipeInfo:
    """What every recipe carries beside what it runs: kind, provenance, presets (INR and classical recipes)."""

    #: signal kind the recipe applies to ("image", ...).
    kind: str = "image"
    #: one line for ``inrkit list recipes``.
    description: str = ""
    #: where the settings come from (paper / code / inrkit default).
    reference: str = ""
    #: dotted overrides of the quick preset.
    quick: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the paper preset (e.g. the signal preparation, ``signal.max_side``).
    paper: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the medium scale; None: the recipe has no medium scale.
    medium: dict[str, Any] | None = None
    #: built-in signal used when none is given.
    default_signal: str = "builtin:camera"
    #: signal preparation of the paper preset (``SignalConfig`` fields, e.g. video frames and size).
    signal: dict[str, Any] = field(default_factory=dict)
    #: the method (field preset) the recipe was made from, if any (``recipes.protocol``).
    method: str = ""
    #: the protocol the recipe was made from, if any.
    protocol: str = ""


@dataclass(frozen=True)
class Recipe(RecipeInfo):
    """A runnable configuration with provenance."""

    #: registry name, e.g. "siren-image".
    name: str
    #: field config at the paper setting.
    field: Any
    #: task config.
    task: Any
    #: trainer config at the paper setting.
    trainer: TrainerConfig

    def config(self, preset: str = "paper", source: str | None = None) -> RunConfig:
        """The resolved RunConfig for a preset and signal source."""
        if preset not in PRESETS:
            raise InputError(f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}")
        signal = SignalConfig(source or self.default_signal, **self.signal)
        cfg = RunConfig(signal=signal, field=self.field, task=self.task,
                        trainer=self.trainer, recipe=self.name, preset=preset)
        if preset == "medium" and self.medium is None:
            raise InputError(f"recipe {self.name} has no medium scale (its protocol {self.protocol or '-'} defines "
                             "quick and paper)")
        for key, value in {"quick": self.quick, "medium": self.medium, "paper": self.paper}[preset].items():
            cfg = override(cfg, key, value)
        return cfg


def register_recipe(recipe: Recipe) -> Recipe:
    RECIPES.add(recipe.name, recipe, description=recipe.description)
    return recipe


def find_recipe(model: str, kind: str) -> Recipe:
    """Recipe for ``--model``: a recipe name, or a field name with its default recipe for ``kind``."""
    if model in RECIPES:
        return RECIPES.get(model)
    name = f"{model}-{kind}"
    if name in RECIPES:
        return RECIPES.get(name)
    choices = sorted({n.rsplit("-", 1)[0] for n in RECIPES.names(f"*-{kind}")})
    raise InputError(f"unknown model {model!r} for {kind} signals; choose one of: {', '.join(choices)} "
                     "(or a recipe name from 'inrkit list recipes')")
