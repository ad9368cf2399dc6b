"""Command line on 3-D signals: SDF fit of a mesh, occupancy, volumes, and bad 3-D input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import trimesh

from inrkit.cli import main

FAST = ["--preset", "quick", "--steps", "6", "--no-progress", "--device", "cpu",
        "--set", "field.hidden_features=16", "--set", "trainer.eval_every=3"]
TINY_SDF = ["--set", "task.n_points=3000", "--set", "task.batch_size=500", "--set", "task.mesh_resolution=20",
            "--set", "task.iou_resolution=20", "--set", "task.eval_resolution=10", "--set", "task.chamfer_points=1000"]


@pytest.fixture
def sphere_obj(tmp_path):
    path = tmp_path / "sphere.obj"
    trimesh.creation.icosphere(subdivisions=2).export(path)
    return path


def test_fit_mesh_writes_ply_preview_and_geometry_metrics(sphere_obj, tmp_path):
    out = tmp_path / "run"
    # a smooth field (low omega) so that 6 steps already give a surface inside the box
    assert main(["fit", str(sphere_obj), "--model", "siren", "--out", str(out), *FAST, *TINY_SDF,
                 "--set", "field.first_activation.omega_0=3", "--set", "field.activation.omega_0=3"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert 0.0 <= metrics["iou"] <= 1.0 and "iou_peak" in metrics and metrics["surface"] == 1.0
    if metrics["surface"]:
        assert metrics["chamfer"] > 0 and metrics["chamfer_l1"] > 0
        mesh = trimesh.load(out / "reconstruction.ply", process=False)
        assert len(mesh.faces) == metrics["mesh_faces"]
        frame = json.loads((out / "frame.json").read_text())
        source = trimesh.load(out / "reconstruction_source.ply", process=False)
        assert np.array_equal(source.faces, mesh.faces)
        assert np.allclose(frame["scale"] * source.vertices + frame["offset"], mesh.vertices, atol=1e-5)
        assert (out / "reconstruction.png").is_file()
    assert (out / "plots" / "iou.png").is_file()
    if metrics["surface"]:
        assert main(["render", str(out), "--out", str(tmp_path / "r.ply"), "--device", "cpu"]) == 0
        assert len(trimesh.load(tmp_path / "r.ply", process=False).faces) == metrics["mesh_faces"]


def test_occupancy_by_prefix_and_by_task(sphere_obj, tmp_path):
    common = [*FAST, "--set", "task.resolution=16", "--set", "task.batch_size=1000"]
    assert main(["fit", f"occupancy:{sphere_obj}", "--model", "wire", "--out", str(tmp_path / "a"), *common]) == 0
    assert main(["fit", str(sphere_obj), "--task", "occupancy", "--model", "msa", "--out", str(tmp_path / "b"),
                 *common]) == 0
    for run in ("a", "b"):
        assert 0.0 <= json.loads((tmp_path / run / "metrics.json").read_text())["iou"] <= 1.0


def test_volume_fit_writes_slices(tmp_path):
    path = tmp_path / "vol.npy"
    z, y, x = np.mgrid[0:12, 0:12, 0:12] / 12.0
    np.save(path, (255 * (0.5 + 0.4 * np.sin(3 * x + 2 * y + z))).astype(np.uint8))
    out = tmp_path / "run"
    assert main(["fit", str(path), "--model", "siren", "--out", str(out), *FAST]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"psnr", "ssim", "ssim_slices"} <= set(metrics)
    assert np.load(out / "reconstruction.npz")["volume"].shape == (12, 12, 12)
    assert (out / "slices.png").is_file() and (out / "comparison.png").is_file()


@pytest.mark.parametrize("content", ["", "0 0 0\n1 1 1\n", "0 0 0 0 0 1\nnan 0 0 0 0 1\n"])
def test_bad_point_cloud_is_one_line_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.xyz"
    path.write_text(content)
    assert main(["fit", str(path), "--out", str(tmp_path / "run"), *FAST]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.xyz" in err[0]
