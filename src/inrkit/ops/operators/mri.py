"""Cartesian k-space undersampling with the FFT (undersampled MRI).

``A(x) = (F x)[mask]``: the orthonormal DFT over every grid axis (``torch.fft.fftn(norm="ortho")``,
per channel) read at the sampled k-space positions, returned as complex ``[M, C]``. The mask samples
whole readout lines along the last grid axis; on the phase-encode axes (all the others: the rows of
an image, the (D, H) plane of a volume) it keeps the fully sampled centre (``center_fraction`` of
each axis around DC) and then, for acceleration R, lines chosen at random (or every R-th line,
``equispaced``, 2-D) until ``round(N_pe / R)`` lines are kept. The adjoint scatters the samples back
and applies the inverse orthonormal DFT (complex); its real part is the classical zero-filled
reconstruction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import Tensor

from inrkit.errors import InputError
from inrkit.ops.operators.base import NoiseConfig, Operator
from inrkit.registry import OPERATORS


@dataclass(frozen=True)
class KSpaceConfig:
    """Cartesian undersampling of k-space."""

    #: acceleration R: one in R phase-encode lines is kept (centre included).
    acceleration: float = 4.0
    #: fraction of each phase-encode axis fully sampled around DC.
    center_fraction: float = 0.08
    #: random (uniformly drawn lines beyond the centre) or equispaced (every R-th line; 2-D only).
    pattern: Literal["random", "equispaced"] = "random"
    #: seed of the random lines.
    seed: int = 0


def kspace_mask(cfg: KSpaceConfig, grid_shape: tuple[int, ...]) -> np.ndarray:
    """Boolean mask of ``grid_shape`` in unshifted (DC at index 0) FFT order; True = sampled."""
    if cfg.acceleration < 1:
        raise InputError(f"k-space acceleration must be >= 1, got {cfg.acceleration}")
    pe = grid_shape[:-1] if len(grid_shape) > 1 else grid_shape
    freqs = np.meshgrid(*[np.fft.fftfreq(n) for n in pe], indexing="ij")  # cycles/sample, DC = 0
    centre = np.ones(pe, bool)
    for f in freqs:
        centre &= np.abs(f) < cfg.center_fraction / 2 + 1e-12
    centre[(0,) * len(pe)] = True
    target = max(int(round(math.prod(pe) / cfg.acceleration)), int(centre.sum()))
    keep = centre.copy()
    if cfg.pattern == "equispaced":
        if len(pe) != 1:
            raise InputError("equispaced k-space masks are 2-D only")
        keep[:: max(int(round(cfg.acceleration)), 1)] = True
    else:
        rng = np.random.default_rng(cfg.seed)
        rest = np.flatnonzero(~centre.ravel())
        extra = rng.choice(rest, size=min(target - int(centre.sum()), rest.size), replace=False)
        keep.ravel()[extra] = True
    if len(grid_shape) == 1:
        return keep
    return np.broadcast_to(keep[..., None], grid_shape).copy()


@OPERATORS.register("kspace", config=KSpaceConfig)
class KSpace(Operator):
    """Cartesian k-space undersampling (MRI): sampled orthonormal-DFT coefficients ``[M, C]``."""

    baselines = ("zero_filled",)

    def __init__(self, cfg: KSpaceConfig, shape: tuple[int, ...]):
        super().__init__(shape)
        self.cfg = cfg
        self.mask = torch.from_numpy(kspace_mask(cfg, self.grid_shape))
        self.dims = tuple(range(len(self.grid_shape)))

    @property
    def sampling_rate(self) -> float:
        return float(self.mask.float().mean())

    def forward(self, x: Tensor) -> Tensor:
        k = torch.fft.fftn(x, dim=self.dims, norm="ortho")
        return k[self.mask]

    def adjoint(self, y: Tensor) -> Tensor:
        full = torch.zeros(self.shape, dtype=y.dtype if y.is_complex() else torch.complex64, device=y.device)
        full[self.mask] = y
        return torch.fft.ifftn(full, dim=self.dims, norm="ortho")

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        """``zero_filled``: the real part of the inverse DFT of the zero-filled k-space."""
        if name != "zero_filled":
            return super().classical(name, y, noise)
        return self.adjoint(y.detach().cpu()).real.clamp(0.0, 1.0).float()
