"""Occupancy fitting: the WIRE / MSA "3D shape" protocol on a voxelised watertight mesh (protocols.md §9).

WIRE (Saragadam et al., arXiv:2301.05187, ``wire_occupancy.py``); MSA's ``reconstruction3D.py`` is
adapted from it. Neither paper's occupancy volume is available, so [default] the mesh is mapped into the
BACON frame (protocols.md §7.2, from 100,000 area-weighted surface samples), scaled x2 to [-0.9, 0.9],
and voxelised on ``linspace(-1, 1, resolution)^3`` with the exact ray-parity inside test (§7.8). The WIRE
preparation follows: divide by the maximum, crop to the bounding box of voxels > 0.99 with half-open
index ranges (the last occupied index on each axis is dropped, as in the code), coordinates
``linspace(-1, 1)`` per axis over the cropped box (anisotropic), row-major voxel order.

Training: each epoch is a random permutation of all voxels in chunks of ``batch_size`` (WIRE 2e5,
MSA 5e5); epoch ``e`` uses a permutation seeded by ``(shuffle_seed, e)``, so resuming mid-epoch replays
the same batches. MSE against {0, 1}. The recipes' step counts are epochs x steps per epoch.

Evaluation: ``iou`` (``iou_occ``, metrics.md §6) of a full-volume inference pass thresholded at 0.5
against the voxels (any non-zero voxel occupied) — the primary number. The papers' "best volume"
assembled from in-epoch batch predictions is not reproduced. Display mesh [default]: prediction
binarised at 0.5, Gaussian-smoothed (sigma 1), marching cubes at 0.5 (``reconstruction.ply``, preview
``reconstruction.png``); ``inrkit render --scale k`` extracts it from ``k (n - 1) + 1`` samples per axis.

Selected by ``--task occupancy`` on a mesh, or by the source prefix ``occupancy:<mesh>`` (an alias).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.analysis.comparison import save_mesh_render
from inrkit.errors import InputError
from inrkit.io import write_with
from inrkit.metrics.geometry import iou
from inrkit.ops.coords import chunked
from inrkit.ops.mesh import NoSurfaceError, inside_grid, marching_cubes, write_ply
from inrkit.registry import TASKS
from inrkit.signals.base import Signal
from inrkit.signals.loaders import register_task_prefix
from inrkit.signals.shape import oriented_cloud
from inrkit.tasks.base import Task
from inrkit.validate import check


@dataclass(frozen=True)
class OccupancyConfig:
    """Occupancy fitting of a voxelised mesh (WIRE / MSA protocol)."""

    #: voxels per axis of the occupancy grid over [-1, 1]^3 (256 on CPU, 512 on GPU).
    resolution: int = 256
    #: voxels per step (WIRE 200,000; MSA 500,000).
    batch_size: int = 500_000
    #: seed of the per-epoch permutations.
    shuffle_seed: int = 0
    #: points per forward pass during evaluation.
    eval_chunk: int = 262_144

    def __post_init__(self) -> None:
        check(self, "task", resolution=">=2", batch_size=">=1", eval_chunk=">=1")


def wire_crop(occ: np.ndarray) -> np.ndarray:
    """Crop to the bounding box of voxels > 0.99 with half-open ranges (WIRE's code drops the last index)."""
    occ = occ / occ.max()
    idx = np.nonzero(occ > 0.99)
    lo = [int(i.min()) for i in idx]
    hi = [int(i.max()) for i in idx]
    return occ[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]


register_task_prefix("occupancy:", "occupancy")


@TASKS.register("occupancy", config=OccupancyConfig)
class OccupancyTask(Task):
    """Fit ``field(coords) ~ occupancy`` on a voxelised watertight mesh."""

    primary_metric = "iou"
    signal_kinds = ("shape",)
    family = "occupancy"
    render_suffix = ".ply"

    def __init__(self, cfg: OccupancyConfig, signal: Signal):
        source = signal.meta.get("source", "signal")
        if signal.kind != "shape" or signal.meta.get("faces") is None:
            raise InputError(f"{source}: the occupancy task needs a mesh (.obj/.ply/.off)")
        if not signal.meta.get("watertight"):
            raise InputError(f"{source}: mesh is not watertight; occupancy needs a closed surface")
        self.cfg = cfg
        self.signal = signal
        cloud = oriented_cloud(signal, 100_000, seed=0)
        axis = np.linspace(-1.0, 1.0, cfg.resolution)
        occ = inside_grid(cloud.vertices * 2.0, cloud.faces, (axis, axis, axis)).astype(np.float32)
        if occ.max() <= 0:
            raise InputError(f"{source}: voxelisation at {cfg.resolution}^3 is empty")
        self.volume = wire_crop(occ)  # [H, W, T]
        if min(self.volume.shape) < 2:
            raise InputError(f"{source}: cropped occupancy {self.volume.shape} is degenerate")
        axes = [torch.linspace(-1.0, 1.0, n) for n in self.volume.shape]
        self.coords = torch.stack(torch.meshgrid(*axes, indexing="ij"), dim=-1).reshape(-1, 3)
        self.targets = torch.from_numpy(self.volume.reshape(-1, 1).copy())
        self.device = torch.device("cpu")
        self._perm: tuple[int, Tensor] | None = None

    @property
    def in_features(self) -> int:
        return 3

    @property
    def out_features(self) -> int:
        return 1

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.coords.shape[0] / self.cfg.batch_size)

    def to(self, device: torch.device) -> OccupancyTask:
        self.device = torch.device(device)
        self.coords, self.targets = self.coords.to(self.device), self.targets.to(self.device)
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        epoch, k = divmod(step, self.steps_per_epoch)
        if self._perm is None or self._perm[0] != epoch:
            g = torch.Generator().manual_seed(self.cfg.shuffle_seed * 1_000_003 + epoch)
            self._perm = (epoch, torch.randperm(self.coords.shape[0], generator=g).to(self.device))
        idx = self._perm[1][k * self.cfg.batch_size:(k + 1) * self.cfg.batch_size]
        return {"coords": self.coords[idx], "targets": self.targets[idx]}

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        mse = torch.mean((field(batch["coords"]) - batch["targets"]) ** 2)
        return {"mse": mse, "loss": mse}

    def reconstruct(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> np.ndarray:
        """Predicted occupancy on the (cropped) training grid ``[H, W, T]``, ``scale=k``: ``k (n - 1) + 1`` per axis."""
        if shift:
            raise InputError("occupancy reconstructions take no shift")
        coords, shape = self.coords, self.volume.shape
        if scale > 1:
            shape = tuple(scale * (n - 1) + 1 for n in shape)
            axes = [torch.linspace(-1.0, 1.0, n) for n in shape]
            coords = torch.stack(torch.meshgrid(*axes, indexing="ij"), dim=-1).reshape(-1, 3).to(self.device)
        with torch.no_grad():
            pred = chunked(field, coords, self.cfg.eval_chunk)
        return pred.reshape(shape).float().cpu().numpy()

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        pred = self.reconstruct(field)
        return {"iou": iou(pred >= 0.5, self.volume != 0),
                "mse": float(np.mean((pred.astype(np.float64) - self.volume) ** 2))}

    def display_mesh(self, field: torch.nn.Module, scale: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Prediction binarised at 0.5, smoothed (sigma 1 voxel), marching cubes at 0.5; in training voxel units."""
        from scipy import ndimage

        occ = (self.reconstruct(field, scale=scale) >= 0.5).astype(np.float32)
        smooth = ndimage.gaussian_filter(occ, sigma=1.0 * scale)
        return marching_cubes(smooth, lo=0.0, hi=float(self.volume.shape[0] - 1), level=0.5)

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        if shift:
            raise InputError("occupancy renders take no --shift")
        try:
            verts, faces = self.display_mesh(field, scale)
        except NoSurfaceError as e:
            raise InputError(f"{path}: {e}") from None
        write_with(path, lambda p: write_ply(p, verts, faces))
        return f"{len(verts)} vertices, {len(faces)} faces"

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        try:
            verts, faces = self.display_mesh(field)
        except NoSurfaceError:
            return {}
        write_with(run_dir / "reconstruction.ply", lambda p: write_ply(p, verts, faces))
        save_mesh_render(run_dir / "reconstruction.png", verts, faces)
        return {"reconstruction": "reconstruction.ply", "preview": "reconstruction.png"}
