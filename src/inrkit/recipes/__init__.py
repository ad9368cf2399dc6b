"""Recipes (named field + task + trainer settings). Importing registers the built-in ones."""

from inrkit.recipes import audio, compress, image, inverse, msa, pde, sasnet, scone, shape, video, volume  # noqa: F401
from inrkit.recipes.base import PRESETS, Recipe, find_recipe, register_recipe

__all__ = ["PRESETS", "Recipe", "find_recipe", "register_recipe"]
