"""Image protocol ``image-sasnet-code``: what SASNet's released image script does (protocols.md §1.1 [code]).

``experiments/image_fitting/fit_image.py`` with ``configs/tiger_p.yaml`` differs from the paper text:
Adam betas (0.9, 0.99), eps 1e-8, lrs backbone / grid / decoder 1e-3 / 5e-3 / 5e-3, cosine to 1% of each
base lr (``cosine_to_1pct``), 10,000 full-batch steps, endpoint ``linspace`` grid in [-1, 1], FEmb period
2/0.95, omega_0 30, B 42, L 9, a 10-level grid of 2^10 entries from 8 to 128 with the finest level zeroed
(wisp ``lod_idx = L - 1``), targets in [-1, 1]. The script resizes the short side to 256; inrkit's
``signal.max_side`` bounds the longer side, so ``max_side=256`` is exact for the square DIV2K crops only.
SIREN and FINER run under the same optimiser (lr 1e-3, cosine to 1%) [default], omega_0 30.

Quick scale [default]: as ``image-sasnet`` (128 px, 1000 steps, ~27k parameters; SASNet's FEmb and grid
shrunk the same way, the code's B 42 / L 9 kept where they fit n = 128).
"""

from __future__ import annotations

from inrkit.encodings.hashgrid import HashGridConfig
from inrkit.fields.sasnet import SASNetConfig
from inrkit.nn.femb import FEmbConfig
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

CODE_SASNET = SASNetConfig(omega_0=30.0, femb=FEmbConfig(band_limit=42, low_range=9, period=2 / 0.95),
                           grid=HashGridConfig(min_resolution=8, max_resolution=128, zero_finest_level=True))

register_protocol(Protocol(
    name="image-sasnet-code", family="image", task=FittingConfig(coord_convention="endpoint"),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=1e-3, betas=(0.9, 0.99)),
                          schedule=ScheduleConfig("cosine_to_1pct"), eval_every=1000, checkpoint_every=2000),
    description="image fitting, SASNet released-code protocol (lr 1e-3, betas 0.9/0.99, cosine to 1%, 10k steps)",
    reference="protocols.md §1.1 [code] (Fengyee/SASNet_inr experiments/image_fitting/fit_image.py, tiger_p.yaml)",
    signal={"max_side": 256},
    scales={"quick": {"signal.max_side": 128, "trainer.steps": 1000, "trainer.eval_every": 50,
                      "trainer.checkpoint_every": 500}},
    sizes={"paper": {"field.hidden_layers": 2, "field.hidden_features": 256}, "quick": {"field.hidden_features": 115}},
    tags=("code",),
))

add_settings("sasnet", {"image-sasnet-code": Setting(
    "SASNet omega_0 30, B 42, L 9, P 2/0.95, grid 8 -> 128 (finest zeroed), lrs 1e-3 / 5e-3 / 5e-3",
    {"trainer.optim.group_lr": {"grid": 5e-3, "decoder": 5e-3}}, field=CODE_SASNET,
    quick={"field.femb.features": 128, "field.hidden_features": 96, "field.femb.band_limit": 30,
           "field.femb.low_range": 6, "field.grid.n_levels": 8, "field.grid.bitwidth": 8})})
for _method in ("siren", "finer"):
    add_settings(_method, {"image-sasnet-code": Setting(f"{_method} omega_0 30, lr 1e-3 cosine to 1% [default]")})
