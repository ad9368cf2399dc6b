"""inrkit: implicit neural representations — SASNet, MSA, SCONE and their baselines.

Importing the package registers every built-in field, encoding, task, metric, recipe and benchmark
table, so library use sees the same registries as the CLI.
"""

__version__ = "0.1.0"

from inrkit import (  # noqa: E402,F401,I001  (bench last: its tables are rows of registered methods)
    encodings,
    fields,
    methods,  # noqa: E402,F401  (one file per method, after the protocols they join)
    metrics,
    recipes,
    tasks,
)
from inrkit import bench  # noqa: E402,F401
from inrkit.api import FittedField, fit, load  # noqa: E402,F401
