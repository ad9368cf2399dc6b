"""Multiplicative filter networks, FourierNet and GaborNet (Fathony et al., "Multiplicative Filter
Networks", ICLR 2021, openreview OmPz8dA3xG; methods.md §9.1), implemented from the paper (the official
code is AGPL-3.0):

    z_1 = g_1(x),  z_{i+1} = (W_i z_i + b_i) ⊙ g_{i+1}(x)  (i = 1..L),  y = W_out z_{L+1} + b_out

FourierNet ``g(x) = sin(Omega x + phi)``; GaborNet ``g(x) = sin(Omega x + phi) exp(-gamma/2 ||x - mu||^2)``
per unit. ``hidden_layers`` = L hidden linears (L + 1 filters), ``hidden_features`` = H. Init: Omega
PyTorch default scaled by input_scale / sqrt(L + 1) (GaborNet rows also by sqrt(gamma)), phi ~ U(±pi),
mu ~ U(-1, 1)^d, gamma ~ Gamma(alpha / (L + 1), beta) (rate beta), hidden U(±sqrt(weight_scale / H))
with default biases; read-out PyTorch default [default: not stated by the paper]. All trainable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class MFNConfig(MLPFieldConfig):
    """FourierNet (Fathony et al. 2021): input_scale 256, weight_scale 1 (image code defaults)."""

    #: frequency scale of the filters' Omega.
    input_scale: float = 256.0
    #: hidden weights U(±sqrt(weight_scale / H)).
    weight_scale: float = 1.0


@dataclass(frozen=True)
class GaborNetConfig(MFNConfig):
    """GaborNet (Fathony et al. 2021): input_scale 256, gamma ~ Gamma(6 / (L + 1), 1)."""

    #: Gamma shape alpha (divided by the number of filters).
    alpha: float = 6.0
    #: Gamma rate beta.
    beta: float = 1.0


class _Filter(nn.Module):
    """One filter g(x); Gabor when ``gamma`` is given."""

    def __init__(self, d: int, h: int, scale: float, gamma: Tensor | None):
        super().__init__()
        self.linear = nn.Linear(d, h)
        with torch.no_grad():
            rows = scale * (gamma.sqrt()[:, None] if gamma is not None else 1.0)
            self.linear.weight.mul_(rows)
            self.linear.bias.uniform_(-math.pi, math.pi)
        self.gabor = gamma is not None
        if self.gabor:
            self.mu = nn.Parameter(torch.rand(h, d) * 2 - 1)
            self.gamma = nn.Parameter(gamma)

    def forward(self, x: Tensor) -> Tensor:
        g = torch.sin(self.linear(x))
        if self.gabor:
            # ||x - mu||^2 one coordinate at a time: [..., H] passes, no [..., H, d] intermediate (same values)
            dist = (x[..., :1] - self.mu[:, 0]).square()
            for j in range(1, x.shape[-1]):
                dist = dist + (x[..., j:j + 1] - self.mu[:, j]).square()
            g = g * torch.exp(-0.5 * self.gamma * dist)
        return g


class MFNField(Field):
    """Multiplicative filter network (module docstring)."""

    def __init__(self, cfg: MFNConfig = MFNConfig()):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        n, h, d = cfg.hidden_layers + 1, cfg.hidden_features, cfg.in_features
        scale = cfg.input_scale / math.sqrt(n)
        filters = []
        for _ in range(n):
            gamma = None
            if isinstance(cfg, GaborNetConfig):
                gamma = torch.distributions.Gamma(cfg.alpha / n, cfg.beta).sample((h,))
            filters.append(_Filter(d, h, scale, gamma))
        self.filters = nn.ModuleList(filters)
        self.linears = nn.ModuleList(nn.Linear(h, h) for _ in range(cfg.hidden_layers))
        bound = math.sqrt(cfg.weight_scale / h)
        for lin in self.linears:
            nn.init.uniform_(lin.weight, -bound, bound)
        self.output = nn.Linear(h, cfg.out_features)

    def forward(self, x: Tensor) -> Tensor:
        z = self.filters[0](x)
        for lin, g in zip(self.linears, self.filters[1:], strict=True):
            z = lin(z) * g(x)
        return self.output(z)


FIELDS.register("mfn_fourier", config=MFNConfig, description="FourierNet (multiplicative filters)")(MFNField)
FIELDS.register("mfn_gabor", config=GaborNetConfig, description="GaborNet (multiplicative filters)")(MFNField)
_IMAGE = Setting("H 256, 3 hidden linears, input_scale 256, Adam 1e-2 [code]", {"trainer.optim.lr": 1e-2})
# GaborNet's filters carry a centre and a scale per unit: H 253 (quick 125) matches the protocol's budget
_GABOR = Setting("H 253 (quick 125) [sized], 3 hidden linears, input_scale 256, Adam 1e-2 [code]",
                 {"trainer.optim.lr": 1e-2}, quick={"field.hidden_features": 125}, paper={"field.hidden_features": 253})
register_method("mfn_fourier", "FourierNet", settings={"image": _IMAGE})
register_method("mfn_gabor", "GaborNet", settings={"image": _GABOR})
