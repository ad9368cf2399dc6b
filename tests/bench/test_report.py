"""``inrkit report``: Markdown + self-contained HTML for bench and run directories."""

from __future__ import annotations

import json
import re

from inrkit.bench.report_plots import init_spectra, ntk_plot
from inrkit.bench.runner import run_table
from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.cli import main
from inrkit.registry import TABLES

SMALL = {"field.hidden_features": 8, "field.hidden_layers": 1, "trainer.steps": 40, "trainer.eval_every": 20}


def test_bench_report_has_tables_curves_and_embedded_images(tiny_png, tmp_path, capsys):
    name = "report-tiny"
    if name not in TABLES:
        register_table(TableSpec(name=name, description="report test table",
                                 rows=(Row("SIREN", "siren-image", SMALL, paper={"psnr": 33.3}),
                                       Row("FINER", "finer-image", {**SMALL, "field.hidden_features": 12})),
                                 signals={"quick": (str(tiny_png),), "paper": (str(tiny_png),)}))
    root = tmp_path / "benches"
    run_table(name, "quick", root / "a", seeds=1, device="cpu", progress=False, extra=("trainer.optim.eps=1e-9",))
    assert main(["report", str(root)]) == 0
    md = (root / "report.md").read_text()
    assert "| SIREN |" in md and "psnr (paper)" in md and "33.30" in md and "Time to quality" in md
    assert "Overrides of every fit (`--set`): `trainer.optim.eps=1e-9`." in md
    assert "| FINER | " in md and "`field.hidden_features=12`" in md  # each row's own overrides
    figures = re.findall(r"!\[[^]]*\]\(([^)]+)\)", md)
    assert len(figures) == 5 and all((root / f).stat().st_size > 1000 for f in figures)  # 3 plots + gallery
    assert "### Gallery:" in md and sum("comparison.png" in f for f in figures) == 2
    assert sum(f.endswith("-ntk.png") for f in figures) == 1 and "Empirical NTK eigenvalues" in md
    page = (root / "report.html").read_text()
    assert page.count("data:image/png;base64,iVBOR") == 5 and "<table>" in page and "<td>SIREN</td>" in page
    assert not re.search(r"(src|href)=\"(http|/|report_files)", page)  # self-contained
    history = next((root / "a" / "runs").rglob("history.csv"))
    assert len(history.read_text().splitlines()) - 1 >= 20  # the bench evaluates >= 20 times per fit


def test_run_report_and_bad_input(tiny_png, tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["fit", str(tiny_png), "--model", "siren", "--steps", "3", "--device", "cpu",
                 "--set", "field.hidden_features=8", "--out", str(run), "--no-progress"]) == 0
    assert main(["report", str(run)]) == 0
    md = (run / "report.md").read_text()
    # the labelled comparison figure stands for the separate reconstruction and error images
    assert "| psnr |" in md and "![comparison](comparison.png)" in md and "reconstruction.png" not in md
    assert "![spectrum](plots/spectrum.png)" in md and "![ntk](plots/ntk.png)" in md
    assert "data:image/png;base64," in (run / "report.html").read_text()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 2
    assert "holds neither a run" in capsys.readouterr().err


def test_ntk_plot_takes_each_rows_first_signal_and_seed(tmp_path):
    def run(name, record):
        d = tmp_path / name
        d.mkdir()
        (d / "ntk.json").write_text(json.dumps(record))
        return str(d)

    results = [{"row": "A", "signal": "s1", "seed": 1, "run_dir": run("a1", {"points": 3, "init": [2.0, 1.0, 0.5]})},
               {"row": "A", "signal": "s1", "seed": 0, "run_dir": run("a0", {"points": 2, "init": [4.0, 1.0]})},
               {"row": "A", "signal": "s2", "seed": 0, "run_dir": run("a2", {"points": 2, "init": [9.0, 9.0]})},
               {"row": "B", "signal": "s1", "seed": 0, "run_dir": run("b0", {"skipped": "no torch.func"})},
               {"row": "C", "signal": "s1", "seed": 0, "run_dir": str(tmp_path / "missing")}]
    assert init_spectra(results) == {"A": ([4.0, 1.0], "s1")}
    assert ntk_plot(tmp_path / "ntk.png", results) and (tmp_path / "ntk.png").stat().st_size > 1000
    assert not ntk_plot(tmp_path / "none.png", results[3:])
