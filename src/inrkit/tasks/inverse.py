"""Inverse problems: fit a field through a forward operator (protocols.md §11).

    min_theta  mean |A(f_theta) - y|^2  +  lambda_TV TV(f_theta)  (+ the field's own regularisers)

``f_theta`` is rendered on the clean signal's full grid (mapped from ``target_range`` to [0, 1]), ``A``
is a registered operator (``inrkit.ops.operators``: identity, mask, downsample, blur, radon, kspace)
and ``y = A(x) + n`` the measurements, drawn once from the clean signal ``x`` with the task's noise and
``measurement_seed``. Every step is full batch: global operators (Radon, FFT, blur) need the whole
grid. The data term averages over measurement entries (complex ones by squared modulus); TV is the
mean absolute finite difference along every grid axis [default weight 0: no regulariser].

Evaluation always compares the field on the clean grid with the clean ground truth: PSNR / SSIM
(data range 1, prediction clamped), ``psnr_<region>`` for the operator's regions (the inpainting
mask's missing and observed samples), ``mse_data`` (the data term) and, at the end, ``psnr_input``
where the measurements live on the signal grid (identity, blur). The trainer's ``psnr_peak`` is
WIRE's oracle "best" image (the maximum over the periodic evaluations); the final value is the
primary number. ``score(pred)`` rates any reconstruction, which is how the classical baselines
(``inrkit.train.baseline``) are scored the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from inrkit.config import spec
from inrkit.errors import InputError
from inrkit.metrics import image as im
from inrkit.ops.coords import chunked
from inrkit.ops.operators import NoiseConfig, Operator, add_noise
from inrkit.ops.operators.image import IdentityConfig
from inrkit.registry import OPERATORS, TASKS, type_name
from inrkit.signals.base import Signal
from inrkit.tasks.fitting import FittingConfig, FittingTask
from inrkit.tasks.image import render_image, write_image_outputs
from inrkit.tasks.volume import render_volume, volume_metrics, write_volume_outputs


@dataclass(frozen=True)
class InverseConfig(FittingConfig):
    """Fit a field through a forward operator (full batch)."""

    #: the forward operator ({"type": name, ...}, registry ``operators``).
    operator: Any = spec("operators", default_factory=IdentityConfig)
    #: measurement noise.
    noise: NoiseConfig = field(default_factory=NoiseConfig)
    #: seed of the measurement noise.
    measurement_seed: int = 0
    #: weight of the anisotropic total-variation regulariser on the rendered field (0: none).
    tv_weight: float = 0.0
    edge_metrics: bool = False
    lpips: bool = False


def total_variation(x: Tensor, n_grid: int) -> Tensor:
    """Mean absolute forward difference along each of the first ``n_grid`` axes, summed."""
    return sum(torch.mean(torch.abs(torch.diff(x, dim=a))) for a in range(n_grid))


def data_error(pred: Tensor, y: Tensor) -> Tensor:
    """Mean squared (modulus) difference of two measurement tensors."""
    d = pred - y
    return torch.mean(d.real ** 2 + d.imag ** 2) if d.is_complex() else torch.mean(d ** 2)


@TASKS.register("inverse", config=InverseConfig)
class InverseTask(FittingTask):
    """Recover a signal from measurements ``y = A(x) + n``; score it against the clean signal."""

    ensemble_ok = False
    signal_kinds = ("image", "volume")
    #: the clean signal is the ground truth of the scores, never an input: fields that read it (INCODE) are refused
    field_may_see_signal = False

    def __init__(self, cfg: InverseConfig, signal: Signal):
        op_cls = OPERATORS.get(type_name(cfg.operator))
        shape = op_cls.valid_shape(cfg.operator, signal.values.shape)
        if tuple(shape) != signal.values.shape:  # e.g. super-resolution: crop to a multiple of s
            crop = tuple(slice(0, n) for n in shape)
            signal = replace(signal, values=np.ascontiguousarray(signal.values[crop]),
                             meta={**signal.meta, "cropped_to": list(shape[:-1])})
        if min(signal.grid_shape) < 2:
            raise InputError(f"{signal.meta.get('source', 'signal')}: grid {signal.grid_shape} is too small")
        super().__init__(cfg, signal)
        self.operator: Operator = OPERATORS.create(cfg.operator, tuple(signal.values.shape))
        self.clean = torch.from_numpy(signal.values)
        gen = torch.Generator().manual_seed(cfg.measurement_seed)
        with torch.no_grad():
            self.y = add_noise(self.operator(self.clean), cfg.noise, gen)

    def to(self, device: torch.device) -> InverseTask:
        super().to(device)
        self.operator.to(self.device)
        self.y = self.y.to(self.device)
        return self

    def sample(self, step: int, generator: torch.Generator) -> dict[str, Tensor]:
        return {"coords": self.coords}

    @property
    def render_suffix(self) -> str:
        return ".npz" if self.signal.kind == "volume" else ".png"

    def render_grid(self, field: torch.nn.Module, coords: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """The field on the grid, mapped to [0, 1] (differentiable), and its regularisation terms."""
        both = getattr(field, "forward_and_regularization", None)
        out, reg = both(coords) if both is not None else (field(coords), {})
        return self.to_unit(out).reshape(self.signal.values.shape), reg

    def loss(self, field: torch.nn.Module, batch: dict[str, Tensor]) -> dict[str, Tensor]:
        x, reg = self.render_grid(field, batch["coords"])
        out = {"mse_data": data_error(self.operator(x), self.y), **reg}
        if self.cfg.tv_weight > 0:
            out["tv"] = self.cfg.tv_weight * total_variation(x, self.signal.ndim)
        out["loss"] = sum((v for k, v in out.items() if k != "mse_data"), out["mse_data"])
        return out

    def evaluate(self, field: torch.nn.Module, final: bool = False) -> dict[str, float]:
        with torch.no_grad():
            pred = self.to_unit(chunked(field, self.coords, self.cfg.eval_chunk)).reshape(self.signal.values.shape)
        return self.score(pred, final)

    def score(self, pred: Tensor, final: bool = False) -> dict[str, float]:
        """Metrics of a reconstruction ``pred [*grid, C]`` in [0, 1] (unclamped) against the clean signal."""
        pred = pred.to(self.device).float()
        with torch.no_grad():
            out = {"mse_data": float(data_error(self.operator(pred), self.y))}
        p = pred.cpu().double().numpy()
        gt = self.signal.values.astype(np.float64)
        out.update({"mse": im.mse(p, gt), "psnr": im.psnr(p, gt)})
        if self.signal.kind == "volume":
            out.update(volume_metrics(p, gt, final))
        elif min(self.signal.grid_shape) >= 11:
            out["ssim"] = im.ssim(p, gt)
        for name, region in self.operator.regions().items():
            r = region.cpu().numpy()
            if r.any():
                out[f"psnr_{name}"] = im.psnr(p[r], gt[r])
        if final and self.y.shape == self.clean.shape and not self.y.is_complex():
            out["psnr_input"] = im.psnr(self.y.cpu().double().numpy(), gt)
        if final and self.signal.kind == "image":
            out["psnr_u8"] = im.psnr_u8(p, gt)
        return out

    def render(self, field: torch.nn.Module, path: Path, scale: int = 1, shift: float = 0.0) -> str:
        """The recovered signal at ``scale`` x the resolution (PNG for images, NPZ for volumes)."""
        self.check_render_path(path)
        rec = np.clip(self.reconstruct(field, shift=shift, scale=scale), 0.0, 1.0)
        return render_volume(path, rec[..., 0]) if self.signal.kind == "volume" else render_image(path, rec)

    def write_outputs(self, field: torch.nn.Module, run_dir: Path) -> dict[str, Any]:
        return self.write_reconstruction(np.clip(self.reconstruct(field), 0.0, 1.0), run_dir)

    def write_reconstruction(self, rec: np.ndarray, run_dir: Path) -> dict[str, Any]:
        """``reconstruction.png`` / ``.npz`` and ``error.png`` of a reconstruction in [0, 1]."""
        if self.signal.kind == "volume":
            return write_volume_outputs(run_dir, rec[..., 0], self.signal.values[..., 0])
        return write_image_outputs(run_dir, rec, self.signal.values)
