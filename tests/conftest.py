"""Shared test helpers: finite differences and a clean working folder for CLI runs."""

import numpy as np
import pytest


def central_difference(f, x, h=1e-6):
    """d f / d x by central differences, one coordinate at a time (f returns a float)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run the test from an empty temporary folder (the default runs/ folder goes there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
