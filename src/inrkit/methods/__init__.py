"""Methods in one file each: an activation, its ``mlp`` field preset and its protocol settings.

Every module of this package is imported (and so registered) with ``import inrkit``: adding a method
to the library, to every table of the protocols it joins and to the registry-parametrised tests is
one new file here (``sinc.py`` is the example).
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
