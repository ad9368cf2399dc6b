"""SDF recipes (``<model>-shape``): the BACON/FINER protocol of SASNet Table 3 (protocols.md §7).

Paper preset: 1,000,000 oriented points sampled from the mesh, 10,000 Laplace-perturbed samples per
step, the weighted squared-error sum, 200,000 steps of Adam with AMSGrad (plain Adam for WIRE), global
gradient-norm clipping at 1, the ``bacon_sdf`` schedule to 1e-4, marching cubes on 512^3. Per model
(§7.6): ``hidden_layers=2``, H = 256; SIREN omega_0 30, FINER omega_0 30 with first-bias range 1,
WIRE omega_0 20 / s_0 10 (H/sqrt 2 = 181), Gauss s 30 — all lr 1e-4; PE-MLP F = 10 without pi, lr 5e-4
decaying to 1e-4. SASNet: the SDF column of methods.md §8.8 (``sasnet-shape``; B = 40 for Lucy in
``sasnet-shape-lucy``) with inputs ``2p`` and lrs 1e-4 / 5e-4 [paper]. [default] choices where no source
gives one: ReLU MLP and FFN (sigma 10, 256 frequencies, linear read-out) as PE-MLP (lr 5e-4 -> 1e-4);
MSA 3 blocks x 256, s 1 -> 5, lr 1e-4.

SCONE (``scone-shape``, protocols.md §7.10): the paper's 8 levels with omegas 70,70,60,50,40,40,30,30 and
H = 250, inputs ``2p``, 27,000 samples per step, equal coarse/fine weights with a mean ("MSE"),
lr 5e-4, 10,000 steps [code], plain Adam; IoU evaluated on the 512^3 grid at step 5000 and the end (its
``iou_peak`` is SCONE's best-IoU report).

``siren-shape-eikonal``: SIREN's own objective (§8): ``hidden_layers=3``, H = 256, omega_0 30, Adam 1e-4,
gradient clipping 1, 10,000 steps of 10,000 on- plus 10,000 off-surface points [default batch].

Quick preset [default]: 200,000 mesh samples, H = 128 (``hidden_layers=2``), 4,000 steps of 5,000
samples, lr scaled x5 (constant after warm-up; PE-MLP/ReLU/FFN 1e-3 -> 2e-4; SIREN 5e-4 -> 5e-5 by the
bacon-sdf log-linear decay, because at a constant 5e-4 its IoU collapsed from 0.87 to 0.64 between steps
2000 and 3000), marching cubes and IoU on 128^3, Chamfer on 100,000 samples — about 5-6 CPU-minutes
for SIREN/FINER. Numbers are not comparable with the papers.
"""

from __future__ import annotations

from dataclasses import replace

from inrkit.encodings.gaussian_fourier import GaussianFourierConfig
from inrkit.encodings.positional import PositionalConfig
from inrkit.fields.ffn import FFNConfig
from inrkit.fields.finer import FinerConfig
from inrkit.fields.gauss import GaussConfig
from inrkit.fields.msa import MSA_PRESETS
from inrkit.fields.pe_mlp import PEMLPConfig
from inrkit.fields.relu_mlp import ReluMLPConfig
from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.fields.scone import SconeConfig
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.nn.activations import FinerConfig as FinerActivation
from inrkit.nn.activations import GaborConfig
from inrkit.nn.activations import GaussConfig as GaussActivation
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.tasks.occupancy import OccupancyConfig
from inrkit.tasks.sdf import SDFConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

REFERENCE = "protocols.md §7 (BACON/FINER SDF protocol, SASNet Table 3), methods.md §0.5 bacon-sdf"
DEFAULT_SHAPE = "data:shapes/armadillo.obj"
MLP_SDF = dict(in_features=3, out_features=1, hidden_features=256, hidden_layers=2)

QUICK_TASK = {"task.n_points": 200_000, "task.batch_size": 5000, "task.mesh_resolution": 128,
              "task.iou_resolution": 128, "task.eval_resolution": 64, "task.chamfer_points": 100_000}
QUICK_TRAIN = {"trainer.steps": 4000, "trainer.eval_every": 1000, "trainer.checkpoint_every": 1000}


