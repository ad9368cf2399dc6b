"""Baseline image-fitting recipes: the FINER image trainer protocol (protocols.md §1.3, §1.6).

Paper preset: ``hidden_layers=3``, H = 256, full batch, 5000 steps, Adam with exp-decay(0.1), pixel-
centre grid on [-1, 1] (the inrkit default protocol, §1.6), per-model learning rates of the FINER
scripts (SIREN/FINER 5e-4, WIRE 5e-3, Gauss 5e-3, PE-MLP 1e-3). Targets in [-1, 1] except PE-MLP
(FINER trains it on [0, 1]) and FFN (sigmoid read-out, [0, 1] targets as in Tancik et al.).
ReLU MLP and FFN learning rates (1e-3, with the same schedule) are [default] choices.

Quick preset [default]: the image downsampled to at most 192 px on its longer side, H = 128,
500 steps — minutes on a 2-core CPU; numbers are not comparable with the papers.
"""

from __future__ import annotations

from inrkit.encodings.positional import PositionalConfig
from inrkit.fields.ffn import FFNConfig
from inrkit.fields.finer import FinerConfig
from inrkit.fields.gauss import GaussConfig
from inrkit.fields.pe_mlp import PEMLPConfig
from inrkit.fields.relu_mlp import ReluMLPConfig
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.nn.activations import GaborConfig
from inrkit.nn.activations import GaussConfig as GaussActivation
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

QUICK_IMAGE = {"signal.max_side": 192, "field.hidden_features": 128, "trainer.steps": 500,
               "trainer.eval_every": 100, "trainer.checkpoint_every": 250}

MINUS_ONE_ONE = FittingConfig()
ZERO_ONE = FittingConfig(target_range=(0.0, 1.0))


def finer_trainer(lr: float) -> TrainerConfig:
    """FINER image trainer: Adam, exp-decay(0.1) over 5000 full-batch steps."""
    return TrainerConfig(steps=5000, optim=OptimConfig(lr=lr), schedule=ScheduleConfig("exp_decay", gamma=0.1),
                         eval_every=500, checkpoint_every=1000)


_IMAGE = [
    ("siren", SirenConfig(), MINUS_ONE_ONE, 5e-4, "SIREN, omega_0 30/30 [code]; FINER trainer lr 5e-4"),
    ("finer", FinerConfig(), MINUS_ONE_ONE, 5e-4, "FINER, omega_0 30, default first bias [code]"),
    ("wire", WireConfig(activation=GaborConfig(20.0, 10.0)), MINUS_ONE_ONE, 5e-3,
     "WIRE, omega_0 20, s_0 10, H/sqrt2 width (FINER trainer)"),
    ("gauss", GaussConfig(activation=GaussActivation(30.0)), MINUS_ONE_ONE, 5e-3, "Gauss MLP, s 30 (FINER trainer)"),
    ("pe_mlp", PEMLPConfig(encoding=PositionalConfig(num_frequencies=10, pi_factor=1.0)), ZERO_ONE, 1e-3,
     "PE-MLP, F 10, no pi, [0,1] targets (FINER)"),
    ("ffn", FFNConfig(hidden_layers=3), ZERO_ONE, 1e-3,
     "Gaussian RFF m 256 sigma 10, sigmoid out (Tancik); lr 1e-3 [default schedule]"),
    ("relu_mlp", ReluMLPConfig(), MINUS_ONE_ONE, 1e-3, "plain ReLU MLP [default lr 1e-3]"),
]

for _name, _field, _task, _lr, _desc in _IMAGE:
    register_recipe(Recipe(
        name=f"{_name}-image", field=_field, task=_task, trainer=finer_trainer(_lr), kind="image",
        description=f"image fitting: {_desc}",
        reference="protocols.md §1.3 (FINER image trainer) / §1.6 (inrkit default image protocol)",
        quick=QUICK_IMAGE,
    ))
