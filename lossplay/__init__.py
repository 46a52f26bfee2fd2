"""lossplay: watch a model learn, one forward pass, loss, gradient and update at a time.

The Python API mirrors the command line:

    import lossplay
    run = lossplay.train(loss="huber", optimizer="adam")
    run.history[-1].val_loss, run.params, run.metrics
    run.plot_loss_curve()

See ``lossplay.train`` for the options and ``lossplay.Run`` for what a run holds.
"""

__version__ = "0.1.0"

from lossplay.api import Run, step, train  # noqa: E402
from lossplay.comparison import Comparison, compare  # noqa: E402
from lossplay.config import TrainConfig  # noqa: E402
from lossplay.data import Dataset, load_dataset  # noqa: E402
from lossplay.errors import LossplayError  # noqa: E402

__all__ = ["Comparison", "Dataset", "LossplayError", "Run", "TrainConfig", "compare", "load_dataset", "step",
           "train", "__version__"]
