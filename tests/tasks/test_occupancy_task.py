"""Occupancy task: WIRE's half-open crop, per-epoch permutations, IoU of a full inference pass."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from inrkit.errors import InputError
from inrkit.signals import load_signal
from inrkit.tasks.occupancy import OccupancyConfig, OccupancyTask, wire_crop


def test_wire_crop_is_half_open():
    occ = np.zeros((6, 6, 6), np.float32)
    occ[1:4, 2:5, 0:6] = 1.0
    assert wire_crop(occ).shape == (2, 2, 5)  # the last occupied index on each axis is dropped


@pytest.fixture
def sphere(tmp_path):
    path = tmp_path / "s.obj"
    trimesh.creation.icosphere(subdivisions=3).export(path)
    return load_signal(str(path))


def test_epochs_are_permutations_and_iou_of_a_perfect_fit(sphere):
    task = OccupancyTask(OccupancyConfig(resolution=20, batch_size=700), sphere)
    n = task.coords.shape[0]
    gen = torch.Generator()
    seen = torch.cat([task.sample(k, gen)["coords"] for k in range(task.steps_per_epoch)])
    assert seen.shape[0] == n and torch.unique(seen, dim=0).shape[0] == n
    lookup = {tuple(c): v for c, v in zip(task.coords.numpy().round(6).tolist(), task.targets[:, 0].tolist(),
                                          strict=True)}

    def oracle(x):
        return torch.tensor([[lookup[tuple(c)]] for c in x.numpy().round(6).tolist()])

    assert task.evaluate(oracle)["iou"] == 1.0


def test_open_mesh_rejected(tmp_path):
    path = tmp_path / "open.obj"
    box = trimesh.creation.box()
    trimesh.Trimesh(box.vertices, box.faces[:-2], process=False).export(path)
    with pytest.raises(InputError, match="watertight"):
        OccupancyTask(OccupancyConfig(resolution=8), load_signal(str(path)))
