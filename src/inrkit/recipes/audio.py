"""Audio recipes (``<model>-audio``): SIREN's Bach protocol and baselines (protocols.md §5).

Paper preset: SIREN ``hidden_layers=3``, H = 256, first omega_0 = **3000** on ``linspace(-1, 1, N)``
(the SIREN notebook convention), hidden omega_0 = 30, Adam lr 1e-4 (constant), full batch, 1000
steps. Baselines under the same protocol [default]: FINER with first omega_0 3000 and first-bias
scale k = 5 (third-party FINER audio scripts); MSA 4 x 256 with s from 1 to 5.5 in the hidden blocks
and 0 -> 0.8 in the last (the 1-D y4 lists, float32) [default; MSA has no audio experiment].

Quick preset [default], minutes on one CPU core: the first 2 s of the clip (88,200 samples), random
batches of 8,192 samples, 1,000 steps at lr 1e-4 — the numbers are far below full-batch fits.
Default signal ``data:audio/gt_bach.wav``.
"""

from __future__ import annotations

from inrkit.fields.finer import FinerConfig
from inrkit.fields.msa import MSAFieldConfig
from inrkit.fields.siren import SirenConfig
from inrkit.nn.activations import FinerConfig as FinerActivation
from inrkit.nn.activations import SineConfig
from inrkit.recipes.base import Recipe, register_recipe
from inrkit.tasks.audio import AudioFittingConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

REFERENCE = "protocols.md §5 (SIREN audio notebook: first omega_0 3000, lr 1e-4, 1000 full-batch steps)"
AUDIO_TRAINER = TrainerConfig(steps=1000, optim=OptimConfig(lr=1e-4), eval_every=100, checkpoint_every=500)
QUICK_AUDIO = {"signal.crop": 88_200, "task.batch_size": 8192, "trainer.steps": 1000, "trainer.eval_every": 250}
SIZE = dict(in_features=1, out_features=1, hidden_features=256, hidden_layers=3)

_RECIPES = [
    ("siren", SirenConfig(**SIZE, first_activation=SineConfig(3000.0), activation=SineConfig(30.0)), "SIREN 4x256, omega_0 3000/30"),
    ("finer", FinerConfig(**SIZE, first_activation=FinerActivation(3000.0, 5.0), activation=FinerActivation(30.0)),
     "FINER 4x256, omega_0 3000/30, first bias k 5"),
    ("msa", MSAFieldConfig(**SIZE, s_min=(1.0, 1.0, 1.0, 0.0), s_max=(5.5, 5.5, 5.5, 0.8)),
     "MSA 4x256, s [1,1,1,0] -> [5.5,5.5,5.5,0.8]"),
]

for _name, _field, _desc in _RECIPES:
    register_recipe(Recipe(
        name=f"{_name}-audio", field=_field, task=AudioFittingConfig(), trainer=AUDIO_TRAINER, kind="audio",
        description=f"audio fitting (SIREN bach protocol): {_desc}, lr 1e-4, 1000 full-batch steps",
        reference=REFERENCE, quick=QUICK_AUDIO, default_signal="data:audio/gt_bach.wav"))
