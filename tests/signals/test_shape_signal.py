"""Shape signals: mesh and .xyz loading, area-weighted oriented sampling, BACON normalisation, errors."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from inrkit.errors import InputError
from inrkit.signals import load_signal, signal_kind
from inrkit.signals.shape import bacon_normalisation, oriented_cloud, sample_surface
from inrkit.tasks import task_family


@pytest.fixture
def sphere_obj(tmp_path):
    path = tmp_path / "sphere.obj"
    trimesh.creation.icosphere(subdivisions=3, radius=2.0).export(path)
    return path


def test_kinds():
    assert signal_kind("a.obj") == signal_kind("b.PLY") == signal_kind("c.off") == signal_kind("d.xyz") == "shape"
    assert signal_kind("occupancy:a.obj") == "shape"  # the prefix names the task, not the signal
    assert task_family("occupancy:a.obj") == task_family("a.obj", "occupancy") == "occupancy"
    assert task_family("a.obj") == task_family("a.obj", "sdf") == "shape"
    assert signal_kind("v.nii.gz") == signal_kind("v.npy") == signal_kind("v.npz") == "volume"
    with pytest.raises(InputError, match="does not fit image signals"):
        task_family("occupancy:a.png")


def test_mesh_sampling_outward_unit_normals(sphere_obj):
    s = load_signal(str(sphere_obj))
    assert s.kind == "shape" and s.meta["watertight"] and s.meta["volume"] > 0
    pts, nrm = sample_surface(s.values, s.meta["faces"], 5000, seed=1)
    assert np.allclose(np.linalg.norm(nrm, axis=1), 1.0)
    assert np.all(np.einsum("ij,ij->i", pts, nrm) > 0)  # outward on a sphere about the origin
    again, _ = sample_surface(s.values, s.meta["faces"], 5000, seed=1)
    assert np.array_equal(pts, again)


def test_bacon_normalisation_range(sphere_obj):
    cloud = oriented_cloud(load_signal(str(sphere_obj)), 20_000)
    lo, hi = cloud.points.min(), cloud.points.max()
    assert lo == pytest.approx(-0.45, abs=1e-6) and hi == pytest.approx(0.45, abs=1e-6)
    # the same affine map is applied to the mesh vertices
    assert np.allclose(cloud.affine.apply(load_signal(str(sphere_obj)).values), cloud.vertices)
    aff = bacon_normalisation(np.array([[0.0, 0, 0], [2, 1, 1]]))
    assert aff.apply(np.array([[0.0, 0, 0]]))[0, 0] == pytest.approx(-0.45)


def test_stray_zero_volume_component_dropped(tmp_path):
    body = trimesh.creation.box()
    tri = np.array([[5.0, 5, 5], [6, 5, 5], [5, 6, 5]])
    verts = np.vstack([body.vertices, tri, tri])
    n = len(body.vertices)
    faces = np.vstack([body.faces, [[n, n + 1, n + 2]], [[n + 5, n + 4, n + 3]]])
    path = tmp_path / "stray.ply"
    trimesh.Trimesh(verts, faces, process=False).export(path)
    s = load_signal(str(path))
    assert s.meta["components_dropped"] == 1 and s.meta["watertight"] and len(s.meta["faces"]) == 12


def test_xyz_normals_renormalised(tmp_path):
    path = tmp_path / "c.xyz"
    rng = np.random.default_rng(0)
    p = rng.normal(size=(50, 3))
    np.savetxt(path, np.hstack([p, 3.5 * p]))
    s = load_signal(str(path))
    assert s.values.shape == (50, 6) and np.allclose(np.linalg.norm(s.values[:, 3:], axis=1), 1.0)
    assert s.meta["faces"] is None


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("0 0 0\n1 1 1\n", "normals"),
    ("0 0 0 0 0 1\nnan 1 1 0 0 1\n", "NaN"),
    ("0 0 0 0 0 0\n1 1 1 0 0 1\n", "zero-length"),
    ("1 1 1 0 0 1\n1 1 1 0 1 0\n", "degenerate"),
])
def test_xyz_errors(tmp_path, content, message):
    path = tmp_path / "bad.xyz"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_signal(str(path))


def test_mesh_errors(tmp_path):
    flat = tmp_path / "flat.obj"
    flat.write_text("v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\n")
    with pytest.raises(InputError):
        load_signal(str(flat))
    nan = tmp_path / "nan.obj"
    nan.write_text("v 0 0 0\nv 1 0 nan\nv 0 1 0\nf 1 2 3\n")
    with pytest.raises(InputError):
        load_signal(str(nan))
    with pytest.raises(InputError, match="no such file"):
        load_signal(str(tmp_path / "missing.obj"))
