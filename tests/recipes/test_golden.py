"""Golden file: every recipe's parameter counts and the metrics of a 3-step fit on a tiny signal.

Recorded before the composition redesign (issue 12) so that refactors can prove they change nothing:
parameter counts must match exactly and metrics to 1e-6 relative. A commit that changes a value on
purpose re-records the file and says why::

    INRKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -p no:xdist tests/recipes/test_golden.py

Recording writes one JSON entry per recipe into ``golden.json`` (recipes that no longer exist are
dropped). A recipe registered after the recording (a new method) is skipped with a note until the
file is re-recorded; it has nothing to be compared with.

The fits run with ``trainer.onednn_linear=False`` (torch's MKL products, as when the file was recorded):
the oneDNN path differs by float rounding only, which ``tests/nn/test_onednn.py`` checks against float64.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from test_recipe_smoke import tiny_overrides, tiny_signal

from inrkit.config import override
from inrkit.registry import RECIPES
from inrkit.train.run import fit

GOLDEN = Path(__file__).with_name("golden.json")
UPDATE = os.environ.get("INRKIT_UPDATE_GOLDEN") == "1"
COUNTS = ("params", "params_numel", "params_frozen")
#: metrics that depend on the machine or the clock, not on the numbers computed
SKIP = {"wall_s", "device", "steps", "outputs", "ensemble_wall_s", "ensemble_size"}


def _record(name: str, tiny_png, request) -> dict:
    recipe = RECIPES.get(name)
    source, tiny, _ = tiny_signal(recipe.kind, tiny_png, request)
    cfg = recipe.config("quick", source)
    for key, value in tiny_overrides(recipe, {"trainer.steps": 3, "trainer.eval_every": 2, "trainer.progress": False,
                                              "trainer.device": "cpu", "trainer.seed": 7,
                                              "trainer.onednn_linear": False, **tiny}).items():
        cfg = override(cfg, key, value)
    metrics = fit(cfg).metrics
    counts = {k: int(metrics[k]) for k in COUNTS if k in metrics}
    values = {k: float(v) for k, v in metrics.items()
              if k not in SKIP and k not in COUNTS and isinstance(v, (int, float)) and not isinstance(v, bool)
              and not k.startswith(("time_to_", "steps_to_"))}
    return {"counts": counts, "metrics": values}


def _golden() -> dict:
    return json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


@pytest.mark.parametrize("name", RECIPES.names())
def test_recipe_matches_golden(name, tiny_png, request):
    got = _record(name, tiny_png, request)
    if UPDATE:
        data = {k: v for k, v in _golden().items() if k in RECIPES}
        data[name] = got
        GOLDEN.write_text(json.dumps(dict(sorted(data.items())), indent=1, sort_keys=True) + "\n")
        return
    golden = _golden()
    if name not in golden:
        pytest.skip(f"recipe {name} is newer than {GOLDEN.name}; record it (see the module docstring)")
    want = golden[name]
    assert got["counts"] == want["counts"]
    for key, value in want["metrics"].items():
        assert key in got["metrics"], f"metric {key} disappeared"
        new = got["metrics"][key]
        if math.isnan(value):
            assert math.isnan(new), key
        else:
            assert new == pytest.approx(value, rel=1e-6, abs=1e-9), key
