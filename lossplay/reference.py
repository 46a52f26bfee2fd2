"""Closed-form answers that a trained model can be checked against.

For the mean squared error with an L2 penalty the objective

    J(w, b) = (1/n) ||X w + b - y||^2 + l2 * (1/2) ||w||^2

is a quadratic, so its minimum solves a linear system. With A = [X, 1] and
D = diag(1, ..., 1, 0) (the bias is not penalised), setting the gradient
(2/n) A^T (A theta - y) + l2 D theta to zero gives

    ((2/n) A^T A + l2 D) theta = (2/n) A^T y

and its Hessian (2/n) A^T A + l2 D bounds the learning rate of plain
gradient descent: the iteration is stable only for lr < 2 / lambda_max.

The Hessian has d + 1 rows and columns, one per parameter; lambda_max is
found without an eigendecomposition of that size when d is large:

- d + 1 <= n and d + 1 <= EXACT_SIDE: the eigenvalues of H itself (numpy's eigvalsh);
- n < d + 1 (more columns than rows) and n + 1 <= EXACT_SIDE: with B = [A; e^T]
  (e the bias direction) and M = diag(2/n, ..., 2/n, -l2), H = l2 I + B^T M B.
  B^T M B has the nonzero eigenvalues of M G with G = B B^T, an (n + 1) x (n + 1)
  matrix made of X X^T, so of the symmetric G^(1/2) M G^(1/2), and zeros when
  d > n: lambda_max = l2 + the largest of those. Exact, at the cost of n + 1
  columns instead of d + 1 (for l2 = 0, (2/n) times the largest eigenvalue of
  the Gram matrix A A^T);
- both n and d + 1 above EXACT_SIDE: the Lanczos iteration on H, using only the
  products A v and A^T u, until the largest Ritz value is within a relative
  LANCZOS_TOLERANCE of an eigenvalue of H (the residual bound, as ARPACK uses).
"""

import numpy as np

# the largest side of a matrix whose eigenvalues are computed directly (a fraction of a second)
EXACT_SIDE = 1000
LANCZOS_TOLERANCE = 1e-10
LANCZOS_MAX_STEPS = 300


def _design(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def mse_hessian(X, l2=0.0):
    """(2/n) A^T A + l2 D: the Hessian of the MSE objective in theta = [w; b]."""
    A = _design(X)
    H = (2.0 / X.shape[0]) * (A.T @ A)
    H[np.arange(X.shape[1]), np.arange(X.shape[1])] += l2
    return H


def mse_minimum(X, y, l2=0.0):
    """theta = [w; b] minimising the MSE objective with an L2 penalty (least squares when l2 = 0).

    With values so large that A^T A or A^T y overflow float64 (features near 1e154, unscaled) the
    answer holds infinities or NaN, for the caller to show as such.
    """
    A = _design(X)
    if l2 == 0:
        return np.linalg.lstsq(A, y, rcond=None)[0]
    with np.errstate(over="ignore", invalid="ignore"):
        return np.linalg.solve(mse_hessian(X, l2), (2.0 / X.shape[0]) * (A.T @ y))


def stable_lr_limit(X, l2=0.0):
    """2 / lambda_max of the MSE Hessian: full-batch gradient descent diverges above it.

    0.0 when lambda_max is beyond float64 (features near 1e154 and larger, unscaled).
    """
    X = np.asarray(X, dtype=np.float64)
    scale = float(max(X.max(initial=0.0), -X.min(initial=0.0)))
    if scale <= 1e100:
        return 2.0 / mse_hessian_max_eigenvalue(X, l2)
    # (s A')^T (s A') = s^2 A'^T A': find lambda_max of the Hessian of X / s, whose squares cannot overflow
    return 2.0 / mse_hessian_max_eigenvalue(X / scale, l2 / scale / scale, bias=1.0 / scale) / scale / scale


def mse_hessian_max_eigenvalue(X, l2=0.0, bias=1.0):
    """lambda_max of (2/n) A^T A + l2 D with A = [X, bias]; see the module docstring for how."""
    n, d = X.shape
    if d + 1 <= n and d + 1 <= EXACT_SIDE:
        A = _design(X) if bias == 1.0 else np.hstack([X, np.full((n, 1), bias)])
        H = (2.0 / n) * (A.T @ A)
        H[np.arange(d), np.arange(d)] += l2
        return float(np.linalg.eigvalsh(H)[-1])
    if n < d + 1 and n + 1 <= EXACT_SIDE:
        G = np.empty((n + 1, n + 1))
        G[:n, :n] = X @ X.T + bias * bias
        G[:n, n] = G[n, :n] = bias
        G[n, n] = 1.0
        values, vectors = np.linalg.eigh(G)
        root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
        m = np.full(n + 1, 2.0 / n)
        m[n] = -l2
        largest = float(np.linalg.eigvalsh((root * m) @ root)[-1])
        return l2 + (max(largest, 0.0) if d > n else largest)
    return _lanczos_max(X, l2, bias)


def _lanczos_max(X, l2, bias):
    """The largest eigenvalue of H = (2/n) A^T A + l2 D by the Lanczos iteration with full
    reorthogonalisation, from a seeded random start (the same answer every time)."""
    n, d = X.shape

    def hessian_times(v):
        Av = X @ v[:-1] + bias * v[-1]
        out = np.empty(d + 1)
        out[:-1] = (2.0 / n) * (X.T @ Av) + l2 * v[:-1]
        out[-1] = (2.0 / n) * bias * Av.sum()
        return out

    v = np.random.default_rng(0).standard_normal(d + 1)
    basis = [v / np.linalg.norm(v)]
    alphas, betas = [], []
    largest = 0.0
    for _ in range(min(LANCZOS_MAX_STEPS, d + 1)):
        w = hessian_times(basis[-1])
        alphas.append(float(basis[-1] @ w))
        for _ in range(2):  # full reorthogonalisation; twice is enough
            for b in basis:
                w -= (b @ w) * b
        beta = float(np.linalg.norm(w))
        T = np.diag(alphas) + np.diag(betas, 1) + np.diag(betas, -1)
        values, vectors = np.linalg.eigh(T)
        largest = float(values[-1])
        # the residual of the top Ritz pair is |beta * (last component of its eigenvector)|
        if beta * abs(vectors[-1, -1]) <= LANCZOS_TOLERANCE * abs(largest) or beta == 0.0:
            break
        betas.append(beta)
        basis.append(w / beta)
    return largest
