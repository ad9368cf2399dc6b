"""Mesh ops: chunked SDF grids, marching cubes on an analytic sphere, exact ray-parity inside tests, PLY."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh
from PIL import Image

from inrkit.analysis.comparison import save_mesh_render
from inrkit.ops.mesh import NoSurfaceError, grid_axis, inside_grid, marching_cubes, sdf_grid, write_ply


def sphere_sdf(p: torch.Tensor, r: float = 0.3) -> torch.Tensor:
    return p.norm(dim=-1) - r


def test_sdf_grid_matches_direct_evaluation():
    vol = sdf_grid(sphere_sdf, 17, chunk=100)
    ax = grid_axis(17)
    x, y, z = np.meshgrid(ax, ax, ax, indexing="ij")
    assert np.allclose(vol, np.sqrt(x**2 + y**2 + z**2) - 0.3, atol=1e-6)


def test_marching_cubes_sphere_radius_and_orientation():
    verts, faces = marching_cubes(sdf_grid(sphere_sdf, 64))
    assert np.abs(np.linalg.norm(verts, axis=1) - 0.3).max() < 2e-3
    mesh = trimesh.Trimesh(verts, faces, process=False)
    assert mesh.volume == pytest.approx(4 / 3 * np.pi * 0.3**3, rel=0.02)


def test_marching_cubes_no_surface():
    with pytest.raises(NoSurfaceError, match="no surface"):
        marching_cubes(np.ones((8, 8, 8), dtype=np.float32))


def test_inside_grid_is_exact_on_a_box_and_sphere():
    box = trimesh.creation.box(extents=(0.51, 0.31, 0.41))
    ax = grid_axis(41)
    occ = inside_grid(box.vertices, box.faces, (ax, ax, ax))
    x, y, z = np.meshgrid(ax, ax, ax, indexing="ij")
    truth = (np.abs(x) < 0.255) & (np.abs(y) < 0.155) & (np.abs(z) < 0.205)
    assert np.array_equal(occ, truth)
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.35)
    occ = inside_grid(sphere.vertices, sphere.faces, (ax, ax, ax))
    r = np.sqrt(x**2 + y**2 + z**2)
    sure = np.abs(r - 0.35) > 0.01  # away from the polyhedral approximation error
    assert np.array_equal(occ[sure], (r < 0.35)[sure])


def test_ply_round_trip_and_preview(tmp_path):
    verts, faces = marching_cubes(sdf_grid(sphere_sdf, 24))
    write_ply(tmp_path / "m.ply", verts, faces)
    back = trimesh.load(tmp_path / "m.ply", process=False)
    assert np.allclose(back.vertices, verts, atol=1e-6) and np.array_equal(back.faces, faces)
    save_mesh_render(tmp_path / "m.png", verts, faces)
    img = np.asarray(Image.open(tmp_path / "m.png"))
    assert img.shape[:2] == (460, 900) and img.reshape(-1, img.shape[-1])[:, :3].std(0).min() > 5
