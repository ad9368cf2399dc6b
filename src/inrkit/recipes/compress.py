"""Compression recipes ``<model>-compress`` (protocols.md §12, COIN-style).

Paper preset [default; COIN gives no architecture/step pairs]: a Kodak image at native resolution,
full batch, 50,000 steps, Adam at a fixed learning rate (COIN: 2e-4 for SIREN and FINER; WIRE,
Gauss and MSA 1e-3 [default]), ``hidden_layers=3``; the width is the rate knob (table rows set
``field.hidden_features``). SIREN is COIN's network (omega_0 30). Pixel-centre grid on [-1, 1] and
[-1, 1] targets (MSA: [0, 1] endpoint coordinates and targets, its own convention). At the end every
level of 16/12/10/8/6 bits is quantised, range coded, decoded and scored (``tasks/compression.py``).

Quick preset [default]: the image downsampled to 128 px, 500 steps at 1e-3 (WIRE 5e-3).
"""

from __future__ import annotations

from dataclasses import replace

from inrkit.fields.finer import FinerConfig
from inrkit.fields.gauss import GaussConfig
from inrkit.fields.msa import MSA_PRESETS
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.nn.activations import GaborConfig
from inrkit.nn.activations import GaussConfig as GaussActivationConfig
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.tasks.compression import CompressionConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

REFERENCE = "protocols.md §12 (COIN-style compression), recipes/compress.py"
SIGNED = CompressionConfig()
UNIT = CompressionConfig(coord_convention="endpoint", coord_range=(0.0, 1.0), target_range=(0.0, 1.0))
SMALL = dict(hidden_features=32, hidden_layers=3)
QUICK = {"signal.max_side": 128, "trainer.steps": 500, "trainer.eval_every": 100, "trainer.checkpoint_every": 250}

_RECIPES = [
    ("siren", SirenConfig(**SMALL), SIGNED, 2e-4, 1e-3, "COIN: SIREN omega_0 30"),
    ("finer", FinerConfig(**SMALL), SIGNED, 2e-4, 1e-3, "FINER omega_0 30"),
    ("wire", WireConfig(**SMALL, activation=GaborConfig(20.0, 10.0)), SIGNED, 1e-3, 5e-3, "WIRE omega_0 20, s_0 10"),
    ("gauss", GaussConfig(**SMALL, activation=GaussActivationConfig(30.0)), SIGNED, 1e-3, 1e-3, "Gauss s 30"),
    ("msa", replace(MSA_PRESETS["image"], **SMALL), UNIT, 1e-3, 1e-3,
     "MSA, camera s lists, [0,1] coordinates and targets"),
]

for _name, _field, _task, _lr, _quick_lr, _desc in _RECIPES:
    register_recipe(Recipe(
        name=f"{_name}-compress", field=_field, task=_task,
        trainer=TrainerConfig(steps=50_000, optim=OptimConfig(lr=_lr), eval_every=5000, checkpoint_every=5000),
        kind="image", description=f"compression (fit, quantise 16-6 bits, range-code): {_desc}, H 32 x 5 layers",
        reference=REFERENCE, quick={**QUICK, "trainer.optim.lr": _quick_lr},
        default_signal="data:images/kodak/kodim05.png"))
