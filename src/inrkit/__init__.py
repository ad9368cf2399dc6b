"""inrkit: implicit neural representations — SASNet, MSA, SCONE and their baselines.

Importing the package registers every built-in field, encoding, task, metric, recipe and benchmark
table, so library use sees the same registries as the CLI.
"""

__version__ = "0.1.0"

from inrkit import bench, encodings, fields, metrics, recipes, tasks  # noqa: E402,F401
