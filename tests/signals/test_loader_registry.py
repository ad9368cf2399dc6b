"""Signal loaders by registry: dispatch by prefix and suffix, content checks, task prefixes, and a new
loader registered in one place (here, the test) loading through ``load_signal``."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from inrkit.errors import InputError
from inrkit.registry import SIGNALS
from inrkit.signals import LoadRequest, Signal, load_signal, register_loader, signal_kind
from inrkit.signals import loaders as loaders_module
from inrkit.signals.loaders import find_loader, register_task_prefix, split_task_prefix
from inrkit.tasks import task_family


@pytest.fixture
def scratch_registry(monkeypatch):
    """Registrations made in a test are undone after it."""
    monkeypatch.setattr(SIGNALS, "_entries", dict(SIGNALS._entries))
    monkeypatch.setattr(loaders_module, "TASK_PREFIXES", dict(loaders_module.TASK_PREFIXES))


def test_builtin_loaders_by_prefix_and_suffix(tiny_video_npz, tmp_path):
    expect = {"builtin:camera": "builtin", "function:y4": "function1d", "pde:heat1d": "pde", "video:x.npz": "video",
              "a.PNG": "image", "a.tiff": "image", "a.wav": "audio", "a.mp4": "video", "a.obj": "mesh",
              "a.STL": "mesh", "a.xyz": "point_cloud", "a.npy": "volume", "a.nii.gz": "volume", "a.npz": "volume",
              str(tiny_video_npz): "video"}
    for source, loader in expect.items():
        assert find_loader(source)[0].name == loader, source
    assert find_loader("video:data:clip.npz")[1] == "data:clip.npz"  # the prefix is stripped, data: kept for resolve
    np.savez(tmp_path / "vol.npz", volume=np.zeros((4, 4, 4), np.float32))
    assert signal_kind(str(tmp_path / "vol.npz")) == "volume"


def test_unsupported_suffix_names_every_loader():
    with pytest.raises(InputError) as err:
        signal_kind("x.flac")
    message = str(err.value)
    assert len(message.splitlines()) == 1 and "'.flac'" in message
    assert all(SIGNALS.entry(n).description in message for n in SIGNALS) and "occupancy:<source>" in message


def test_a_new_loader_is_one_registration(scratch_registry, tmp_path, monkeypatch):
    @register_loader("curve", kind="audio", suffixes=(".CSV",), description="waveforms as CSV (.csv)")
    def load_curve(req: LoadRequest) -> Signal:
        x = np.loadtxt(req.path, delimiter=",", dtype=np.float32).reshape(-1, 1)
        return Signal(x, "audio", (-1.0, 1.0), {"sample_rate": 1000.0, "stride": req.stride})

    path = tmp_path / "wave.csv"
    np.savetxt(path, np.sin(np.linspace(0, 6, 50)), delimiter=",")
    s = load_signal(str(path), stride=2)
    assert s.kind == "audio" and s.values.shape == (50, 1) and s.meta["source"] == str(path) and s.meta["stride"] == 2
    assert signal_kind("other.csv") == "audio" and task_family("other.csv") == "audio"
    assert "waveforms as CSV" in SIGNALS.entry("curve").description

    # data: sources are resolved (and checksum-verified) before the loader sees them
    (tmp_path / "SHA256SUMS").write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  wave.csv\n")
    monkeypatch.setenv("INRKIT_DATA", str(tmp_path))
    s = load_signal("data:wave.csv")
    assert s.meta["source"] == "data:wave.csv" and s.values.shape == (50, 1)


def test_loader_clashes_are_refused(scratch_registry):
    with pytest.raises(ValueError, match="already taken by 'image'"):
        register_loader("png2", kind="image", suffixes=(".png",))(lambda req: None)
    with pytest.raises(ValueError, match="already taken by 'pde'"):
        register_loader("pde2", kind="pde", prefixes=("pde:",))(lambda req: None)
    # a loader with a content check may share a suffix: it is tried first
    register_loader("special_png", kind="image", suffixes=(".png",), accepts=lambda path: "special" in path)(
        lambda req: None)
    assert find_loader("special.png")[0].name == "special_png" and find_loader("plain.png")[0].name == "image"


def test_wrong_kind_from_a_loader_is_a_bug(scratch_registry):
    register_loader("liar", kind="video", prefixes=("liar:",))(lambda req: Signal(np.zeros((2, 1)), "audio"))
    with pytest.raises(TypeError, match="returned a audio signal"):
        load_signal("liar:x")


def test_task_prefix_selects_the_task_and_loads_the_rest(scratch_registry, tmp_path):
    assert split_task_prefix("occupancy:a.obj") == ("occupancy", "a.obj")
    register_task_prefix("sdf:", "sdf")
    assert task_family("sdf:a.obj") == "shape" and signal_kind("sdf:a.obj") == "shape"
    with pytest.raises(ValueError, match="already selects"):
        register_task_prefix("sdf:", "occupancy")
    with pytest.raises(InputError, match="selects the occupancy task"):
        task_family("occupancy:a.obj", "sdf")
    with pytest.raises(InputError, match="tasks for image signals: .*fitting"):
        task_family("a.png", "sdf")
    with pytest.raises(InputError, match="unknown task"):
        task_family("a.png", "nosuchtask")
    assert task_family("a.png", "fitting") == task_family("a.png") == "image"
    assert task_family("v.npy", "fitting") == "volume" and task_family("a.wav") == "audio"
