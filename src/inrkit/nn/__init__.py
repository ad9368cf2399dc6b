"""Building blocks: activations (with their init rules) and the coordinate MLP."""

from inrkit.nn.activations import Activation
from inrkit.nn.mlp import CoordinateMLP, INRLayer

__all__ = ["Activation", "CoordinateMLP", "INRLayer"]
