"""Benchmark tables as data: rows (recipes + overrides) x signals x seeds, per scale.

A table names its rows (each a recipe, with dotted overrides and the paper's published numbers),
the signals of each scale, the number of seeds and the metric columns of its summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inrkit.registry import TABLES

SCALES = ("quick", "paper")


@dataclass(frozen=True)
class Row:
    """One row of a table."""

    #: label shown in the summary (e.g. "SIREN").
    label: str
    #: recipe name.
    recipe: str
    #: dotted overrides applied at every scale.
    overrides: dict[str, Any] = field(default_factory=dict)
    #: published numbers for this row, by metric name.
    paper: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TableSpec:
    """A benchmark table."""

    #: registry name.
    name: str
    #: one line for ``inrkit list tables``.
    description: str
    #: the rows.
    rows: tuple[Row, ...]
    #: signal sources per scale ("quick", "paper").
    signals: dict[str, tuple[str, ...]]
    #: metric columns of the summary.
    metrics: tuple[str, ...] = ("psnr", "ssim", "params", "wall_s")
    #: default number of seeds per scale.
    seeds: dict[str, int] = field(default_factory=lambda: {"quick": 1, "paper": 3})
    #: where the protocol and the paper numbers come from.
    reference: str = ""
    #: what the paper column compares against (e.g. "SASNet Table 1, DIV2K 512^2").
    paper_label: str = ""
    #: quality levels of the first metric whose time-to-reach is recorded per fit; None: 25/30/35 dB
    #: for PSNR tables, none otherwise.
    quality: tuple[float, ...] | None = None

    @property
    def quality_levels(self) -> tuple[float, ...]:
        if self.quality is not None:
            return self.quality
        return (25.0, 30.0, 35.0) if self.metrics and self.metrics[0] == "psnr" else ()


def register_table(table: TableSpec) -> TableSpec:
    TABLES.add(table.name, table, description=table.description)
    return table
