"""Signed distance fields from oriented point clouds (protocols.md §7, §8; metrics.md §5-§6).

Two objectives (``objective``):

* ``"bacon"`` [default] — the BACON/FINER protocol behind SASNet Table 3 (BACON, Lindell et al.,
  arXiv:2112.04645; FINER, Liu et al., arXiv:2312.02434). Each step draws ``batch_size`` cloud points
  with replacement, adds Laplace noise of scale 0.1 to even and 1e-3 to odd indices, wraps coordinates
  into [-0.5, 0.5) and labels them with the 3-nearest-neighbour point-to-plane pseudo-SDF
  ``<p - v_1, mean(n_1, n_2, n_3)>``. Loss (§7.4): ``sum_fine (f - s)^2 + 1e-2 sum_coarse (f - s)^2``
  (sums, not means).
* ``"siren"`` — SIREN's eikonal objective (Sitzmann et al., arXiv:2006.09661, code
  ``loss_functions.sdf``): ``batch_size`` on-surface points with normals plus as many uniform off-surface
  points; terms averaged over all points (zero where they do not apply) with the code's weights
  3e3 |f| (on), 1e2 (1 - cos(grad f, n)) (on), 5e1 | |grad f| - 1 | (all), 1e2 exp(-100 |f|) (off).
  Needs double backward. [default] It runs in the task's BACON frame (shape in [-0.45, 0.45], off-surface
  points in [-0.5, 0.5]^3) rather than SIREN's [-1, 1] frame, so distances are ~2.2x smaller than in
  SIREN's code; gradients are taken with respect to the frame coordinates.

The network sees ``input_scale * p`` (1 for the BACON/FINER baselines; 2 for SASNet and SCONE, whose
code feeds ``2p``).

Evaluation. Ground-truth occupancy comes from the exact ray-parity inside test on the watertight source
mesh, in the same affine frame as the cloud, computed once per grid resolution and cached. ``iou``: the
field's sign (``f < 0`` inside) on ``linspace(-0.5, 0.5, iou_resolution)^3`` [default 128] against it —
a grid covering the shape with ~115 samples per axis, denser than FINER's 128^3 grid over [-1, 1]^3, and
the prediction read from the field rather than an inside test on the extracted mesh (the two agree up
to the marching-cubes discretisation; the field needs no watertight mesh). The final evaluation also
extracts the zero level set by marching cubes on ``linspace(-0.5, 0.5, mesh_resolution)^3`` and reports
``chamfer`` = ``chamfer_l2sq_sum`` (FINER, 300,000 samples per mesh, the default) and ``chamfer_l1`` =
``chamfer_l1_sum`` (SCONE, all vertices; against the source mesh's vertices, not SCONE's marching-cubes
ground truth). For an ``.xyz`` source (no mesh) Chamfer uses the cloud and IoU is not reported.

Outputs: ``frame.json`` (the normalisation map), ``reconstruction.ply`` (training frame),
``reconstruction_source.ply`` (the same mesh mapped back into the source mesh's frame) and
``reconstruction.png`` (a shaded triangle render, front and side).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from scipy.spatial import cKDTree
from torch import Tensor

from inrkit.analysis.comparison import save_mesh_render
from inrkit.errors import InputError
from inrkit.io import write_json, write_with
from inrkit.metrics import geometry as geo
from inrkit.ops.mesh import NoSurfaceError, grid_axis, inside_grid, marching_cubes, sdf_grid, write_ply
from inrkit.registry import TASKS
from inrkit.signals.base import Signal
from inrkit.signals.shape import oriented_cloud
from inrkit.tasks.base import Task
from inrkit.validate import check

SIREN_WEIGHTS = {"sdf": 3e3, "normal": 1e2, "eikonal": 5e1, "off": 1e2}


@dataclass(frozen=True)
class SDFConfig:
    """SDF fitting from an oriented cloud (BACON/FINER protocol by default)."""

    #: "bacon" (Laplace samples + point-to-plane labels) or "siren" (eikonal objective).
    objective: Literal["bacon", "siren"] = "bacon"
    #: oriented points sampled from a mesh source (ignored for .xyz clouds).
    n_points: int = 1_000_000
    #: seed of the mesh surface sampling.
    cloud_seed: int = 0
    #: points per step (bacon: even, half coarse / half fine; siren: on-surface points, as many off).
    batch_size: int = 10_000
    #: Laplace scale of the coarse (even-index) samples.
    coarse_scale: float = 0.1
    #: Laplace scale of the fine (odd-index) samples.
    fine_scale: float = 1e-3
    #: weight of the coarse squared errors.
    coarse_weight: float = 1e-2
    #: "sum" of the weighted squared errors (BACON/FINER) or their "mean" (SCONE's MSE).
    reduction: Literal["sum", "mean"] = "sum"
    #: the network input is input_scale * p (p in [-0.5, 0.5]^3).
    input_scale: float = 1.0
    #: marching-cubes grid points per axis over [-0.5, 0.5] (final evaluation and reconstruction.ply).
    mesh_resolution: int = 512
    #: IoU grid points per axis over [-0.5, 0.5] (final evaluation).
    iou_resolution: int = 128
    #: IoU grid points per axis during training evaluations.
    eval_resolution: int = 64
    #: area-weighted samples per mesh for the FINER Chamfer distance.
    chamfer_points: int = 300_000
    #: seed of the Chamfer surface sampling.
    chamfer_seed: int = 0
    #: points per forward pass during evaluation.
    eval_chunk: int = 65_536

    def __post_init__(self) -> None:
        check(self, "task", n_points=">=1", batch_size=">=1", coarse_scale=">0", fine_scale=">0",
              coarse_weight=">=0", input_scale=">0", mesh_resolution=">=2", iou_resolution=">=2",
              eval_resolution=">=2", chamfer_points=">=1", eval_chunk=">=1")


@TASKS.register("sdf", config=SDFConfig)
class SDFTask(Task):
    """Fit a signed distance field to an oriented point cloud (mesh or .xyz source)."""

    primary_metric = "iou"
    signal_kinds = ("shape",)
    render_suffix = ".ply"

    def __init__(self, cfg: SDFConfig, signal: Signal):
        if signal.kind != "shape":
            raise InputError(f"{signal.meta.get('source', 'signal')}: the sdf task needs a mesh or .xyz point cloud")
        if cfg.objective == "bacon" and (cfg.batch_size <= 0 or cfg.batch_size % 2):
            raise InputError(f"sdf: batch_size must be positive and even, got {cfg.batch_size}")
        self.cfg = cfg
        self.signal = signal
        self.cloud = oriented_cloud(signal, cfg.n_points, cfg.cloud_seed)
        self.points = self.cloud.points.astype(np.float64)
        self.normals = self.cloud.normals.astype(np.float64)
        self.tree = self._kdtree() if cfg.objective == "bacon" else None
        self.device = torch.device("cpu")
        self._gt_occupancy: dict[int, np.ndarray] = {}
        self._mesh: tuple[np.ndarray, np.ndarray] | None = None
        self._no_surface = False  # the last final evaluation found no zero level set

    # -- Task API ---------------------------------------------------------------------------------
    @property
    def in_features(self) -> int:
        return 3

    @property
    def out_features(self) -> int:
        return 1

    def to(self, device: torch.device) -> SDFTask:
        self.device = torch.device(device)
        return self

    def net(self, field: torch.nn.Module, p: Tensor) -> Tensor:
        """Field value ``[N]`` at frame coordinates ``p [N, 3]``."""
        return field(p * self.cfg.input_scale)[..., 0]

    def ntk_coords(self) -> Tensor:
        """The on-surface cloud points as the field receives them (times ``input_scale``)."""
        return self._t(self.points * self.cfg.input_scale)

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        n = self.cfg.batch_size
        idx = torch.randint(len(self.points), (n,), generator=generator).numpy()
        if self.cfg.objective == "siren":
            off = torch.rand((n, 3), generator=generator, dtype=torch.float64).numpy() - 0.5
            return {"on": self._t(self.points[idx]), "normals": self._t(self.normals[idx]), "off": self._t(off)}
        u = torch.rand((n, 3), generator=generator, dtype=torch.float64).numpy() - 0.5
        noise = -np.sign(u) * np.log1p(-2.0 * np.abs(u))  # unit Laplace by inverse CDF
        scale = np.where(np.arange(n) % 2 == 0, self.cfg.coarse_scale, self.cfg.fine_scale)[:, None]
        p = self.points[idx] + scale * noise
        p = np.mod(p + 0.5, 1.0) - 0.5  # periodic wrap into [-0.5, 0.5)
        return {"coords": self._t(p), "sdf": self._t(self.pseudo_sdf(p))}

    def _kdtree(self) -> cKDTree:
        # unbalanced, non-compact nodes: ~4x faster exact queries for the far (coarse) samples
        return cKDTree(self.points, leafsize=32, compact_nodes=False, balanced_tree=False)

    def pseudo_sdf(self, p: np.ndarray) -> np.ndarray:
        """BACON label: signed distance to the plane of the nearest point with the 3-NN mean normal."""
        tree = self.tree if self.tree is not None else self._kdtree()
        _, nn = tree.query(p, k=3, workers=-1)
        normal = self.normals[nn].mean(axis=1)
        return np.einsum("ij,ij->i", p - self.points[nn[:, 0]], normal)

    def _t(self, a: np.ndarray) -> Tensor:
        return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).to(self.device)

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        if self.cfg.objective == "siren":
            return self.siren_loss(field, batch)
        p = batch["coords"] * self.cfg.input_scale
        preds = field.multiscale(p) if getattr(field, "supervise_scales", False) else [field(p)]
        # BACON's multiscale_overfit_sdf: the squared error averaged over every output of the field
        err = torch.stack([(pred[..., 0] - batch["sdf"]) ** 2 for pred in preds]).mean(0)
        fine, coarse = err[1::2].sum(), err[0::2].sum()
        loss = fine + self.cfg.coarse_weight * coarse
        if self.cfg.reduction == "mean":
            loss = loss / err.shape[0]
        return {"fine": fine, "coarse": coarse, "loss": loss}

    def siren_loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        if not getattr(field, "supports_double_backward", False):
            raise InputError(f"{type(field).__name__} does not support double backward, which the SIREN SDF "
                             "objective needs; use task.objective=bacon")
        on, off = batch["on"], batch["off"]
        p = torch.cat([on, off]).requires_grad_(True)
        f = self.net(field, p)
        (grad,) = torch.autograd.grad(f.sum(), p, create_graph=True)
        n_all, n_on = p.shape[0], on.shape[0]
        cos = torch.nn.functional.cosine_similarity(grad[:n_on], batch["normals"], dim=-1)
        terms = {
            "sdf": f[:n_on].abs().sum() / n_all,
            "normal": (1.0 - cos).sum() / n_all,
            "eikonal": (grad.norm(dim=-1) - 1.0).abs().mean(),
            "off": torch.exp(-100.0 * f[n_on:].abs()).sum() / n_all,
        }
        out = {k: v * SIREN_WEIGHTS[k] for k, v in terms.items()}
        out["loss"] = sum(out.values())
        return out

    # -- evaluation -------------------------------------------------------------------------------
    def sdf_volume(self, field: torch.nn.Module, resolution: int) -> np.ndarray:
        """Field values on ``linspace(-0.5, 0.5, resolution)^3`` (float32)."""
        return sdf_grid(lambda p: self.net(field, p), resolution, chunk=self.cfg.eval_chunk, device=self.device)

    def gt_occupancy(self, resolution: int) -> np.ndarray | None:
        """Exact inside test of the source mesh on the grid (cached); None without a watertight mesh."""
        if self.cloud.faces is None or not self.cloud.watertight:
            return None
        if resolution not in self._gt_occupancy:
            axis = grid_axis(resolution)
            self._gt_occupancy[resolution] = inside_grid(self.cloud.vertices, self.cloud.faces, (axis, axis, axis))
        return self._gt_occupancy[resolution]

    def _iou(self, volume: np.ndarray) -> dict[str, float]:
        gt = self.gt_occupancy(volume.shape[0])
        return {} if gt is None else {"iou": geo.iou(volume < 0, gt)}

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        was_training = field.training
        field.eval()
        try:
            if not final:
                return self._iou(self.sdf_volume(field, self.cfg.eval_resolution))
            return self._final_metrics(field)
        finally:
            field.train(was_training)

    def _final_metrics(self, field: torch.nn.Module) -> dict[str, float]:
        cfg = self.cfg
        volume = self.sdf_volume(field, cfg.mesh_resolution)
        out: dict[str, float] = {}
        iou_volume = volume if cfg.iou_resolution == cfg.mesh_resolution else self.sdf_volume(field, cfg.iou_resolution)
        out.update(self._iou(iou_volume))
        try:
            self._mesh, self._no_surface = marching_cubes(volume), False
        except NoSurfaceError:
            self._mesh, self._no_surface = None, True
            out["surface"] = 0.0
            return out
        verts, faces = self._mesh
        out.update({"surface": 1.0, "mesh_vertices": float(len(verts)), "mesh_faces": float(len(faces))})
        if self.cloud.faces is not None:
            gt_mesh = (self.cloud.vertices, self.cloud.faces)
            out["chamfer"] = geo.chamfer_l2sq_sum(self._mesh, gt_mesh, cfg.chamfer_points, cfg.chamfer_seed)
            out["chamfer_l1"] = geo.chamfer_l1_sum(verts, self.cloud.vertices)
        else:
            pred, _ = geo.sample_surface(verts, faces, cfg.chamfer_points, cfg.chamfer_seed)
            out["chamfer"] = geo.chamfer_points_l2sq(pred, self.points)
            out["chamfer_l1"] = geo.chamfer_points_l1(verts, self.points)
        return out

    def reconstruct(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> np.ndarray:
        """The SDF on the marching-cubes grid ``[R, R, R]`` (``scale`` multiplies the resolution)."""
        return self.sdf_volume(field, self.cfg.mesh_resolution * scale)

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        """Marching-cubes mesh at ``scale`` x the mesh resolution as PLY (``inrkit render``; no shift)."""
        self.check_render_path(path)
        if shift:
            raise InputError("shape renders take no --shift")
        try:
            verts, faces = marching_cubes(self.reconstruct(field, scale=scale))
        except NoSurfaceError as e:
            raise InputError(f"{path}: {e}") from None
        write_with(path, lambda p: write_ply(p, verts, faces))
        return f"{len(verts)} vertices, {len(faces)} faces"

    def render_note(self, scale: int) -> str:
        r = self.cfg.mesh_resolution * scale
        return (f"rendering the zero level set of a {r}^3 grid ({scale}x the fitted mesh resolution); "
                "the ground truth is the source surface (no SDF grid exists at any scale)")

    def frame(self) -> dict[str, Any]:
        """The normalisation map (raw -> training frame) and cloud provenance, written as ``frame.json``."""
        meta = self.signal.meta
        return {"scale": self.cloud.affine.scale, "offset": list(self.cloud.affine.offset),
                "map": "p_frame = scale * p_raw + offset (BACON, protocols.md §7.2)",
                "cloud_points": len(self.points), "cloud_seed": self.cfg.cloud_seed,
                "source_mesh": meta.get("faces") is not None, "watertight": bool(meta.get("watertight")),
                "components_dropped": int(meta.get("components_dropped", 0)),
                "mesh_grid": f"linspace(-0.5, 0.5, {self.cfg.mesh_resolution})^3, vertex map -0.5 + v/(N-1)"}

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        write_json(run_dir / "frame.json", self.frame())
        if self._mesh is None:
            if self._no_surface:
                return {"frame": "frame.json"}
            try:
                self._mesh = marching_cubes(self.reconstruct(field))
            except NoSurfaceError:
                return {"frame": "frame.json"}
        verts, faces = self._mesh
        write_with(run_dir / "reconstruction.ply", lambda p: write_ply(p, verts, faces))
        source = self.cloud.affine.invert(verts)
        write_with(run_dir / "reconstruction_source.ply", lambda p: write_ply(p, source, faces))
        save_mesh_render(run_dir / "reconstruction.png", verts, faces)
        return {"reconstruction": "reconstruction.ply", "reconstruction_source": "reconstruction_source.ply",
                "preview": "reconstruction.png", "frame": "frame.json"}
