"""Video protocols ``video-msa``, ``video`` (SIREN) and ``video-scone`` (SCONE's baseline settings are
``inrkit.recipes.scone``'s) (protocols.md §4).

* **MSA** (``msa-video`` and ``<model>-video-msa`` for SIREN / WIRE / FINER; MSA Table 1): the first
  100 frames, longer side 320 (Big Buck Bunny 720x1280 -> 180x320 by 4x4 area averaging), coordinates
  in [0, 1] per axis (the code's ``x/(W-1)``: endpoint grid), targets in [0, 1], random batches of
  20,480 points, Adam 1e-3 -> 5e-4 cosine over 500 epochs (= 140,625 steps for 100x180x320 at 20,480
  points; stepped per step rather than per epoch). MSA 3 blocks x 400 with the code's default s
  (1 -> 5); the baselines 3 blocks x 400 too, with their image defaults. Default signal
  ``data:video/bigbuckbunny.mp4``.
* **SIREN** (``siren-video``, code ``train_video.py``): ``hidden_layers=3``, H = 1024, omega_0 30,
  coordinates ``linspace(-1, 1)`` per axis, targets [-1, 1], Adam 1e-4, 100k steps, 0.38 % of the
  voxels per step (165,376 points for the 250 x 272 x 640 ``bikes`` clip, the default signal).
* **SCONE** (``scone-video`` and ``<model>-video-scone`` for SIREN / WIRE / RFF; SCONE Table 1): the
  image-task sizes (SCONE K 4 x H 250; SIREN 5 x 256; WIRE 4 x 360 before the sqrt 2 rule; RFF MLP
  128 frequencies sigma 8), coordinates (t, y, x) in [-1, 1], targets [-1, 1], 262,144 points drawn
  with replacement per step, Adam 1e-4, 10k steps. The cat video is not available: ``bikes`` instead.

Quick scale [default], minutes on one CPU core: the first 50 frames, every 5th (10 frames), longer
side 160 (bikes: 10 x 68 x 160), hidden width 128, 8,192 points per step, 1,500 steps, evaluation
every 500 steps. Numbers are far from the papers' (MSA, whose output starts near zero under the
1/omega amplitudes, is still climbing: 16.9 dB after 600 steps, 26.7 dB after 3,000 on bikes).
"""

from __future__ import annotations

from inrkit.fields.msa import MSA_PRESETS
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.video import VideoFittingConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

BBB = "data:video/bigbuckbunny.mp4"
BIKES = "data:video/bikes.mp4"
QUICK_VIDEO = {"signal.crop": 50, "signal.stride": 5, "signal.max_side": 160, "field.hidden_features": 128,
               "task.batch_size": 8192, "trainer.steps": 1500, "trainer.eval_every": 500,
               "trainer.checkpoint_every": 500}

register_protocol(Protocol(
    name="video-msa", family="video",
    task=VideoFittingConfig(coord_convention="endpoint", coord_range=(0.0, 1.0), target_range=(0.0, 1.0),
                            batch_size=20_480),
    trainer=TrainerConfig(steps=140_625, optim=OptimConfig(lr=1e-3), schedule=ScheduleConfig("cosine", lr_min=5e-4),
                          eval_every=10_000, checkpoint_every=5000),
    description="video fitting (MSA protocol, 100 frames at 180x320, lr 1e-3 -> 5e-4 cosine)",
    reference="protocols.md §4.2 (MSA Table 1; Big Buck Bunny 4x4 area-averaged)",
    signal={"crop": 100, "max_side": 320}, scales={"quick": QUICK_VIDEO},
    sizes={"paper": {"field.hidden_layers": 2, "field.hidden_features": 400}}, dims=(3, 3), home=("msa",),
    default_signal=BBB, tags=("paper", "code"),
))
add_settings("msa", {"video-msa": Setting("MSA 3x400, s 1 -> 5", field=MSA_PRESETS["video"])})
add_settings("siren", {"video-msa": Setting("SIREN 3x400, omega_0 30")})
add_settings("wire", {"video-msa": Setting("WIRE 3x400 (H/sqrt2), omega_0 20, s_0 10")})
add_settings("finer", {"video-msa": Setting("FINER 3x400, omega_0 30")})

register_protocol(Protocol(
    name="video", family="video", task=VideoFittingConfig(coord_convention="endpoint", batch_size=165_376),
    trainer=TrainerConfig(steps=100_000, optim=OptimConfig(lr=1e-4), eval_every=10_000, checkpoint_every=5000),
    description="video fitting (SIREN train_video.py, 0.38% of voxels per step)", reference="protocols.md §4.3",
    scales={"quick": QUICK_VIDEO}, dims=(3, 3), default_signal=BIKES, tags=("code",),
))
add_settings("siren", {"video": Setting("SIREN 4x1024, omega_0 30",
                                        {"field.hidden_features": 1024, "field.hidden_layers": 3})})

register_protocol(Protocol(
    name="video-scone", family="video", task=VideoFittingConfig(coord_convention="endpoint", batch_size=262_144),
    trainer=TrainerConfig(steps=10_000, optim=OptimConfig(lr=1e-4), eval_every=1000, checkpoint_every=1000),
    description="video fitting (SCONE protocol, 262,144 points/step, lr 1e-4, 10k steps)",
    reference="protocols.md §4.1 (SCONE Table 1; cat video unavailable, bikes instead)",
    scales={"quick": QUICK_VIDEO}, dims=(3, 3), home=("scone",), default_signal=BIKES, tags=("paper", "code"),
))
