"""The three models: linear, logistic and softmax regression.

All three compute the same raw output, z = X W + b, and differ only in how z
is read:

- ``linear``: z is the prediction itself (regression);
- ``logistic``: z is a logit, p = sigma(z) is the probability of class 1;
- ``softmax``: z holds one logit per class, p = softmax(z).

Parameters are one float64 array ``theta`` whose last row is the bias:
shape (d + 1,) for linear and logistic, (d + 1, k) for softmax. ``weights``
and ``bias`` are views into it, so an optimizer updates both in one operation.

The backward pass is one line of chain rule. With dL/dz the per-sample
derivative of the loss (see ``losses.py``) and C the mean over n rows:

    dC/dW = (1/n) * X^T (dL/dz)
    dC/db = (1/n) * sum_i (dL/dz)_i

The bias is a weight on a feature that is always 1: with the design matrix
A = [X, 1], z = A theta and dC/dtheta = (1/n) A^T (dL/dz) in one product.
The training loop works on A (``raw_design``, ``backward_design``); ``raw``
and ``backward`` take the plain features.
"""

import numpy as np

from lossplay.functions import logit, sigmoid, softmax


class LinearModel:
    """z = X w + b; the prediction is z."""

    name = "linear"
    task = "regression"
    output = "prediction"

    def n_outputs(self, n_classes):
        """Number of columns of z: 1 (stored as a vector) for linear and logistic."""
        return None

    def init(self, n_features, n_classes, method, rng):
        """Initial theta: all zeros, or small normal weights (std 0.01) and a zero bias."""
        k = self.n_outputs(n_classes)
        shape = (n_features + 1,) if k is None else (n_features + 1, k)
        theta = np.zeros(shape)
        if method == "normal":
            theta[:-1] = rng.normal(0.0, 0.01, size=theta[:-1].shape)
        return theta

    @staticmethod
    def weights(theta):
        """The weight rows of theta (a view)."""
        return theta[:-1]

    @staticmethod
    def bias(theta):
        """The bias row of theta (a view, or a scalar for one output)."""
        return theta[-1]

    def raw(self, theta, X):
        """z = X W + b."""
        z = X @ theta[:-1]
        z += theta[-1]
        return z

    def backward(self, X, dz, out=None):
        """Mean gradient over the rows: [(1/n) X^T dz ; (1/n) sum_i dz_i], shaped like theta."""
        n = X.shape[0]
        if out is None:
            out = np.empty((X.shape[1] + 1,) + dz.shape[1:])
        np.matmul(X.T, dz, out=out[:-1])
        out[-1] = dz.sum(axis=0)
        out *= 1.0 / n
        return out

    def raw_design(self, theta, A, out=None):
        """z = A theta, for the design A = [X, 1] (into ``out`` when given)."""
        return np.matmul(A, theta, out=out)

    def backward_design(self, A, dz):
        """Mean gradient over the rows: (1/n) A^T dz, shaped like theta (bias in the last row)."""
        grad = A.T @ dz
        grad *= 1.0 / A.shape[0]
        return grad

    def predict(self, z):
        """What the model predicts from z: the value itself."""
        return z


class LogisticModel(LinearModel):
    """z = X w + b is a logit; p = sigma(z) is the probability of class 1; label 1 when z > 0."""

    name = "logistic"
    task = "binary"
    output = "probability of class 1"

    def predict(self, z):
        return sigmoid(z)

    def labels(self, z, threshold=0.5):
        """1 where p = σ(z) ≥ threshold, that is z ≥ logit(threshold)."""
        return (z >= logit(threshold)).astype(np.int64)


class SoftmaxModel(LinearModel):
    """z = X W + b holds k logits per row; p = softmax(z); the label is the largest logit."""

    name = "softmax"
    task = "multiclass"
    output = "probability of each class"

    def n_outputs(self, n_classes):
        return n_classes

    def predict(self, z):
        return softmax(z)

    def labels(self, z, threshold=0.5):
        """The class of the largest logit (``threshold`` is for a binary model only)."""
        return np.argmax(z, axis=1)


class WithoutBias:
    """A model with its bias held at 0: z = X w, and the bias's gradient is always 0.

    theta keeps its bias row (so every optimizer and the loop work unchanged),
    but with a zero gradient no optimizer ever moves it from 0. A 2-feature
    logistic model without bias has exactly two parameters, w1 and w2: few
    enough to draw its cost as a landscape.
    """

    def __init__(self, model):
        self.model = model
        self.name, self.task, self.output = model.name, model.task, model.output

    def __getattr__(self, name):
        return getattr(self.model, name)

    def init(self, n_features, n_classes, method, rng):
        theta = self.model.init(n_features, n_classes, method, rng)
        theta[-1] = 0.0
        return theta

    def backward(self, X, dz, out=None):
        grad = self.model.backward(X, dz, out)
        grad[-1] = 0.0
        return grad

    def backward_design(self, A, dz):
        grad = self.model.backward_design(A, dz)
        grad[-1] = 0.0
        return grad


MODELS = {cls.name: cls for cls in (LinearModel, LogisticModel, SoftmaxModel)}
