"""`inrkit fit function:y4 --model msa` end to end, and re-scoring the run with `inrkit eval`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inrkit.cli import main


def test_fit_function_y4_with_msa(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["fit", "function:y4", "--model", "msa", "--out", str(out), "--preset", "quick", "--steps", "4",
            "--no-progress", "--device", "cpu", "--set", "field.hidden_features=16",
            "--set", "task.heldout_points=500", "--set", "trainer.eval_every=2"]
    assert main(args) == 0
    for name in ("config.json", "metrics.json", "history.csv", "model.safetensors", "reconstruction.png",
                 "reconstruction.npz", "plots/loss.png"):
        assert (out / name).is_file(), name
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] == 4 and metrics["params"] == 16 * 2 + 3 * (16 * 16 + 16) + 17
    assert metrics["mse"] > 0 and metrics["mse_heldout"] > 0 and "neg_log10_mse_peak" in metrics
    config = json.loads((out / "config.json").read_text())
    assert config["recipe"] == "msa-function1d" and config["field"]["dtype"] == "float64"
    assert config["task"]["type"] == "function1d" and config["task"]["dtype"] == "float64"
    data = np.load(out / "reconstruction.npz")
    assert np.mean((data["prediction"] - data["target"]) ** 2) == pytest.approx(metrics["mse_heldout"], rel=1e-12)

    capsys.readouterr()
    assert main(["eval", str(out), "--device", "cpu"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["mse"] == metrics["mse"] and shown["mse_heldout"] == metrics["mse_heldout"]
