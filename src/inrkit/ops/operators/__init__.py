"""Forward operators of inverse problems (registry ``OPERATORS``). Importing registers them."""

from inrkit.ops.operators import image, mri, radon  # noqa: F401
from inrkit.ops.operators.base import NoiseConfig, Operator, add_noise

__all__ = ["NoiseConfig", "Operator", "add_noise"]
