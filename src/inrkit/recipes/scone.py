"""Image protocol ``image-scone``: SCONE Kodak (protocols.md §1.5), with SCONE and the baselines.

Paper scale (``scone-image``, code ``train_image.py``): SCONE K = 4 levels (``hidden_layers=3``),
H = 250, omegas 90/60/30/10, omega_0 30, sin^2 masks (192,753 parameters for RGB); targets in
[-1, 1], endpoint grid ``linspace(-1, 1)`` in ij order, full batch, Adam (0.9, 0.999) lr 1e-4 with
cosine to 1e-6 over 10,000 steps. SCONE reports the **best PSNR over the run** (SSIM at that step):
inrkit evaluates every 100 steps [default; the code evaluates every step], so ``psnr_peak`` is the
peak over those evaluations and the final step.

Baselines (``<model>-image-scone``), sized as the paper (~200k parameters), lr 1e-4 as the code's
single training config [code; the paper's per-model sweeps are not given]:

* SIREN "5 layers x 256": ``hidden_layers=3``, H = 256, omega_0 30/30 (198,915 parameters).
* WIRE "4 layers x 360": ``hidden_layers=3``, H = 360 before the sqrt 2 rule (254 complex neurons),
  omega_0 20 and s_0 20 from the code's ``wire.yaml`` (which itself uses H = 450).
* RFF MLP "4 layers x 256": Gaussian Fourier features, 128 frequencies, sigma 8 (code ``mlp.yaml``),
  4 linear maps (``hidden_layers=2``), linear read-out on [-1, 1] targets.
* ``scone_rbm-image``: the random-binary-mask ablation (``inrkit.fields.scone.SconeRBM``) with the
  SCONE sizes; masks keyed by a fine coordinate lattice, so it fits any training grid.

MFN (FourierNet/GaborNet) is not implemented. Quick scale [default]: images downsampled to 192 px,
H = 128, 500 steps, evaluation every 100 steps.
"""

from __future__ import annotations

from inrkit.fields.scone import SconeConfig, SconeRBMConfig
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

#: the quick width of every model, SCONE included (the video protocol ``video-scone`` shares these settings)
QUICK_WIDTH = {"field.hidden_features": 128}


def both(setting: Setting) -> dict[str, Setting]:
    """The setting under the SCONE image and video protocols (the paper sizes its video models alike)."""
    return {"image-scone": setting, "video-scone": setting}

register_protocol(Protocol(
    name="image-scone", family="image",
    task=FittingConfig(coord_convention="endpoint", coord_range=(-1.0, 1.0), target_range=(-1.0, 1.0)),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=1e-4, betas=(0.9, 0.999)),
                          schedule=ScheduleConfig("cosine", lr_min=1e-6), eval_every=100, checkpoint_every=1000),
    description="image fitting, SCONE Kodak protocol (lr 1e-4 cosine to 1e-6, 10k steps)",
    reference="protocols.md §1.5 (SCONE Kodak, code train_image.py), methods.md §7",
    scales={"quick": {"signal.max_side": 192, "trainer.steps": 500, "trainer.eval_every": 100,
                      "trainer.checkpoint_every": 250, **QUICK_WIDTH}},
    home=("scone", "scone_rbm"), tags=("paper", "code"),
))

add_settings("scone", {**both(Setting("SCONE K 4, H 250, omegas 90/60/30/10, sin^2 masks", field=SconeConfig()))})
add_settings("scone_rbm", {"image-scone": Setting("SCONE random-binary-mask ablation, K 4, H 250",
                                                  field=SconeRBMConfig())})
add_settings("siren", {**both(Setting("SIREN 5 layers x 256, omega_0 30",
                                              {"field.hidden_layers": 3, "field.hidden_features": 256}))})
add_settings("wire", {**both(Setting("WIRE 4 layers x 360 (254 complex), omega_0 20, s_0 20",
                                             {"field.hidden_layers": 3, "field.hidden_features": 360,
                                              "field.activation.sigma_0": 20.0}))})
add_settings("ffn", {**both(Setting("RFF MLP, 128 Gaussian frequencies sigma 8, 4 x 256",
                                            {"field.hidden_layers": 2, "field.hidden_features": 256,
                                             "field.encoding.num_frequencies": 128, "field.encoding.sigma": 8.0,
                                             "field.output_activation": "none"}))})
