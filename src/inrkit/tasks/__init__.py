"""Tasks. Importing registers the built-in ones."""

from inrkit.tasks import fitting, function1d, occupancy, sdf  # noqa: F401
from inrkit.tasks.base import Task

__all__ = ["Task"]
