"""Recipes: (method x protocol) pairs with their provenance. Importing registers the built-in ones.

``methods`` registers the methods (field presets with labels); the protocol modules register each
protocol and the settings its source gives the methods it compares (``inrkit.recipes.protocol``).
"""

from inrkit.recipes import (  # noqa: F401
           audio,
           compress,
           image,
           inverse,
           methods,
           msa,
           pde,
           sasnet,
    sasnet_code,
           scone,
           shape,
           video,
           volume,
)
from inrkit.recipes.base import PRESETS, Recipe, find_recipe, register_recipe
from inrkit.recipes.protocol import Method, Protocol, Setting, add_settings, register_method, register_protocol

__all__ = ["PRESETS", "Method", "Protocol", "Recipe", "Setting", "add_settings", "find_recipe", "register_method",
           "register_protocol", "register_recipe"]
