"""Equal-budget hyperparameter tuning with Optuna (``inrkit tune``).

Every method of a table (or one recipe) gets its own study with the **same number of trials** and the
**same step budget** (the protocol's steps at the chosen scale, or ``--steps``), fitted on signals held
apart from the tables' test signals (``TUNE_SIGNALS``). Sampler: TPE (seeded; its first
``min(10, max(2, trials // 2))`` trials are random); pruner: median over the evaluation curve of the
first tuning signal (a trial is stopped when its PSNR, or the task's primary metric, falls below the
median of earlier trials at the same evaluation). The objective is the mean final primary metric over
the tuning signals (every task's primary metric is "higher is better": PSNR, IoU, -log10 relative L2,
-log10 MSE).

Search space per recipe (``search_space``), read from its resolved config:

* the learning rate of every parameter group: log-uniform over [lr / 10, 10 lr];
* every frequency / width of the field (``omega_0``, ``first_omega_0``, ``hidden_omega_0``,
  ``sigma_0``, ``scale``, ``sigma`` at any depth of the field config): log-uniform over [v / 2, 2 v];
* the schedule kind among {the recipe's, constant, cosine_to_1pct} for fitting families (image,
  audio, video, volume, function1d); SDF, occupancy and PDE keep theirs.

Studies live in ``OUT/study.db`` (SQLite through Optuna's RDB storage), so rerunning the same command
continues a study up to ``--trials``. Results go to the package data (``inrkit.recipes.tuned``).
"""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from inrkit.config import override, to_dict, type_name
from inrkit.errors import InputError
from inrkit.recipes.tuned import save_tuned
from inrkit.registry import RECIPES, TABLES, TASKS

#: held-apart signals per task family: none of them is a test signal of a registered table at quick scale
TUNE_SIGNALS = {
    "image": ("data:images/div2k/finer_test_512/01.png", "data:images/div2k/finer_test_512/03.png",
              "data:images/kodak/kodim02.png", "data:images/kodak/kodim03.png"),
    "audio": ("data:audio/gt_bach.wav",),
    "volume": ("data:volumes/mni_icbm152_t1_09a_uint8.npz",),
    "function1d": ("function:y4",),
}
FREQUENCY_KEYS = ("omega_0", "first_omega_0", "hidden_omega_0", "sigma_0", "scale", "sigma")
SCHEDULE_FAMILIES = ("image", "audio", "video", "volume", "function1d")


def _numeric_keys(cfg: Any, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    if not is_dataclass(cfg):
        return out
    for f in fields(cfg):
        value = getattr(cfg, f.name)
        if is_dataclass(value):
            out.update(_numeric_keys(value, f"{prefix}{f.name}."))
        elif f.name in FREQUENCY_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool) \
                and value > 0:
            out[f"{prefix}{f.name}"] = float(value)
    return out


def search_space(cfg: Any, family: str) -> dict[str, dict[str, Any]]:
    """The searched keys of a resolved RunConfig: ``{dotted key: {"log": (lo, hi)} | {"choices": [...]}}``."""
    optim = cfg.trainer.optim
    space: dict[str, dict[str, Any]] = {"trainer.optim.lr": {"log": (optim.lr / 10, optim.lr * 10)}}
    for group, lr in sorted(optim.group_lr.items()):
        space[f"trainer.optim.group_lr.{group}"] = {"log": (lr / 10, lr * 10)}
    for key, value in _numeric_keys(cfg.field, "field.").items():
        space[key] = {"log": (value / 2, value * 2)}
    if family in SCHEDULE_FAMILIES:
        space["trainer.schedule.kind"] = {"choices": list(dict.fromkeys((cfg.trainer.schedule.kind, "constant",
                                                                          "cosine_to_1pct")))}
    return space


