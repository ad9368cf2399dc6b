"""Analysis views: training curves, method-specific views (masks, spectra), plots.

Importing the package registers the method-specific view writers.
"""

from inrkit.analysis import sasnet_views  # noqa: F401
