"""Regression of an analytic 1-D function on scattered samples (MSA y4 protocol, protocols.md §6).

Training set: ``n_samples`` points of ``signals.function1d.sample_points`` (uniform random with NumPy
seed ``sample_seed`` = 42 as in the official code, or the ``-grid`` variant's linspace), full batch,
MSE loss on the raw function values (no value mapping). Held-out set: ``linspace(-1, 1, 20000)``.

Metrics (every evaluation and at the end):

* ``mse``: MSE on the training samples (the number MSA's paper reports, 7.96e-14 for y4);
* ``mse_heldout``: MSE on the dense held-out grid (between random samples the fit can be poor);
* ``neg_log10_mse`` = ``-log10(mse)``: the ``primary_metric``. The trainer keeps the *maximum* of the
  primary metric, so a larger-is-better transform of the training MSE is used; its peak is the
  lowest training MSE seen at an evaluation (``neg_log10_mse_peak`` in the final metrics).

``dtype="float64"`` keeps coordinates and targets in float64 (MSA float64 runs); the field's
parameters must have the same dtype, otherwise ``loss`` raises a one-line error. Targets are
computed in float64 from the formula and cast once.

Outputs: ``reconstruction.png`` (target vs fit on the dense grid, training samples marked, and the
error) and ``reconstruction.npz`` (``x``, ``target``, ``prediction``, ``x_train``, ``y_train``);
``inrkit render`` writes the same NPZ (no shift or scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from torch import Tensor

from inrkit.analysis.signal_plots import plot_fit
from inrkit.errors import InputError
from inrkit.io import write_with
from inrkit.metrics.regression import mse
from inrkit.nn.dtype import torch_dtype
from inrkit.ops.coords import chunked
from inrkit.registry import TASKS
from inrkit.signals.base import Signal
from inrkit.signals.function1d import DEFAULT_SEED, HELDOUT_POINTS, get_function, heldout_points, sample_points
from inrkit.tasks.base import Task, regression_loss
from inrkit.validate import check


@dataclass(frozen=True)
class Function1DConfig:
    """Fitting a 1-D function from samples."""

    #: training samples; None = the function's default (1024 y4, 4000/5000/8000 sin200/500/1000).
    n_samples: int | None = None
    #: NumPy seed of the random training samples (42 in the MSA code).
    sample_seed: int = DEFAULT_SEED
    #: points of the dense held-out linspace grid.
    heldout_points: int = HELDOUT_POINTS
    #: dtype of coordinates and targets (must match the field's parameters).
    dtype: Literal["float32", "float64"] = "float32"
    #: points per forward pass during evaluation.
    eval_chunk: int = 65536

    def __post_init__(self) -> None:
        check(self, "task", n_samples=">=2", heldout_points=">=0", eval_chunk=">=1")


@TASKS.register("function1d", config=Function1DConfig)
class Function1DTask(Task):
    """Fit ``field(x) ~ f(x)`` on scattered 1-D samples; score on the samples and a dense grid."""

    primary_metric = "neg_log10_mse"
    signal_kinds = ("function1d",)
    render_suffix = ".npz"
    #: the loss depends only on (field, batch): fits can be batched by ``train/ensemble.py``.
    ensemble_ok = True

    def __init__(self, cfg: Function1DConfig, signal: Signal):
        if signal.kind != "function1d":
            raise InputError(f"{signal.meta.get('source', 'signal')}: the function1d task needs a function:<name> "
                             f"signal, got a {signal.kind} signal")
        self.dtype = torch_dtype(cfg.dtype)
        self.cfg = cfg
        self.signal = signal
        self.func = get_function(signal.meta["function"])
        x, y = sample_points(self.func, cfg.n_samples, cfg.sample_seed)
        xh, yh = heldout_points(self.func, cfg.heldout_points)
        self.x_train, self.y_train = x, y  # float64 NumPy copies for metrics and outputs
        self.x_heldout, self.y_heldout = xh, yh
        self.coords = torch.from_numpy(x).to(self.dtype)
        self.targets = torch.from_numpy(y).to(self.dtype)
        self.heldout = torch.from_numpy(xh).to(self.dtype)
        self.device = torch.device("cpu")

    @property
    def in_features(self) -> int:
        return 1

    @property
    def out_features(self) -> int:
        return 1

    def to(self, device: torch.device) -> Function1DTask:
        self.device = torch.device(device)
        self.coords, self.targets = self.coords.to(self.device), self.targets.to(self.device)
        self.heldout = self.heldout.to(self.device)
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        return {"coords": self.coords, "targets": self.targets}  # full batch, as the paper

    def _check_dtype(self, field: torch.nn.Module) -> None:
        p = next((p for p in field.parameters() if p.is_floating_point()), None)
        if p is not None and p.dtype != self.dtype:
            raise InputError(f"function1d task runs in {self.cfg.dtype} but the field's parameters are {p.dtype}; "
                             "set task.dtype to match (float64 needs a field with a float64 option, e.g. msa)")

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        self._check_dtype(field)
        return regression_loss(field, batch["coords"], batch["targets"])

    def predict(self, field: torch.nn.Module, x: Tensor) -> np.ndarray:
        """Field values at ``x [N, 1]`` as float64 NumPy ``[N, 1]``, without gradients."""
        self._check_dtype(field)
        with torch.no_grad():
            return chunked(field, x.to(self.device), self.cfg.eval_chunk).cpu().double().numpy()

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        train = mse(self.predict(field, self.coords), self.y_train)
        held = mse(self.predict(field, self.heldout), self.y_heldout)
        return {"mse": train, "mse_heldout": held,
                "neg_log10_mse": -math.log10(train) if train > 0 else math.inf}

    def reconstruct(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> np.ndarray:
        """Prediction on the held-out grid ``[N, 1]`` (``shift``/``scale`` do not apply to 1-D samples)."""
        if shift or scale != 1:
            raise InputError("function1d reconstructions are defined on the held-out grid only (no shift/scale)")
        return self.predict(field, self.heldout)

    def arrays(self, field: torch.nn.Module, shift: float = 0.0, scale: int = 1) -> dict[str, np.ndarray]:
        """Held-out ``x``, ``target`` and ``prediction``, and the training samples ``x_train``, ``y_train``."""
        pred = self.reconstruct(field, shift, scale)
        return {"x": self.x_heldout[:, 0], "target": self.y_heldout[:, 0], "prediction": pred[:, 0],
                "x_train": self.x_train[:, 0], "y_train": self.y_train[:, 0]}

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        self.check_render_path(path)
        arrays = self.arrays(field, shift, scale)
        write_with(path, lambda p: np.savez(p, **arrays))
        return f"{arrays['prediction'].size} samples"

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        arrays = self.arrays(field)
        write_with(run_dir / "reconstruction.npz", lambda p: np.savez(p, **arrays))
        write_with(run_dir / "reconstruction.png", lambda p: plot_fit(p, arrays, self.func.name))
        return {"reconstruction": "reconstruction.png", "arrays": "reconstruction.npz"}
