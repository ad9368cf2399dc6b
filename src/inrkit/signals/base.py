"""Signal: the data a task fits, with its grid and value range."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Signal:
    """A sampled signal on a regular grid.

    Attributes:
        values: array ``[*grid_shape, C]`` (float32) in ``value_range``.
        kind: "image", "audio", "video", "volume", ...
        value_range: the (lo, hi) range the values are stored in ([0, 1] for images).
        meta: provenance and loading details (source, bit depth, original size, ...).
    """

    values: np.ndarray
    kind: str
    value_range: tuple[float, float] = (0.0, 1.0)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def grid_shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape[:-1])

    @property
    def channels(self) -> int:
        return int(self.values.shape[-1])

    @property
    def ndim(self) -> int:
        """Coordinate dimension d."""
        return len(self.grid_shape)
