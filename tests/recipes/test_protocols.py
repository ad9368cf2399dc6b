"""One protocol per task family and scale: every recipe of a protocol shares it.

At a given scale every model under one protocol sees the same signal preparation (resolution, frames,
crop), coordinates, step count, evaluation points, batch rule and schedule family; only the method's
own hyperparameters differ (learning rates per parameter group, omega_0, sigma, widths, a method's
own target range or input scale, the bacon-sdf end point). A new method registered under a protocol
is checked here with no edit.
"""

from __future__ import annotations

import pytest

from inrkit.config import to_dict
from inrkit.recipes.protocol import protocol_recipes
from inrkit.registry import PROTOCOLS, RECIPES

#: task keys a method may set for itself (a sigmoid read-out wants [0, 1] targets; MSA's float64; SASNet's 2p)
METHOD_TASK_KEYS = {"target_range", "dtype", "input_scale"}


def shared(recipe: str, scale: str) -> dict:
    cfg = RECIPES.get(recipe).config(scale)
    task = {k: v for k, v in to_dict(cfg.task).items() if k not in METHOD_TASK_KEYS}
    t = cfg.trainer
    return {"signal": to_dict(cfg.signal), "task": task, "steps": t.steps, "eval_every": t.eval_every,
            "schedule": t.schedule.kind, "lbfgs_steps": t.lbfgs_steps}


CASES = [(p, s) for p in PROTOCOLS.names() for s in ("quick", "medium", "paper")
         if s != "medium" or "medium" in PROTOCOLS.get(p).scales]


@pytest.mark.parametrize(("protocol", "scale"), CASES)
def test_every_method_of_a_protocol_shares_it(protocol, scale):
    recipes = protocol_recipes(protocol)
    assert recipes, f"protocol {protocol} has no recipe"
    first = shared(recipes[0], scale)
    for name in recipes[1:]:
        got = shared(name, scale)
        diff = {k: (first[k], got[k]) for k in first if first[k] != got[k]}
        assert not diff, f"{name} leaves protocol {protocol} at {scale} scale ({recipes[0]} differs): {diff}"


def test_recipes_know_their_method_and_protocol():
    for name in RECIPES:
        r = RECIPES.get(name)
        if r.protocol:
            assert r.protocol in PROTOCOLS and r.kind == PROTOCOLS.get(r.protocol).family


def test_medium_scale_keeps_the_papers_pixels_per_parameter():
    """sasnet-table1 at medium scale: 192^2 pixels, the paper's 5000 steps, ~18.1k parameters for every model."""
    from inrkit.registry import FIELDS

    target = 192 * 192 * 128_865 / 512**2
    for name in protocol_recipes("image-sasnet"):
        cfg = RECIPES.get(name).config("medium")
        assert cfg.signal.max_side == 192 and cfg.trainer.steps == 5000
        params = FIELDS.create(cfg.field).parameter_counts()["params"]
        assert abs(params / target - 1) < 0.05, (name, params)
    with pytest.raises(Exception, match="no medium scale"):
        RECIPES.get("siren-image").config("medium")
