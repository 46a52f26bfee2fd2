"""The closed-form references: the largest eigenvalue of the MSE Hessian, for narrow and wide data alike."""

import time
import warnings

import numpy as np
import pytest

from lossplay import reference
from lossplay.reference import mse_hessian, mse_hessian_max_eigenvalue, stable_lr_limit


def full_hessian_max(X, l2):
    return float(np.linalg.eigvalsh(mse_hessian(X, l2))[-1])


def test_a_wide_design_is_answered_from_its_small_gram_matrix_in_a_moment():
    X = np.random.default_rng(0).standard_normal((30, 20_001))
    started = time.monotonic()
    limit = stable_lr_limit(X)
    assert time.monotonic() - started < 10  # eigvalsh on the 20,001-square Hessian ran for minutes
    A = np.hstack([X, np.ones((30, 1))])
    gram = (2 / 30) * np.linalg.eigvalsh(A @ A.T)[-1]  # the nonzero eigenvalues of (2/n) A^T A
    assert limit == pytest.approx(2 / gram, rel=1e-12)


@pytest.mark.parametrize("l2", [0.0, 0.05, 3.0, 1e4])
@pytest.mark.parametrize(("n", "d"), [(30, 120), (5, 4), (4, 4), (1, 50), (12, 11)])
def test_wide_designs_with_a_penalty_match_the_full_hessian(n, d, l2):
    X = np.random.default_rng(n + d).standard_normal((n, d)) * np.linspace(0.1, 3, d)
    assert mse_hessian_max_eigenvalue(X, l2) == pytest.approx(full_hessian_max(X, l2), rel=1e-12)


def test_narrow_designs_keep_the_exact_eigenvalues_they_had():
    X = np.random.default_rng(1).standard_normal((50, 3))
    assert mse_hessian_max_eigenvalue(X, 0.1) == full_hessian_max(X, 0.1)


@pytest.mark.parametrize(("n", "d", "l2"), [(300, 40, 0.0), (60, 200, 0.5), (150, 150, 2.0)])
def test_the_lanczos_iteration_for_large_designs_agrees_within_its_tolerance(n, d, l2, monkeypatch):
    monkeypatch.setattr(reference, "EXACT_SIDE", 10)  # take the iterative path on a design small enough to check
    X = np.random.default_rng(d).standard_normal((n, d)) * np.linspace(0.2, 2, d)
    assert mse_hessian_max_eigenvalue(X, l2) == pytest.approx(full_hessian_max(X, l2), rel=1e-9)


def test_features_so_large_their_squares_overflow_give_a_limit_not_a_warning():
    X = np.random.default_rng(2).standard_normal((20, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert stable_lr_limit(X * 1e120) == pytest.approx(stable_lr_limit(X) / 1e240, rel=1e-10)
        assert stable_lr_limit(X * 1e200) == 0.0  # 2 / lambda_max is below the smallest float64
