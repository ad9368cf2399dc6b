"""Volume protocol ``volume`` (recipes ``<model>-volume``): the SASNet Table 2 protocol on the MRI stand-in
(protocols.md §3).

ScalarFlow is not available; the MNI ICBM152 T1 template replaces it (§3.2). Paper scale (``mri-half``):
the volume block-averaged 2x2x2 to 98 x 116 x 94 (``signal.max_side=120``), endpoint grid
``linspace(-1, 1)`` per axis (ij order), full batch, 5000 steps. Baselines ``hidden_layers=2``, H = 256
with the FINER trainer learning rates, held fixed like SASNet's (one schedule for every model, as in
the SASNet image protocol; wave 1 decayed the baselines' lrs by exp-decay(0.1) [default]): SIREN / FINER
omega_0 30 lr 5e-4, WIRE omega_0 20 s_0 10 lr 5e-3, Gauss s 30 lr 5e-3, PE-MLP F 10 without pi on [0, 1]
targets lr 1e-3;
targets in [-1, 1] otherwise. SASNet: the volume column of methods.md §8.8 (H 192, omega_0 30, B 30,
L 6, bitwidth 11, 12 levels), lrs 1e-4 / 5e-4 fixed. Metrics: PSNR over all voxels, 3-D SSIM and the
mean 2-D SSIM over axial slices (metrics.md §2.3). Not comparable with SASNet Table 2.

Quick scale [default]: the volume block-averaged 4x4x4 (49 x 58 x 47, ``signal.max_side=64``), H = 128,
500 steps of 32,768 random voxels.
"""

from __future__ import annotations

from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.recipes.image import UNIT_TARGETS, lr
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

register_protocol(Protocol(
    name="volume", family="volume",
    task=FittingConfig(coord_convention="endpoint", edge_metrics=False, lpips=False),
    trainer=TrainerConfig(steps=5000, optim=OptimConfig(lr=5e-4), eval_every=500, checkpoint_every=1000),
    description="volume fitting (MRI mri-half, 5000 full-batch steps)",
    reference="protocols.md §3.2 (MRI volume standing in for ScalarFlow, SASNet Table 2)",
    scales={"paper": {"signal.max_side": 120},
            "quick": {"signal.max_side": 64, "field.hidden_features": 128, "trainer.steps": 500,
                      "task.batch_size": 32768, "trainer.eval_every": 250, "trainer.checkpoint_every": 250}},
    sizes={"paper": {"field.hidden_layers": 2, "field.hidden_features": 256}}, dims=(3, 1),
    default_signal="data:volumes/mni_icbm152_t1_09a_uint8.npz", tags=("paper", "inrkit-default"),
))

for _method, _setting in {
    "siren": lr(5e-4, "SIREN omega_0 30 [default], lr 5e-4"),
    "finer": lr(5e-4, "FINER omega_0 30, lr 5e-4 [default]"),
    "wire": lr(5e-3, "WIRE omega_0 20, s_0 10, lr 5e-3"),
    "gauss": lr(5e-3, "Gauss s 30, lr 5e-3 [default]"),
    "pe_mlp": Setting("PE-MLP F 10, no pi, [0,1] targets, lr 1e-3 [default]",
                      {"trainer.optim.lr": 1e-3, **UNIT_TARGETS}),
    "sasnet": Setting(
        "SASNet H 192, omega_0 30, B 30, L 6, 12-level 2^11 grid, lrs 1e-4 / 5e-4 fixed",
        {"trainer.optim.lr": 1e-4, "trainer.optim.group_lr": {"grid": 5e-4, "decoder": 5e-4}},
        field=SASNET_PRESETS["volume"],
        quick={"field.hidden_features": 112, "field.femb.features": 128, "field.grid.bitwidth": 8,
               "field.grid.n_levels": 8, "trainer.optim.lr": 5e-4, "trainer.optim.group_lr.grid": 2.5e-3,
               "trainer.optim.group_lr.decoder": 2.5e-3}),
}.items():
    add_settings(_method, {"volume": _setting})
