"""``inrkit report DIR``: a Markdown file and a self-contained HTML page for a run or bench directory.

- Bench directory (holds ``results.csv``), or a folder of them: per table, the summary (ours beside the
  paper's numbers and the time-to-quality table, as in ``summary.md``), convergence curves (loss and
  the table's first metric against step and wall time), a quality-against-parameters plot and the rows'
  init NTK spectra (``RUN/ntk.json``).
- Run directory (holds ``metrics.json``): its metrics, config and the images it wrote (``plots/`` included:
  the power spectrum ``spectrum.png`` and the NTK spectrum ``ntk.png``).
- ``speed.json`` files (``inrkit bench speed``) anywhere under DIR: the speed table and its summary line.

``report.md`` links its figures in ``report_files/``; ``report.html`` embeds them as data URIs, so the
page can be mailed or archived on its own.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import math
import os
import re
from pathlib import Path
from typing import Any

from inrkit.errors import InputError
from inrkit.io import read_json, write_text


def _number(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text
    return value if not math.isnan(value) else math.nan


def read_results(path: Path) -> list[dict[str, Any]]:
    with open(path, newline="") as f:
        rows = [{k: (_number(v) if k not in ("table", "row", "recipe", "signal", "scale", "run_dir") else v)
                 for k, v in r.items() if v != ""} for r in csv.DictReader(f)]
    for r in rows:
        if isinstance(r.get("seed"), float):
            r["seed"] = int(r["seed"])
    return rows


def find_bench_dirs(root: Path) -> list[Path]:
    if (root / "results.csv").exists():
        return [root]
    return sorted(p.parent for p in root.rglob("results.csv") if "runs" not in p.relative_to(root).parts)


def _shift_headings(md: str, by: int) -> list[str]:
    return [("#" * by + line) if line.startswith("#") else line for line in md.splitlines()]


def _overrides_lines(bench: Path, table: Any) -> list[str]:
    """The bench's ``--set`` overrides (``bench.json``) and each row's own overrides, as the fits used them."""
    info = read_json(bench / "bench.json") if (bench / "bench.json").is_file() else {}
    sets = info.get("sets") or []
    lines = ["Overrides of every fit (`--set`): " + (", ".join(f"`{s}`" for s in sets) if sets else "none") + "."]
    rows = [r for r in table.rows if r.overrides]
    if rows:
        lines += ["", "| row | its own overrides |", "|---|---|"]
        lines += [f"| {r.label} | {', '.join(f'`{k}={v}`' for k, v in r.overrides.items())} |" for r in rows]
    return lines + [""]


def bench_section(bench: Path, files: Path, rel: str) -> list[str]:
    from inrkit.bench.report_plots import convergence_plot, ntk_plot, scaling_plot
    from inrkit.bench.summary import summary_md
    from inrkit.bench.tables import TableSpec
    from inrkit.registry import TABLES

    results = read_results(bench / "results.csv")
    if not results:
        return [f"## {bench.name}", "", "results.csv holds no finished fits yet.", ""]
    for r in results:  # run directories are stored relative to where the bench ran: resolve them here
        run = Path(r.get("run_dir", ""))
        if not run.is_absolute() and not run.exists():
            parts = run.parts
            if "runs" in parts:
                r["run_dir"] = str(bench.joinpath(*parts[parts.index("runs"):]))
    name, scale = results[0]["table"], results[0].get("scale", "quick")
    if name in TABLES:
        table = TABLES.get(name)
    else:  # a table this install does not know: columns from the CSV, no paper numbers
        table = TableSpec(name=name, description="(table not registered here)", rows=(), signals={})
    if not table.all_rows():
        from inrkit.bench.tables import Row

        labels = list(dict.fromkeys(r["row"] for r in results))
        table = TableSpec(name=name, description=table.description, signals={},
                          rows=tuple(Row(label, "") for label in labels))
    ran = {r["row"] for r in results}  # every row that ran, and only those
    table = dataclasses.replace(table, rows=tuple(r for r in table.all_rows() if r.label in ran), protocol="")
    metric = table.quality_metric
    if table.quality_levels:  # results.csv written before time-to-quality existed: derive it here
        from inrkit.analysis.convergence import read_history, time_to_quality

        for r in results:
            if not any(k.startswith("time_to_") for k in r) and r.get("run_dir"):
                r.update(time_to_quality(read_history(Path(r["run_dir"]) / "history.csv"), metric,
                                         table.quality_levels))
    lines = _shift_headings(summary_md(table, results, scale), 1)
    lines += ["", f"Results: `{bench / 'results.csv'}` ({len(results)} fits).", ""]
    lines += _overrides_lines(bench, table)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{name}-{scale}")
    for kind, plot in (("convergence", convergence_plot), ("scaling", scaling_plot)):
        png = files / f"{stem}-{kind}.png"
        if plot(png, results, metric):
            lines += [f"![{name} {kind}]({rel}/{png.name})", ""]
    png = files / f"{stem}-ntk.png"
    if ntk_plot(png, results):
        lines += ["Empirical NTK eigenvalues at initialisation, normalised by the largest (each row's first "
                  "signal and seed, `RUN/ntk.json`): a slower decay means more directions are learned at once.",
                  "", f"![{name} ntk]({rel}/{png.name})", ""]
    return lines + gallery(results)


def gallery(results: list[dict[str, Any]]) -> list[str]:
    """Per signal, each row's comparison figure (or reconstruction) from its first seed."""
    lines, signals = [], list(dict.fromkeys(str(r.get("signal", "")) for r in results))
    for signal in signals:
        shown = {}
        for r in sorted((r for r in results if str(r.get("signal", "")) == signal), key=lambda r: r.get("seed", 0)):
            run = Path(r.get("run_dir", ""))
            img = next((run / f for f in ("comparison.png", "reconstruction.png") if (run / f).is_file()), None)
            if img is not None and r["row"] not in shown:
                shown[r["row"]] = img
        if shown:
            lines += [f"### Gallery: {signal}", ""]
            for row, img in shown.items():
                lines += [f"{row}:", "", f"![{row} on {signal}]({img.resolve().as_posix()})", ""]
    return lines


