"""SASNet image recipes and the baselines under the SASNet image protocol (protocols.md §1.1).

Paper preset (SASNet Table 1): full batch, 5000 steps, Adam with fixed learning rates — SASNet
backbone 1e-4, hash grid and mask decoder 5e-4; SIREN and FINER omega_0 43, lr 1e-4; WIRE omega 20,
sigma 30, lr 5e-4; baselines sized near SASNet's parameter count (``hidden_layers=2``, H = 256).
Baselines the paper's Table 1 does not list (Gauss, PE-MLP, ReLU MLP) use the FINER-trainer learning
rates, fixed [default]. FFN: 256 Gaussian frequencies (sigma 10), 3 linear maps of width 256
(``hidden_layers=1``) [default reading of "3 x 256 ReLU"].

Coordinates: pixel-centre grid on [-1, 1] for every model [default]; with it the FEmb period P = 2 is
exact (methods.md §8.2), whereas the FINER endpoint grid would need P = 2N/(N - 1).

Quick preset [default]: images downsampled to 128 px, 1000 steps, every model shrunk to about 27k
trainable parameters (SASNet: n = 128, H = 96, B = 30, L = 6, an 8-level grid of 2^8 entries, 8 -> 128;
SIREN/FINER/Gauss/ReLU/WIRE H = 115), so the comparison stays at matched size and under the 0.5x
parameters-per-value ratio where the official notes say masks help.
"""

from __future__ import annotations

from inrkit.encodings.gaussian_fourier import GaussianFourierConfig
from inrkit.fields.ffn import FFNConfig
from inrkit.fields.finer import FinerConfig
from inrkit.fields.gauss import GaussConfig
from inrkit.fields.pe_mlp import PEMLPConfig
from inrkit.fields.relu_mlp import ReluMLPConfig
from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.nn.activations import FinerConfig as FinerActivation
from inrkit.nn.activations import GaborConfig, SineConfig
from inrkit.nn.activations import GaussConfig as GaussActivation
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

QUICK_COMMON = {"signal.max_side": 128, "trainer.steps": 1000, "trainer.eval_every": 250,
                "trainer.checkpoint_every": 500}
QUICK_SASNET = {**QUICK_COMMON, "field.femb_features": 128, "field.hidden_features": 96, "field.band_limit": 30,
                "field.low_range": 6, "field.grid_levels": 8, "field.grid_bitwidth": 8,
                "field.grid_min_resolution": 8, "field.grid_max_resolution": 128}
#: matched to SASNet quick (SIREN/FINER/Gauss/ReLU 27,373 and WIRE 27,303 vs SASNet 27,353 parameters)
QUICK_MLP = {**QUICK_COMMON, "field.hidden_features": 115}

REFERENCE = "protocols.md §1.1 (SASNet Table 1 protocol), methods.md §8"


def fixed_lr(lr: float, **group_lr: float) -> TrainerConfig:
    return TrainerConfig(steps=5000, optim=OptimConfig(lr=lr, group_lr=group_lr), eval_every=500,
                         checkpoint_every=1000)


register_recipe(Recipe(
    name="sasnet-image", field=SASNET_PRESETS["image"], task=FittingConfig(),
    trainer=fixed_lr(1e-4, grid=5e-4, decoder=5e-4), kind="image",
    description="image fitting: SASNet paper image config (n 256, H 232, omega_0 43, B 60, L 12, K 4, G 8)",
    reference=REFERENCE, quick=QUICK_SASNET))

_BASELINES = [
    ("siren", SirenConfig(hidden_layers=2, first_activation=SineConfig(43.0), activation=SineConfig(43.0)), FittingConfig(), 1e-4,
     QUICK_MLP, "SIREN omega_0 43, 2x256, lr 1e-4 fixed"),
    ("finer", FinerConfig(hidden_layers=2, first_activation=FinerActivation(43.0), activation=FinerActivation(43.0)), FittingConfig(), 1e-4,
     QUICK_MLP, "FINER omega_0 43, default first bias, lr 1e-4 fixed"),
    ("wire", WireConfig(hidden_layers=2, activation=GaborConfig(20.0, 30.0)), FittingConfig(), 5e-4,
     QUICK_MLP, "WIRE omega 20 sigma 30, lr 5e-4 fixed"),
    ("ffn", FFNConfig(hidden_layers=1, encoding=GaussianFourierConfig(num_frequencies=256, sigma=10.0)), FittingConfig(target_range=(0.0, 1.0)),
     1e-3, {**QUICK_COMMON, "field.hidden_features": 128, "field.encoding.num_frequencies": 64},
     "FFN 256 freq, 3x256 ReLU, sigmoid out, lr 1e-3 fixed"),
    ("gauss", GaussConfig(hidden_layers=2, activation=GaussActivation(30.0)), FittingConfig(), 5e-3, QUICK_MLP,
     "Gauss s 30, 2x256, lr 5e-3 fixed"),
    ("pe_mlp", PEMLPConfig(hidden_layers=2), FittingConfig(target_range=(0.0, 1.0)), 1e-3,
     {**QUICK_COMMON, "field.hidden_features": 150, "field.hidden_layers": 1}, "PE-MLP F 10, lr 1e-3 fixed"),
    ("relu_mlp", ReluMLPConfig(hidden_layers=2), FittingConfig(), 1e-3, QUICK_MLP, "ReLU MLP 2x256, lr 1e-3"),
]

for _name, _field, _task, _lr, _quick, _desc in _BASELINES:
    register_recipe(Recipe(
        name=f"{_name}-image-sasnet", field=_field, task=_task, trainer=fixed_lr(_lr), kind="image",
        description=f"image fitting, SASNet protocol: {_desc}", reference=REFERENCE, quick=_quick))
