"""Instant-NGP hash-grid ReLU MLP (Müller et al., "Instant Neural Graphics Primitives with a
Multiresolution Hash Encoding", SIGGRAPH 2022, arXiv:2201.05989; methods.md §9.6):

    y = W_3 relu(W_2 relu(W_1 h(x))),   h(x) = concat_l interp_l(x)   (Eq. 1-4: levels coarse -> fine)

``h`` is the ``hashgrid`` encoding in the tiny-cuda-nn convention (``convention="instant_ngp"``: inputs
mapped to [0, 1], ``s_l = N_min b^l - 1``, +0.5 offset, tables of ``min(next8(R^d), T)`` rows, features
U(±1e-4)); L = 16 levels, F = 2, N_min = 16. The MLP is tiny-cuda-nn's FullyFusedMLP "2 hidden layers x 64"
(``hidden_layers=1``: encoding -> 64 -> 64 -> out, 3 weight matrices) with **no biases** and Xavier-uniform
weights [code, tiny-cuda-nn ``fully_fused_mlp.cu``]; a linear read-out. Parameters count the used weights
(tiny-cuda-nn pads its output matrix to 16 rows; the padding is not counted) and every table row.

Optimisation [paper]: Adam β = (0.9, 0.99), ε = 1e-15, L2 1e-6 on the MLP weights only (``param_groups``:
"main" = MLP, "grid" = table, ``trainer.optim.group_weight_decay.grid = 0``). Per task [code]:

- image (instant-ngp ``configs/image/base.json``): T = 2^24, lr 1e-2, N_max = half the longer image side
  (the testbed's rule) — [default] 256 at paper scale (512 px images; Kodak would give 384), 96 at quick
  scale (192 px). Every level is then dense. The protocol's schedule replaces the config's decay (which
  starts at step 20,000) and its loss (L2) is the protocol's MSE.
- SDF (``configs/sdf/base.json``): T = 2^19, lr 1e-4, N_max = 2048 (the testbed's SDF default), grid over
  the SDF domain [-0.5, 0.5]^3; the protocol's BACON loss replaces the config's MAPE loss. Quick scale
  [default]: T = 2^10 (about the protocol's quick MLP budget), lr 5e-4.

``hashgrid.backend="tcnn"`` evaluates the grid with tiny-cuda-nn where it is installed (same parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from torch import nn

from inrkit.config import spec
from inrkit.encodings.hashgrid import HashGridConfig
from inrkit.fields.mlp import MLPConfig, MLPField
from inrkit.fields.relu_mlp import relu
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import FIELDS


def ngp_grid(bitwidth: int = 24, max_resolution: int = 256, **kw: Any) -> HashGridConfig:
    """The Instant-NGP grid: 16 levels, F 2, N_min 16, tiny-cuda-nn convention."""
    return HashGridConfig(n_levels=16, feature_dim=2, bitwidth=bitwidth, min_resolution=16,
                          max_resolution=max_resolution, convention="instant_ngp", init_bound=1e-4, **kw)


@dataclass(frozen=True)
class NGPConfig(MLPConfig):
    """Instant-NGP: hash grid (L 16, F 2, T 2^24, N_min 16, N_max 256) + 2 x 64 ReLU MLP without biases."""

    hidden_features: int = 64
    hidden_layers: int = 1
    activation: Any = relu()
    encoding: Any = spec("encodings", default_factory=ngp_grid)
    #: Linear layers with biases (tiny-cuda-nn's FullyFusedMLP has none).
    bias: bool = False


@FIELDS.register("ngp", config=NGPConfig, description=NGPConfig.__doc__.splitlines()[0])
class NGPField(MLPField):
    """Hash grid -> ReLU MLP with Xavier-uniform weights and optionally no biases (module docstring)."""

    def __init__(self, cfg: NGPConfig = NGPConfig()):
        super().__init__(cfg)
        for linear in [layer.linear for layer in self.net.layers] + [self.net.output]:
            nn.init.xavier_uniform_(linear.weight)
            if not cfg.bias:
                linear.register_parameter("bias", None)

    def param_groups(self) -> dict[str, list[nn.Parameter]]:
        """"main" (MLP weights, weight decay applies) and "grid" (the table, none in the paper)."""
        grid = list(self.encoding.parameters())
        ids = {id(p) for p in grid}
        return {"main": [p for p in self.parameters() if p.requires_grad and id(p) not in ids], "grid": grid}


ADAM = {"trainer.optim.betas": (0.9, 0.99), "trainer.optim.eps": 1e-15, "trainer.optim.weight_decay": 1e-6,
        "trainer.optim.group_weight_decay": {"grid": 0.0}}
_SDF = {"field.encoding": ngp_grid(19, 2048, coord_range=(-0.5, 0.5))}
register_method("ngp", "Instant-NGP", sized=False, settings={
    "image": Setting("Instant-NGP image config: L 16, F 2, N_min 16, 2 x 64 ReLU, Adam 1e-2 (0.9, 0.99, 1e-15), "
                     "L2 1e-6 on the MLP [code]; sized to the protocol's budget [sized]: T 2^14, N_max 192 "
                     "(quick T 2^11, N_max 96 = side / 2)",
                     {"trainer.optim.lr": 1e-2, **ADAM, "field.encoding.bitwidth": 14,
                      "field.encoding.max_resolution": 192},
                     quick={"field.encoding.max_resolution": 96, "field.encoding.bitwidth": 11}),
    "shape": Setting("Instant-NGP SDF config: L 16, F 2, N_min 16, N_max 2048 over [-0.5, 0.5]^3, 2 x 64 "
                     "ReLU, plain Adam 1e-4 [code]; sized [sized]: T 2^12 (quick T 2^10, 14 levels)",
                     {"trainer.optim.lr": 1e-4, "trainer.optim.amsgrad": False, **ADAM, **_SDF,
                      "field.encoding.bitwidth": 12},
                     quick={"trainer.optim.lr": 5e-4, "trainer.schedule.lr_min": 5e-4, "field.hidden_features": 64,
                            "field.encoding.bitwidth": 10, "field.encoding.n_levels": 14}),
})
