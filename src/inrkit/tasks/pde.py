"""Physics-informed fitting (PINNs): minimise PDE residuals plus boundary / initial data misfit.

Problems and exact solutions: ``inrkit.signals.pde`` (protocols.md §10.2-10.3). Protocol
(protocols.md §10.4 [default]):

* **Collocation.** ``n_interior`` = 10,000 points uniform in the domain, drawn once from a generator
  seeded with ``sample_seed`` (``resample=True`` redraws them every step from the trainer's generator);
  ``n_boundary`` = 1,000 points per spatial face (2 faces for 1-D space-time problems, 4 edges in 2-D),
  time uniform; ``n_initial`` = 1,000 points at ``t = t_0`` for time-dependent problems.
* **Loss.** ``mean(r^2) + w_boundary mean(BC error^2) + w_initial mean(IC error^2)`` with weights 1.
  Dirichlet data and initial data are the exact solution; a periodic boundary is the squared
  difference ``u(x_lo, t) - u(x_hi, t)`` at the same times. Residuals use autograd derivatives
  (``inrkit.ops.diff``) with respect to the **physical** coordinates; ``normalize_inputs=True`` feeds
  the field ``[-1, 1]``-scaled coordinates instead (derivatives still physical, via the chain rule).
* **Scaling.** With ``scale_solution`` (default) the field predicts ``u / U`` for the problem's
  characteristic solution magnitude ``U`` and boundary / initial errors are measured in units of
  ``U`` (nondimensionalisation). ``U = 1`` for the benchmark set, so nothing changes there; for
  ``poisson_msa`` ``U = 1/(101 pi^2)``: its solution is ~1e-3 while its source is ~1, and with
  unit scaling a boundary error of the size of the solution costs almost nothing in the loss
  (measured: relative L2 0.66 after the quick preset, against 0.06 scaled at half the steps).
* **Precision.** The task follows the field's parameter dtype (float64 MSA runs need no extra
  setting); reference values are computed in float64 and cast.
* **Metric.** Relative L2 ``||u - u*||_2 / ||u*||_2`` (metrics.md §7, float64) on the dense
  ``eval_points x eval_points`` grid including the boundary. The trainer's ``primary_metric`` is
  ``neg_log10_rel_l2 = -log10(rel_l2)`` (larger is better), so ``neg_log10_rel_l2_peak`` is the best
  evaluation.

Outputs: ``reconstruction.npz`` (``grid``, ``exact``, ``prediction``) and ``reconstruction.png``
(exact, prediction and absolute error maps); ``inrkit render`` writes the same NPZ (no shift or scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.analysis.signal_plots import plot_solution
from inrkit.errors import InputError
from inrkit.io import write_with
from inrkit.metrics.regression import relative_l2
from inrkit.ops.coords import chunked
from inrkit.registry import TASKS
from inrkit.signals.base import Signal
from inrkit.signals.pde import eval_grid, get_problem
from inrkit.tasks.base import Task
from inrkit.validate import check


@dataclass(frozen=True)
class PDEConfig:
    """PINN training on a ``pde:<problem>`` signal."""

    #: interior collocation points.
    n_interior: int = 10_000
    #: boundary points per spatial face.
    n_boundary: int = 1000
    #: initial-condition points (time-dependent problems).
    n_initial: int = 1000
    #: redraw the collocation points every step (False: fixed, seeded set).
    resample: bool = False
    #: seed of the fixed collocation set.
    sample_seed: int = 0
    #: weight of the boundary term.
    w_boundary: float = 1.0
    #: weight of the initial-condition term.
    w_initial: float = 1.0
    #: feed the field coordinates scaled to [-1, 1] per axis (derivatives stay physical).
    normalize_inputs: bool = False
    #: nondimensionalise by the problem's solution scale U: u = U field(X), data errors measured in units of U.
    scale_solution: bool = True
    #: points per axis of the evaluation grid (boundary included).
    eval_points: int = 256
    #: points per forward pass during evaluation.
    eval_chunk: int = 65536

    def __post_init__(self) -> None:
        check(self, "task", n_interior=">=1", n_boundary=">=0", n_initial=">=0", w_boundary=">=0",
              w_initial=">=0", eval_points=">=2", eval_chunk=">=1")


@TASKS.register("pde", config=PDEConfig)
class PDETask(Task):
    """Physics-informed fitting of a ``pde:<problem>`` signal."""

    primary_metric = "neg_log10_rel_l2"
    signal_kinds = ("pde",)
    render_suffix = ".npz"

    def __init__(self, cfg: PDEConfig, signal: Signal):
        if signal.kind != "pde":
            raise InputError(f"{signal.meta.get('source', 'signal')}: the pde task needs a pde:<problem> signal, "
                             f"got a {signal.kind} signal")
        if min(cfg.n_interior, cfg.n_boundary) < 1 or cfg.eval_points < 2:
            raise InputError("pde task: n_interior and n_boundary must be >= 1 and eval_points >= 2")
        self.cfg, self.signal = cfg, signal
        self.problem = get_problem(signal.meta["problem"])
        self.u_scale = self.problem.u_scale if cfg.scale_solution else 1.0
        self.lo = torch.tensor([b[0] for b in self.problem.bounds], dtype=torch.float64)
        self.hi = torch.tensor([b[1] for b in self.problem.bounds], dtype=torch.float64)
        self.device = torch.device("cpu")
        self.points = self._draw(torch.Generator().manual_seed(cfg.sample_seed))
        self.grid = eval_grid(self.problem, cfg.eval_points)  # [n, n, d] float64
        self.exact_grid = self.problem.exact(self.grid.reshape(-1, self.d)).reshape(*self.grid.shape[:-1], 1)

    @property
    def d(self) -> int:
        return len(self.problem.axes)

    @property
    def in_features(self) -> int:
        return self.d

    @property
    def out_features(self) -> int:
        return 1

    # -- collocation ----------------------------------------------------------------------------------
    def _uniform(self, n: int, gen: torch.Generator) -> Tensor:
        return self.lo + (self.hi - self.lo) * torch.rand(n, self.d, generator=gen, dtype=torch.float64)

    def _draw(self, gen: torch.Generator) -> dict[str, Tensor]:
        """Interior, boundary and initial point sets (float64, on the task's device) with their targets."""
        cfg, p = self.cfg, self.problem
        out = {"interior": self._uniform(cfg.n_interior, gen)}
        faces_lo, faces_hi = [], []
        for a in p.spatial_axes:
            lo, hi = self._uniform(cfg.n_boundary, gen), self._uniform(cfg.n_boundary, gen)
            if p.boundary == "periodic":
                hi = lo.clone()  # the same times on both faces
            lo[:, a], hi[:, a] = self.lo[a], self.hi[a]
            faces_lo.append(lo)
            faces_hi.append(hi)
        if p.boundary == "periodic":
            out["periodic_lo"], out["periodic_hi"] = torch.cat(faces_lo), torch.cat(faces_hi)
        else:
            out["boundary"] = torch.cat(faces_lo + faces_hi)
            out["boundary_u"] = p.exact(out["boundary"])
        if p.time_axis is not None and cfg.n_initial > 0:
            x0 = self._uniform(cfg.n_initial, gen)
            x0[:, p.time_axis] = self.lo[p.time_axis]
            out["initial"], out["initial_u"] = x0, p.exact(x0)
        return {k: v.to(self.device) for k, v in out.items()}

    def to(self, device: torch.device) -> PDETask:
        self.device = torch.device(device)
        self.points = {k: v.to(self.device) for k, v in self.points.items()}
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        return self._draw(generator) if self.cfg.resample else self.points

    def ntk_coords(self) -> Tensor:
        """The interior collocation points as the field receives them (normalised when ``normalize_inputs``)."""
        X = self.points["interior"]
        if self.cfg.normalize_inputs:
            X = 2 * (X - self.lo.to(X)) / (self.hi.to(X) - self.lo.to(X)) - 1
        return X

    # -- model ----------------------------------------------------------------------------------------
    def u(self, field: torch.nn.Module, X: Tensor) -> Tensor:
        """Field value ``[N, 1]`` at physical coordinates ``X`` (scaled first when ``normalize_inputs``)."""
        if self.cfg.normalize_inputs:
            lo, hi = self.lo.to(X), self.hi.to(X)
            X = 2 * (X - lo) / (hi - lo) - 1
        out = field(X)
        return out * self.u_scale if self.u_scale != 1.0 else out

    @staticmethod
    def _dtype(field: torch.nn.Module) -> torch.dtype:
        p = next((p for p in field.parameters() if p.is_floating_point()), None)
        return p.dtype if p is not None else torch.float32

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        dt = self._dtype(field)
        X = batch["interior"].to(dt).requires_grad_(True)
        out = {"residual": torch.mean(self.problem.residual(self.u(field, X), X) ** 2)}
        if "boundary" in batch:
            err = self.u(field, batch["boundary"].to(dt)) - batch["boundary_u"].to(dt)
        else:
            err = self.u(field, batch["periodic_lo"].to(dt)) - self.u(field, batch["periodic_hi"].to(dt))
        out["boundary"] = torch.mean((err / self.u_scale) ** 2)
        out["loss"] = out["residual"] + self.cfg.w_boundary * out["boundary"]
        if "initial" in batch:
            err = self.u(field, batch["initial"].to(dt)) - batch["initial_u"].to(dt)
            out["initial"] = torch.mean((err / self.u_scale) ** 2)
            out["loss"] = out["loss"] + self.cfg.w_initial * out["initial"]
        return out

    # -- evaluation -----------------------------------------------------------------------------------
    def reconstruct(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> np.ndarray:
        """Prediction ``[n, n, 1]`` (float64) on the evaluation grid (no shifted / upsampled queries)."""
        if shift or scale != 1:
            raise InputError("pde reconstructions are defined on the evaluation grid only (no shift/scale)")
        X = self.grid.reshape(-1, self.d).to(self.device, self._dtype(field))
        with torch.no_grad():
            pred = chunked(lambda x: self.u(field, x), X, self.cfg.eval_chunk)
        return pred.double().cpu().reshape(*self.grid.shape[:-1], 1).numpy()

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        pred, exact = self.reconstruct(field), self.exact_grid.numpy()
        rel = relative_l2(pred, exact)
        out = {"rel_l2": rel, "mse": float(np.mean((pred - exact) ** 2)),
               "neg_log10_rel_l2": -math.log10(rel) if rel > 0 else math.inf}
        if not math.isfinite(rel):
            out["neg_log10_rel_l2"] = -math.inf
        if final:
            out["max_abs_error"] = float(np.max(np.abs(pred - exact)))
        return out

    def arrays(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> dict[str, np.ndarray]:
        """``grid``, ``exact`` and ``prediction`` on the evaluation grid."""
        return {"grid": self.grid.numpy(), "exact": self.exact_grid.numpy()[..., 0],
                "prediction": self.reconstruct(field, shift, scale)[..., 0]}

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        arrays = self.arrays(field, shift, scale)
        write_with(path, lambda p: np.savez(p, **arrays))
        return " x ".join(map(str, arrays["prediction"].shape))

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        arrays = self.arrays(field)
        write_with(run_dir / "reconstruction.npz", lambda p: np.savez(p, **arrays))
        write_with(run_dir / "reconstruction.png", lambda p: plot_solution(p, arrays, self.problem))
        return {"reconstruction": "reconstruction.png", "arrays": "reconstruction.npz"}