def run_section(run: Path, rel_root: Path) -> list[str]:
    metrics = read_json(run / "metrics.json")
    config = read_json(run / "config.json") if (run / "config.json").exists() else {}
    source, field = config.get("signal", {}).get("source", "?"), config.get("field", {}).get("type")
    lines = [f"# Run `{run.name}`", "", f"Recipe: {config.get('recipe', '?')} ({config.get('preset', '?')}); "
             f"signal: `{source}`; field: `{field}`.",
             "", "| metric | value |", "|---|---|"]
    for k, v in metrics.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            lines.append(f"| {k} | {v:.6g} |")
        elif isinstance(v, str):
            lines.append(f"| {k} | {v} |")
    lines.append("")
    images = sorted(run.glob("*.png")) + sorted((run / "plots").glob("*.png"))
    if (run / "comparison.png").is_file():  # it already shows the reconstruction and the error map, labelled
        images = [i for i in images if i.name not in ("reconstruction.png", "error.png")]
    for img in images:
        lines += [f"![{img.stem}]({Path(os.path.relpath(img, rel_root)).as_posix()})", ""]
    return lines


def embed_images(md: str, base: Path) -> str:
    """Markdown with every ``![alt](file.png)`` line's image inlined as a data URI."""
    def data_uri(m: re.Match) -> str:
        img = base / m.group(2)
        data = base64.b64encode(img.read_bytes()).decode() if img.exists() else ""
        return f"![{m.group(1)}](data:image/png;base64,{data})"

    return re.sub(r"^!\[(.*)\]\((.*)\)$", data_uri, md, flags=re.MULTILINE)


def md_to_html(md: str, base: Path, title: str) -> str:
    """The report's Markdown (``markdown`` with tables) in the page template ``templates/report.html.j2``."""
    import jinja2
    import markdown

    env = jinja2.Environment(loader=jinja2.PackageLoader("inrkit.bench", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    body = markdown.markdown(embed_images(md, base), extensions=["tables"])
    return env.get_template("report.html.j2").render(title=title, body=markup(body))


def markup(text: str):
    """``text`` marked safe for the template (the markdown package escapes the report's own text)."""
    import markupsafe

    return markupsafe.Markup(text)


def write_report(root: Path, out: Path | None = None) -> tuple[Path, Path]:
    """Write ``report.md`` and ``report.html`` (default: into ``root``); return their paths."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory")
    out = Path(out or root)
    files = out / "report_files"
    files.mkdir(parents=True, exist_ok=True)
    if (root / "metrics.json").exists():
        lines = run_section(root, out)
        title = f"inrkit run {root.name}"
    else:
        benches = find_bench_dirs(root)
        speeds = sorted(root.rglob("speed.json"))  # inrkit bench speed
        if not benches and not speeds:
            raise InputError(f"{root}: holds neither a run (metrics.json) nor bench results (results.csv, speed.json)")
        title = f"inrkit report: {root.name}"
        lines = [f"# {title}", "", f"{len(benches)} bench table(s) under `{root}`.", ""]
        for bench in benches:
            lines += bench_section(bench, files, files.relative_to(out).as_posix())
        if speeds:
            from inrkit.bench.speed import speed_report_lines

            lines += speed_report_lines(speeds)
    md = "\n".join(lines) + "\n"
    md_path, html_path = out / "report.md", out / "report.html"
    write_text(md_path, md)
    write_text(html_path, md_to_html(md, out, title))
    return md_path, html_path
