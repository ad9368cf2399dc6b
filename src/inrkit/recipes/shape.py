"""Shape protocols: ``shape`` (the BACON/FINER SDF protocol of SASNet Table 3, protocols.md §7), ``shape-scone``,
``shape-eikonal`` and ``occupancy`` (protocols.md §9).

Paper scale: 1,000,000 oriented points sampled from the mesh, 10,000 Laplace-perturbed samples per
step, the weighted squared-error sum, 200,000 steps of Adam with AMSGrad (plain Adam for WIRE), global
gradient-norm clipping at 1, the ``bacon_sdf`` schedule to 1e-4, marching cubes on 512^3. Per model
(§7.6): ``hidden_layers=2``, H = 256; SIREN omega_0 30, FINER omega_0 30 with first-bias range 1,
WIRE omega_0 20 / s_0 10 (H/sqrt 2 = 181), Gauss s 30 — all lr 1e-4; PE-MLP F = 10 without pi, lr 5e-4
decaying to 1e-4. SASNet: the SDF column of methods.md §8.8 (``sasnet-shape``; B = 40 for Lucy in
``sasnet-shape-lucy``) with inputs ``2p`` and lrs 1e-4 / 5e-4 [paper]. [default] choices where no source
gives one: ReLU MLP and FFN (sigma 10, 256 frequencies, linear read-out) as PE-MLP (lr 5e-4 -> 1e-4);
MSA 3 blocks x 256, s 1 -> 5, lr 1e-4.

SCONE (protocol ``shape-scone``, recipe ``scone-shape-scone``, protocols.md §7.10): the paper's 8 levels with omegas
70,70,60,50,40,40,30,30 and H = 250, inputs ``2p``, 27,000 samples per step, equal coarse/fine weights with a mean
("MSE"), lr 5e-4, 10,000 steps [code], plain Adam; IoU evaluated on the 512^3 grid at step 5000 and the end (its
``iou_peak`` is SCONE's best-IoU report).

``shape-eikonal`` (``siren-shape-eikonal``): SIREN's own objective (§8): ``hidden_layers=3``, H = 256, omega_0 30,
Adam 1e-4, gradient clipping 1, 10,000 steps of 10,000 on- plus 10,000 off-surface points [default batch].

Quick scale [default]: 200,000 mesh samples, H = 128 (``hidden_layers=2``), 4,000 steps of 5,000
samples, lr scaled x5 (constant after warm-up; PE-MLP/ReLU/FFN 1e-3 -> 2e-4; SIREN 5e-4 -> 5e-5 by the
bacon-sdf log-linear decay, because at a constant 5e-4 its IoU collapsed from 0.87 to 0.64 between steps
2000 and 3000), marching cubes and IoU on 128^3, Chamfer on 100,000 samples — about 5-6 CPU-minutes
for SIREN/FINER. Numbers are not comparable with the papers.
"""

from __future__ import annotations

from inrkit.fields.msa import MSA_PRESETS
from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.fields.scone import SconeConfig
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.occupancy import OccupancyConfig
from inrkit.tasks.sdf import SDFConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

REFERENCE = "protocols.md §7 (BACON/FINER SDF protocol, SASNet Table 3), methods.md §0.5 bacon-sdf"
DEFAULT_SHAPE = "data:shapes/armadillo.obj"
QUICK_TASK = {"task.n_points": 200_000, "task.batch_size": 5000, "task.mesh_resolution": 128,
              "task.iou_resolution": 128, "task.eval_resolution": 64, "task.chamfer_points": 100_000}
QUICK_TRAIN = {"trainer.steps": 4000, "trainer.eval_every": 1000, "trainer.checkpoint_every": 1000}
SDF_SIZES = {"paper": {"field.hidden_layers": 2, "field.hidden_features": 256}}


def lrs(lr: float, lr_end: float, **group_lr: float) -> dict:
    """Quick-scale learning rate, end of the bacon-sdf decay and group learning rates."""
    out = {"trainer.optim.lr": lr, "trainer.schedule.lr_min": lr_end}
    out.update({f"trainer.optim.group_lr.{name}": value for name, value in group_lr.items()})
    return out


