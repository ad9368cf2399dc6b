"""Volume recipes (``<model>-volume``): the SASNet Table 2 protocol on the MRI stand-in (protocols.md §3).

ScalarFlow is not available; the MNI ICBM152 T1 template replaces it (§3.2). Paper preset (``mri-half``):
the volume block-averaged 2x2x2 to 98 x 116 x 94 (``signal.max_side=120``), endpoint grid
``linspace(-1, 1)`` per axis (ij order), full batch, 5000 steps. Baselines ``hidden_layers=2``, H = 256
with the FINER trainer learning rates and exp-decay(0.1) [default]: SIREN / FINER omega_0 30 lr 5e-4,
WIRE omega_0 20 s_0 10 lr 5e-3, Gauss s 30 lr 5e-3, PE-MLP F 10 without pi on [0, 1] targets lr 1e-3;
targets in [-1, 1] otherwise. SASNet: the volume column of methods.md §8.8 (H 192, omega_0 30, B 30,
L 6, bitwidth 11, 12 levels), lrs 1e-4 / 5e-4 fixed. Metrics: PSNR over all voxels, 3-D SSIM and the
mean 2-D SSIM over axial slices (metrics.md §2.3). Not comparable with SASNet Table 2.

Quick preset [default]: the volume block-averaged 4x4x4 (49 x 58 x 47, ``signal.max_side=64``), H = 128,
500 steps of 32,768 random voxels.
"""

from __future__ import annotations

from inrkit.encodings.positional import PositionalConfig
from inrkit.fields.finer import FinerConfig
from inrkit.fields.gauss import GaussConfig
from inrkit.fields.pe_mlp import PEMLPConfig
from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.nn.activations import GaborConfig
from inrkit.nn.activations import GaussConfig as GaussActivation
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.recipes.image import finer_trainer
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

REFERENCE = "protocols.md §3.2 (MRI volume standing in for ScalarFlow, SASNet Table 2)"
DEFAULT_VOLUME = "data:volumes/mni_icbm152_t1_09a_uint8.npz"
PAPER = {"signal.max_side": 120}
QUICK = {"signal.max_side": 64, "field.hidden_features": 128, "trainer.steps": 500, "task.batch_size": 32768,
         "trainer.eval_every": 250, "trainer.checkpoint_every": 250}

MLP = dict(in_features=3, out_features=1, hidden_features=256, hidden_layers=2)
SIGNED = FittingConfig(coord_convention="endpoint", edge_metrics=False, lpips=False)
UNIT = FittingConfig(coord_convention="endpoint", target_range=(0.0, 1.0), edge_metrics=False, lpips=False)

_RECIPES = [
    ("siren", SirenConfig(**MLP), SIGNED, 5e-4, "SIREN omega_0 30 [default], lr 5e-4"),
    ("finer", FinerConfig(**MLP), SIGNED, 5e-4, "FINER omega_0 30, lr 5e-4 [default]"),
    ("wire", WireConfig(**MLP, activation=GaborConfig(20.0, 10.0)), SIGNED, 5e-3, "WIRE omega_0 20, s_0 10, lr 5e-3"),
    ("gauss", GaussConfig(**MLP, activation=GaussActivation(30.0)), SIGNED, 5e-3, "Gauss s 30, lr 5e-3 [default]"),
    ("pe_mlp", PEMLPConfig(**MLP, encoding=PositionalConfig(num_frequencies=10, pi_factor=1.0)), UNIT, 1e-3,
     "PE-MLP F 10, no pi, [0,1] targets, lr 1e-3 [default]"),
]

for _name, _field, _task, _lr, _desc in _RECIPES:
    register_recipe(Recipe(
        name=f"{_name}-volume", field=_field, task=_task, trainer=finer_trainer(_lr), kind="volume",
        description=f"volume fitting (MRI mri-half): {_desc}, exp-decay(0.1), 5000 full-batch steps",
        reference=REFERENCE, quick=QUICK, paper=PAPER, default_signal=DEFAULT_VOLUME))

register_recipe(Recipe(
    name="sasnet-volume", field=SASNET_PRESETS["volume"], task=SIGNED,
    trainer=TrainerConfig(steps=5000, optim=OptimConfig(lr=1e-4, group_lr={"grid": 5e-4, "decoder": 5e-4}),
                          eval_every=500, checkpoint_every=1000),
    kind="volume", description="volume fitting (MRI mri-half): SASNet H 192, omega_0 30, B 30, L 6, "
                               "12-level 2^11 grid, lrs 1e-4 / 5e-4 fixed",
    reference=REFERENCE + "; methods.md §8.8",
    quick={**QUICK, "field.hidden_features": 112, "field.femb_features": 128, "field.grid_bitwidth": 8,
           "field.grid_levels": 8, "trainer.optim.lr": 5e-4, "trainer.optim.group_lr.grid": 2.5e-3,
           "trainer.optim.group_lr.decoder": 2.5e-3},
    paper=PAPER, default_signal=DEFAULT_VOLUME))
