"""MSA protocols ``function1d`` and ``image-msa``: the 1-D y4 curve (protocols.md §6) and Kodak images (protocols.md
§1.4), with the baselines under the same protocols.

**1-D** (protocol ``function1d``, recipes ``<model>-function1d``; default signal ``function:y4``): 4 blocks x 256
for every method (``hidden_layers=3``, H = 256), 1 -> 1, full batch of the function's random samples (1024 for y4,
NumPy seed 42), Adam lr 1e-4 -> 1e-7 cosine over 10,000 steps, MSE. MSA: s_min [1,1,1,0], s_max [5.5,5.5,5.5,0.8],
**float64** parameters and data (methods.md §6.5). Baselines: each method's image defaults [default; not specified
by the source]: SIREN omega_0 30/30; FINER omega_0 30 with the default first bias; WIRE omega_0 20, s_0 10 with
the official H/sqrt2 width rule (181 complex neurons). Baselines run in **float32** [default]: the official MSA
code trains every model in float32, the baselines' published errors (> 1e-8) are far above the float32 floor, and
SIREN/FINER/WIRE expose no dtype option. ``--set task.dtype=float32 --set field.dtype=float32`` runs MSA in
float32 too. Quick scale [default]: 1000 steps (same architecture), evaluation every 250 steps.

**Kodak** (protocol ``image-msa``: ``msa-image`` and ``<model>-image-msa``): the paper's protocol as fixed in §1.4
[default]: 4 blocks x 400 (``hidden_layers=3``, H = 400) for every method, full batch, Adam lr 1e-3 -> 5e-4
cosine, 1500 steps, coordinates ``linspace(0, 1)`` per axis (the MSA code's endpoint grid; inrkit's ij order),
targets in [0, 1]; MSA with the code's camera s lists (s_min [1.2,1.2,1.2,0], s_max [4,4,4,0.8]); final-model PSNR
/ SSIM (Wang settings; the MSA code uses scikit-image's 7x7 uniform window) / LPIPS when its weights are present.
Quick scale [default]: images downsampled to 192 px, H = 128, 500 steps."""

from __future__ import annotations

from inrkit.fields.msa import MSA_PRESETS
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.fitting import FittingConfig
from inrkit.tasks.function1d import Function1DConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig


def cosine_trainer(steps: int, lr: float, lr_min: float, eval_every: int) -> TrainerConfig:
    """Adam with CosineAnnealingLR(T_max=steps, eta_min=lr_min), stepped every step."""
    return TrainerConfig(steps=steps, optim=OptimConfig(lr=lr), schedule=ScheduleConfig("cosine", lr_min=lr_min),
                         eval_every=eval_every, checkpoint_every=1000)


register_protocol(Protocol(
    name="function1d", family="function1d", task=Function1DConfig(dtype="float32"),
    trainer=cosine_trainer(10_000, 1e-4, 1e-7, eval_every=1000),
    description="1-D function fitting (MSA y4 protocol)", reference="protocols.md §6 (MSA y4), methods.md §6.4",
    scales={"quick": {"trainer.steps": 1000, "trainer.eval_every": 250, "trainer.checkpoint_every": 500}},
    sizes={"paper": {"field.hidden_layers": 3, "field.hidden_features": 256}}, dims=(1, 1), home=("msa",),
    default_signal="function:y4", tags=("paper", "code"),
))

add_settings("msa", {"function1d": Setting("MSA 4x256, s [1,1,1,0] -> [5.5,5.5,5.5,0.8], float64",
                                           {"task.dtype": "float64"}, field=MSA_PRESETS["1d"])})
add_settings("siren", {"function1d": Setting("SIREN 4x256, omega_0 30 [default], float32")})
add_settings("finer", {"function1d": Setting("FINER 4x256, omega_0 30 [default], float32")})
add_settings("wire", {"function1d": Setting("WIRE 4x256 (H/sqrt2 = 181 complex), omega_0 20, s_0 10 [default], "
                                            "float32")})

register_protocol(Protocol(
    name="image-msa", family="image",
    task=FittingConfig(coord_convention="endpoint", coord_range=(0.0, 1.0), target_range=(0.0, 1.0)),
    trainer=cosine_trainer(1500, 1e-3, 5e-4, eval_every=250),
    description="image fitting, MSA Kodak protocol (lr 1e-3 -> 5e-4 cosine, 1500 steps, [0,1] coordinates)",
    reference="protocols.md §1.4 (MSA Kodak, paper protocol with the code's [0,1] coordinates)",
    scales={"quick": {"signal.max_side": 192, "trainer.steps": 500, "trainer.eval_every": 100,
                      "trainer.checkpoint_every": 250, "field.hidden_features": 128}},
    sizes={"paper": {"field.hidden_layers": 3, "field.hidden_features": 400}},
    home=("msa",), tags=("paper", "code"),
))

add_settings("msa", {"image-msa": Setting("MSA 4x400, camera s lists", field=MSA_PRESETS["image"])})
add_settings("siren", {"image-msa": Setting("SIREN 4x400, omega_0 30")})
add_settings("finer", {"image-msa": Setting("FINER 4x400, omega_0 30, default first bias")})
add_settings("wire", {"image-msa": Setting("WIRE 4x400 (H/sqrt2), omega_0 20, s_0 10")})
