"""PINN baselines: the tanh MLP and the Fourier-feature PINN.

* ``pinn`` — Raissi, Perdikaris & Karniadakis, "Physics-informed neural networks", J. Comput. Phys.
  378 (2019): ``y = W_out tanh(... tanh(W_1 x + b_1) ...) + b_out`` with Xavier-normal weights and
  zero biases (``inrkit.nn.activations.Tanh``). protocols.md §10.4 sizes it as the MSA-PINN: 4 tanh
  blocks x 128 (``hidden_layers=3``).
* ``ff_pinn`` — Wang, Wang & Perdikaris, "On the eigenvector bias of Fourier feature networks",
  CMAME 384 (2021), arXiv:2012.10047, Eq. 3.2: Gaussian random Fourier features
  ``[cos(2 pi B x), sin(2 pi B x)]``, ``B ~ N(0, sigma^2)`` (``inrkit.encodings.gaussian_fourier``),
  followed by the same tanh MLP. [default] sigma 1 and m = 64 frequencies (methods.md: "FF-PINN-style
  sigma 1/10"); the encoding is fixed (not trained), as in the paper.

Both are smooth, so second input derivatives (PDE residuals) exist everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor, nn

from inrkit.encodings.gaussian_fourier import GaussianFourier, GaussianFourierConfig
from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import Tanh
from inrkit.nn.mlp import CoordinateMLP
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class PINNConfig(MLPFieldConfig):
    """tanh MLP (PINN baseline, sized as the MSA-PINN)."""

    in_features: int = 2
    out_features: int = 1
    hidden_features: int = 128


@dataclass(frozen=True)
class FFPINNConfig(PINNConfig):
    """Gaussian Fourier features + tanh MLP."""

    #: number m of random frequencies (encoding width 2 m).
    num_frequencies: int = 64
    #: standard deviation sigma of the frequency matrix B (per unit of the physical coordinate).
    sigma: float = 1.0
    #: seed of B.
    encoding_seed: int = 0


class _TanhField(Field):
    def __init__(self, cfg: PINNConfig, encoding: nn.Module | None):
        super().__init__()
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        self.encoding = encoding if encoding is not None else nn.Identity()
        width = encoding.out_features if encoding is not None else cfg.in_features
        self.net = CoordinateMLP(width, cfg.hidden_features, cfg.hidden_layers, cfg.out_features,
                                 first_activation=Tanh(), hidden_activation=Tanh, first_is_input=encoding is None)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(self.encoding(x))


@FIELDS.register("pinn", config=PINNConfig)
class PINN(_TanhField):
    """tanh MLP with Xavier-normal weights and zero biases (Raissi et al. 2019)."""

    def __init__(self, cfg: PINNConfig = PINNConfig()):
        super().__init__(cfg, None)


@FIELDS.register("ff_pinn", config=FFPINNConfig)
class FFPINN(_TanhField):
    """Fourier-feature PINN (Wang, Wang & Perdikaris 2021)."""

    def __init__(self, cfg: FFPINNConfig = FFPINNConfig()):
        enc = GaussianFourier(GaussianFourierConfig(cfg.in_features, cfg.num_frequencies, cfg.sigma,
                                                    cfg.encoding_seed, False))
        super().__init__(cfg, enc)
