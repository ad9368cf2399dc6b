"""Metrics: pure functions with explicit data ranges (metrics.md). Importing registers them."""

from inrkit.metrics import image, lpips  # noqa: F401
