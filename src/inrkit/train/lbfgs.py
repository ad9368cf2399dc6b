"""L-BFGS refinement (PINNs, protocols.md §10.4): the last N steps run ``torch.optim.LBFGS``.

``TrainerConfig.lbfgs_steps = N`` swaps the trainer's update for L-BFGS (strong-Wolfe line search,
lr 1, ``lbfgs_max_iter`` evaluations per step) on the task's batches from step ``steps - N`` on. Its
curvature history is not checkpointed, so a resume inside that phase restarts it.
"""

from __future__ import annotations

from typing import Any

import torch

from inrkit.train.hooks import BEFORE_STEP, FitState, Hook


class LBFGSRefinement:
    """Switches ``state.step_fn`` to an L-BFGS step for the last ``steps`` steps."""

    name = "lbfgs"

    def __init__(self, steps: int, max_iter: int = 20):
        self.steps, self.max_iter = steps, max_iter
        self.opt: torch.optim.LBFGS | None = None

    def hooks(self) -> list[Hook]:
        return [Hook(BEFORE_STEP, self.maybe_switch)]

    def maybe_switch(self, state: FitState) -> None:
        if self.opt is None and state.step >= state.total - self.steps:
            params = [p for p in state.field.parameters() if p.requires_grad]
            self.opt = torch.optim.LBFGS(params, lr=1.0, max_iter=self.max_iter, history_size=50,
                                         line_search_fn="strong_wolfe")
            state.step_fn = self.step

    def step(self, state: FitState, batch: Any) -> dict[str, Any]:
        """One L-BFGS step; returns the loss terms of its last evaluation."""
        last: dict[str, Any] = {}

        def closure():
            self.opt.zero_grad(set_to_none=True)
            losses = state.task.loss(state.field, batch)
            losses["loss"].backward()
            last.update(losses)
            return losses["loss"]

        self.opt.step(closure)
        return last
