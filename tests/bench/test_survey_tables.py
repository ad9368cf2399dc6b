"""Survey tables (issue 16): every method of the family protocol, once, under that one protocol."""

from __future__ import annotations

import pytest

from inrkit.recipes.protocol import protocol_recipes
from inrkit.registry import RECIPES, TABLES

SURVEYS = [n for n in TABLES.names() if n.startswith("survey-")]


def test_the_survey_tables_exist():
    assert {"survey-image", "survey-audio", "survey-sdf", "survey-1d"} <= set(SURVEYS)


@pytest.mark.parametrize("name", SURVEYS)
def test_a_survey_table_runs_every_method_of_its_protocol_once(name):
    table = TABLES.get(name)
    rows = table.all_rows()
    methods = [RECIPES.get(r.recipe).method for r in rows]
    assert len(methods) == len(set(methods)), "a method appears twice"
    assert set(methods) == {RECIPES.get(n).method for n in protocol_recipes(table.protocol)}
    assert all(RECIPES.get(r.recipe).protocol == table.protocol for r in rows)
    assert len({r.label for r in rows}) == len(rows)


def test_survey_image_reports_on_signals_apart_from_the_tuning_ones():
    from inrkit.bench.tune import TUNE_SIGNALS

    assert not set(TABLES.get("survey-image").signals["quick"]) & set(TUNE_SIGNALS["image"])


def _deployed_params(recipe: str, scale: str) -> int:
    """``params_deployed`` of a recipe's field at a scale, built without memory where the field allows it."""
    import torch

    from inrkit.registry import FIELDS

    cfg = RECIPES.get(recipe).config(scale)
    try:
        with torch.device("meta"):
            field = FIELDS.create(cfg.field)
    except (RuntimeError, NotImplementedError):  # fields whose init reads values (.item(), copies)
        field = FIELDS.create(cfg.field)
    return field.parameter_counts()["params_deployed"]


@pytest.mark.parametrize("scale", ["quick", "paper"])
@pytest.mark.parametrize("name", ["survey-image", "survey-sdf"])
def test_survey_rows_are_sized_within_5_percent_of_siren(name, scale):
    rows = TABLES.get(name).all_rows()
    budget = _deployed_params(next(r.recipe for r in rows if RECIPES.get(r.recipe).method == "siren"), scale)
    counts = {r.label: _deployed_params(r.recipe, scale) for r in rows}
    off = {label: f"{n:,} ({100 * (n - budget) / budget:+.1f}%)" for label, n in counts.items()
           if abs(n - budget) > 0.05 * budget}
    assert not off, f"{name} at {scale}: SIREN has {budget:,}; outside 5%: {off}"
