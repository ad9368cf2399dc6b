"""``inrkit config`` and the config-file side of ``inrkit fit`` (``--config FILE``, bare ``--resume``).

``inrkit config RECIPE [--preset P] [--signal S] [--set KEY=VALUE ...]`` prints the resolved run config
as JSON (``--keys`` lists every key with its value and the ``#:`` help of its config field instead);
``inrkit fit --config run.json`` runs such a file, and ``inrkit fit --out DIR --resume`` with no signal
or model continues the config saved in ``DIR/config.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from inrkit.errors import InputError

PRESETS = ("quick", "medium", "paper")


def add_config_parser(sub: Any, formatter: type) -> None:
    """Register the ``config`` subcommand."""
    c = sub.add_parser("config", help="print a recipe's resolved config (JSON) for 'fit --config'",
                       formatter_class=formatter)
    c.add_argument("recipe", help="recipe name (see 'inrkit list recipes') or a field name with --signal")
    c.add_argument("--preset", "--scale", dest="preset", default="quick", choices=PRESETS,
                   help="size preset of the recipe")
    c.add_argument("--signal", help="signal source (default: the recipe's default signal)")
    c.add_argument("--task", help="task (default: inferred from the signal)")
    c.add_argument("--settings", default="paper", choices=("paper", "tuned"),
                   help="paper: the recipe as stated; tuned: the values found by 'inrkit tune'")
    c.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a resolved config key (see --keys)")
    c.add_argument("--keys", action="store_true", help="list every key with its value and help text instead")


def recipe_config(name: str, preset: str = "quick", signal: str | None = None, task: str | None = None,
                  sets: tuple[str, ...] = (), settings: str = "paper"):
    """The RunConfig ``inrkit fit`` would run for a recipe (or field name) at a preset."""
    from inrkit.cli import resolve_fit_config
    from inrkit.registry import RECIPES

    if signal is None and name in RECIPES:
        signal = RECIPES.get(name).default_signal
    args = argparse.Namespace(signal=signal, model=name, task=task, preset=preset, steps=None, seed=None,
                              device=None, no_progress=False, sets=list(sets), settings=settings)
    return resolve_fit_config(args)[0]


def cmd_config(args: argparse.Namespace) -> int:
    from inrkit.config import to_dict
    from inrkit.configdoc import config_keys

    cfg = recipe_config(args.recipe, args.preset, args.signal, args.task, tuple(args.sets), args.settings)
    if args.keys:
        for key, value, doc in config_keys(cfg):
            print(f"{key} = {json.dumps(to_dict(value))}" + (f"    # {doc}" if doc else ""))
    else:
        print(json.dumps(to_dict(cfg), indent=2))
    return 0


def read_config_file(path: Path):
    """A RunConfig from a JSON file written by ``inrkit config`` (or a run's ``config.json``)."""
    from inrkit.train.run import run_config_from_dict

    try:
        data = json.loads(Path(path).read_text())
    except OSError as e:
        raise InputError(f"{path}: cannot read config file ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not a JSON config file ({e.msg} at line {e.lineno})") from None
    return run_config_from_dict(data)


def fit_config(args: argparse.Namespace):
    """(RunConfig, model name, preset) of ``inrkit fit``: from --config, a bare --resume, or the arguments."""
    from inrkit.cli import _split_set, resolve_fit_config
    from inrkit.config import override

    bare_resume = args.resume and args.out is not None and args.signal is None and args.model is None \
        and args.task is None and (Path(args.out) / "config.json").is_file()
    if args.config is None and not bare_resume:
        cfg, model = resolve_fit_config(args)
        return cfg, model, args.preset
    if args.config is not None and (args.signal or args.model or args.task):
        raise InputError("--config replaces SIGNAL, --model and --task; use --set to change the file's keys")
    cfg = read_config_file(args.config if args.config is not None else Path(args.out) / "config.json")
    for key, value in (("trainer.device", args.device), ("trainer.steps", args.steps),
                       ("trainer.seed", args.seed), ("trainer.progress", False if args.no_progress else None)):
        if value is not None:
            cfg = override(cfg, key, value)
    for item in args.sets:
        cfg = override(cfg, *_split_set(item))
    return cfg, cfg.recipe.rsplit("-", 1)[0] or "run", cfg.preset or "config"
