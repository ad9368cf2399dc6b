"""Settings columns: ``paper`` (each recipe as its paper states it) and ``tuned`` (equal-budget search).

``inrkit tune`` (``inrkit.bench.tune``) searches each method's hyperparameters with the same number of
trials and the same step budget on signals held apart from the tables' test signals, and stores the
chosen values here as data, one file per task family and scale: ``tuned/<family>-<scale>.json``::

    {"budget": {"trials": 16, "steps": 1000, "signals": [...], "sampler": "TPE", "pruner": "median"},
     "budgets": {"image-sasnet": {...the same, per protocol: the methods of one protocol share one budget}},
     "recipes": {"siren-image-sasnet": {"overrides": {"trainer.optim.lr": 1.3e-3, ...},
                                        "value": 41.2, "metric": "psnr", "space": {...}}}}

``apply_settings`` puts a recipe's tuned overrides on top of its config at that scale.
``$INRKIT_TUNED`` points the whole module at another folder (tests, private studies).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.registry import RECIPES

SETTINGS = ("paper", "tuned")
TUNED_DIR = Path(__file__).with_name("tuned")


def tuned_path(family: str, scale: str, root: Path | None = None) -> Path:
    """The file holding the tuned settings of a task family at a scale."""
    return Path(root or os.environ.get("INRKIT_TUNED") or TUNED_DIR) / f"{family}-{scale}.json"


def load_tuned(family: str, scale: str, root: Path | None = None) -> dict[str, Any]:
    """The tuned-settings data of ``family`` at ``scale`` (empty when nothing was tuned)."""
    path = tuned_path(family, scale, root)
    if not path.exists():
        return {"budget": {}, "budgets": {}, "recipes": {}}
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON ({e.msg} at line {e.lineno})") from None
    return {"budget": data.get("budget", {}), "budgets": data.get("budgets", {}), "recipes": data.get("recipes", {})}


def tuned_overrides(recipe: str, scale: str, root: Path | None = None) -> dict[str, Any]:
    """The tuned dotted overrides of ``recipe`` at ``scale``; a one-line error when there are none."""
    family = RECIPES.get(recipe).kind
    entry = load_tuned(family, scale, root)["recipes"].get(recipe)
    if entry is None:
        raise InputError(f"no tuned settings for {recipe} at scale {scale}; run 'inrkit tune {recipe} "
                         f"--scale {scale}' first (or use --settings paper)")
    return dict(entry["overrides"])


def apply_settings(cfg: Any, recipe: str, scale: str, settings: str, root: Path | None = None) -> Any:
    """``cfg`` (a recipe's RunConfig at ``scale``) under the named settings column."""
    if settings not in SETTINGS:
        raise InputError(f"unknown settings {settings!r}; choose one of: {', '.join(SETTINGS)}")
    if settings == "paper":
        return cfg
    for key, value in tuned_overrides(recipe, scale, root).items():
        cfg = override(cfg, key, value)
    return cfg


def save_tuned(family: str, scale: str, recipe: str, entry: dict[str, Any], budget: dict[str, Any],
               root: Path | None = None) -> Path:
    """Add (or replace) one recipe's tuned entry in its family file; the budget is recorded alongside."""
    from filelock import FileLock

    path = tuned_path(family, scale, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):  # two studies may finish at once: neither entry may be lost
        return _save_tuned(family, scale, recipe, entry, budget, root)


def _save_tuned(family: str, scale: str, recipe: str, entry: dict[str, Any], budget: dict[str, Any],
                root: Path | None) -> Path:
    from inrkit.io import write_json

    data = load_tuned(family, scale, root)
    key = {k: budget.get(k) for k in ("trials", "steps")}
    protocol = recipe_protocol(recipe)
    others = {r: e.get("budget") for r, e in data["recipes"].items() if r != recipe and recipe_protocol(r) == protocol}
    clash = sorted(r for r, b in others.items() if b != key)
    if clash:
        raise InputError(f"{tuned_path(family, scale, root)}: {', '.join(clash)} were tuned with another budget than "
                         f"{key['trials']} trials x {key['steps']} steps; equal budgets are the point: tune every "
                         "method of a protocol with the same --trials and --steps, or remove the file")
    entry = {**entry, "budget": key}
    data["budget"] = budget
    data["budgets"][protocol or recipe] = budget
    data["recipes"][recipe] = entry
    data["recipes"] = dict(sorted(data["recipes"].items()))
    path = tuned_path(family, scale, root)
    write_json(path, data)
    return path


def recipe_protocol(recipe: str) -> str:
    """The protocol a recipe was made from (budgets must be equal within one protocol's methods)."""
    return getattr(RECIPES.get(recipe), "protocol", "") if recipe in RECIPES else ""
