"""lossplay: watch a model learn, one forward pass, loss, gradient and update at a time.

The Python API mirrors the command line:

    import lossplay
    run = lossplay.train(loss="huber", optimizer="adam")
    run.history[-1].val_loss, run.params, run.metrics
    run.plot_loss_curve()

See ``lossplay.train`` for the options and ``lossplay.Run`` for what a run holds.
The names below are imported when first used, so that the command line starts quickly.
"""

import importlib

__version__ = "0.1.0"

_PUBLIC = {
    "Run": "lossplay.api", "step": "lossplay.api", "train": "lossplay.api",
    "Comparison": "lossplay.comparison", "compare": "lossplay.comparison",
    "Landscape": "lossplay.landscapes", "landscape": "lossplay.landscapes",
    "LRFindResult": "lossplay.lrfind", "lr_find": "lossplay.lrfind",
    "build_report": "lossplay.report", "write_report": "lossplay.report",
    "TrainConfig": "lossplay.config", "Dataset": "lossplay.data", "load_dataset": "lossplay.data",
    "LossplayError": "lossplay.errors",
}

__all__ = [*_PUBLIC, "__version__"]


# modules a notebook may reach as lossplay.NAME without importing them first
_MODULES = ("demos", "verdicts", "losses", "optimizers", "catalog")


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f"lossplay.{name}")
    raise AttributeError(f"module 'lossplay' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
