"""Numerically stable elementwise functions shared by losses, models and metrics.

Everything here works on float64 arrays and never overflows for finite input:
each function is written so that ``exp`` only ever sees non-positive numbers.
"""

import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), accurate in both tails.

    For z >= 0 use 1 / (1 + e) and for z < 0 use e / (1 + e), with
    e = exp(-|z|) <= 1, so neither branch overflows and small
    probabilities keep their relative precision.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def logit(p):
    """logit(p) = log(p / (1 − p)), the inverse of sigma: the logit where the probability is p (0 at 0.5)."""
    return np.log(p) - np.log1p(-p)


def softplus(z):
    """softplus(z) = log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|)).

    It is the loss of a logit z whose true label is 0, and -log sigma(z) =
    softplus(-z) is the loss when the label is 1.
    """
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def logsumexp(z):
    """log(sum_k exp(z_k)) over the last axis, with the row maximum subtracted first."""
    m = np.max(z, axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True)))[..., 0]


def softmax(z):
    """softmax(z)_k = exp(z_k - m) / sum_j exp(z_j - m) over the last axis, m = max_j z_j."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def binary_cross_entropy(z, y):
    """-[y log sigma(z) + (1 - y) log(1 - sigma(z))] = (max(z, 0) - y z) + log1p(exp(-|z|)).

    The bracket is computed first: for a confident right answer it is exactly
    0 and the tiny log1p term survives (z = 40, y = 1 gives 4.2e-18, not 0).
    """
    return (np.maximum(z, 0.0) - y * z) + np.log1p(np.exp(-np.abs(z)))


def softmax_cross_entropy(z, y):
    """-log softmax(z)_y = (m - z_y) + log1p(sum over k != argmax of exp(z_k - m)), m = max_k z_k.

    The largest logit's term exp(0) = 1 is taken out of the sum and given to
    log1p, so a confident right answer keeps its tiny loss instead of log(1 + tiny) = 0.
    """
    rows = np.arange(z.shape[0])
    top = np.argmax(z, axis=1)
    m = z[rows, top]
    e = np.exp(z - m[:, None])
    e[rows, top] = 0.0
    return (m - z[rows, y]) + np.log1p(e.sum(axis=1))
