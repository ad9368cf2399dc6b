"""Analysis views: training curves, method-specific views (masks, spectra), plots."""
