"""The non-finite guard: no NaN/inf loss goes unnoticed and no checkpoint holds non-finite weights.

Every step's loss is checked. On the CPU the check is a plain ``float``; on an accelerator the first
non-finite step is recorded on the device (no host synchronisation per step) and read back at the
points where the loop synchronises anyway: logged steps, evaluations, checkpoints and the end. Before
every checkpoint the parameters are checked too, so the last checkpoint on disk is always finite and
``--resume`` restarts from good state. The fit stops with a ``NonFiniteError``: one line naming the
step and the likely cause (the CLI prints it and exits with status 2).
"""

from __future__ import annotations

import math

import torch

from inrkit.errors import InputError
from inrkit.train.hooks import AFTER_EVAL, AFTER_UPDATE, ON_CHECKPOINT, FitState, Hook

CAUSE = "learning rate too high? lower trainer.optim.lr or set trainer.grad_clip"


class NonFiniteError(InputError, FloatingPointError):
    """The loss or the parameters became NaN/inf; the fit stopped before saving bad state."""


class NonFiniteGuard:
    """Checks each step's loss and, before a checkpoint, the parameters.

    Args:
        sync_every_step: read each loss back at once (default: on the CPU only, where it costs nothing).
    """

    name = "nonfinite"

    def __init__(self, sync_every_step: bool | None = None):
        self.sync_every_step = sync_every_step
        self.first_bad: torch.Tensor | None = None  # device scalar: first non-finite step, -1 if none

    def hooks(self) -> list[Hook]:
        return [Hook(AFTER_UPDATE, self.check_loss), Hook(AFTER_EVAL, self.flush),
                Hook(ON_CHECKPOINT, self.check_parameters)]

    def check_loss(self, state: FitState) -> None:
        loss = state.losses["loss"].detach()
        sync = loss.device.type == "cpu" if self.sync_every_step is None else self.sync_every_step
        if sync or state.row:  # a logged step synchronises anyway
            self.flush(state)
            if not math.isfinite(float(loss)):
                self.fail(state, "loss", state.step)
            return
        if self.first_bad is None:
            self.first_bad = torch.full((), -1, dtype=torch.long, device=loss.device)
        bad = ~torch.isfinite(loss) & (self.first_bad < 0)
        self.first_bad = torch.where(bad, torch.full_like(self.first_bad, state.step), self.first_bad)

    def flush(self, state: FitState) -> None:
        """Raise if a step recorded on the device had a non-finite loss."""
        if self.first_bad is not None:
            step = int(self.first_bad)
            if step >= 0:
                self.fail(state, "loss", step)

    def check_parameters(self, state: FitState) -> None:
        self.flush(state)
        with torch.no_grad():
            if not all(bool(torch.isfinite(p).all()) for p in state.field.parameters()):
                self.fail(state, "parameters", state.step)

    @staticmethod
    def fail(state: FitState, what: str, step: int) -> None:
        kept = (f"; the last finite checkpoint (step {state.checkpoint_step}) is kept in {state.run_dir}"
                if state.run_dir is not None and state.checkpoint_step >= 0 else "")
        raise NonFiniteError(f"{what} became non-finite at step {step} ({CAUSE}){kept}")
