"""inrkit tune: search spaces read from the config, equal budgets, resumable studies, tuned settings."""

from __future__ import annotations

import json

import pytest

from inrkit.bench.tune import search_space, tune_recipe, tune_targets
from inrkit.cli import main
from inrkit.errors import InputError
from inrkit.recipes.protocol import protocol_recipes
from inrkit.recipes.tuned import apply_settings, load_tuned
from inrkit.registry import RECIPES

TINY = ("trainer.eval_every=2", "signal.max_side=16")


def test_search_space_covers_group_lrs_frequencies_and_schedule():
    cfg = RECIPES.get("siren-image-sasnet").config("quick")
    space = search_space(cfg, "image")
    assert space["trainer.optim.lr"]["log"] == pytest.approx((1e-5, 1e-3))
    assert space["field.first_activation.omega_0"]["log"] == (21.5, 86.0)
    assert "field.activation.omega_0" in space and "constant" in space["trainer.schedule.kind"]["choices"]
    sasnet = search_space(RECIPES.get("sasnet-image").config("quick"), "image")
    assert {"trainer.optim.group_lr.grid", "trainer.optim.group_lr.decoder"} <= set(sasnet)
    assert "trainer.schedule.kind" not in search_space(RECIPES.get("siren-shape").config("quick"), "shape")


def test_tune_stores_settings_resumes_and_bench_uses_them(tiny_png, tmp_path, monkeypatch):
    monkeypatch.setenv("INRKIT_TUNED", str(tmp_path / "tuned"))
    kw = dict(scale="quick", steps=4, signals=(str(tiny_png),), device="cpu", sets=TINY)
    first = tune_recipe("siren-image", 3, out=tmp_path / "study", **kw)
    assert first["trials"] == 3
    again = tune_recipe("siren-image", 5, out=tmp_path / "study", **kw)  # the same study continues to 5
    assert again["trials"] == 5
    data = load_tuned("image", "quick")
    entry = data["recipes"]["siren-image"]
    assert entry["budget"] == {"trials": 5, "steps": 4} and data["budget"]["signals"] == [str(tiny_png)]
    assert set(entry["overrides"]) <= set(entry["space"])
    cfg = apply_settings(RECIPES.get("siren-image").config("quick"), "siren-image", "quick", "tuned")
    assert cfg.trainer.optim.lr == pytest.approx(entry["overrides"]["trainer.optim.lr"])
    with pytest.raises(InputError, match="another budget"):  # a second method with another budget
        tune_recipe("finer-image", 2, out=tmp_path / "study2", **kw)
    with pytest.raises(InputError, match="no tuned settings for finer-image"):
        apply_settings(RECIPES.get("finer-image").config("quick"), "finer-image", "quick", "tuned")
    # another protocol of the family (the SASNet paper's, 1000 steps) keeps its own budget in the same file
    other = tune_recipe("relu_mlp-image-sasnet", 2, out=tmp_path / "study3", **{**kw, "steps": 3})
    data = load_tuned("image", "quick")
    assert other["trials"] == 2
    assert data["budgets"]["image-sasnet"]["steps"] == 3 and data["budgets"]["image"]["steps"] == 4
    assert data["recipes"]["siren-image"]["budget"] == {"trials": 5, "steps": 4}


def test_cli_tune_then_fit_with_tuned_settings(tiny_png, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INRKIT_TUNED", str(tmp_path / "tuned"))
    sets = [a for s in TINY for a in ("--set", s)]
    assert main(["tune", "relu_mlp-image", "--trials", "2", "--steps", "3", "--signals", str(tiny_png),
                 "--device", "cpu", "--out", str(tmp_path / "t"), *sets]) == 0
    assert "relu_mlp-image: best psnr" in capsys.readouterr().out
    out = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "relu_mlp", "--settings", "tuned", "--steps", "3",
                 "--no-progress", "--device", "cpu", "--out", str(out)]) == 0
    lr = json.loads((tmp_path / "tuned" / "image-quick.json").read_text())["recipes"]["relu_mlp-image"]
    saved = json.loads((out / "config.json").read_text())
    assert saved["trainer"]["optim"]["lr"] == pytest.approx(lr["overrides"]["trainer.optim.lr"])
    assert main(["fit", str(tiny_png), "--model", "siren", "--settings", "tuned", "--out", str(tmp_path / "x")]) == 2
    assert "no tuned settings for siren-image" in capsys.readouterr().err


def test_tune_targets_of_a_table():
    targets = tune_targets("msa-image")  # the paper's rows first, then every method that joined its protocol
    assert targets[:4] == ["siren-image-msa", "wire-image-msa", "finer-image-msa", "msa-image-msa"]
    assert set(targets) == set(protocol_recipes("image-msa"))
    assert tune_targets("sasnet-table1", ("SIREN", "SASNet")) == ["siren-image-sasnet", "sasnet-image-sasnet"]
