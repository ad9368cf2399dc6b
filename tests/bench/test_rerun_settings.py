"""Issue 14: a bench rerun with other settings refuses to reuse fits made with the old ones."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from inrkit.bench.executors import FitSpec, execute_fit
from inrkit.bench.rerun import config_hash
from inrkit.config import override, to_dict
from inrkit.errors import InputError
from inrkit.io import read_json
from inrkit.recipes import find_recipe


def test_finished_fit_is_reused_only_with_the_same_settings(tmp_path):
    img = tmp_path / "img.png"
    Image.fromarray((np.random.default_rng(0).random((10, 10, 3)) * 255).astype(np.uint8)).save(img)
    cfg = find_recipe("siren", "image").config("quick", str(img))
    for key, value in (("trainer.steps", 3), ("trainer.device", "cpu"), ("trainer.progress", False),
                       ("field.hidden_features", 8)):
        cfg = override(cfg, key, value)
    run = tmp_path / "fits" / "a"
    execute_fit(FitSpec("a", to_dict(cfg), str(run)))
    stamp = (run / "model.safetensors").stat().st_mtime_ns
    # the same settings (another device spelling) reuse the finished fit: read back, not refitted
    again = execute_fit(FitSpec("a", to_dict(override(cfg, "trainer.device", "auto")), str(run)))
    assert again.metrics == read_json(run / "metrics.json")
    assert (run / "model.safetensors").stat().st_mtime_ns == stamp
    changed = override(cfg, "trainer.steps", 5)
    assert config_hash(to_dict(changed)) != config_hash(to_dict(cfg))
    with pytest.raises(InputError, match=r"finished with other settings \(trainer.steps: 3 -> 5\)"):
        execute_fit(FitSpec("a", to_dict(changed), str(run)))
