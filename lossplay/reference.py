"""Closed-form answers that a trained model can be checked against.

For the mean squared error with an L2 penalty the objective

    J(w, b) = (1/n) ||X w + b - y||^2 + l2 * (1/2) ||w||^2

is a quadratic, so its minimum solves a linear system. With A = [X, 1] and
D = diag(1, ..., 1, 0) (the bias is not penalised), setting the gradient
(2/n) A^T (A theta - y) + l2 D theta to zero gives

    ((2/n) A^T A + l2 D) theta = (2/n) A^T y

and its Hessian (2/n) A^T A + l2 D bounds the learning rate of plain
gradient descent: the iteration is stable only for lr < 2 / lambda_max.
"""

import numpy as np


def _design(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def mse_hessian(X, l2=0.0):
    """(2/n) A^T A + l2 D: the Hessian of the MSE objective in theta = [w; b]."""
    A = _design(X)
    H = (2.0 / X.shape[0]) * (A.T @ A)
    H[np.arange(X.shape[1]), np.arange(X.shape[1])] += l2
    return H


def mse_minimum(X, y, l2=0.0):
    """theta = [w; b] minimising the MSE objective with an L2 penalty (least squares when l2 = 0)."""
    A = _design(X)
    if l2 == 0:
        return np.linalg.lstsq(A, y, rcond=None)[0]
    return np.linalg.solve(mse_hessian(X, l2), (2.0 / X.shape[0]) * (A.T @ y))


def stable_lr_limit(X, l2=0.0):
    """2 / lambda_max of the MSE Hessian: full-batch gradient descent diverges above it."""
    return 2.0 / float(np.linalg.eigvalsh(mse_hessian(X, l2))[-1])
