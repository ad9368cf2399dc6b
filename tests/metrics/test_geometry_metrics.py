"""Chamfer (FINER squared / SCONE unsquared) and IoU definitions (metrics.md §5-§6)."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from inrkit.metrics import geometry as geo


def test_chamfer_of_a_surface_against_itself_is_zero():
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=0.4)
    mesh = (np.asarray(sphere.vertices), np.asarray(sphere.faces))
    assert geo.chamfer_l1_sum(mesh[0], mesh[0]) == 0.0
    # independent samples of the same surface: only the sampling density remains (spacing ~0.01 here)
    same = geo.chamfer_l2sq_sum(mesh, mesh, n_points=20_000)
    shifted = geo.chamfer_l2sq_sum(mesh, (mesh[0] + [0.02, 0, 0], mesh[1]), n_points=20_000)
    assert same < 1e-4 and shifted > 3 * same


def test_chamfer_definitions_on_point_sets():
    p = np.zeros((1, 3))
    q = np.array([[0.0, 0.0, 0.1], [0.0, 0.0, 0.3]])
    assert geo.chamfer_points_l2sq(p, q) == pytest.approx(0.01 + (0.01 + 0.09) / 2)
    assert geo.chamfer_points_l1(p, q) == pytest.approx(0.1 + 0.2)
    with pytest.raises(ValueError):
        geo.chamfer_points_l1(np.zeros((0, 3)), q)


def test_iou():
    a = np.array([1, 1, 0, 0], bool)
    b = np.array([1, 0, 1, 0], bool)
    assert geo.iou(a, b) == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        geo.iou(np.zeros(3, bool), np.zeros(3, bool))
