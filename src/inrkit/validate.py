"""Range checks for config dataclasses: each ``__post_init__`` names its key and the allowed range.

``check(cfg, where, name=rule, ...)`` raises ``InputError`` (``inrkit: error: trainer.steps must be
>= 1, got 0``). Rules: ``">=N"`` / ``">N"`` (None passes), ``"finite"``. ``check_memory`` refuses a
network whose weights and optimiser state would not fit in memory before anything is allocated.
"""

from __future__ import annotations

import math
from typing import Any

from inrkit.errors import InputError

#: refuse fields whose parameters + gradients + Adam moments exceed this many bytes.
MAX_FIELD_BYTES = 64 * 2**30
#: seeds accepted by torch.manual_seed.
MAX_SEED = 2**63 - 1


def _bad(value: Any, rule: str) -> bool:
    if value is None:
        return False
    values = value if isinstance(value, (tuple, list)) else (value,)
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return True
        if rule.startswith(">="):
            if v < float(rule[2:]):
                return True
        elif rule.startswith(">") and v <= float(rule[1:]):
            return True
    return False


def check(cfg: Any, where: str, **rules: str) -> None:
    """``InputError`` for the first field of ``cfg`` that breaks its rule."""
    for name, rule in rules.items():
        value = getattr(cfg, name)
        if _bad(value, rule):
            op = rule[:2] if rule.startswith(">=") else rule[:1]
            allowed = "a finite number" if rule == "finite" else f"{op} {rule[len(op):]}"
            raise InputError(f"{where}.{name} must be {allowed}, got {value!r}")


def check_seed(value: int, key: str) -> None:
    if not 0 <= value <= MAX_SEED:
        raise InputError(f"{key} must be in 0..2**63-1, got {value}")


def check_memory(width: int, layers: int, key: str, bytes_per_param: int = 4) -> None:
    """Refuse an MLP of ``layers`` H x H layers whose training state would need > ``MAX_FIELD_BYTES``."""
    need = width * width * max(layers, 1) * bytes_per_param * 4  # weights, gradients, two Adam moments
    if need > MAX_FIELD_BYTES:
        raise InputError(f"{key}={width} needs about {need / 2**30:.0f} GiB for weights and optimiser state "
                         f"(limit {MAX_FIELD_BYTES / 2**30:.0f} GiB); choose a smaller width")
