"""One seed, several independent random streams.

Each random choice of a run draws from its own stream, derived from the seed
and the purpose, so changing one choice (say the initial weights) never
changes another (the data, the split, the batch order). Two runs with the same
seed therefore see the same data, split, corrupted rows and batch order even
when their losses or optimizers differ.
"""

import numpy as np

PURPOSES = ("data", "split", "outliers", "init", "shuffle")


def stream(seed, purpose):
    """The numpy Generator for one purpose of a seeded run."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(PURPOSES.index(purpose),)))