def bacon_trainer(lr: float, amsgrad: bool = True, steps: int = 200_000, **group_lr: float) -> TrainerConfig:
    """Adam (AMSGrad), gradient clipping 1, bacon-sdf schedule to 1e-4 (protocols.md §7.5)."""
    return TrainerConfig(steps=steps, optim=OptimConfig(lr=lr, amsgrad=amsgrad, group_lr=group_lr),
                         schedule=ScheduleConfig("bacon_sdf", lr_min=1e-4), grad_clip=1.0,
                         eval_every=10_000, checkpoint_every=10_000)


def quick(lr: float, lr_end: float, model: dict | None = None, **group_lr: float) -> dict:
    out = {**QUICK_TASK, **QUICK_TRAIN, "trainer.optim.lr": lr, "trainer.schedule.lr_min": lr_end,
           "field.hidden_features": 128, **(model or {})}
    for name, value in group_lr.items():
        out[f"trainer.optim.group_lr.{name}"] = value
    return out


BACON = SDFConfig()
SASNET_TASK = SDFConfig(input_scale=2.0)

_RECIPES = [
    ("siren", SirenConfig(**MLP_SDF), BACON, bacon_trainer(1e-4), quick(5e-4, 5e-5), "SIREN omega_0 30, lr 1e-4"),
    ("finer", FinerConfig(**MLP_SDF, first_activation=FinerActivation(30.0, 1.0)), BACON, bacon_trainer(1e-4), quick(5e-4, 5e-4),
     "FINER omega_0 30, first-bias range 1, lr 1e-4"),
    ("wire", WireConfig(**MLP_SDF, activation=GaborConfig(20.0, 10.0)), BACON, bacon_trainer(1e-4, amsgrad=False),
     quick(5e-4, 5e-4), "WIRE omega_0 20, s_0 10, width 181, lr 1e-4, plain Adam"),
    ("gauss", GaussConfig(**MLP_SDF, activation=GaussActivation(30.0)), BACON, bacon_trainer(1e-4), quick(5e-4, 5e-4),
     "Gauss s 30, lr 1e-4"),
    ("pe_mlp", PEMLPConfig(**MLP_SDF, encoding=PositionalConfig(num_frequencies=10, pi_factor=1.0)), BACON,
     bacon_trainer(5e-4), quick(1e-3, 2e-4), "PE-MLP (nerfpe) F 10, no pi, lr 5e-4 -> 1e-4"),
    ("relu_mlp", ReluMLPConfig(**MLP_SDF), BACON, bacon_trainer(5e-4), quick(1e-3, 2e-4),
     "ReLU MLP [default lr 5e-4 -> 1e-4]"),
    ("ffn", FFNConfig(**MLP_SDF, encoding=GaussianFourierConfig(num_frequencies=256, sigma=10.0), output_activation="none"), BACON,
     bacon_trainer(5e-4), quick(1e-3, 2e-4, {"field.encoding.num_frequencies": 128}),
     "Gaussian RFF m 256 sigma 10, linear out [default lr 5e-4 -> 1e-4]"),
    ("msa", replace(MSA_PRESETS["sdf"], in_features=3, out_features=1), BACON, bacon_trainer(1e-4),
     quick(5e-4, 5e-4), "MSA 3 blocks x 256, s 1 -> 5 [default lr 1e-4]"),
]

for _name, _field, _task, _trainer, _quick, _desc in _RECIPES:
    register_recipe(Recipe(
        name=f"{_name}-shape", field=_field, task=_task, trainer=_trainer, kind="shape",
        description=f"SDF (BACON/FINER protocol): {_desc}", reference=REFERENCE, quick=_quick,
        default_signal=DEFAULT_SHAPE))

_SASNET_QUICK = quick(5e-4, 5e-4, {"field.hidden_features": 112, "field.femb_features": 128},
                      grid=2.5e-3, decoder=2.5e-3)
