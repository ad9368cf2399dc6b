"""The HTML report rendered by a real headless browser (chromium), skipped when none is installed."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from inrkit.bench.runner import run_table
from inrkit.bench.tables import Row, TableSpec, register_table
from inrkit.cli import main
from inrkit.registry import TABLES

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
SMALL = {"field.hidden_features": 8, "field.hidden_layers": 1, "trainer.steps": 40, "trainer.eval_every": 20}


@pytest.mark.skipif(BROWSER is None, reason="no chromium / chrome on PATH")
def test_report_screenshot_in_headless_chromium(tiny_png, tmp_path):
    name = "report-browser-tiny"
    if name not in TABLES:
        register_table(TableSpec(name=name, description="browser test table",
                                 rows=(Row("SIREN", "siren-image", SMALL), Row("FINER", "finer-image", SMALL)),
                                 signals={"quick": (str(tiny_png),), "paper": (str(tiny_png),)}))
    root = tmp_path / "bench"
    run_table(name, "quick", root, seeds=2, device="cpu", progress=False)
    assert main(["report", str(root)]) == 0
    shot = tmp_path / "report.png"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1280,2400", (root / "report.html").as_uri()],
                   check=True, capture_output=True, timeout=120)
    img = np.asarray(Image.open(shot).convert("RGB"), dtype=np.float64)
    assert img.shape[:2] == (2400, 1280)
    rows = img.std(axis=(1, 2))
    assert (rows > 10).mean() > 0.3  # tables and figures drawn, not a blank or error page
