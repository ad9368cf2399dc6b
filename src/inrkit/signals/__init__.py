"""Signal loaders. ``load_signal`` looks the loader up by the source's prefix or suffix (``loaders.py``).

Importing the package imports every module in it, so each module's ``@register_loader`` runs: a new
kind of signal file is one new module here.
"""

from __future__ import annotations

import importlib
import pkgutil

from inrkit.signals.base import Signal
from inrkit.signals.image import load_image
from inrkit.signals.loaders import LoadRequest, load_signal, register_loader, signal_kind
from inrkit.signals.shape import load_shape
from inrkit.signals.volume import load_volume

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["LoadRequest", "Signal", "load_signal", "signal_kind", "register_loader", "load_image", "load_shape",
           "load_volume"]
