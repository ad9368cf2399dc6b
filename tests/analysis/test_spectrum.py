"""Power spectra (``analysis/spectrum.py``): peaks of pure tones, flat white noise, the run-directory plots."""

from __future__ import annotations

import numpy as np
import pytest

from inrkit.analysis.spectrum import log_binned, power_spectrum_1d, radial_power_spectrum
from inrkit.config import override
from inrkit.recipes import find_recipe
from inrkit.train.run import fit


@pytest.mark.parametrize("shape", [(64, 64), (48, 64), (64, 48, 3)])
@pytest.mark.parametrize("f", [0.125, 0.25])
def test_cosine_image_peaks_at_its_frequency(shape, f):
    y, x = np.mgrid[0:shape[0], 0:shape[1]]
    img = np.cos(2 * np.pi * f * x)
    if len(shape) == 3:
        img = np.repeat(img[..., None], shape[2], axis=-1)
    freqs, power = radial_power_spectrum(img)
    assert freqs.shape == power.shape == (max(shape[:2]) // 2,)
    assert freqs[-1] == pytest.approx(0.5) and np.all(power >= 0)
    assert freqs[np.argmax(power)] == pytest.approx(f)
    vertical = radial_power_spectrum(np.cos(2 * np.pi * f * y))  # the other axis: same radius
    assert vertical[0][np.argmax(vertical[1])] == pytest.approx(f)


def test_white_noise_spectrum_is_flat_at_its_variance():
    noise = np.random.default_rng(0).normal(0.0, 0.5, (128, 128))
    freqs, power = radial_power_spectrum(noise)
    assert power.mean() == pytest.approx(0.25, rel=0.1)  # normalised by sum(w^2): P = variance
    assert np.all((power[8:] > 0.5 * 0.25) & (power[8:] < 2.0 * 0.25))
    low, high = power[: power.size // 2].mean(), power[power.size // 2:].mean()
    assert high / low == pytest.approx(1.0, abs=0.2)
    assert abs(np.polyfit(np.log(freqs[4:]), np.log(power[4:]), 1)[0]) < 0.15  # log-log slope ~ 0


def test_1d_spectrum_peaks_at_the_sine_frequency():
    t = np.arange(1000)
    freqs, power = power_spectrum_1d(np.sin(2 * np.pi * 0.05 * t))
    assert freqs[0] == pytest.approx(1e-3) and freqs[-1] == pytest.approx(0.5)
    assert freqs[np.argmax(power)] == pytest.approx(0.05)
    stereo = np.stack([np.sin(2 * np.pi * 0.2 * t)] * 2, axis=-1)
    assert power_spectrum_1d(stereo)[0][np.argmax(power_spectrum_1d(stereo)[1])] == pytest.approx(0.2)
    f, p = log_binned(freqs, power, bins=32)
    assert f.size <= 32 and np.all(np.diff(f) > 0) and np.all(p >= 0)
    with pytest.raises(ValueError):
        radial_power_spectrum(np.zeros(5))


def _tiny_fit(model, kind, source, out):
    cfg = find_recipe(model, kind).config("quick", str(source))
    for k, v in {"trainer.steps": 3, "trainer.eval_every": 0, "trainer.progress": False, "trainer.device": "cpu",
                 "field.hidden_features": 8, "field.hidden_layers": 1, "trainer.ntk_points": 0}.items():
        cfg = override(cfg, k, v)
    return fit(cfg, out)


def test_image_and_audio_fits_write_the_spectrum_plot(tiny_png, tiny_wav, tmp_path):
    r = _tiny_fit("siren", "image", tiny_png, tmp_path / "image")
    assert r.metrics["outputs"]["spectrum"] == "plots/spectrum.png"
    assert (tmp_path / "image" / "plots" / "spectrum.png").stat().st_size > 1000
    r = _tiny_fit("siren", "audio", tiny_wav, tmp_path / "audio")
    assert (tmp_path / "audio" / r.metrics["outputs"]["spectrum"]).stat().st_size > 1000


def test_inverse_image_task_writes_the_spectrum_plot(tiny_png, tmp_path):
    r = _tiny_fit("siren", "inverse-denoise", tiny_png, tmp_path / "inv")
    assert (tmp_path / "inv" / "plots" / "spectrum.png").is_file() and "spectrum" in r.metrics["outputs"]
