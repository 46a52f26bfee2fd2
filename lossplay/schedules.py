"""Learning-rate schedules: the rate used in each epoch, from the base rate lr.

Epochs are numbered 1..E. With W warm-up epochs, epoch e <= W uses
lr * e / W (a linear ramp up to lr); the schedule then runs over the
remaining epochs, numbered i = e - W - 1 = 0, 1, ... out of E' = E - W:

    constant      lr
    step          lr * gamma ** floor(i / step_size)     (gamma defaults to 0.1)
    exponential   lr * gamma ** i                        (gamma defaults to 0.95)
    cosine        lr * (1 + cos(pi * i / E')) / 2

These are PyTorch's StepLR, ExponentialLR and CosineAnnealingLR (with a
minimum of 0), stepped once per epoch.
"""

import math

SCHEDULES = ("constant", "step", "exponential", "cosine")
DEFAULT_GAMMA = {"step": 0.1, "exponential": 0.95}


def learning_rate(lr, epoch, epochs, schedule="constant", step_size=30, gamma=None, warmup=0):
    """The learning rate of ``epoch`` (1-based) in a run of ``epochs`` epochs."""
    if epoch <= warmup:
        return lr * epoch / warmup
    i = epoch - warmup - 1
    if gamma is None:
        gamma = DEFAULT_GAMMA.get(schedule, 1.0)
    if schedule == "constant":
        return lr
    if schedule == "step":
        return lr * gamma ** (i // step_size)
    if schedule == "exponential":
        return lr * gamma**i
    if schedule == "cosine":
        return lr * (1.0 + math.cos(math.pi * i / (epochs - warmup))) / 2.0
    raise ValueError(f"unknown schedule {schedule!r}")
