"""MSA: the multi-scale sine activation, one fixed frequency per neuron.

Paper: "MSA: Multi-scale Sine Activation for implicit neural representations" (JufengHan/MSA-INR,
PyPI ``msa-inr``), Eq. 4 and 6 (methods.md §6.1). For a pre-activation ``z`` with ``C`` channels on
its **last** dimension:

    omega_i = 10^(s_min + i / (C - 1) * (s_max - s_min)),   i = 0 .. C-1   (one channel: 10^s_min)
    MSA(z)_i = sin(omega_i z_i) / omega_i                    (amplitude modulation F^-1)

``amplitude_modulation=False`` gives the paper's MSA-NoAM ablation ``sin(omega_i z_i)``. Frequency
spacings (methods.md §6.5; the ablation's exact details are not specified by the source):

* ``"log"`` (default, the paper's): base-10 log-spaced from ``10^s_min`` to ``10^s_max``, increasing.
* ``"linear"``: ``linspace(10^s_min, 10^s_max, C)``.
* ``"uniform_random"``: ``C`` draws of ``U(10^s_min, 10^s_max)`` from a generator seeded with
  ``seed`` (independent of the global RNG), sorted increasing, fixed after construction.

The frequencies are a non-persistent buffer (not in the state dict, as in the official code); they
are rebuilt from the config, so ``module.to(float64)`` gives float64 frequencies computed exactly.
The activation adds no parameters; the Linear before it keeps PyTorch's default init ("no special
initialisation needed" [paper]).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor

from inrkit.nn.activations import Activation
from inrkit.registry import ACTIVATIONS

Spacing = Literal["log", "linear", "uniform_random"]


@dataclass(frozen=True)
class MSAConfig:
    """Multi-scale sine sin(omega_i z_i) / omega_i over the last dimension."""

    #: number of channels C (one frequency each).
    features: int = 256
    #: base-10 exponent of the lowest frequency.
    s_min: float = 1.0
    #: base-10 exponent of the highest frequency.
    s_max: float = 5.0
    #: frequency ladder: "log" (paper), "linear" or "uniform_random".
    spacing: Spacing = "log"
    #: multiply by 1/omega_i (False: MSA-NoAM ablation, sin(omega_i z_i)).
    amplitude_modulation: bool = True
    #: seed of the "uniform_random" draws.
    seed: int = 0


def msa_frequencies(features: int, s_min: float, s_max: float, spacing: Spacing = "log",
                    seed: int = 0) -> Tensor:
    """The frequency ladder ``[C]`` (float64) of one MSA block (see the module docstring)."""
    if features < 1:
        raise ValueError("MSA needs at least one channel")
    if spacing == "log":
        if features == 1:
            return torch.tensor([10.0 ** s_min], dtype=torch.float64)
        i = torch.arange(features, dtype=torch.float64)
        return 10.0 ** (s_min + i / (features - 1) * (s_max - s_min))
    lo, hi = 10.0 ** s_min, 10.0 ** s_max
    if spacing == "linear":
        if features == 1:
            return torch.tensor([lo], dtype=torch.float64)
        return torch.linspace(lo, hi, features, dtype=torch.float64)
    if spacing == "uniform_random":
        gen = torch.Generator().manual_seed(seed)
        u = torch.rand(features, generator=gen, dtype=torch.float64)
        return torch.sort(lo + (hi - lo) * u).values
    raise ValueError(f"unknown MSA spacing {spacing!r}; choose log, linear or uniform_random")


@ACTIVATIONS.register("msa", config=MSAConfig)
class MSA(Activation):
    """Multi-scale sine; PyTorch default init for the Linear before it and for the read-out."""

    def __init__(self, cfg: MSAConfig = MSAConfig()):
        super().__init__()
        self.cfg = cfg
        freqs = msa_frequencies(cfg.features, cfg.s_min, cfg.s_max, cfg.spacing, cfg.seed)
        self.register_buffer("omega", freqs.to(torch.get_default_dtype()), persistent=False)

    def frequencies(self) -> Tensor:
        """The exact float64 ladder ``[C]`` rebuilt from the config."""
        c = self.cfg
        return msa_frequencies(c.features, c.s_min, c.s_max, c.spacing, c.seed)

    def _apply(self, fn, recurse: bool = True):
        # a dtype change (float64 runs) recasts omega from the exact float64 ladder, not the rounded one
        out = super()._apply(fn, recurse)
        self.omega = self.frequencies().to(device=self.omega.device, dtype=self.omega.dtype)
        return out

    def forward(self, z: Tensor) -> Tensor:
        if z.shape[-1] != self.omega.shape[0]:
            raise ValueError(f"MSA expects {self.omega.shape[0]} channels on the last dimension, got {z.shape[-1]}")
        omega = self.omega.to(z.dtype)
        y = torch.sin(omega * z)  # broadcast over the last dimension, any leading shape
        return y / omega if self.cfg.amplitude_modulation else y
