"""Benchmark tables as data: rows (recipes + overrides) x signals x seeds, per scale.

A table names its rows (each a recipe, with dotted overrides and the paper's published numbers),
the signals of each scale, the number of seeds and the metric columns of its summary. A table with a
``protocol`` is open: besides its listed rows it runs every other method registered under that
protocol (``all_rows``), so a method joins every such table by registering one setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inrkit.recipes.base import PRESETS
from inrkit.recipes.protocol import protocol_recipes, recipe_name
from inrkit.registry import METHODS, PROTOCOLS, RECIPES, TABLES

SCALES = PRESETS


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

    @classmethod
    def of(cls, method: str, protocol: str, **kw: Any) -> Row:
        """The row of ``method`` under ``protocol``, labelled as the method (``label=`` to change it)."""
        label = kw.pop("label", None) or METHODS.get(method).label
        return cls(label, recipe_name(method, PROTOCOLS.get(protocol)), **kw)


@dataclass(frozen=True)
class TableSpec:
    """A benchmark table."""

    #: registry name.
    name: str
    #: one line for ``inrkit list tables``.
    description: str
    #: the rows.
    rows: tuple[Row, ...]
    #: signal sources per scale ("quick", "paper", and "medium" where the table has that scale).
    signals: dict[str, tuple[str, ...]]
    #: metric columns of the summary.
    metrics: tuple[str, ...] = ("psnr", "ssim", "params", "wall_s")
    #: default number of seeds per scale.
    seeds: dict[str, int] = field(default_factory=lambda: {"quick": 1, "paper": 3})
    #: where the protocol and the paper numbers come from.
    reference: str = ""
    #: what the paper column compares against (e.g. "SASNet Table 1, DIV2K 512^2").
    paper_label: str = ""
    #: quality levels of ``quality_metric`` whose time-to-reach is recorded per fit; None: 25/30/35 dB
    #: for PSNR tables, none otherwise.
    quality: tuple[float, ...] | None = None
    #: protocol whose other methods join the listed rows ("" = only the listed rows).
    protocol: str = ""

    def all_rows(self) -> tuple[Row, ...]:
        """The listed rows, then one row per other method registered under ``protocol`` (its main recipe,
        not the per-signal variants such as ``sasnet-shape-lucy``)."""
        if not self.protocol:
            return self.rows
        methods = {RECIPES.get(r.recipe).method for r in self.rows if r.recipe in RECIPES}
        extra = [n for n in protocol_recipes(self.protocol) if RECIPES.get(n).method not in methods
                 and n == f"{RECIPES.get(n).method}-{self.protocol}"]
        return self.rows + tuple(Row(METHODS.get(RECIPES.get(n).method).label, n) for n in extra)

    @property
    def quality_metric(self) -> str:
        """The metric whose time-to-reach is recorded: PSNR for tables led by ``psnr`` or ``psnr_peak`` (the
        evaluation curve is PSNR either way), else the first metric."""
        first = self.metrics[0] if self.metrics else ""
        return "psnr" if first in ("psnr", "psnr_peak") else first

    @property
    def quality_levels(self) -> tuple[float, ...]:
        if self.quality is not None:
            return self.quality
        return (25.0, 30.0, 35.0) if self.quality_metric == "psnr" else ()


def register_table(table: TableSpec) -> TableSpec:
    TABLES.add(table.name, table, description=table.description)
    return table
