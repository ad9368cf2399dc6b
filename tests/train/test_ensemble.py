"""Ensemble fitting: a member of a batched ensemble follows the fit run alone with the same seed."""

from __future__ import annotations

import pytest
import torch

from inrkit.config import override
from inrkit.registry import FIELDS, RECIPES, TASKS
from inrkit.signals import load_signal
from inrkit.train.ensemble import EnsembleError, EnsembleField, EnsembleTask, compat_key, fit_ensemble
from inrkit.train.run import fit

TINY = {"trainer.steps": 6, "trainer.eval_every": 3, "trainer.progress": False, "trainer.device": "cpu"}


def configs(recipe: str, sources: list[str], seeds: list[int], **extra):
    out = []
    for src, seed in zip(sources, seeds, strict=False):
        cfg = RECIPES.get(recipe).config("quick", src)
        for k, v in {**TINY, "trainer.seed": seed, **extra}.items():
            cfg = override(cfg, k, v)
        out.append(cfg)
    return out


def small_field(name: str, seed: int):
    cfg = FIELDS.default_config(name)
    sizes = {k: v for k, v in {"hidden_features": 16, "hidden_layers": 1}.items() if hasattr(cfg, k)}
    torch.manual_seed(seed)
    return FIELDS.create(name, in_features=2, out_features=3, **sizes)


#: fields with per-fit training hooks (SAPE's progressive masks): ``fit_ensemble`` refuses them (tested below),
#: so their batched loss is never used, and their masks' data-dependent lookups are not vmap-able
HOOKED = {n for n in FIELDS.names() if small_field(n, 0).training_hooks()}


@pytest.mark.parametrize("name", [n for n in FIELDS.names() if n not in HOOKED])
def test_batched_loss_and_gradients_equal_each_members_own(name, tiny_png):
    """At initialisation the vmapped loss and its gradient equal each member's loss and gradient."""
    fields = [small_field(name, seed) for seed in (0, 1, 2)]
    signal = load_signal(str(tiny_png))
    tasks = [TASKS.create({"type": "fitting", "batch_size": 64}, signal) for _ in fields]
    ens_task = EnsembleTask(tasks, fields, seeds=[0, 1, 2])
    ens = EnsembleField(fields)
    batch = ens_task.sample(0, torch.Generator())
    losses = ens_task.loss(ens, batch)
    losses["loss"].backward()
    params, _ = ens.stacked_state()
    for e, (task, field) in enumerate(zip(tasks, fields, strict=False)):
        own = task.loss(field, {k: v[e] for k, v in batch.items()})
        assert float(losses[f"m{e}/loss"].detach()) == pytest.approx(float(own["loss"].detach()), rel=1e-5, abs=1e-7)
        field.zero_grad()
        own["loss"].backward()
        for k, p in field.named_parameters():
            if p.requires_grad:
                torch.testing.assert_close(params[k].grad[e], p.grad, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("recipe", ["siren-image", "sasnet-image"])
def test_member_matches_the_same_fit_run_alone(recipe, tiny_png, image_factory, tmp_path):
    from PIL import Image

    other = tmp_path / "other.png"
    Image.fromarray((image_factory(20, 24, 3, seed=5) * 255).round().astype("uint8")).save(other)
    cfgs = configs(recipe, [str(tiny_png), str(other), str(tiny_png)], [0, 1, 2])
    ens = fit_ensemble(cfgs, [tmp_path / f"m{e}" for e in range(3)])
    for e in (1, 2):
        solo = fit(cfgs[e])
        for k, p in solo.field.named_parameters():
            torch.testing.assert_close(dict(ens[e].field.named_parameters())[k], p, rtol=1e-4, atol=1e-5)
        assert ens[e].metrics["psnr"] == pytest.approx(solo.metrics["psnr"], abs=1e-3)
        assert [h["step"] for h in ens[e].history] == [h["step"] for h in solo.history]
        assert ens[e].metrics["ensemble_size"] == 3 and ens[e].metrics["params"] == solo.metrics["params"]
    assert ens[0].metrics["psnr"] != ens[2].metrics["psnr"]  # same signal, other seed: a different fit
    for e in range(3):
        assert (tmp_path / f"m{e}" / "metrics.json").exists() and (tmp_path / f"m{e}" / "model.safetensors").exists()


def test_incompatible_members_are_refused(tiny_png):
    a, b = configs("siren-image", [str(tiny_png)] * 2, [0, 1])
    wider = override(b, "field.hidden_features", 64)
    assert compat_key(a) == compat_key(b) != compat_key(wider)
    with pytest.raises(EnsembleError, match="share"):
        fit_ensemble([a, wider])
    for key, value, match in (("trainer.grad_clip", 1.0, "clipping"), ("trainer.lbfgs_steps", 2, "L-BFGS"),
                              ("trainer.grad_stats_every", 1, "statistics")):
        with pytest.raises(EnsembleError, match=match):
            fit_ensemble([override(a, key, value), override(b, key, value)])


def test_compiled_ensemble_matches_eager(tiny_png, recwarn):
    cfgs = configs("siren-image", [str(tiny_png)] * 2, [0, 1], **{"trainer.steps": 3, "trainer.eval_every": 0})
    eager = fit_ensemble(cfgs)
    compiled = fit_ensemble(cfgs, compile=True)
    assert not [w for w in recwarn if "torch.compile failed" in str(w.message)]
    for a, b in zip(eager, compiled, strict=True):
        assert b.metrics["psnr"] == pytest.approx(a.metrics["psnr"], abs=1e-3)


def test_fields_with_training_hooks_are_fitted_one_by_one(tiny_png):
    assert "sape" in HOOKED
    with pytest.raises(EnsembleError, match="training hooks"):
        fit_ensemble(configs("sape-image", [str(tiny_png)] * 2, [0, 1]))
