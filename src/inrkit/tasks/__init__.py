"""Tasks. Importing registers the built-in ones."""

from inrkit.tasks import audio, compression, fitting, function1d, inverse, occupancy, pde, sdf, video  # noqa: F401
from inrkit.tasks.base import Task

__all__ = ["Task"]
