"""Audio protocol ``audio`` (recipes ``<model>-audio``): SIREN's Bach protocol and baselines (protocols.md §5).

Paper scale: SIREN ``hidden_layers=3``, H = 256, first omega_0 = **3000** on ``linspace(-1, 1, N)``
(the SIREN notebook convention), hidden omega_0 = 30, Adam lr 1e-4 (constant), full batch, 1000
steps. Baselines under the same protocol [default]: FINER with first omega_0 3000 and first-bias
scale k = 5 (third-party FINER audio scripts); MSA 4 x 256 with s from 1 to 5.5 in the hidden blocks
and 0 -> 0.8 in the last (the 1-D y4 lists, float32) [default; MSA has no audio experiment].

Quick scale [default], minutes on one CPU core: the first 2 s of the clip (88,200 samples), random
batches of 8,192 samples, 1,000 steps at lr 1e-4 — the numbers are far below full-batch fits.
Default signal ``data:audio/gt_bach.wav``.
"""

from __future__ import annotations

from inrkit.fields.msa import MSAFieldConfig
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.audio import AudioFittingConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

register_protocol(Protocol(
    name="audio", family="audio", task=AudioFittingConfig(),
    trainer=TrainerConfig(steps=1000, optim=OptimConfig(lr=1e-4), eval_every=100, checkpoint_every=500),
    description="audio fitting (SIREN bach protocol, lr 1e-4, 1000 full-batch steps)",
    reference="protocols.md §5 (SIREN audio notebook: first omega_0 3000, lr 1e-4, 1000 full-batch steps)",
    scales={"quick": {"signal.crop": 88_200, "task.batch_size": 8192, "trainer.steps": 1000,
                      "trainer.eval_every": 250}},
    sizes={"paper": {"field.hidden_layers": 3, "field.hidden_features": 256}}, dims=(1, 1),
    default_signal="data:audio/gt_bach.wav", tags=("paper", "code"),
))

add_settings("siren", {"audio": Setting("SIREN 4x256, omega_0 3000/30", {"field.first_activation.omega_0": 3000.0})})
add_settings("finer", {"audio": Setting("FINER 4x256, omega_0 3000/30, first bias k 5",
                                        {"field.first_activation.omega_0": 3000.0,
                                         "field.first_activation.first_bias_scale": 5.0})})
add_settings("msa", {"audio": Setting(
    "MSA 4x256, s [1,1,1,0] -> [5.5,5.5,5.5,0.8]",
    field=MSAFieldConfig(in_features=1, out_features=1, hidden_features=256, hidden_layers=3,
                         s_min=(1.0, 1.0, 1.0, 0.0), s_max=(5.5, 5.5, 5.5, 0.8)))})
