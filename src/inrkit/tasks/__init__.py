"""Tasks. Importing the package imports every module in it, so each ``@TASKS.register`` runs: a new task
is one new module here.
"""

import importlib
import pkgutil

from inrkit.tasks.base import Task, task_family

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Task", "task_family"]