def _suggest(trial: Any, space: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for key, dist in space.items():
        if "log" in dist:
            out[key] = trial.suggest_float(key, *dist["log"], log=True)
        else:
            out[key] = trial.suggest_categorical(key, dist["choices"])
    return out


class _Pruning:
    """Trainer callback reporting each evaluation of the primary metric to Optuna and pruning."""

    def __init__(self, trial: Any, metric: str):
        self.trial, self.metric = trial, metric

    def __call__(self, step: int, info: dict[str, Any]) -> None:
        import optuna

        value = info.get("row", {}).get(self.metric)
        if value is None:
            return
        self.trial.report(float(value) if math.isfinite(value) else -1e9, step)
        if self.trial.should_prune():
            raise optuna.TrialPruned()


def _configs(recipe: str, scale: str, signals: tuple[str, ...], steps: int | None, sets: tuple[str, ...]):
    out = []
    for source in signals:
        cfg = RECIPES.get(recipe).config(scale, source)
        for key, value in {"trainer.progress": False, "trainer.checkpoint_every": 0}.items():
            cfg = override(cfg, key, value)
        if steps is not None:
            cfg = override(cfg, "trainer.steps", steps)
        for item in sets:
            key, _, value = item.partition("=")
            cfg = override(cfg, key, value)
        out.append(cfg)
    return out


def tune_recipe(recipe: str, trials: int, scale: str, out: Path, steps: int | None = None,
                signals: tuple[str, ...] | None = None, seed: int = 0, sets: tuple[str, ...] = (),
                device: str = "auto", save_root: Path | None = None, progress: bool = False) -> dict[str, Any]:
    """Run (or continue) ``recipe``'s study to ``trials`` trials and store the best settings."""
    import optuna

    from inrkit.train.run import fit

    family = RECIPES.get(recipe).kind
    signals = signals or TUNE_SIGNALS.get(family)
    if not signals:
        raise InputError(f"no held-apart tuning signals for {family} recipes; pass --signals")
    base = _configs(recipe, scale, tuple(signals), steps, (*sets, f"trainer.device={device}"))
    space = search_space(base[0], family)
    metric = TASKS.get(type_name(base[0].task)).primary_metric
    out.mkdir(parents=True, exist_ok=True)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        study_name=f"{recipe}-{scale}", storage=f"sqlite:///{out / 'study.db'}", load_if_exists=True,
        direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=_startup(trials)),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=min(4, trials), n_warmup_steps=0))
    done = [t for t in study.trials if t.state != optuna.trial.TrialState.RUNNING]  # failed trials count too

    def objective(trial: Any) -> float:
        chosen = _suggest(trial, space)
        values = []
        for i, cfg in enumerate(base):
            for key, value in chosen.items():
                cfg = override(cfg, key, value)
            callbacks = (_Pruning(trial, metric),) if i == 0 else ()
            result = fit(cfg, callbacks=callbacks)
            value = float(result.metrics.get(metric, -math.inf))
            values.append(value if math.isfinite(value) else -1e9)
        return sum(values) / len(values)

    if trials > len(done):
        study.optimize(objective, n_trials=trials - len(done), catch=(ArithmeticError, RuntimeError, InputError),
                       callbacks=[_progress(recipe, trials, metric)] if progress else [])
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not complete:
        raise InputError(f"{recipe}: no trial of the study finished (all pruned or failed)")
    best = study.best_trial
    entry = {"overrides": dict(best.params), "value": best.value, "metric": metric, "space": _jsonable(space),
             "trials": len(study.trials)}
    budget = {"trials": trials, "steps": base[0].trainer.steps, "signals": list(signals), "sampler": "TPE",
              "random_start": _startup(trials), "pruner": "median", "seed": seed}
    path = save_tuned(family, scale, recipe, entry, budget, save_root)
    return {"recipe": recipe, "best": best.value, "metric": metric, "overrides": dict(best.params),
            "trials": len(study.trials), "path": str(path)}


def _progress(recipe: str, trials: int, metric: str):
    """An Optuna callback printing one line per finished trial to stderr (a study runs for minutes)."""
    import sys

    def report(study: Any, trial: Any) -> None:
        value = "-" if trial.value is None else f"{trial.value:.4g}"
        best = max((t.value for t in study.trials if t.value is not None), default=None)
        best = "-" if best is None else f"{best:.4g}"
        print(f"tune {recipe}: trial {trial.number + 1}/{trials} {trial.state.name.lower()} {metric} {value} "
              f"(best {best})", file=sys.stderr, flush=True)

    return report


def _startup(trials: int) -> int:
    """Random trials before TPE models the space: Optuna's 10, or half of a smaller budget (at least 2)."""
    return min(10, max(2, trials // 2))


def _jsonable(space: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return to_dict({k: {kk: list(vv) for kk, vv in v.items()} for k, v in space.items()})


def tune_targets(target: str, rows: tuple[str, ...] | None = None) -> list[str]:
    """The recipes a ``tune`` target names: every distinct recipe of a table's rows, or one recipe.

    A table wins over a recipe of the same name (``msa-image``); ``rows`` picks rows by label. Classical
    baselines (``recipes.baseline``, ``trainable = False``) have nothing to tune and are left out.
    """
    if target not in TABLES:
        if target in RECIPES:
            if not _trainable(target):
                raise InputError(f"recipe {target!r} is a classical baseline: it has no trainer settings to tune")
            return [target]
        raise InputError(f"unknown table or recipe {target!r}; see 'inrkit list tables' / 'inrkit list recipes'")
    table = TABLES.get(target)
    picked = [r for r in table.all_rows() if (rows is None or r.label in rows) and _trainable(r.recipe)]
    return list(dict.fromkeys(r.recipe for r in picked))


def _trainable(recipe: str) -> bool:
    return recipe not in RECIPES or getattr(RECIPES.get(recipe), "trainable", True)
