"""Forward operators of inverse problems: ``y = A(x) + n`` on a field rendered on its grid.

An operator is built from its config and the shape ``[*grid, C]`` of the clean signal; it maps a
tensor of that shape (values in [0, 1]) to measurements, differentiably in PyTorch. Linear
operators also give their ``adjoint`` (checked against autograd in the tests). Each operator names
the classical reconstructions that the benchmark tables set beside the INRs (``baselines``) and
computes them from the measurements alone with ``classical(name, y)``.

Noise (protocols.md §11.1, WIRE ``utils.measure``) is added by ``NoiseConfig`` in measurement space:

* ``gaussian``: ``y = A(x) + sigma N(0, 1)`` (complex measurements: on the real and imaginary parts);
* ``poisson``: ``y = (Poisson(tau A(x)) + sigma_r N(0, 1)) / tau`` (photon noise with readout noise;
  negative entries draw ``-Poisson(-tau A(x))``, as in WIRE).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor

from inrkit.errors import InputError


@dataclass(frozen=True)
class NoiseConfig:
    """Measurement noise."""

    #: none, gaussian (sigma) or poisson (photon level tau with readout sigma_r, WIRE's model).
    kind: Literal["none", "gaussian", "poisson"] = "none"
    #: standard deviation of the Gaussian noise (kind gaussian).
    sigma: float = 0.0
    #: mean photon count at value 1 (kind poisson; WIRE denoising: 30).
    tau: float = 30.0
    #: readout noise in photon units (kind poisson; WIRE denoising: 2).
    sigma_r: float = 2.0

    def std_estimate(self, y: Tensor) -> float:
        """Noise standard deviation at the mean signal level (from the measurements alone)."""
        if self.kind == "gaussian":
            return self.sigma
        if self.kind == "poisson":
            level = max(float(y.real.mean()) if y.is_complex() else float(y.mean()), 0.0)
            return math.sqrt(self.tau * level + self.sigma_r ** 2) / self.tau
        return 0.0


def add_noise(y: Tensor, cfg: NoiseConfig, generator: torch.Generator) -> Tensor:
    """``y`` with the configured noise (drawn from ``generator`` on the CPU)."""
    if cfg.kind == "none":
        return y
    if cfg.kind == "gaussian":
        if y.is_complex():
            n = torch.randn(y.shape, generator=generator, dtype=y.real.dtype)
            m = torch.randn(y.shape, generator=generator, dtype=y.real.dtype)
            return y + cfg.sigma * torch.complex(n, m)
        return y + cfg.sigma * torch.randn(y.shape, generator=generator, dtype=y.dtype)
    if cfg.kind == "poisson":
        if y.is_complex():
            raise InputError("poisson noise needs real measurements")
        rate = cfg.tau * y.double()
        counts = torch.poisson(rate.abs(), generator=generator) * torch.sign(rate)
        readout = cfg.sigma_r * torch.randn(y.shape, generator=generator, dtype=torch.float64)
        return ((counts + readout) / cfg.tau).to(y.dtype)
    raise InputError(f"unknown noise kind {cfg.kind!r}")


class Operator:
    """Base class: a differentiable forward model on ``[*grid, C]`` tensors.

    Attributes:
        shape: the clean signal's shape ``[*grid, C]`` (after ``valid_shape``).
        baselines: names of the classical reconstructions ``classical`` knows.
        linear: the operator is linear (``adjoint`` is defined).
    """

    baselines: tuple[str, ...] = ()
    linear: bool = True

    def __init__(self, shape: tuple[int, ...]):
        self.shape = tuple(int(s) for s in shape)
        self.device = torch.device("cpu")

    @staticmethod
    def valid_shape(cfg, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The largest shape ``<= shape`` the operator accepts (the signal is cropped to it)."""
        return tuple(shape)

    @property
    def grid_shape(self) -> tuple[int, ...]:
        return self.shape[:-1]

    def to(self, device: torch.device) -> Operator:
        """Move the operator's tensors (attributes holding tensors) to ``device``; returns self."""
        self.device = torch.device(device)
        for name, value in vars(self).items():
            if isinstance(value, Tensor):
                setattr(self, name, value.to(self.device))
        return self

    def __call__(self, x: Tensor) -> Tensor:
        return self.forward(x)

    def forward(self, x: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def adjoint(self, y: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} has no adjoint")

    def regions(self) -> dict[str, Tensor]:
        """Named boolean masks over the grid on which the task scores the reconstruction separately
        (the mask operator's missing and observed samples); empty by default."""
        return {}

    def classical(self, name: str, y: Tensor, noise: NoiseConfig) -> Tensor:
        """The classical reconstruction ``name`` from measurements ``y`` (values in [0, 1] space)."""
        raise InputError(f"{type(self).__name__}: unknown classical reconstruction {name!r}; "
                         f"choose one of: {', '.join(self.baselines) or '(none)'}")

    def check_input(self, x: Tensor) -> None:
        if tuple(x.shape) != self.shape:
            raise ValueError(f"{type(self).__name__} expects a tensor of shape {self.shape}, got {tuple(x.shape)}")


def channels_first(x: Tensor) -> Tensor:
    """``[*grid, C]`` -> ``[C, *grid]``."""
    return x.movedim(-1, 0)


def channels_last(x: Tensor) -> Tensor:
    """``[C, *grid]`` -> ``[*grid, C]``."""
    return x.movedim(0, -1)
