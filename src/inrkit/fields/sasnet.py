"""SASNet: spatially-adaptive sinusoidal network.

SASNet paper (arXiv:2503.09750) with the official code Fengyee/SASNet_inr as reference for what the
paper leaves open (methods.md §8). Forward (§8.1):

    m        = sigmoid(Lin2(relu(Lin1(hashgrid(x)))))          masks in [0, 1], one per neuron group
    h^1      = sin(W_emb x + b_emb)                             FEmb: W_emb = 2 pi k / P frozen, no omega_0
    h^1     *= mask per high band (the low group is unmasked)   layer "h1"
    h^{i+1}  = sin(omega_0 (W_i h^i + b_i)) * group masks        layers "h2", "h3", ...
    y        = W_out h + b_out

Masks multiply activations *after* the sine and are functions of the raw coordinates only.
Choices where the sources are silent ([default], recorded in the config):

* ``sparsity_weight`` lambda = 0 (no released code implements the term): the loss adds
  ``lambda * mean(masks)`` over the batch and the masked columns, unweighted by group size (§8.6).
* ``use_femb=False`` (Table 4 ablation) replaces the FEmb by a SIREN first layer with ``omega_0``
  and splits it into ``n_high_bands`` equal contiguous groups (§8.5).
* ``mask_input_grad=True``: input gradients flow through the mask path (packaged model).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import torch
from torch import Tensor, nn

from inrkit.config import spec
from inrkit.encodings.hashgrid import HashGridConfig
from inrkit.fields.base import Field, MLPFieldConfig
from inrkit.nn.activations import Sine, SineConfig, siren_init
from inrkit.nn.femb import FEmbConfig, FrequencyEmbedding
from inrkit.registry import ENCODINGS, FIELDS
from inrkit.validate import check


@dataclass(frozen=True)
class SASNetConfig(MLPFieldConfig):
    """SASNet; defaults are the paper's image configuration (methods.md §8.8).

    ``hidden_features`` is the width H of the SIREN hidden layers and ``hidden_layers`` their number
    after the FEmb (which plays the role of the first layer).
    """

    hidden_features: int = 232
    hidden_layers: int = 2
    #: the frozen frequency embedding (FEmb): width n, band limit B, low range L, bands K, period P, seed.
    femb: FEmbConfig = field(default_factory=FEmbConfig)
    #: omega_0 of the hidden layers (and the output init).
    omega_0: float = 43.0
    #: use the frozen frequency embedding (False: SIREN first layer, Table 4 ablation).
    use_femb: bool = True
    #: masked layers: 1 = FEmb output (h1), 2.. = hidden layers (h2, h3, ...); None = all of them.
    masked_layers: tuple[int, ...] | None = None
    #: neuron groups per masked hidden layer G (H must be divisible by G).
    hidden_groups: int = 8
    #: the mask features' encoding ({"type": "hashgrid", ...}; package defaults: 10 levels, F 2, bitwidth 10,
    #: 16 -> 256, N(0, 0.01^2) init; ``zero_finest_level`` for bit-parity with the packaged code).
    grid: Any = spec("encodings", default_factory=HashGridConfig)
    #: width of the mask decoder's hidden layer.
    decoder_hidden: int = 48
    #: weight lambda of the mask L1 sparsity term (0 as in every released result).
    sparsity_weight: float = 0.0
    #: let input gradients flow through the masks (False: masks act as constants in d/dx).
    mask_input_grad: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        check(self, "field", hidden_groups=">=1", decoder_hidden=">=1", sparsity_weight=">=0",
              masked_layers=">=0")
        grid = self.grid
        if grid is not None and getattr(grid, "in_features", self.in_features) != self.in_features:
            object.__setattr__(self, "grid", replace(grid, in_features=self.in_features))


@FIELDS.register("sasnet", config=SASNetConfig)
class SASNet(Field):
    """SASNet (2025): FEmb + SIREN hidden layers gated by hash-grid spatial masks."""

    def __init__(self, cfg: SASNetConfig = SASNetConfig()):
        super().__init__()
        self.cfg = cfg
        self.in_features, self.out_features = cfg.in_features, cfg.out_features
        fe = cfg.femb
        n, h = fe.features, cfg.hidden_features
        masked = tuple(range(1, cfg.hidden_layers + 2)) if cfg.masked_layers is None else cfg.masked_layers
        bad = [i for i in masked if not 1 <= i <= cfg.hidden_layers + 1]
        if bad:
            raise ValueError(f"masked_layers {bad} out of range 1..{cfg.hidden_layers + 1}")
        if any(i >= 2 for i in masked) and h % cfg.hidden_groups:
            raise ValueError(f"hidden_features {h} is not divisible by hidden_groups {cfg.hidden_groups}")
        if cfg.use_femb:
            self.first = FrequencyEmbedding(cfg.in_features, n, fe.band_limit, fe.low_range, fe.low_fraction,
                                            fe.n_high_bands, fe.period, fe.seed)
            sizes = self.first.group_sizes
            group_of = [0] * sizes[0] + [b + 1 for b, s in enumerate(sizes[1:]) for _ in range(s)]
        else:
            self.first = nn.Linear(cfg.in_features, n)
            siren_init(self.first, cfg.omega_0, first=True)
            if n % fe.n_high_bands:
                raise ValueError(f"femb.features {n} not divisible by femb.n_high_bands {fe.n_high_bands}")
            group_of = [1 + i // (n // fe.n_high_bands) for i in range(n)]  # every group masked
        self.register_buffer("first_group", torch.tensor(group_of, dtype=torch.long), persistent=False)
        self.hidden = nn.ModuleList()
        width = n
        for _ in range(cfg.hidden_layers):
            lin = nn.Linear(width, h)
            siren_init(lin, cfg.omega_0, first=False)
            self.hidden.append(lin)
            width = h
        self.output = nn.Linear(width, cfg.out_features)
        siren_init(self.output, cfg.omega_0, first=False)
        self.act = Sine(SineConfig(cfg.omega_0))

        # mask columns: input bands first (if h1 is masked), then each masked hidden layer in order
        self.mask_split: dict[int, tuple[int, int]] = {}
        m = 0
        if 1 in masked:
            self.mask_split[1] = (m, m + fe.n_high_bands)
            m += fe.n_high_bands
        for i in sorted(x for x in masked if x >= 2):
            self.mask_split[i] = (m, m + cfg.hidden_groups)
            m += cfg.hidden_groups
        self.n_masks = m
        if m:
            self.grid = ENCODINGS.create(cfg.grid)
            self.decoder = nn.Sequential(nn.Linear(self.grid.out_features, cfg.decoder_hidden), nn.ReLU(),
                                         nn.Linear(cfg.decoder_hidden, m))

    # -- masks ------------------------------------------------------------------------------------
    def mask_logits_input(self, x: Tensor) -> Tensor:
        return x if self.cfg.mask_input_grad else x.detach()

    def all_masks(self, x: Tensor) -> Tensor | None:
        """Every mask column ``[*batch, M]`` in [0, 1] (None when no layer is masked)."""
        if not self.n_masks:
            return None
        return torch.sigmoid(self.decoder(self.grid(self.mask_logits_input(x))))

    def masks(self, x: Tensor) -> dict[str, Tensor]:
        """Masks per layer for analysis: ``{"h1": [*batch, K], "h2": [*batch, G], ...}``."""
        m = self.all_masks(x)
        if m is None:
            return {}
        return {f"h{i}": m[..., a:b] for i, (a, b) in self.mask_split.items()}

    def _gate_first(self, h: Tensor, m: Tensor) -> Tensor:
        a, b = self.mask_split[1]
        ones = torch.ones_like(m[..., :1])
        per_group = torch.cat([ones, m[..., a:b]], dim=-1)  # [*B, 1 + K]; column 0 = unmasked low group
        return h * per_group.index_select(-1, self.first_group)

    def _gate_hidden(self, h: Tensor, m: Tensor, layer: int) -> Tensor:
        a, b = self.mask_split[layer]
        g = b - a
        return (h.unflatten(-1, (g, h.shape[-1] // g)) * m[..., a:b, None]).flatten(-2)

    # -- forward ----------------------------------------------------------------------------------
    def forward_and_regularization(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        m = self.all_masks(x)
        h = self.first(x) if self.cfg.use_femb else self.act(self.first(x))
        if 1 in self.mask_split:
            h = self._gate_first(h, m)
        for i, lin in enumerate(self.hidden, start=2):
            h = self.act(lin(h))
            if i in self.mask_split:
                h = self._gate_hidden(h, m, i)
        y = self.output(h)
        reg = {}
        if self.cfg.sparsity_weight > 0 and m is not None:
            reg["mask_l1"] = self.cfg.sparsity_weight * m.mean()
        return y, reg

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_and_regularization(x)[0]

    def regularization(self, x: Tensor) -> dict[str, Tensor]:
        return self.forward_and_regularization(x)[1]

    def param_groups(self) -> dict[str, list[nn.Parameter]]:
        """backbone (FEmb bias, hidden, output), grid, decoder (methods.md §8.7)."""
        groups = {"backbone": [p for n, p in self.named_parameters()
                               if p.requires_grad and not n.startswith(("grid.", "decoder."))]}
        if self.n_masks:
            groups["grid"] = list(self.grid.parameters())
            groups["decoder"] = list(self.decoder.parameters())
        return groups


#: The paper's configurations (methods.md §8.8; hidden width 192 for volumes from the exact count).
SASNET_PRESETS = {
    "image": SASNetConfig(),
    # [inferred] the grid that reproduces the paper's printed 128,865 parameters exactly: 10 levels from
    # R_min 4 to R_max 52 with 2^12-entry tables, every level dense (4^2 .. 51^2 <= 4096 vertices). The paper
    # gives neither resolution; the package's 16 -> 256 / 2^10 grid gives 134,035 (methods.md §8.9).
    "image-paper-count": SASNetConfig(grid=HashGridConfig(bitwidth=12, min_resolution=4, max_resolution=52)),
    "volume": SASNetConfig(in_features=3, out_features=1, hidden_features=192, omega_0=30.0,
                           femb=FEmbConfig(band_limit=30, low_range=6),
                           grid=HashGridConfig(in_features=3, n_levels=12, bitwidth=11)),
    "sdf": SASNetConfig(in_features=3, out_features=1, hidden_features=224, omega_0=30.0,
                        femb=FEmbConfig(band_limit=30, low_range=6)),
    "sdf-lucy": SASNetConfig(in_features=3, out_features=1, hidden_features=224, omega_0=30.0,
                             femb=FEmbConfig(band_limit=40, low_range=6)),
}