register_protocol(Protocol(
    name="shape", family="shape", task=SDFConfig(),
    trainer=TrainerConfig(steps=200_000, optim=OptimConfig(lr=1e-4, amsgrad=True),
                          schedule=ScheduleConfig("bacon_sdf", lr_min=1e-4), grad_clip=1.0, eval_every=10_000,
                          checkpoint_every=10_000),
    description="SDF (BACON/FINER protocol: Adam AMSGrad, clipping 1, bacon-sdf schedule to 1e-4)",
    reference=REFERENCE, scales={"quick": {**QUICK_TASK, **QUICK_TRAIN, "field.hidden_features": 128}},
    sizes=SDF_SIZES, dims=(3, 1), default_signal=DEFAULT_SHAPE, tags=("paper", "code"),
))


def sdf(description: str, lr: float, quick: dict, field=None, **overrides) -> Setting:
    """A setting of the ``shape`` protocol: paper lr, quick lrs and dotted overrides (``__`` for dots)."""
    extra = {k.replace("__", "."): v for k, v in overrides.items()}
    return Setting(description, {"trainer.optim.lr": lr, **extra}, quick=quick, field=field)


_SASNET = dict(task__input_scale=2.0, trainer__optim__group_lr={"grid": 5e-4, "decoder": 5e-4})
_SASNET_QUICK = {**lrs(5e-4, 5e-4, grid=2.5e-3, decoder=2.5e-3), "field.hidden_features": 56,
                 "field.femb.features": 128}
for _method, _settings in {
    "siren": {"shape": sdf("SIREN omega_0 30, lr 1e-4", 1e-4, lrs(5e-4, 5e-5))},
    "finer": {"shape": sdf("FINER omega_0 30, first-bias range 1, lr 1e-4", 1e-4, lrs(5e-4, 5e-4),
                           field__first_activation__first_bias_scale=1.0)},
    "wire": {"shape": sdf("WIRE omega_0 20, s_0 10, width 181, lr 1e-4, plain Adam", 1e-4, lrs(5e-4, 5e-4),
                          trainer__optim__amsgrad=False)},
    "gauss": {"shape": sdf("Gauss s 30, lr 1e-4", 1e-4, lrs(5e-4, 5e-4))},
    "pe_mlp": {"shape": sdf("PE-MLP (nerfpe) F 10, no pi, lr 5e-4 -> 1e-4; H 242 (quick 114) [sized]", 5e-4,
                            {**lrs(1e-3, 2e-4), "field.hidden_features": 114}, field__hidden_features=242)},
    "relu_mlp": {"shape": sdf("ReLU MLP [default lr 5e-4 -> 1e-4]", 5e-4, lrs(1e-3, 2e-4))},
    "ffn": {"shape": sdf("Gaussian RFF m 256 sigma 10, linear out [default lr 5e-4 -> 1e-4]; H 159 (quick m 128, "
                         "H 80) [sized]", 5e-4,
                         {**lrs(1e-3, 2e-4), "field.encoding.num_frequencies": 128, "field.hidden_features": 80},
                         field__output_activation="none", field__hidden_features=159)},
    "msa": {"shape": sdf("MSA 3 blocks x 256, s 1 -> 5 [default lr 1e-4]", 1e-4, lrs(5e-4, 5e-4),
                         field=MSA_PRESETS["sdf"])},
    "sasnet": {"shape": sdf("SASNet H 224 (quick 56 [sized]), omega_0 30, B 30 (Armadillo, Dragon), L 6, inputs 2p, "
                            "lrs 1e-4/5e-4",
                            1e-4, _SASNET_QUICK, field=SASNET_PRESETS["sdf"], **_SASNET),
               "shape:lucy": sdf("SASNet H 224 (quick 56 [sized]), omega_0 30, B 40 (Lucy, Thai), L 6, inputs 2p, "
                                 "lrs 1e-4/5e-4",
                                 1e-4, _SASNET_QUICK, field=SASNET_PRESETS["sdf-lucy"], **_SASNET)},
    # SCONE in the shared protocol [default sizes]: 3 levels (the protocol's 2 hidden layers), omegas 70/50/30
    # spanning its SDF ladder, H 256 (135,937 parameters against SIREN's 132,865; quick H 124: 33,109 / 33,665),
    # its own inputs 2p and lr 5e-4.
    "scone": {"shape": sdf("SCONE 3 levels, omegas 70/50/30, H 256 (quick 124), inputs 2p, lr 5e-4", 5e-4,
                           {**lrs(5e-4, 5e-4), "field.hidden_features": 124}, task__input_scale=2.0,
                           field=SconeConfig(hidden_features=256, hidden_layers=2, omegas=(70.0, 50.0, 30.0)))},
}.items():
    add_settings(_method, _settings)

