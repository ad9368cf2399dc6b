"""Registry and config: names, {"type": ...} round trips, overrides and their errors."""

from __future__ import annotations

import json

import pytest

from inrkit.config import from_dict, override, to_dict
from inrkit.errors import InputError
from inrkit.registry import FIELDS, RECIPES, REGISTRIES, TASKS, type_name
from inrkit.train.run import run_config_from_dict


@pytest.mark.parametrize("name", FIELDS.names())
def test_field_config_round_trip(name):
    cfg = FIELDS.default_config(name)
    data = json.loads(json.dumps(to_dict(cfg)))
    assert data["type"] == name == type_name(cfg)
    assert from_dict(data, FIELDS) == cfg


@pytest.mark.parametrize("name", RECIPES.names())
@pytest.mark.parametrize("preset", ["quick", "paper"])
def test_resolved_recipe_config_round_trips_through_json(name, preset):
    cfg = RECIPES.get(name).config(preset)
    data = json.loads(json.dumps(to_dict(cfg)))
    assert run_config_from_dict(data) == cfg  # RunConfig, or a classical-baseline config for baseline recipes


def test_every_registry_entry_has_a_description():
    for reg in REGISTRIES.values():
        for n in reg:
            assert reg.entry(n).description, (reg.kind, n)


def test_override_nested_and_coercion():
    cfg = RECIPES.get("siren-image").config("paper")
    cfg2 = override(cfg, "field.hidden_features", "128")
    assert cfg2.field.hidden_features == 128 and cfg.field.hidden_features == 256  # configs are immutable
    assert override(cfg, "trainer.optim.lr", "1e-3").trainer.optim.lr == 1e-3
    assert override(cfg, "task.coord_range", "[0, 1]").task.coord_range == (0.0, 1.0)
    assert override(cfg, "trainer.optim.group_lr.grid", "5e-3").trainer.optim.group_lr == {"grid": 5e-3}
    assert type_name(override(cfg, "field", "finer").field) == "finer"


@pytest.mark.parametrize(("key", "value", "match"), [
    ("field.nope", "1", "unknown --set key 'field.nope'"),
    ("nope", "1", "unknown --set key 'nope'"),
    ("trainer.steps", "ten", "trainer.steps expects an integer"),
    ("trainer.optim.lr", "[1]", "expects a number"),
    ("field", "nosuchfield", "unknown field"),
    ("trainer.steps.x", "1", "not a nested config"),
])
def test_override_errors_are_one_line(key, value, match):
    cfg = RECIPES.get("siren-image").config("paper")
    with pytest.raises(InputError, match=match) as info:
        override(cfg, key, value)
    assert "\n" not in str(info.value)


def test_from_dict_rejects_unknown_keys_and_types():
    with pytest.raises(InputError, match="unknown config key"):
        from_dict({"type": "siren", "widht": 3}, FIELDS)
    with pytest.raises(InputError, match="unknown task"):
        from_dict({"type": "nope"}, TASKS)
