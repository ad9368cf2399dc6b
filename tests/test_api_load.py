"""``inrkit.load(run_dir).query(coords)`` in the signal's own units, on image, audio, volume and SDF runs."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

import inrkit

SMALL = {"field.hidden_features": 16, "trainer.eval_every": 0, "trainer.progress": False}


def _grid_indices(shape: tuple[int, ...]) -> np.ndarray:
    return np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), -1).reshape(-1, len(shape))


def test_fit_returns_run_result_and_load_is_eval_mode(tiny_png, tmp_path):
    result = inrkit.fit(str(tiny_png), model="siren", out=tmp_path / "run", steps=3, sets=SMALL, device="cpu")
    assert result.metrics["steps"] == 3 and result.run_dir == str(tmp_path / "run")
    field = inrkit.load(tmp_path / "run", device="cpu")
    assert isinstance(field, inrkit.FittedField) and not field.module.training
    assert field.device == torch.device("cpu") and field.kind == "image"


def test_image_query_at_pixel_indices_is_the_reconstruction(tiny_png, tmp_path):
    inrkit.fit(str(tiny_png), model="siren", out=tmp_path / "run", steps=3, sets=SMALL, device="cpu")
    field = inrkit.load(tmp_path / "run", device="cpu")
    assert field.grid_shape == (20, 24)
    values = field.query(_grid_indices(field.grid_shape))
    assert values.shape == (20 * 24, 3)
    rec = field.task.reconstruct(field.module)
    np.testing.assert_allclose(values.reshape(rec.shape), rec, atol=1e-6)
    # native indices equal fitted ones when the image was not downsampled
    np.testing.assert_allclose(field.query([[3, 5]], native=True), field.query([[3, 5]]), atol=1e-7)


def test_image_native_indices_follow_the_downsampling(image_factory, tmp_path):
    from PIL import Image

    path = tmp_path / "big.png"
    Image.fromarray((image_factory(40, 48) * 255).round().astype(np.uint8)).save(path)
    inrkit.fit(str(path), model="siren", out=tmp_path / "run", steps=2, device="cpu",
               sets={**SMALL, "signal.max_side": 24})
    field = inrkit.load(tmp_path / "run", device="cpu")
    assert field.grid_shape == (20, 24)
    # 2x downsampling: the centre of native pixel 1 lies at (1 + 0.5) / 2 - 0.5 = 0.25 fitted pixels
    np.testing.assert_allclose(field.query([[1, 1]], native=True), field.query([[0.25, 0.25]]), atol=1e-6)


def test_audio_query_in_seconds_gives_amplitude(tiny_wav, tmp_path):
    inrkit.fit(str(tiny_wav), model="siren", out=tmp_path / "run", steps=3, sets=SMALL, device="cpu")
    field = inrkit.load(tmp_path / "run", device="cpu")
    assert field.kind == "audio"
    rate = field.task.signal.meta["sample_rate"]
    t = np.arange(400) / rate
    values = field.query(t)
    assert values.shape == (400, 1)
    np.testing.assert_allclose(values[:, 0], field.task.reconstruct(field.module)[:, 0], atol=1e-6)


def test_volume_query_at_voxel_indices_gives_intensity(tmp_path):
    path = tmp_path / "vol.npy"
    z, y, x = np.mgrid[0:8, 0:8, 0:8] / 8.0
    np.save(path, (255 * (0.5 + 0.4 * np.sin(3 * x + 2 * y + z))).astype(np.uint8))
    inrkit.fit(str(path), model="siren", out=tmp_path / "run", steps=3, sets=SMALL, device="cpu")
    field = inrkit.load(tmp_path / "run", device="cpu")
    assert field.kind == "volume" and field.grid_shape == (8, 8, 8)
    values = field.query(_grid_indices((8, 8, 8)))
    rec = field.task.reconstruct(field.module)
    np.testing.assert_allclose(values.reshape(rec.shape), rec, atol=1e-6)


def test_sdf_query_in_the_mesh_frame_gives_signed_distance(tmp_path):
    mesh = tmp_path / "sphere.obj"
    sphere = trimesh.creation.icosphere(subdivisions=2, radius=3.0)
    sphere.apply_translation([10.0, 0.0, -2.0])
    sphere.export(mesh)
    sets = {**SMALL, "task.n_points": 2000, "task.batch_size": 500, "task.mesh_resolution": 16,
            "task.iou_resolution": 16, "task.eval_resolution": 8, "task.chamfer_points": 500}
    inrkit.fit(str(mesh), model="siren", out=tmp_path / "run", steps=3, sets=sets, device="cpu")
    field = inrkit.load(tmp_path / "run", device="cpu")
    assert field.kind == "shape"
    points = np.array([[10.0, 0.0, -2.0], [13.0, 0.0, -2.0], [10.0, 2.0, -1.0]])
    d = field.query(points)
    affine = field.task.cloud.affine
    frame = torch.as_tensor(affine.apply(points), dtype=torch.float32)
    with torch.no_grad():
        expected = field.task.net(field.module, frame).numpy() / affine.scale
    assert d.shape == (3, 1)
    np.testing.assert_allclose(d[:, 0], expected, rtol=1e-5, atol=1e-6)
    assert affine.scale == pytest.approx(0.45 / 3.0, rel=0.05)  # distances are rescaled into mesh units
