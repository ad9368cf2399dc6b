"""`inrkit render` / `inrkit eval` through each task's own render and query metrics (no branch on kinds)."""

from __future__ import annotations

import json

import numpy as np
import trimesh

from inrkit.cli import main

FAST = ["--preset", "quick", "--steps", "3", "--no-progress", "--quiet", "--device", "cpu",
        "--set", "field.hidden_features=16", "--set", "trainer.eval_every=3"]


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("inrkit: error:"), err
    return err[0]


def test_volume_render_is_npz_and_eval_shift_works(tmp_path, capsys):
    path = tmp_path / "vol.npy"
    z, y, x = np.mgrid[0:12, 0:12, 0:12] / 12.0
    np.save(path, (0.5 + 0.4 * np.sin(3 * x + 2 * y + z)).astype(np.float32))
    out = tmp_path / "run"
    assert main(["fit", str(path), "--model", "siren", "--out", str(out), *FAST]) == 0
    assert main(["render", str(out), "--scale", "2", "--device", "cpu"]) == 0
    assert np.load(out / "render_x2.npz")["volume"].shape == (23, 23, 23)  # endpoint grid: 2 (n - 1) + 1
    note = capsys.readouterr().out
    assert "rendering 23x23x23 (2x the fitted 12x12x12)" in note and "no ground truth exists at this scale" in note
    assert main(["render", str(out), "--out", str(out / "v.png"), "--device", "cpu"]) == 2
    assert "volume renders are written as .npz" in _one_line_error(capsys)
    assert main(["eval", str(out), "--shift", "0.25", "--device", "cpu"]) == 0
    assert "psnr_shift" in json.loads((out / "eval.json").read_text())["shift=0.25,scale=1"]


def test_function_render_and_queries_without_meaning(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["fit", "function:y4", "--model", "siren", "--out", str(out), *FAST,
                 "--set", "task.n_samples=64", "--set", "task.heldout_points=200"]) == 0
    assert main(["render", str(out), "--device", "cpu"]) == 0
    assert np.load(out / "render_x1.npz")["prediction"].shape == (200,)
    assert main(["render", str(out), "--scale", "2", "--device", "cpu"]) == 2
    assert "held-out grid only" in _one_line_error(capsys)
    assert main(["eval", str(out), "--shift", "0.5", "--device", "cpu"]) == 2
    assert "not defined for the function1d task" in _one_line_error(capsys)


def test_occupancy_render_is_a_mesh(tmp_path, capsys):
    mesh = tmp_path / "sphere.obj"
    trimesh.creation.icosphere(subdivisions=2).export(mesh)
    out = tmp_path / "run"
    assert main(["fit", str(mesh), "--task", "occupancy", "--model", "siren", "--out", str(out), *FAST,
                 "--set", "task.resolution=16", "--set", "task.batch_size=1000"]) == 0
    code = main(["render", str(out), "--scale", "2", "--device", "cpu"])
    if code == 0:  # 3 steps may not give a surface yet; then the error is one line
        assert len(trimesh.load(out / "render_x2.ply", process=False).faces) > 0
    else:
        assert code == 2 and "no surface" in _one_line_error(capsys)
    assert main(["fit", f"occupancy:{mesh}", "--task", "sdf", "--out", str(tmp_path / "b"), *FAST]) == 2
    assert "selects the occupancy task" in _one_line_error(capsys)
