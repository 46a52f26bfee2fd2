"""lossplay: watch a model learn, one forward pass, loss, gradient and update at a time.

The Python API mirrors the command line:

    import lossplay
    run = lossplay.train(loss="huber", optimizer="adam")
    run.history[-1].val_loss, run.params, run.metrics
    run.plot()

See ``lossplay.train`` for the options and ``lossplay.Run`` for what a run holds.
The names below are imported when first used, so that the command line starts quickly;
editors and type checkers read them from the imports under ``TYPE_CHECKING``.
"""

import importlib
from typing import TYPE_CHECKING

from lossplay.version import __version__

_PUBLIC = {
    "Run": "lossplay.api", "step": "lossplay.api", "train": "lossplay.api",
    "Comparison": "lossplay.comparison", "compare": "lossplay.comparison",
    "Landscape": "lossplay.landscapes", "landscape": "lossplay.landscapes",
    "LRFindResult": "lossplay.lrfind", "lr_find": "lossplay.lrfind",
    "build_report": "lossplay.report", "write_report": "lossplay.report",
    "TrainConfig": "lossplay.config", "TrainOptions": "lossplay.config",
    "Dataset": "lossplay.data", "load_dataset": "lossplay.data",
    "LossplayError": "lossplay.errors",
}

__all__ = [*_PUBLIC, "__version__"]

if TYPE_CHECKING:  # the same names, for editors and type checkers (a test keeps the two lists equal)
    from lossplay.api import Run as Run
    from lossplay.api import step as step
    from lossplay.api import train as train
    from lossplay.comparison import Comparison as Comparison
    from lossplay.comparison import compare as compare
    from lossplay.config import TrainConfig as TrainConfig
    from lossplay.config import TrainOptions as TrainOptions
    from lossplay.data import Dataset as Dataset
    from lossplay.data import load_dataset as load_dataset
    from lossplay.errors import LossplayError as LossplayError
    from lossplay.landscapes import Landscape as Landscape
    from lossplay.landscapes import landscape as landscape
    from lossplay.lrfind import LRFindResult as LRFindResult
    from lossplay.lrfind import lr_find as lr_find
    from lossplay.report import build_report as build_report
    from lossplay.report import write_report as write_report


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
