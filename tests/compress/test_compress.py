"""Compression: quantisation, bit-exact encode/decode round trips, file size = reported bpp, the
compression task, the CLI round trip and the reference codecs."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from inrkit.cli import main
from inrkit.compress import GridInfo, decode_bytes, decode_file, dequantise, encode_field, quantise, reference
from inrkit.compress.quantize import entropy_bits, fake_quantise
from inrkit.config import override
from inrkit.encodings.hashgrid import HashGridConfig
from inrkit.fields.sasnet import SASNET_PRESETS
from inrkit.fields.siren import SirenConfig
from inrkit.fields.wire import WireConfig
from inrkit.io import read_json
from inrkit.nn.femb import FEmbConfig
from inrkit.registry import RECIPES
from inrkit.train.run import fit

GRID = GridInfo((20, 24))


def test_quantise_error_and_levels():
    w = torch.randn(1000)
    for bits in (6, 8, 12):
        q = quantise(w, bits)
        assert q.symbols.min() == 0 and q.symbols.max() == (1 << bits) - 1
        back = dequantise(q, w)
        assert float((back - w).abs().max()) <= float(q.delta) / 2 + 1e-6
    const = quantise(torch.full((5,), 0.3), 8)
    assert torch.equal(dequantise(const, torch.zeros(5)), torch.full((5,), 0.3))
    z = torch.randn(4, 3, dtype=torch.complex64)
    assert dequantise(quantise(z, 16), z).dtype == torch.complex64
    assert entropy_bits(np.array([0, 0, 1, 1])) == 4.0 and entropy_bits(np.zeros(9, int)) == 0.0


@pytest.mark.parametrize("seed", range(20))
def test_fake_quantise_straight_through(seed):
    w = torch.randn(50, generator=torch.Generator().manual_seed(seed), requires_grad=True)
    fq = fake_quantise(w, 4)
    lo, delta = w.detach().min(), (w.detach().max() - w.detach().min()) / 15
    levels = torch.round((w.detach() - lo) / delta)
    assert len(torch.unique(levels)) <= 16
    # forward = the 16-level tensor, up to the rounding of w + (q - w) (an ulp of w)
    assert torch.allclose(fq.detach(), levels * delta + lo, rtol=0, atol=1e-6)
    fq.sum().backward()
    assert torch.equal(w.grad, torch.ones(50))


FIELDS = [
    SirenConfig(in_features=2, out_features=3, hidden_features=12, hidden_layers=2),
    WireConfig(in_features=2, out_features=3, hidden_features=12, hidden_layers=1),  # complex weights
    replace(SASNET_PRESETS["image"], hidden_features=16, femb=FEmbConfig(features=16, band_limit=4, low_range=2),
            grid=HashGridConfig(n_levels=2, bitwidth=6)),  # frozen parameters and buffers
]


@pytest.mark.parametrize("coder", ["range", "zstd"])
@pytest.mark.parametrize("cfg", FIELDS, ids=["siren", "wire", "sasnet"])
def test_round_trip_is_bit_exact(cfg, coder):
    from inrkit.registry import FIELDS as REG

    torch.manual_seed(3)
    field = REG.create(cfg)
    with torch.no_grad():  # "train": move every trainable weight
        for p in field.parameters():
            if p.requires_grad:
                p.add_(0.01 * torch.randn_like(p))
    for bits in (16, 8, 6):
        enc = encode_field(field, cfg, GRID, bits, coder, seed=3)
        dec = decode_bytes(enc.data)
        params = dict(dec.field.named_parameters())
        for name, value in enc.quantised.items():
            assert torch.equal(params[name].detach(), value), name  # decoded == quantised, bit for bit
        for name, value in field.state_dict().items():
            if name not in enc.quantised:
                assert torch.equal(dec.field.state_dict()[name], value), name  # rebuilt from config + seed
        assert enc.bpp == 8 * len(enc.data) / (20 * 24)
        assert dec.bits == bits and dec.coder == coder and dec.grid == GRID
        assert dec.render().shape == (20, 24, 3)


def test_untrained_state_must_be_reproducible():
    from inrkit.encodings.gaussian_fourier import GaussianFourierConfig
    from inrkit.fields.ffn import FFNConfig
    from inrkit.registry import FIELDS as REG

    cfg = FFNConfig(in_features=2, out_features=3, hidden_features=8, hidden_layers=1,
                    encoding=GaussianFourierConfig(num_frequencies=4))
    torch.manual_seed(0)
    field = REG.create(cfg)
    assert decode_bytes(encode_field(field, cfg, GRID, 8, seed=0).data).field.state_dict()["encoding.B"].equal(
        field.state_dict()["encoding.B"])  # the Fourier matrix (a buffer) is rebuilt from the config
    field.encoding.B.add_(1.0)  # an untrained state the file could not restore
    with pytest.raises(Exception, match="not reproduced"):
        encode_field(field, cfg, GRID, 8, seed=0)


def _tiny_fit(tiny_png, tmp_path, name="siren-compress", **extra):
    cfg = RECIPES.get(name).config("quick", str(tiny_png))
    for key, value in {"trainer.steps": 20, "trainer.eval_every": 10, "trainer.progress": False,
                       "trainer.device": "cpu", "field.hidden_features": 8, **extra}.items():
        cfg = override(cfg, key, value)
    return fit(cfg, tmp_path / "run")


def test_compression_task_files_match_reported_rates(tiny_png, tmp_path):
    result = _tiny_fit(tiny_png, tmp_path, **{"task.bits": [12, 6], "task.qat_steps": 3, "task.codecs": ["jpeg"]})
    m = result.metrics
    for b in (12, 6):
        path = tmp_path / "run" / f"compressed_b{b}.inrc"
        assert path.stat().st_size * 8 / (20 * 24) == pytest.approx(m[f"bpp_b{b}"], abs=1e-12)
        assert m[f"bpp_ideal_b{b}"] <= m[f"bpp_b{b}"] + 0.5
        dec = decode_file(path)
        assert dec.render().shape == (20, 24, 3)
        assert f"psnr_jpeg_b{b}" in m and np.isfinite(m[f"psnr_b{b}"])
    assert m["psnr_b12"] >= m["psnr_b6"] - 0.5
    assert "jpeg" in read_json(tmp_path / "run" / "metrics.json")["rd_codecs"]


def test_cli_compress_decompress(tiny_png, tmp_path, capsys):
    _tiny_fit(tiny_png, tmp_path, name="siren-image", **{"task.edge_metrics": False, "task.lpips": False})
    run = tmp_path / "run"
    assert main(["compress", str(run), "--bits", "8", "--out", str(tmp_path / "f.inrc")]) == 0
    printed = json.loads(capsys.readouterr().out)
    size = (tmp_path / "f.inrc").stat().st_size
    assert printed["bytes"] == size and printed["bpp"] == pytest.approx(8 * size / (20 * 24))
    assert main(["decompress", str(tmp_path / "f.inrc"), "--out", str(tmp_path / "dec"), "--scale", "2"]) == 0
    assert (tmp_path / "dec" / "render_x2.png").is_file() and (tmp_path / "dec" / "model.safetensors").is_file()
    assert main(["decompress", str(tiny_png)]) == 2  # not a compressed field: one clear error


def test_reference_codecs(image_factory):
    img = image_factory(32, 40)
    pts = reference.curve(img, "jpeg")
    assert len(pts) == len(reference.QUALITIES["jpeg"]) and pts[0]["bpp"] < pts[-1]["bpp"]
    assert np.isnan(reference.at_bpp(pts, pts[-1]["bpp"] + 1.0))
    mid = reference.at_bpp(pts, (pts[0]["bpp"] + pts[-1]["bpp"]) / 2)
    assert min(p["psnr"] for p in pts) <= mid <= max(p["psnr"] for p in pts)
    assert "jpeg" in reference.available()