for _name, _preset, _desc in (("sasnet-shape", "sdf", "B 30 (Armadillo, Dragon)"),
                              ("sasnet-shape-lucy", "sdf-lucy", "B 40 (Lucy, Thai)")):
    register_recipe(Recipe(
        name=_name, field=SASNET_PRESETS[_preset], task=SASNET_TASK,
        trainer=bacon_trainer(1e-4, grid=5e-4, decoder=5e-4), kind="shape",
        description=f"SDF (BACON/FINER protocol): SASNet H 224, omega_0 30, {_desc}, L 6, inputs 2p, lrs 1e-4/5e-4",
        reference=REFERENCE + "; methods.md §8.8", quick=_SASNET_QUICK, default_signal=DEFAULT_SHAPE))

register_recipe(Recipe(
    name="scone-shape",
    field=SconeConfig(in_features=3, out_features=1, hidden_features=250, hidden_layers=7,
                      omegas=(70.0, 70.0, 60.0, 50.0, 40.0, 40.0, 30.0, 30.0)),
    task=SDFConfig(batch_size=27_000, input_scale=2.0, coarse_weight=1.0, reduction="mean", iou_resolution=512,
                   eval_resolution=512),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=5e-4), eval_every=5000, checkpoint_every=5000),
    kind="shape", description="SDF (SCONE protocol): 8 levels, omegas 70..30, inputs 2p, MSE, lr 5e-4, 10k steps",
    reference="protocols.md §7.10 (SCONE SDF), methods.md §7",
    quick={**quick(5e-4, 5e-4, {"field.hidden_layers": 3, "field.hidden_features": 96}),
           "task.batch_size": 5000, "task.iou_resolution": 128, "task.eval_resolution": 64},
    default_signal=DEFAULT_SHAPE))

register_recipe(Recipe(
    name="siren-shape-eikonal", field=SirenConfig(in_features=3, out_features=1, hidden_layers=3),
    task=SDFConfig(objective="siren"),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=1e-4), grad_clip=1.0, eval_every=1000,
                          checkpoint_every=2000),
    kind="shape", description="SDF, SIREN eikonal objective (on/normal/eikonal/off terms), 4 x 256, lr 1e-4",
    reference="protocols.md §8 (vsitzmann/siren loss_functions.sdf)",
    quick={**QUICK_TASK, **QUICK_TRAIN, "field.hidden_features": 128, "field.hidden_layers": 2,
           "task.batch_size": 2500},
    default_signal=DEFAULT_SHAPE))

# -- occupancy (protocols.md §9): ``occupancy:<mesh>`` sources or ``--task occupancy`` ----------------
OCC_REFERENCE = "protocols.md §9 (WIRE wire_occupancy.py / MSA reconstruction3D.py), MSA Table 2"
OCC_MLP = dict(in_features=3, out_features=1, hidden_features=256, hidden_layers=2)
#: 256^3 voxelisation of the armadillo crops to 191 x 228 x 173 = 7.5M voxels (16 steps of 5e5 per epoch): 200 epochs.
OCC_TRAINER = TrainerConfig(steps=3200, optim=OptimConfig(lr=5e-3), schedule=ScheduleConfig("exp_decay", gamma=0.2),
                            eval_every=400, checkpoint_every=400)
OCC_QUICK = {"task.resolution": 64, "task.batch_size": 50_000, "field.hidden_features": 128, "trainer.steps": 300,
             "trainer.eval_every": 100, "trainer.checkpoint_every": 100}

_OCCUPANCY = [
    ("msa", replace(MSA_PRESETS["occupancy"], in_features=3, out_features=1), "MSA 3 blocks x 256, s 1 -> 5"),
    ("wire", WireConfig(**OCC_MLP, activation=GaborConfig(10.0, 40.0)), "WIRE omega_0 10, s_0 40, 2 x 256 (181)"),
    ("siren", SirenConfig(**OCC_MLP), "SIREN omega_0 30, 3 x 256 [default]"),
    ("finer", FinerConfig(**OCC_MLP), "FINER omega_0 30, 3 x 256 [default]"),
]
for _name, _field, _desc in _OCCUPANCY:
    register_recipe(Recipe(
        name=f"{_name}-occupancy", field=_field, task=OccupancyConfig(), trainer=OCC_TRAINER, kind="occupancy",
        description=f"occupancy (WIRE/MSA protocol): {_desc}, Adam 5e-3, exp-decay(0.2), 200 epochs",
        reference=OCC_REFERENCE, quick=OCC_QUICK, default_signal="occupancy:" + DEFAULT_SHAPE))
