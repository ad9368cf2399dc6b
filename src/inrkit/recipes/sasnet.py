"""Image protocol ``image-sasnet``: SASNet Table 1 (protocols.md §1.1), with SASNet and the baselines.

Paper scale (SASNet Table 1): full batch, 5000 steps, Adam with fixed learning rates — SASNet
backbone 1e-4, hash grid and mask decoder 5e-4; SIREN and FINER omega_0 43, lr 1e-4; WIRE omega 20,
sigma 30, lr 5e-4; baselines sized near SASNet's parameter count (``hidden_layers=2``, H = 256).
Baselines the paper's Table 1 does not list (Gauss, PE-MLP, ReLU MLP) use the FINER-trainer learning
rates, fixed [default]. FFN: 256 Gaussian frequencies (sigma 10), 3 linear maps of width 256
(``hidden_layers=1``) [default reading of "3 x 256 ReLU"].

Coordinates: pixel-centre grid on [-1, 1] for every model [default]; with it the FEmb period P = 2 is
exact (methods.md §8.2), whereas the FINER endpoint grid would need P = 2N/(N - 1).

Quick scale [default]: images downsampled to 128 px, 1000 steps, every model shrunk to about 27k
trainable parameters (SASNet: n = 128, H = 96, B = 30, L = 6, an 8-level grid of 2^8 entries, 8 -> 128;
SIREN/FINER/Gauss/ReLU/WIRE H = 115: 27,373 and WIRE 27,303 against SASNet's 27,353), so the
comparison stays at matched size and under the 0.5x parameters-per-value ratio where the official
notes say masks help.

Medium scale [default]: the paper's pixels per parameter and step count at 192^2 — 5000 full-batch steps,
every model at about 18.1k trainable parameters (512^2 / 128,865 = 192^2 / 18,122; MLPs H = 93: 18,045,
WIRE 93 -> 65 complex: 17,751, PE-MLP 1 x 113, FFN H 84 with 64 frequencies; SASNet n 128, H 64, B 30, L 6, an
8-level 2^8 grid 8 -> 128: 17,977), under the paper's fixed learning rates.
"""

from __future__ import annotations

from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.recipes.image import UNIT_TARGETS, lr
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

#: SASNet's quick-scale field (about 27k trainable parameters; the module docstring).
QUICK_SASNET = {"field.femb.features": 128, "field.hidden_features": 96, "field.femb.band_limit": 30,
                "field.femb.low_range": 6, "field.grid.n_levels": 8, "field.grid.bitwidth": 8,
                "field.grid.min_resolution": 8, "field.grid.max_resolution": 128}
OMEGA_43 = {"field.first_activation.omega_0": 43.0, "field.activation.omega_0": 43.0, "trainer.optim.lr": 1e-4}

register_protocol(Protocol(
    name="image-sasnet", family="image", task=FittingConfig(),
    trainer=TrainerConfig(steps=5000, optim=OptimConfig(lr=1e-4), eval_every=500, checkpoint_every=1000),
    description="image fitting, SASNet protocol (fixed lr, 5000 full-batch steps)",
    reference="protocols.md §1.1 (SASNet Table 1 protocol), methods.md §8",
    scales={"quick": {"signal.max_side": 128, "trainer.steps": 1000, "trainer.eval_every": 250,
                      "trainer.checkpoint_every": 500},
            "medium": {"signal.max_side": 192, "trainer.eval_every": 250, "trainer.checkpoint_every": 1000}},
    sizes={"paper": {"field.hidden_layers": 2, "field.hidden_features": 256}, "quick": {"field.hidden_features": 115},
           "medium": {"field.hidden_features": 93}},
    home=("sasnet",), tags=("paper",),
))

_SETTINGS = {
    "sasnet": Setting(
        "SASNet paper image config (n 256, H 232, omega_0 43, B 60, L 12, K 4, G 8), lrs 1e-4 / 5e-4",
        {"trainer.optim.group_lr": {"grid": 5e-4, "decoder": 5e-4}}, field=SASNET_PRESETS["image"],
        quick=QUICK_SASNET,
        medium={"field.femb.features": 128, "field.hidden_features": 64, "field.femb.band_limit": 30,
                "field.femb.low_range": 6, "field.grid.n_levels": 8, "field.grid.bitwidth": 8,
                "field.grid.min_resolution": 8, "field.grid.max_resolution": 128}),
    "siren": Setting("SIREN omega_0 43, 2x256, lr 1e-4 fixed", OMEGA_43),
    "finer": Setting("FINER omega_0 43, default first bias, lr 1e-4 fixed", OMEGA_43),
    "wire": Setting("WIRE omega 20 sigma 30, lr 5e-4 fixed",
                    {"field.activation.sigma_0": 30.0, "trainer.optim.lr": 5e-4}),
    "ffn": Setting("FFN 256 freq, 3x256 ReLU, sigmoid out, lr 1e-3 fixed",
                   {"field.hidden_layers": 1, "trainer.optim.lr": 1e-3, **UNIT_TARGETS},
                   quick={"field.hidden_features": 128, "field.encoding.num_frequencies": 64},
                   medium={"field.hidden_features": 84, "field.encoding.num_frequencies": 64}),
    "gauss": lr(5e-3, "Gauss s 30, 2x256, lr 5e-3 fixed"),
    "pe_mlp": Setting("PE-MLP F 10, lr 1e-3 fixed", {"trainer.optim.lr": 1e-3, **UNIT_TARGETS},
                      quick={"field.hidden_features": 150, "field.hidden_layers": 1},
                      medium={"field.hidden_features": 113, "field.hidden_layers": 1}),
    "relu_mlp": lr(1e-3, "ReLU MLP 2x256, lr 1e-3"),
}
for _method, _setting in _SETTINGS.items():
    add_settings(_method, {"image-sasnet": _setting})

# inrkit's default image protocol (``sasnet-image``, the FINER trainer every image method shares): the paper's
# structure and learning rates, widened to that protocol's budget (SIREN 3 x 256 = 198,915 parameters; quick
# 3 x 128 = 50,307): H 312 -> 198,435 [default]; quick H 152 -> 48,689 with this module's quick FEmb and grid.
add_settings("sasnet", {"image": Setting(
    "SASNet paper config widened to H 312 (quick H 152) for the protocol's parameter budget, lrs 1e-4 / 5e-4",
    {"trainer.optim.lr": 1e-4, "trainer.optim.group_lr": {"grid": 5e-4, "decoder": 5e-4},
     "field.hidden_features": 312},
    field=SASNET_PRESETS["image"], quick={**QUICK_SASNET, "field.hidden_features": 152})})
