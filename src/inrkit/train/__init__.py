"""Training: the generic Trainer and its hooks, schedules, checkpoints and run directories."""

from inrkit.train.guard import NonFiniteError
from inrkit.train.hooks import FitState, Hook
from inrkit.train.result import RunResult
from inrkit.train.trainer import OptimConfig, Trainer, TrainerConfig

__all__ = ["FitState", "Hook", "NonFiniteError", "OptimConfig", "RunResult", "Trainer", "TrainerConfig"]
