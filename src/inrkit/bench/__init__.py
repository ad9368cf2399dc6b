"""Benchmarks: tables as data, executors and summaries. Importing registers the built-in tables."""

from inrkit.bench import (  # noqa: F401
    av_pde_tables,
    compress_tables,
    image_tables,
    inverse_tables,
    msa_tables,
    sasnet_tables,
    scone_tables,
    shape_tables,
    survey_tables,
)
from inrkit.bench.runner import run_table
from inrkit.bench.tables import Row, TableSpec, register_table

__all__ = ["Row", "TableSpec", "register_table", "run_table"]
