"""Coordinate encodings. Importing this package registers the built-in encodings."""

from inrkit.encodings import gaussian_fourier, hashgrid, positional  # noqa: F401
from inrkit.encodings.base import Encoding

__all__ = ["Encoding"]
