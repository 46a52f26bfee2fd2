"""Learning-rate schedules give the documented rate in each epoch."""

import math

import pytest

import lossplay
from lossplay.schedules import learning_rate


def rates(**options):
    return [learning_rate(1.0, epoch, 10, **options) for epoch in range(1, 11)]


def test_constant():
    assert rates() == [1.0] * 10


def test_step_drops_by_gamma_every_step_size_epochs():
    assert rates(schedule="step", step_size=4) == pytest.approx([1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01])
    assert rates(schedule="step", step_size=5, gamma=0.5) == pytest.approx([1] * 5 + [0.5] * 5)


def test_exponential_multiplies_by_gamma_each_epoch():
    assert rates(schedule="exponential") == pytest.approx([0.95**i for i in range(10)])


def test_cosine_starts_at_lr_and_falls_to_near_zero():
    expected = [(1 + math.cos(math.pi * i / 10)) / 2 for i in range(10)]
    assert rates(schedule="cosine") == pytest.approx(expected)
    assert rates(schedule="cosine")[4] == pytest.approx(0.5 + 0.5 * math.cos(math.pi * 0.4))


def test_warmup_ramps_up_then_hands_over():
    values = rates(schedule="cosine", warmup=4)
    assert values[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert values[4:] == pytest.approx([(1 + math.cos(math.pi * i / 6)) / 2 for i in range(6)])


def test_history_records_the_rate_actually_used():
    run = lossplay.train(epochs=6, lr=0.2, lr_schedule="step", lr_step_size=2, lr_gamma=0.5, batch_size=0)
    assert [r.lr for r in run.history] == pytest.approx([0.2, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05])
    steps = list(lossplay.step(steps=4, lr=0.2, lr_schedule="step", lr_step_size=2, lr_gamma=0.5, batch_size=0,
                               epochs=6))
    assert [s.lr for s in steps] == pytest.approx([0.2, 0.2, 0.1, 0.1])
