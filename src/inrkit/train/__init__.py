"""Training: the generic Trainer, schedules, checkpoints and run directories."""

from inrkit.train.result import RunResult
from inrkit.train.trainer import OptimConfig, Trainer, TrainerConfig

__all__ = ["OptimConfig", "RunResult", "Trainer", "TrainerConfig"]
