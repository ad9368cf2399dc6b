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
