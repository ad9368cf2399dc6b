"""Encoding base class: a map from coordinates ``[*batch, in_features]`` to ``[*batch, out_features]``.

Encodings have no side effects in ``forward`` (nothing is cached on ``self``), so they work under
autograd derivatives, ``torch.func.vmap`` and double backward.
"""

from __future__ import annotations

from torch import Tensor, nn


class Encoding(nn.Module):
    """Base class of coordinate encodings.

    Attributes:
        in_features: coordinate dimension d.
        out_features: width of the encoding.
    """

    in_features: int
    out_features: int

    def forward(self, x: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError
