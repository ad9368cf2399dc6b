"""SCONE building blocks: spatial mask activations and the sinusoidal bases they collage.

Paper: Li, Liu, Huang, Wong, "Learning Spatially Collaged Fourier Bases for Implicit Neural
Representation", AAAI 2024, arXiv:2312.17018; code jasonli0707/scone ``models/scone.py``
(methods.md §7).

* ``MaskActivation``: ``sigma(u)`` with ``u = s (W z + b)``, ``s = omega_0`` (fixed) or one trainable
  scalar initialised to ``omega_0`` (the paper's "-L" variants). Kinds (§7.5): ``sin2`` = sin^2(u)
  (default; effective frequency 2 omega_0), ``sigmoid``, ``gauss`` = exp(-u^2), ``nsin`` = (sin u + 1)/2,
  ``ntanh`` = (tanh u + 1)/2 — every kind maps into [0, 1]. Its init rule is the code's (§7.2): the
  Linear feeding the first mask ``W, b ~ U(±1/d)``, later masks and the read-out
  ``W, b ~ U(±sqrt(6/H)/omega_0)`` (biases uniform as well, COIN++ style).
* ``SineBasis``: ``sin(omega_l (B_l x + c_l))`` on the raw coordinates, PyTorch default init
  ``U(±1/sqrt(d))``; ``trainable=False`` freezes ``B_l, c_l`` (random Fourier features as in the paper's
  wording), ``bias=False`` drops ``c_l``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor, nn

from inrkit.nn.activations import Activation, _uniform_, default_init
from inrkit.registry import ACTIVATIONS

MaskKind = Literal["sin2", "sigmoid", "gauss", "nsin", "ntanh"]
MASK_KINDS = ("sin2", "sigmoid", "gauss", "nsin", "ntanh")


def mask_function(kind: str, u: Tensor) -> Tensor:
    """The [0, 1]-valued mask nonlinearity of ``kind`` applied to ``u``."""
    if kind == "sin2":
        return torch.sin(u).square()
    if kind == "sigmoid":
        return torch.sigmoid(u)
    if kind == "gauss":
        return torch.exp(-u.square())
    if kind == "nsin":
        return 0.5 * (torch.sin(u) + 1.0)
    if kind == "ntanh":
        return 0.5 * (torch.tanh(u) + 1.0)
    raise ValueError(f"unknown mask activation {kind!r}; choose one of: {', '.join(MASK_KINDS)}")


def scone_init(linear: nn.Linear, omega_0: float, first: bool) -> None:
    """SCONE code init: first ``W, b ~ U(±1/n)``, otherwise ``W, b ~ U(±sqrt(6/n)/omega_0)``."""
    n = linear.in_features
    bound = 1.0 / n if first else math.sqrt(6.0 / n) / omega_0
    _uniform_(linear.weight, bound)
    if linear.bias is not None:
        _uniform_(linear.bias, bound)


@dataclass(frozen=True)
class MaskActivationConfig:
    """SCONE mask sigma(s (W z + b)) in [0, 1]."""

    #: sin2 (paper default), sigmoid, gauss, nsin or ntanh.
    kind: MaskKind = "sin2"
    #: input scale omega_0 (initial value when learnable).
    omega_0: float = 30.0
    #: train the scale (one scalar per mask layer; the paper's "-L" variants).
    learnable_scale: bool = False


@ACTIVATIONS.register("scone_mask", config=MaskActivationConfig)
class MaskActivation(Activation):
    """SCONE spatial mask activation with the code's initialisation of its Linear."""

    def __init__(self, cfg: MaskActivationConfig = MaskActivationConfig()):
        super().__init__()
        if cfg.kind not in MASK_KINDS:
            raise ValueError(f"unknown mask activation {cfg.kind!r}; choose one of: {', '.join(MASK_KINDS)}")
        self.kind = cfg.kind
        self.omega_0 = float(cfg.omega_0)
        if cfg.learnable_scale:
            self.scale = nn.Parameter(torch.tensor(self.omega_0))
        else:
            self.register_buffer("scale", torch.tensor(self.omega_0), persistent=False)

    def init_linear(self, linear: nn.Linear, first: bool) -> None:
        scone_init(linear, self.omega_0, first)

    def init_readout(self, linear: nn.Linear) -> None:
        scone_init(linear, self.omega_0, first=False)

    def forward(self, z: Tensor) -> Tensor:
        return mask_function(self.kind, self.scale * z)


class SineBasis(nn.Module):
    """``sin(omega (B x + c))`` from the raw coordinates, PyTorch default init; optionally frozen."""

    def __init__(self, in_features: int, out_features: int, omega: float, bias: bool = True,
                 trainable: bool = True):
        super().__init__()
        self.omega = float(omega)
        self.linear = nn.Linear(in_features, out_features, bias=bias)
        default_init(self.linear)
        self.linear.requires_grad_(trainable)

    def forward(self, x: Tensor) -> Tensor:
        return torch.sin(self.omega * self.linear(x))
