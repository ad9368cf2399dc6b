"""CLI: fit and render audio, video and PDE signals."""

from __future__ import annotations

import json

import pytest

from inrkit.cli import main

FAST = ["--preset", "quick", "--steps", "3", "--no-progress", "--device", "cpu", "--set", "field.hidden_features=16",
        "--set", "trainer.eval_every=2"]


def test_fit_and_render_audio_and_video(tmp_path, tiny_wav, tiny_video_npz, capsys):
    for source, model, suffix in ((tiny_wav, "siren", ".wav"), (tiny_video_npz, "scone", ".mp4")):
        out = tmp_path / suffix[1:]
        extra = ["--set", "task.batch_size=64", "--set", "signal.crop=null", "--set", "signal.stride=1"]
        assert main(["fit", str(source), "--model", model, "--out", str(out), *FAST, *extra]) == 0
        assert (out / f"reconstruction{suffix}").is_file()
        assert main(["render", str(out), "--device", "cpu", "--scale", "2"]) == 0
        assert (out / f"render_x2{suffix}").is_file()
        assert main(["render", str(out), "--device", "cpu", "--out", str(out / "x.png")]) == 2


def test_fit_pde_problem(tmp_path):
    out = tmp_path / "pde"
    args = ["fit", "pde:advection1d", "--model", "pinn", "--out", str(out), *FAST, "--set", "task.n_interior=32",
            "--set", "task.n_boundary=8", "--set", "task.n_initial=8", "--set", "task.eval_points=16"]
    assert main(args) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["rel_l2"] > 0 and "grad_log10_layer1" in metrics
    config = json.loads((out / "config.json").read_text())
    assert config["recipe"] == "pinn-pde" and config["task"]["type"] == "pde"


@pytest.mark.parametrize("source", ["pde:nope", "x.flac"])
def test_bad_sources_are_one_line_errors(source, capsys):
    assert main(["fit", source, "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