register_protocol(Protocol(
    name="shape-scone", family="shape",
    task=SDFConfig(batch_size=27_000, input_scale=2.0, coarse_weight=1.0, reduction="mean", iou_resolution=512,
                   eval_resolution=512),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=5e-4), eval_every=5000, checkpoint_every=5000),
    description="SDF (SCONE protocol: inputs 2p, MSE, lr 5e-4, 10k steps)",
    reference="protocols.md §7.10 (SCONE SDF), methods.md §7",
    scales={"quick": {**QUICK_TASK, **QUICK_TRAIN, **lrs(5e-4, 5e-4), "task.batch_size": 5000,
                      "task.iou_resolution": 128, "task.eval_resolution": 64}},
    dims=(3, 1), home=("scone",), default_signal=DEFAULT_SHAPE, tags=("paper", "code"),
))
add_settings("scone", {"shape-scone": Setting(
    "SCONE 8 levels, omegas 70..30",
    field=SconeConfig(hidden_features=250, hidden_layers=7, omegas=(70.0, 70.0, 60.0, 50.0, 40.0, 40.0, 30.0, 30.0)),
    quick={"field.hidden_layers": 3, "field.hidden_features": 96})})

register_protocol(Protocol(
    name="shape-eikonal", family="shape", task=SDFConfig(objective="siren"),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=1e-4), grad_clip=1.0, eval_every=1000,
                          checkpoint_every=2000),
    description="SDF, SIREN eikonal objective (on/normal/eikonal/off terms), lr 1e-4",
    reference="protocols.md §8 (vsitzmann/siren loss_functions.sdf)",
    scales={"quick": {**QUICK_TASK, **QUICK_TRAIN, "field.hidden_features": 128, "field.hidden_layers": 2,
                      "task.batch_size": 2500}},
    sizes={"paper": {"field.hidden_layers": 3, "field.hidden_features": 256}}, dims=(3, 1),
    default_signal=DEFAULT_SHAPE, tags=("code",),
))
add_settings("siren", {"shape-eikonal": Setting("SIREN 4 x 256, omega_0 30")})

#: 256^3 voxelisation of the armadillo crops to 191 x 228 x 173 = 7.5M voxels (16 steps of 5e5 per epoch): 200 epochs.
register_protocol(Protocol(
    name="occupancy", family="occupancy", task=OccupancyConfig(),
    trainer=TrainerConfig(steps=3200, optim=OptimConfig(lr=5e-3), schedule=ScheduleConfig("exp_decay", gamma=0.2),
                          eval_every=400, checkpoint_every=400),
    description="occupancy (WIRE/MSA protocol: Adam 5e-3, exp-decay(0.2), 200 epochs)",
    reference="protocols.md §9 (WIRE wire_occupancy.py / MSA reconstruction3D.py), MSA Table 2",
    scales={"quick": {"task.resolution": 64, "task.batch_size": 50_000, "field.hidden_features": 128,
                      "trainer.steps": 300, "trainer.eval_every": 100, "trainer.checkpoint_every": 100}},
    sizes={"paper": {"field.hidden_layers": 2, "field.hidden_features": 256}}, dims=(3, 1),
    default_signal="occupancy:" + DEFAULT_SHAPE, tags=("paper", "code"),
))
add_settings("msa", {"occupancy": Setting("MSA 3 blocks x 256, s 1 -> 5", field=MSA_PRESETS["occupancy"])})
add_settings("wire", {"occupancy": Setting("WIRE omega_0 10, s_0 40, 2 x 256 (181)",
                                           {"field.activation.omega_0": 10.0, "field.activation.sigma_0": 40.0})})
add_settings("siren", {"occupancy": Setting("SIREN omega_0 30, 3 x 256 [default]")})
add_settings("finer", {"occupancy": Setting("FINER omega_0 30, 3 x 256 [default]")})
