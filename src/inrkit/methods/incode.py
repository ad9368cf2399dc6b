"""INCODE (Kazerouni et al., "INCODE: Implicit Neural Conditioning with Prior Knowledge Embeddings",
WACV 2024, arXiv:2310.18846; methods.md §9.8), from the paper and xmindflow/INCODE ``modules/incode.py``.

**Composer**: SIREN layers whose sine is shaped by harmoniser coefficients (a, b, c, d),

    h_{l+1} = e^a sin(e^b omega_l (W_l h_l + b_l) + c) + d,   y = W_out h_{L+1} + b_out,

SIREN init (first U(±1/n), hidden U(±sqrt(6/n)/omega_0)), read-out with the SIREN hidden bound.
One (a, b, c, d) serves every layer [paper, code]; ``per_layer=True`` gives each layer its own (the
4 (L+1) output of later INCODE scripts) [option].

**Harmoniser**: (a, b, c, d) = MLP(GAP(prior(ground truth))), the MLP ``f -> f -> 32 -> 4`` with SiLU,
trunc-normal(1e-3) weights and biases 0.3120 (``inrkit.nn.harmonizer``). Priors built here (none needs
downloaded weights):

* ``prior="resnet34"`` (images): the truncated ResNet-34 (up to ``layer1``, f = 64), randomly
  initialised and trained with the field **as in the official code** (it builds ``resnet34()``
  without pretrained weights; a pretrained prior is not available offline and is not the code's).
  The ground truth is the signal in its stored [0, 1] range, resized [default] to a fixed
  ``condition_size`` square (128: the x1/4-downscaled 512-px training images of the official code)
  so that saved weights load into a freshly built field; grey images are repeated to 3 channels.
* ``prior="mfcc"`` (audio): 50 MFCCs (fixed, no parameters) averaged over frames, f = 50.

Not built: the shape prior (a truncated R3D-18 on a 128^3 occupancy) and the inpainting 1-D CNN;
INCODE has no SDF/occupancy recipe here. The ground truth is bound with ``bind_signal`` (``build``
calls it); until then the condition is zeros. **Regulariser** (``regularization``):
``sum_i lambda_i ReLU(-coef_i)``, lambda = (0.1993, 0.0196, 0.0588, 0.0269) [code].
Defaults [code]: image omega_0 30/30, ``hidden_layers=3``, H 256, Adam 9e-4, exp-decay(0.1); audio
first omega_0 3000, lr 9e-5 (exp-decay 0.2 in the code; the audio protocol's constant lr is kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from inrkit.errors import InputError
from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import siren_init
from inrkit.nn.harmonizer import coefficient_mlp, mfcc, resnet34_front
from inrkit.recipes.protocol import Setting, register_method
from inrkit.registry import FIELDS


@dataclass(frozen=True)
class IncodeConfig(MLPFieldConfig):
    """INCODE (Kazerouni et al. 2024): SIREN composer 30/30 + ResNet-34-front harmoniser (image code)."""

    #: omega_0 of the first composer layer.
    first_omega_0: float = 30.0
    #: omega_0 of the hidden composer layers.
    hidden_omega_0: float = 30.0
    #: harmoniser prior: "resnet34" (images) or "mfcc" (audio).
    prior: Literal["resnet34", "mfcc"] = "resnet34"
    #: side of the square the image condition is resized to (resnet34 prior).
    condition_size: int = 128
    #: number of MFCCs (mfcc prior).
    n_mfcc: int = 50
    #: one (a, b, c, d) per composer layer (False: one shared by all layers, as in the paper).
    per_layer: bool = False
    #: bias of every harmoniser MLP Linear.
    mlp_bias: float = 0.3120
    #: lambda of the ReLU(-coef) regulariser for a, b, c, d.
    reg_weights: tuple[float, float, float, float] = (0.1993, 0.0196, 0.0588, 0.0269)


@FIELDS.register("incode", config=IncodeConfig, description="INCODE: SIREN composer + harmoniser")
class IncodeField(Field):
    """Composer + harmoniser (module docstring)."""

    def __init__(self, cfg: IncodeConfig = IncodeConfig()):
        super().__init__()
        self.cfg = cfg
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        h, n = cfg.hidden_features, cfg.hidden_layers + 1
        self.omegas = [float(cfg.first_omega_0)] + [float(cfg.hidden_omega_0)] * cfg.hidden_layers
        self.layers = nn.ModuleList(nn.Linear(cfg.in_features if i == 0 else h, h) for i in range(n))
        for i, (lin, omega) in enumerate(zip(self.layers, self.omegas, strict=True)):
            siren_init(lin, omega, first=i == 0)
        self.output = nn.Linear(h, cfg.out_features)
        siren_init(self.output, self.omegas[-1], first=False)
        if cfg.prior == "resnet34":
            self.prior = resnet34_front()
            width, shape = 64, (3, cfg.condition_size, cfg.condition_size)
        else:
            self.prior = nn.Identity()  # the MFCCs are computed once, in bind_signal
            width, shape = cfg.n_mfcc, (cfg.n_mfcc,)
        self.register_buffer("condition", torch.zeros(shape))
        self.harmonizer = coefficient_mlp((width, width, 32, 4 * (n if cfg.per_layer else 1)), cfg.mlp_bias)

    def bind_signal(self, signal) -> None:
        """Store the prior's input computed from the ground truth ``signal`` (a ``Signal``)."""
        values = torch.as_tensor(signal.values, dtype=torch.float32)
        if self.cfg.prior == "resnet34":
            if values.dim() != 3:
                raise InputError(f"INCODE's resnet34 prior needs an image, got a {signal.kind} signal")
            img = values.permute(2, 0, 1)[None]  # [1, C, H, W]
            img = img.repeat(1, 3, 1, 1) if img.shape[1] == 1 else img[:, :3]
            size = (self.cfg.condition_size,) * 2
            cond = F.interpolate(img, size=size, mode="bilinear", align_corners=False, antialias=True)[0]
        else:
            if values.dim() != 2:
                raise InputError(f"INCODE's mfcc prior needs audio, got a {signal.kind} signal")
            rate = float(signal.meta.get("sample_rate", 44_100))
            cond = mfcc(values.mean(-1), rate, n_mfcc=self.cfg.n_mfcc).mean(-1)
        with torch.no_grad():
            self.condition.copy_(cond.to(self.condition))

    def coefficients(self) -> Tensor:
        """(a, b, c, d) of every composer layer ``[L + 1, 4]`` (rows equal unless ``per_layer``)."""
        x = self.condition[None]
        if self.cfg.prior == "resnet34":
            x = self.prior(x).mean(dim=(-2, -1))  # global average pool -> [1, 64]
        coef = self.harmonizer(x)[0].view(-1, 4)
        return coef.expand(len(self.layers), 4)

    def compose(self, x: Tensor, coef: Tensor) -> Tensor:
        h = x
        for lin, omega, (a, b, c, d) in zip(self.layers, self.omegas, coef, strict=True):
            h = torch.exp(a) * torch.sin(torch.exp(b) * omega * lin(h) + c) + d
        return self.output(h)

    def _penalty(self, coef: Tensor) -> Tensor:
        rows = coef if self.cfg.per_layer else coef[:1]
        return (torch.relu(-rows) * rows.new_tensor(self.cfg.reg_weights)).sum()

    def forward(self, x: Tensor) -> Tensor:
        return self.compose(x, self.coefficients())

    def regularization(self, x: Tensor) -> dict[str, Tensor]:
        return {"coef_reg": self._penalty(self.coefficients())}

    def forward_and_regularization(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        coef = self.coefficients()
        return self.compose(x, coef), {"coef_reg": self._penalty(coef)}

    def parameter_counts(self) -> dict[str, int]:
        """Adds ``params_composer`` and ``params_harmonizer`` (prior + MLP) to the totals."""
        counts = super().parameter_counts()
        composer = [*self.layers.parameters(), *self.output.parameters()]
        counts["params_composer"] = sum(p.numel() for p in composer)
        counts["params_harmonizer"] = counts["params"] - counts["params_composer"]
        # the harmoniser's a, b, c, d are constants of the fitted field: 4 numbers (per layer with per_layer)
        counts["params_deployed"] = counts["params_composer"] + 4 * (len(self.layers) if self.cfg.per_layer else 1)
        return counts


register_method("incode", "INCODE", settings={
    "image": Setting("SIREN composer 30/30, ResNet-34-front harmoniser (random init, trained), lr 9e-4 [code]",
                     {"trainer.optim.lr": 9e-4}),
    "audio": Setting("first omega_0 3000, MFCC harmoniser, lr 9e-5 [code]; protocol schedule",
                     {"trainer.optim.lr": 9e-5, "field.first_omega_0": 3000.0, "field.prior": "mfcc"}),
})
