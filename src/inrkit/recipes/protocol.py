"""Protocols as data, methods, and the recipes they make.

A **protocol** is how one paper (or inrkit) fits one task family: the task settings, the trainer
settings, the signal preparation, per-scale overrides shared by every model (``scales["quick"]``
sized for a 2-core CPU, ``scales["paper"]`` the published one), the field sizes of MLP-shaped models,
and where it all comes from. A **method** is a field preset with a label (``siren`` -> "SIREN").
A **setting** is what one method changes inside one protocol (its learning rates, omega_0, sigma, a
field preset of its own, per-scale sizes). A recipe is (method x protocol x setting):

    add_settings("siren", {"image-sasnet": Setting("omega_0 43, lr 1e-4", {"trainer.optim.lr": 1e-4})})

registers the recipe ``siren-image-sasnet``. Setting keys are shell-style patterns over protocol
names (``"image*"`` joins every image protocol); an exact name is applied after the patterns.
Protocols, methods and settings may be registered in any order: a recipe is remade whenever a setting for it
arrives.

Recipe names: ``<method>-<family>`` for the protocol named after its family (``siren-image``: the
FINER image trainer) and for the protocol's home methods (``sasnet-image`` under ``image-sasnet``),
``<method>-<protocol>`` otherwise (``siren-image-sasnet``); a setting key ``"shape:lucy"`` adds the
variant suffix (``sasnet-shape-lucy``).

Resolution order of a recipe config (later wins): the method's field (or the setting's), the
protocol's dims and paper sizes (MLP-shaped methods only), the setting's overrides; then, at a
scale, the protocol's shared overrides (``field.*`` keys where the field has them), its sizes at that
scale, the setting's overrides at that scale.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from inrkit.config import override
from inrkit.errors import InputError
from inrkit.recipes.base import PRESETS, Recipe, register_recipe
from inrkit.registry import FIELDS, METHODS, PROTOCOLS, RECIPES
from inrkit.train.trainer import TrainerConfig


@dataclass(frozen=True)
class Protocol:
    """One task family's fitting protocol with per-scale overrides and provenance."""

    #: registry name, e.g. "image-sasnet".
    name: str
    #: task family (recipe kind): image, audio, video, volume, shape, occupancy, function1d, pde.
    family: str
    #: task config.
    task: Any
    #: trainer config at the paper setting.
    trainer: TrainerConfig
    #: one line: whose protocol this is.
    description: str
    #: where the settings come from (specs section, paper, code).
    reference: str = ""
    #: signal preparation at the paper setting (``SignalConfig`` fields).
    signal: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides shared by every method, per scale ("quick", "paper", optionally "medium"); ``field.*``
    #: keys apply to the methods whose field has them.
    scales: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: field sizes of MLP-shaped methods, per scale ("paper" is applied to the base config).
    sizes: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (in_features, out_features) written into every field config (the signal fixes them at run time).
    dims: tuple[int, int] | None = None
    #: methods whose own paper protocol this is (their recipe is named <method>-<family>).
    home: tuple[str, ...] = ()
    #: signal fitted when none is given.
    default_signal: str = "builtin:camera"
    #: provenance tags, e.g. ("paper", "code") or ("inrkit-default",).
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Method:
    """A field preset as it appears in tables."""

    #: registry name = the field preset's name in FIELDS (``siren``).
    name: str
    #: label in tables ("SIREN").
    label: str
    #: protocol sizes (``Protocol.sizes``) apply (False for methods with their own structure).
    sized: bool = True


@dataclass(frozen=True)
class Setting:
    """What a method changes inside a protocol."""

    #: one line for the recipe description (the method's settings in words).
    description: str = ""
    #: dotted overrides at every scale.
    overrides: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the quick scale.
    quick: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the paper scale.
    paper: dict[str, Any] = field(default_factory=dict)
    #: dotted overrides of the medium scale (protocols that define one).
    medium: dict[str, Any] = field(default_factory=dict)
    #: field config replacing the method's preset (e.g. MSA's per-task s lists).
    field: Any = None


_SETTINGS: list[tuple[str, str, Setting]] = []  # (method, protocol pattern[:variant], setting)


def register_protocol(protocol: Protocol) -> Protocol:
    """Register a protocol and make the recipes of the settings already registered for it."""
    PROTOCOLS.add(protocol.name, protocol, description=protocol.description)
    for method in {m for m, _, _ in _SETTINGS}:
        _materialise(method, protocol)
    return protocol


