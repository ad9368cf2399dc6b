"""Image protocol ``image``: the FINER image trainer (protocols.md §1.3, §1.6), inrkit's default.

Paper scale: ``hidden_layers=3``, H = 256, full batch, 5000 steps, Adam with exp-decay(0.1), pixel-
centre grid on [-1, 1] (the inrkit default protocol, §1.6), per-model learning rates of the FINER
scripts (SIREN/FINER 5e-4, WIRE 5e-3, Gauss 5e-3, PE-MLP 1e-3). Targets in [-1, 1] except PE-MLP
(FINER trains it on [0, 1]) and FFN (sigmoid read-out, [0, 1] targets as in Tancik et al.).
ReLU MLP and FFN learning rates (1e-3, with the same schedule) are [default] choices.

Quick scale [default]: the image downsampled to at most 192 px on its longer side, H = 128,
500 steps — minutes on a 2-core CPU; numbers are not comparable with the papers.

[sized]: a method whose layers are not the protocol's H x H (an encoding of its own in front, a grid,
filters) takes the width that brings its deployed parameter count (``params_deployed``) within 5% of
the protocol's SIREN (50,307 quick, 198,915 paper); ``tests/bench/test_survey_tables.py`` checks it.
"""

from __future__ import annotations

from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.fitting import FittingConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

UNIT_TARGETS = {"task.target_range": [0.0, 1.0]}


def finer_trainer(lr: float = 5e-4) -> TrainerConfig:
    """FINER image trainer: Adam, exp-decay(0.1) over 5000 full-batch steps."""
    return TrainerConfig(steps=5000, optim=OptimConfig(lr=lr), schedule=ScheduleConfig("exp_decay", gamma=0.1),
                         eval_every=500, checkpoint_every=1000)


def lr(value: float, description: str) -> Setting:
    """A setting that only fixes the learning rate."""
    return Setting(description, {"trainer.optim.lr": value})


register_protocol(Protocol(
    name="image", family="image", task=FittingConfig(), trainer=finer_trainer(),
    description="image fitting (FINER image trainer)",
    reference="protocols.md §1.3 (FINER image trainer) / §1.6 (inrkit default image protocol)",
    scales={"quick": {"signal.max_side": 192, "trainer.steps": 500, "trainer.eval_every": 100,
                      "trainer.checkpoint_every": 250}},
    sizes={"paper": {"field.hidden_layers": 3, "field.hidden_features": 256}, "quick": {"field.hidden_features": 128}},
    tags=("paper", "code"),
))

for _method, _setting in {
    "siren": lr(5e-4, "SIREN, omega_0 30/30 [code]; FINER trainer lr 5e-4"),
    "finer": lr(5e-4, "FINER, omega_0 30, default first bias [code]"),
    "wire": lr(5e-3, "WIRE, omega_0 20, s_0 10, H/sqrt2 width"),
    "gauss": lr(5e-3, "Gauss MLP, s 30"),
    "pe_mlp": Setting("PE-MLP, F 10, no pi, [0,1] targets (FINER); H 249 (quick 122) [sized]",
                      {"trainer.optim.lr": 1e-3, **UNIT_TARGETS}, quick={"field.hidden_features": 122},
                      paper={"field.hidden_features": 249}),
    "ffn": Setting("Gaussian RFF m 256 sigma 10, sigmoid out (Tancik); lr 1e-3 [default schedule]; H 185 (quick 69) "
                   "[sized]", {"trainer.optim.lr": 1e-3, **UNIT_TARGETS}, quick={"field.hidden_features": 69},
                   paper={"field.hidden_features": 185}),
    "relu_mlp": lr(1e-3, "plain ReLU MLP [default lr 1e-3]"),
}.items():
    add_settings(_method, {"image": _setting})
