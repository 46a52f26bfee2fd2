"""Everything lossplay prints, with rich: the only package that imports it.

It reads records, runs and catalogs and never changes them. Numbers are shown
with 4 significant digits. Each name is imported from its module when first
used, so that a command loads only the part of rich it prints with.
"""

import importlib

_PUBLIC = {
    "configs_table": "catalog", "datasets_table": "catalog", "gradcheck_table": "catalog", "loss_card": "catalog",
    "losses_table": "catalog", "optimizer_card": "catalog", "optimizers_table": "catalog",
    "make_console": "common", "number": "common",
    "CompareProgress": "compare", "comparison_summary": "compare", "comparison_table": "compare",
    "describe_comparison": "compare",
    "confusion_tables": "demo", "demos_table": "demo", "two_models_table": "demo",
    "demo_intro": "demo.intro", "demo_outro": "demo.outro",
    "StepView": "step", "describe_steps": "step", "epoch_line": "step",
    "describe_lr_find": "lrfind", "lr_find_summary": "lrfind", "lr_find_table": "lrfind",
    "describe_landscape": "landscape", "landscape_lesson": "landscape", "landscape_summary": "landscape",
    "landscape_table": "landscape",
    "LiveTraining": "training", "advice_commands": "training", "describe_run": "training",
    "print_notes": "training", "summary": "training",
}

__all__ = list(_PUBLIC)


def __getattr__(name):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'lossplay.render' has no attribute {name!r}")
    module, _, attribute = _PUBLIC[name].partition(".")
    value = getattr(importlib.import_module(f"lossplay.render.{module}"), attribute or name)
    globals()[name] = value
    return value