def register_method(name: str, label: str, sized: bool = True,
                    settings: dict[str, Setting] | None = None) -> Method:
    """Register a method (its field preset must exist) and optionally its settings."""
    FIELDS.entry(name)
    method = METHODS.add(name, Method(name, label, sized), description=label)
    add_settings(name, settings or {})
    return method


def add_settings(method: str, settings: dict[str, Setting]) -> None:
    """Register ``method``'s settings by protocol pattern and make the recipes they complete."""
    for key, value in settings.items():
        _SETTINGS.append((method, key, value))
    for name in PROTOCOLS:
        _materialise(method, PROTOCOLS.get(name))


def recipe_name(method: str, protocol: Protocol, variant: str = "") -> str:
    """The recipe name of ``method`` under ``protocol`` (module docstring)."""
    short = protocol.name == protocol.family or method in protocol.home
    base = f"{method}-{protocol.family if short else protocol.name}"
    return f"{base}-{variant}" if variant else base


def _materialise(method: str, protocol: Protocol) -> None:
    """Register the recipes (one per variant) of ``method`` under ``protocol`` if settings match."""
    if method not in METHODS:  # made when the method registers
        return
    by_variant: dict[str, list[tuple[bool, Setting]]] = {}
    for m, key, value in _SETTINGS:
        pattern, _, variant = key.partition(":")
        if m == method and fnmatch.fnmatchcase(protocol.name, pattern):
            by_variant.setdefault(variant, []).append((pattern == protocol.name, value))
    for variant, matches in by_variant.items():
        name = recipe_name(method, protocol, variant)
        # patterns first, the exact protocol name last (stable within each)
        ordered = [s for exact, s in matches if not exact] + [s for exact, s in matches if exact]
        recipe = _recipe(name, METHODS.get(method), protocol, ordered)
        if name not in RECIPES:
            register_recipe(recipe)
        elif RECIPES.get(name).protocol == protocol.name:  # more settings arrived: remake it from all of them
            RECIPES.replace(name, recipe, recipe.description)
        else:
            raise ValueError(f"recipe {name!r} is registered twice")


def _has(cfg: Any, key: str) -> bool:
    return is_dataclass(cfg) and key in {f.name for f in fields(cfg)}


def _sized(cfg: Any, sizes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sizes.items() if _has(cfg, k.removeprefix("field."))}


def _recipe(name: str, method: Method, protocol: Protocol, settings: list[Setting]) -> Recipe:
    from inrkit.train.run import RunConfig

    field_cfg = next((s.field for s in reversed(settings) if s.field is not None), None)
    field_cfg = field_cfg if field_cfg is not None else FIELDS.default_config(method.name)
    if protocol.dims is not None and _has(field_cfg, "in_features"):
        field_cfg = replace(field_cfg, in_features=protocol.dims[0], out_features=protocol.dims[1])
    cfg = RunConfig(field=field_cfg, task=protocol.task, trainer=protocol.trainer)
    base = {**(_sized(field_cfg, protocol.sizes.get("paper", {})) if method.sized else {})}
    for s in settings:
        base.update(s.overrides)
    try:
        for key, value in base.items():
            cfg = override(cfg, key, value)
    except InputError as e:
        raise InputError(f"recipe {name}: {e}") from None
    scales: dict[str, dict[str, Any] | None] = {"medium": None}
    for scale in [s for s in PRESETS if s in ("quick", "paper") or s in protocol.scales]:
        sizes = _sized(field_cfg, protocol.sizes.get(scale, {})) if method.sized and scale != "paper" else {}
        shared = protocol.scales.get(scale, {})
        merged = {k: v for k, v in shared.items() if not k.startswith("field.") or _has(field_cfg, k[6:])}
        merged.update(sizes)
        for s in settings:
            merged.update(getattr(s, scale))
        scales[scale] = merged
    words = "; ".join(s.description for s in settings if s.description)
    return Recipe(name=name, field=cfg.field, task=cfg.task, trainer=cfg.trainer, kind=protocol.family,
                  description=f"{protocol.description}: {words}" if words else protocol.description,
                  reference=protocol.reference, quick=scales["quick"], paper=scales["paper"], medium=scales["medium"],
                  default_signal=protocol.default_signal, signal=dict(protocol.signal),
                  method=method.name, protocol=protocol.name)


def protocol_recipes(protocol: str) -> list[str]:
    """Names of the recipes made under ``protocol``, in registration order of their methods."""
    order = {m: i for i, m in enumerate(METHODS)}
    found = [r for r in RECIPES if RECIPES.get(r).protocol == protocol]
    return sorted(found, key=lambda r: (order.get(RECIPES.get(r).method, len(order)), r))
