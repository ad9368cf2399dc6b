"""Inverse-problem recipes (protocols.md §11): ``<model>-inverse-<problem>`` and the classical
baselines ``<method>-inverse-<problem>``.

Problems (paper preset; WIRE's scripts where the spec gives them, [default] otherwise):

* ``denoise`` (§11.1): kodim05 downsampled to 192 px (192 x 128; anti-aliased cubic, not WIRE's area
  average), photon noise tau 30 with readout sigma_r 2; 2000 full-batch steps, exp-decay(0.1).
  Baselines: the noisy input, TV (Chambolle) and BM3D at the noise level estimated from y.
* ``inpaint`` (§11.2): kodim05 at 192 px, random mask keeping p = 0.2 (seed 0), settings of §11.1
  without noise. Baselines: biharmonic and linear interpolation.
* ``sr`` (§11.3): kodim05 at native resolution, area downsampling s = 4, WIRE omega_0 8 / s_0 6,
  lr x 2 (WIRE's 1e-2), 2000 steps, exp-decay(0.2); scored on the high-resolution grid.
  Baselines: bicubic and bilinear upsampling.
* ``ct`` (§11.4): ``shared/data/images/ct/chest_wire.png`` (16-bit, native 435 x 326), 100 angles
  ``linspace(0, 180)``, noise-free, WIRE omega_0 = s_0 = 10, H = 300, 5000 steps, exp-decay(0.1).
  Baseline: filtered back-projection (scikit-image ``iradon``, ramp filter).
* ``mri`` [default; no WIRE script]: Shepp-Logan 400 x 400, Cartesian k-space lines at R = 4 with
  8 % fully sampled centre (random lines, seed 0), noise-free; CT settings otherwise (2000 steps).
  Baseline: the zero-filled inverse FFT.
* ``mri3d`` [default]: the MNI T1 volume at 2 mm (``signal.max_side=120``), k-space R = 4 over the
  (D, H) phase-encode plane with full readout lines; 2000 steps. Baseline: zero-filled inverse FFT.

Models: ``hidden_layers=2``, H = 256 (CT: 300) for SIREN, FINER (omega_0 30), Gauss (s 10) and WIRE
(the per-problem omega_0 / s_0; H / sqrt 2 complex neurons); learning rates of WIRE's guidance
(§11.1): WIRE 5e-3, SIREN / FINER / Gauss 1e-3 [default lower end]. SASNet, MSA and SCONE keep their
paper image configurations, coordinates and value ranges (SASNet pixel centres with lrs 1e-4 / 5e-4;
MSA [0, 1] endpoint coordinates and targets, lr 1e-3; SCONE lr 1e-4) with the problem's schedule
[default]. The other models use WIRE's endpoint grid ``linspace(-1, 1)`` and [-1, 1] targets.

Quick preset [default]: images at 128 px (SR: 192 px high resolution), ~27-35k parameters (MLPs
H = 128; SASNet its quick image size; MSA / SCONE H = 104), 500 steps with evaluation every 100,
SASNet lrs 5e-4 / 2.5e-3 and SCONE lr 1e-3 (their paper rates are sized for 5-10k steps);
``mri3d`` at 4 mm (``max_side=64``), 300 steps. Numbers are not comparable with the papers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from inrkit.fields.finer import FinerConfig
from inrkit.fields.gauss import GaussConfig
from inrkit.fields.msa import MSA_PRESETS
from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.fields.scone import SconeConfig
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.nn.activations import GaborConfig
from inrkit.nn.activations import GaussConfig as GaussActivationConfig
from inrkit.ops.operators import NoiseConfig
from inrkit.ops.operators.image import DownsampleConfig, IdentityConfig, MaskConfig
from inrkit.ops.operators.mri import KSpaceConfig
from inrkit.ops.operators.radon import RadonConfig
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.recipes.baseline import BaselineRecipe, register_baseline
from inrkit.recipes.sasnet import QUICK_SASNET
from inrkit.registry import OPERATORS, type_name
from inrkit.tasks.inverse import InverseConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

REFERENCE = "protocols.md §11 (WIRE's inverse-problem scripts where given), recipes/inverse.py"
KODAK05 = "data:images/kodak/kodim05.png"
CHEST = "data:images/ct/chest_wire.png"
PHANTOM = "builtin:shepp_logan_phantom"
MRI_VOLUME = "data:volumes/mni_icbm152_t1_09a_uint8.npz"


@dataclass(frozen=True)
class Problem:
    """One inverse problem: operator, noise, signal and schedule."""

    operator: Any
    description: str
    default_signal: str
    steps: int
    gamma: float
    wire: tuple[float, float]
    hidden: int = 256
    lr_scale: float = 1.0
    noise: NoiseConfig = NoiseConfig()
    kind: str = "image"
    paper: tuple[tuple[str, Any], ...] = ()
    quick: tuple[tuple[str, Any], ...] = (("signal.max_side", 128),)
    quick_steps: int = 500


PROBLEMS = {
    "denoise": Problem(IdentityConfig(), "denoising (photon noise tau 30, sigma_r 2)", KODAK05, 2000, 0.1,
                       (4.0, 4.0), noise=NoiseConfig("poisson", tau=30.0, sigma_r=2.0),
                       paper=(("signal.max_side", 192),)),
    "inpaint": Problem(MaskConfig("random", keep=0.2), "inpainting (random mask, 20% kept)", KODAK05, 2000, 0.1,
                       (4.0, 4.0), paper=(("signal.max_side", 192),)),
    "sr": Problem(DownsampleConfig(4), "x4 super-resolution (area downsampling)", KODAK05, 2000, 0.2, (8.0, 6.0),
                  lr_scale=2.0, quick=(("signal.max_side", 192),)),
    "ct": Problem(RadonConfig(100), "sparse-view CT (100 angles)", CHEST, 5000, 0.1, (10.0, 10.0), hidden=300),
    "mri": Problem(KSpaceConfig(4.0, 0.08), "undersampled MRI (k-space lines, R 4)", PHANTOM, 2000, 0.1,
                   (10.0, 10.0), hidden=300),
    "mri3d": Problem(KSpaceConfig(4.0, 0.08), "undersampled 3-D MRI (k-space R 4)", MRI_VOLUME, 2000, 0.1,
                     (10.0, 10.0), kind="volume", paper=(("signal.max_side", 120),),
                     quick=(("signal.max_side", 64),), quick_steps=300),
}

SIGNED = InverseConfig(coord_convention="endpoint")
CENTER = InverseConfig(coord_convention="center")
UNIT = InverseConfig(coord_convention="endpoint", coord_range=(0.0, 1.0), target_range=(0.0, 1.0))
MLP = dict(hidden_layers=2)
QUICK_MLP = {"field.hidden_features": 128}
QUICK_WIDE = {"field.hidden_features": 104}
#: SASNet and SCONE learn at their paper rates over 5000-10,000 steps; the 500-step quick preset raises
#: them 5x / 10x (as ``sasnet-volume`` quick does) [default].
QUICK_SAS = {**QUICK_SASNET, "trainer.optim.lr": 5e-4,
             "trainer.optim.group_lr.grid": 2.5e-3, "trainer.optim.group_lr.decoder": 2.5e-3}
QUICK_SCONE = {**QUICK_WIDE, "trainer.optim.lr": 1e-3}


def models(p: Problem) -> list[tuple[str, Any, InverseConfig, float, dict[str, float], dict[str, Any], str]]:
    """(name, field, task base, lr, group lrs, quick overrides, description) of every model for a problem."""
    w0, s0 = p.wire
    h = p.hidden
    return [
        ("siren", SirenConfig(**MLP, hidden_features=h), SIGNED, 1e-3, {}, QUICK_MLP, f"SIREN 2x{h}, omega_0 30"),
        ("finer", FinerConfig(**MLP, hidden_features=h), SIGNED, 1e-3, {}, QUICK_MLP, f"FINER 2x{h}, omega_0 30"),
        ("wire", WireConfig(**MLP, hidden_features=h, activation=GaborConfig(w0, s0)), SIGNED, 5e-3, {}, QUICK_MLP,
         f"WIRE 2x{h} (H/sqrt2 complex), omega_0 {w0:g}, s_0 {s0:g}"),
        ("gauss", GaussConfig(**MLP, hidden_features=h, activation=GaussActivationConfig(10.0)), SIGNED, 1e-3, {},
         QUICK_MLP,
         f"Gauss 2x{h}, s 10"),
        ("sasnet", SASNET_PRESETS["image"], CENTER, 1e-4, {"grid": 5e-4, "decoder": 5e-4}, QUICK_SAS,
         "SASNet paper image config, lrs 1e-4 / 5e-4"),
        ("msa", MSA_PRESETS["image"], UNIT, 1e-3, {}, QUICK_WIDE, "MSA 4x400, [0,1] coordinates and targets"),
        ("scone", SconeConfig(), SIGNED, 1e-4, {}, QUICK_SCONE, "SCONE K 4, H 250"),
    ]


def trainer(p: Problem, lr: float, group_lr: dict[str, float]) -> TrainerConfig:
    s = p.lr_scale
    return TrainerConfig(steps=p.steps, optim=OptimConfig(lr=lr * s, group_lr={k: v * s for k, v in group_lr.items()}),
                         schedule=ScheduleConfig("exp_decay", gamma=p.gamma), eval_every=max(p.steps // 10, 1),
                         checkpoint_every=1000)


def quick_trainer(p: Problem) -> dict[str, Any]:
    return {"trainer.steps": p.quick_steps, "trainer.eval_every": 100, "trainer.checkpoint_every": 250}


for _pname, _p in PROBLEMS.items():
    _quick = dict(_p.quick)
    for _name, _field, _base, _lr, _glr, _qf, _desc in models(_p):
        register_recipe(Recipe(
            name=f"{_name}-inverse-{_pname}", field=_field,
            task=replace(_base, operator=_p.operator, noise=_p.noise), trainer=trainer(_p, _lr, _glr),
            kind=_p.kind, description=f"inverse problem, {_p.description}: {_desc}", reference=REFERENCE,
            quick={**_quick, **_qf, **quick_trainer(_p)}, paper=dict(_p.paper), default_signal=_p.default_signal))
    _op = _p.operator
    for _method in OPERATORS.get(type_name(_op)).baselines:
        register_baseline(BaselineRecipe(
            name=f"{_method}-inverse-{_pname}", task=replace(SIGNED, operator=_op, noise=_p.noise), classical=_method,
            kind=_p.kind, description=f"inverse problem, {_p.description}: classical baseline '{_method}'",
            reference=REFERENCE, quick=_quick, paper=dict(_p.paper), default_signal=_p.default_signal))
