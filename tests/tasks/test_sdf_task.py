"""SDF task on an analytic sphere: labels, both objectives, the fitted zero level set, and the metrics."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from inrkit.errors import InputError
from inrkit.fields.relu_mlp import ReluMLPConfig
from inrkit.fields.siren import SirenConfig
from inrkit.nn.activations import SineConfig
from inrkit.ops.mesh import marching_cubes
from inrkit.registry import FIELDS
from inrkit.signals import load_signal
from inrkit.tasks.sdf import SDFConfig, SDFTask


@pytest.fixture
def sphere(tmp_path):
    path = tmp_path / "sphere.obj"
    trimesh.creation.icosphere(subdivisions=4, radius=1.0).export(path)
    return load_signal(str(path))


def frame_sphere(task):
    """Centre and radius of the unit sphere in the task's normalised frame."""
    return task.cloud.affine.apply(np.zeros((1, 3)))[0], task.cloud.affine.scale


def test_pseudo_sdf_labels_match_the_analytic_sdf_near_the_surface(sphere):
    task = SDFTask(SDFConfig(n_points=50_000, batch_size=1000), sphere)
    c, r = frame_sphere(task)
    batch = task.sample(0, torch.Generator().manual_seed(0))
    p, s = batch["coords"].numpy().astype(np.float64), batch["sdf"].numpy()
    true = np.linalg.norm(p - c, axis=1) - r
    fine = slice(1, None, 2)
    assert np.abs(s[fine] - true[fine]).max() < 2e-3
    assert np.all(np.abs(p) <= 0.5)


def test_fitted_zero_level_set_lands_on_the_sphere(sphere):
    torch.manual_seed(0)
    task = SDFTask(SDFConfig(n_points=20_000, batch_size=2000, mesh_resolution=40, iou_resolution=40,
                             chamfer_points=5000), sphere)
    field = FIELDS.create(SirenConfig(in_features=3, out_features=1, hidden_features=32, hidden_layers=1,
                              first_activation=SineConfig(5.0), activation=SineConfig(5.0)))
    opt = torch.optim.Adam(field.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(1)
    for step in range(400):
        loss = task.loss(field, task.sample(step, gen))["loss"]
        opt.zero_grad()
        loss.backward()
        opt.step()
    verts, _ = marching_cubes(task.sdf_volume(field, 40))
    c, r = frame_sphere(task)
    dist = np.abs(np.linalg.norm(verts - c, axis=1) - r)
    assert dist.mean() < 5e-3 and dist.max() < 2e-2
    metrics = task.evaluate(field, final=True)
    assert metrics["iou"] > 0.95 and metrics["chamfer"] < 1e-3 and metrics["surface"] == 1.0


def test_siren_objective_terms_and_double_backward_requirement(sphere):
    task = SDFTask(SDFConfig(objective="siren", n_points=2000, batch_size=64), sphere)
    batch = task.sample(0, torch.Generator().manual_seed(0))
    field = FIELDS.create(SirenConfig(in_features=3, out_features=1, hidden_features=16, hidden_layers=1))
    out = task.loss(field, batch)
    assert set(out) == {"sdf", "normal", "eikonal", "off", "loss"} and torch.isfinite(out["loss"])
    out["loss"].backward()
    relu = FIELDS.create(ReluMLPConfig(in_features=3, out_features=1, hidden_features=8, hidden_layers=1))
    with pytest.raises(InputError, match="double backward"):
        task.loss(relu, batch)


def test_no_surface_is_reported_not_written(sphere, tmp_path):
    task = SDFTask(SDFConfig(n_points=2000, batch_size=64, mesh_resolution=16, iou_resolution=16), sphere)
    field = torch.nn.Sequential(torch.nn.Linear(3, 1))
    torch.nn.init.zeros_(field[0].weight)
    torch.nn.init.constant_(field[0].bias, 1.0)
    metrics = task.evaluate(field, final=True)
    assert metrics["surface"] == 0.0 and metrics["iou"] == 0.0
    assert task.write_outputs(field, tmp_path) == {"frame": "frame.json"}
    assert not (tmp_path / "reconstruction.ply").exists() and (tmp_path / "frame.json").is_file()


def test_odd_batch_rejected(sphere):
    with pytest.raises(InputError, match="even"):
        SDFTask(SDFConfig(n_points=1000, batch_size=33), sphere)


def test_siren_objective_converges_to_the_sphere(sphere):
    torch.manual_seed(0)
    task = SDFTask(SDFConfig(objective="siren", n_points=20_000, batch_size=1000), sphere)
    field = FIELDS.create(SirenConfig(in_features=3, out_features=1, hidden_features=32, hidden_layers=1,
                              first_activation=SineConfig(5.0), activation=SineConfig(5.0)))
    opt = torch.optim.Adam(field.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(1)
    for step in range(200):
        loss = task.loss(field, task.sample(step, gen))["loss"]
        opt.zero_grad()
        loss.backward()
        opt.step()
    verts, _ = marching_cubes(task.sdf_volume(field, 32))
    c, r = frame_sphere(task)
    assert np.abs(np.linalg.norm(verts - c, axis=1) - r).mean() < 2e-2
