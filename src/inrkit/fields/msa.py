"""MSA network: an MLP whose every nonlinear block uses the multi-scale sine activation.

Paper: "MSA: Multi-scale Sine Activation" (code JufengHan/MSA-INR ``models/msa.py``, PyPI
``msa-inr``; methods.md §6). Forward (§6.2):

    h_1 = MSA_1(W_1 x + b_1),   h_i = MSA_i(W_i h_{i-1} + b_i)  (i = 2 .. N),   y = W_out h_N + b_out

with ``MSA_i(z)_c = sin(omega_{i,c} z_c) / omega_{i,c}`` and block ``i``'s own ``(s_min[i], s_max[i])``
(``inrkit.nn.msa``). No encoding and no omega_0. Layer counting (``inrkit.nn.mlp``): N blocks =
``hidden_layers + 1``, so the paper's "4 hidden layers x 256" is ``hidden_layers=3``,
``hidden_features=256`` (5 linear maps; 198,145 parameters for 1 -> 1). PyTorch default init for
every Linear; everything trainable; the frequencies are not parameters.

``dtype="float64"`` converts the parameters after construction (methods.md §6.5: with omega up to
1e5 the float32 phase error is ~6e-3 rad); the task must then feed float64 coordinates
(``function1d`` has ``dtype``). The repo builds two blocks when asked for one; inrkit follows PyPI
0.1.2 and builds exactly ``hidden_layers + 1`` (§6.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from torch import Tensor

from inrkit.errors import InputError
from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.dtype import torch_dtype
from inrkit.nn.mlp import CoordinateMLP
from inrkit.nn.msa import MSA, MSAConfig, Spacing
from inrkit.registry import FIELDS
from inrkit.validate import check


@dataclass(frozen=True)
class MSAFieldConfig(MLPFieldConfig):
    """MSA network (official code defaults: s from 1 to 5 in every block)."""

    #: per-block base-10 exponent of the lowest frequency (one value: every block).
    s_min: tuple[float, ...] | float = (1.0,)
    #: per-block base-10 exponent of the highest frequency (one value: every block).
    s_max: tuple[float, ...] | float = (5.0,)
    #: frequency ladder of every block: "log" (paper), "linear" or "uniform_random".
    spacing: Spacing = "log"
    #: 1/omega amplitude factor (False: the MSA-NoAM ablation).
    amplitude_modulation: bool = True
    #: seed of the "uniform_random" ladders (block i uses seed + i).
    spacing_seed: int = 0
    #: parameter dtype ("float64" for 1-D and PINN runs near 1e-13 error).
    dtype: Literal["float32", "float64"] = "float32"

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            for name in ("s_min", "s_max"):
                per_block(getattr(self, name), self.hidden_layers + 1, f"field.{name}")
        except ValueError as e:
            raise InputError(str(e)) from None
        check(self, "field", s_min="finite", s_max="finite")


def per_block(values: tuple[float, ...] | float, blocks: int, name: str) -> tuple[float, ...]:
    """Broadcast a single value to every block; otherwise require exactly one value per block."""
    vals = (float(values),) if isinstance(values, (int, float)) else tuple(float(v) for v in values)
    if len(vals) == 1:
        return vals * blocks
    if len(vals) != blocks:
        raise ValueError(f"{name} has {len(vals)} values for {blocks} MSA blocks (hidden_layers + 1); "
                         "give one value or one per block")
    return vals


def block_configs(cfg: MSAFieldConfig) -> list[MSAConfig]:
    """The activation config of each block."""
    n = cfg.hidden_layers + 1
    lo, hi = per_block(cfg.s_min, n, "s_min"), per_block(cfg.s_max, n, "s_max")
    return [MSAConfig(cfg.hidden_features, lo[i], hi[i], cfg.spacing, cfg.amplitude_modulation, cfg.spacing_seed + i)
            for i in range(n)]


@FIELDS.register("msa", config=MSAFieldConfig)
class MSANet(Field):
    """MSA (multi-scale sine activation) MLP with per-block frequency ranges."""

    def __init__(self, cfg: MSAFieldConfig = MSAFieldConfig()):
        super().__init__()
        dtype = torch_dtype(cfg.dtype)
        self.cfg = cfg
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        blocks = block_configs(cfg)
        rest = iter(blocks[1:])
        self.net = CoordinateMLP(
            cfg.in_features, cfg.hidden_features, cfg.hidden_layers, cfg.out_features,
            first_activation=MSA(blocks[0]), hidden_activation=lambda: MSA(next(rest)),
        )
        self.to(dtype)

    def frequencies(self) -> list[Tensor]:
        """The float64 frequency ladder ``[H]`` of every block, first to last."""
        return [layer.activation.frequencies() for layer in self.net.layers]

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


#: Configurations of methods.md §6.4 (in/out are filled in from the signal at fit time).
MSA_PRESETS = {
    # 1-D y4 (paper): 4 blocks x 256, the commented-out per-curve s lists, float64
    "1d": MSAFieldConfig(in_features=1, out_features=1, hidden_features=256, hidden_layers=3,
                         s_min=(1.0, 1.0, 1.0, 0.0), s_max=(5.5, 5.5, 5.5, 0.8), dtype="float64"),
    # Kodak (paper): 4 blocks x 400 with the code's camera s lists
    "image": MSAFieldConfig(in_features=2, out_features=3, hidden_features=400, hidden_layers=3,
                            s_min=(1.2, 1.2, 1.2, 0.0), s_max=(4.0, 4.0, 4.0, 0.8)),
    # scikit-image camera (code): 4 blocks x 256, same s lists
    "image-code": MSAFieldConfig(in_features=2, out_features=1, hidden_features=256, hidden_layers=3,
                                 s_min=(1.2, 1.2, 1.2, 0.0), s_max=(4.0, 4.0, 4.0, 0.8)),
    # Big Buck Bunny: 3 blocks x 400, code default s (1 -> 5)
    "video": MSAFieldConfig(in_features=3, out_features=3, hidden_features=400, hidden_layers=2),
    # "3D shape" = occupancy in code: 3 blocks x 256, default s
    "occupancy": MSAFieldConfig(in_features=3, out_features=1, hidden_features=256, hidden_layers=2),
    # SDF [default]: as occupancy
    "sdf": MSAFieldConfig(in_features=3, out_features=1, hidden_features=256, hidden_layers=2),
    # PINNs [default; no PDE code released]: 4 blocks x 128, s 0 -> 2 per block
    "pde": MSAFieldConfig(in_features=2, out_features=1, hidden_features=128, hidden_layers=3,
                          s_min=(0.0,), s_max=(2.0,)),
}
