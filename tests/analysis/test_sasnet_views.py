"""A SASNet run writes its masks (one image per group and layer) and the FEmb spectrum."""

from __future__ import annotations

from PIL import Image

from inrkit.cli import main


def test_sasnet_run_writes_masks_and_spectrum(tiny_png, tmp_path):
    out = tmp_path / "run"
    args = ["fit", str(tiny_png), "--model", "sasnet", "--out", str(out), "--steps", "3", "--no-progress",
            "--device", "cpu", "--set", "field.femb.features=32", "--set", "field.hidden_features=16",
            "--set", "field.hidden_groups=4", "--set", "field.femb.band_limit=8", "--set", "field.femb.low_range=2"]
    assert main(args) == 0
    plots = out / "plots"
    assert (plots / "femb_spectrum.png").is_file()
    for layer, groups in (("h1", 4), ("h2", 4), ("h3", 4)):
        assert (plots / f"masks_{layer}.png").is_file()
        for g in range(groups):
            img = Image.open(plots / "masks" / f"{layer}_g{g}.png")
            assert img.size == (24, 20) and img.mode == "RGB"
    assert main(["eval", str(out), "--shift", "0.125", "--scale", "16", "--device", "cpu"]) == 0


def test_default_fit_is_sasnet_on_embedded_image(tmp_path):
    from inrkit.cli import _parser, resolve_fit_config

    cfg, model = resolve_fit_config(_parser().parse_args(["fit"]))
    assert model == "sasnet" and cfg.signal.source == "builtin:camera" and cfg.recipe == "sasnet-image"
