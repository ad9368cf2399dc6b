"""The scale ladder: orderings per scale beside the paper's, with Kendall's tau."""

from __future__ import annotations

import csv

from inrkit.cli import main


def write_results(path, psnr_by_row):
    path.mkdir(parents=True)
    with (path / "results.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["table", "row", "seed", "psnr"])
        w.writeheader()
        for row, values in psnr_by_row.items():
            for seed, v in enumerate(values):
                w.writerow({"table": "sasnet-table1", "row": row, "seed": seed, "psnr": v})


def test_ladder_puts_scales_side_by_side_and_judges_the_papers_ordering(tmp_path, capsys):
    # the paper: SASNet 39.82 > FINER 37.52 > SIREN 34.64 > FFN 31.92 > WIRE 28.76
    write_results(tmp_path / "sasnet-table1-quick", {"SIREN": [40, 42], "FINER": [38], "SASNet": [35],
                                                     "WIRE": [20], "FFN": [30]})
    write_results(tmp_path / "sasnet-table1-medium", {"SIREN": [30], "FINER": [33], "SASNet": [36], "WIRE": [20],
                                                      "FFN": [25]})
    assert main(["ladder", "sasnet-table1", "--dir", str(tmp_path)]) == 0
    text = (tmp_path / "sasnet-table1-ladder.md").read_text()
    assert "| SIREN | 34.64 (3) | 41 (1) | 30 (3) |" in text
    assert "quick scale, paper settings: best SIREN (41); the paper's ordering partly holds" in text
    assert "medium scale, paper settings: best SASNet (36); the paper's ordering holds (Kendall tau 1.00 over 5" in text
    assert "wrote" in capsys.readouterr().out


def test_ladder_without_results_is_one_line(tmp_path, capsys):
    assert main(["ladder", "sasnet-table1", "--dir", str(tmp_path)]) == 2
    assert "no results of sasnet-table1" in capsys.readouterr().err
