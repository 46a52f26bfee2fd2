"""From a dataset to the arrays the model trains on.

The order is fixed: split into training and validation rows (seeded), corrupt
a fraction of the training targets when outliers are asked for (validation
stays clean), expand polynomial features, then standardise with the mean and
standard deviation of the training split only, so that nothing about the
validation rows leaks into training.

The standard deviation is the population one, divided by the number n of
training rows: std_j = sqrt((1/n) sum_i (x_ij - mean_j)^2) (numpy's default,
ddof = 0), so that each standardised column has mean 0 and (1/n) sum x^2 = 1.
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np

from lossplay.errors import LossplayError, spell


def polynomial_terms(n_features, degree, interactions=False):
    """The model's columns as monomials of the raw features: a tuple of terms, each a tuple of (feature index,
    power) pairs, the column being prod x_j^power.

    Powers only: x_1, x_1^2, ..., x_1^degree, x_2, ... (degree * d columns). With ``interactions`` every
    monomial of total degree 1..degree, by degree, then with the powers of the first features falling:
    for two features x_1, x_2, x_1^2, x_1 x_2, x_2^2, x_1^3, ... -- the order of the mapFeature of Andrew Ng's
    machine-learning course (for i in 1..degree, for j in 0..i: x_1^(i-j) x_2^j), C(d + degree, degree) - 1
    columns (``column_count``).
    """
    if not interactions:
        return tuple(((j, power),) for j in range(n_features) for power in range(1, degree + 1))
    terms = []
    for total in range(1, degree + 1):
        for factors in itertools.combinations_with_replacement(range(n_features), total):
            terms.append(tuple((j, factors.count(j)) for j in dict.fromkeys(factors)))
    return tuple(terms)


def column_count(n_features, degree, interactions=False):
    """How many columns ``polynomial_terms`` makes, without making them: degree * d for the powers alone,
    C(d + degree, degree) - 1 with the interactions (every monomial of degree 1 to degree in d variables)."""
    if not interactions:
        return n_features * degree
    return math.comb(n_features + degree, degree) - 1


def term_name(term, raw_names):
    """A column's name from its monomial: 'x', 'x^2', 'x1·x2', 'x1^2·x2'."""
    return "·".join(raw_names[j] if power == 1 else f"{raw_names[j]}^{power}" for j, power in term)


def term_column(source, rows, term):
    """The column prod x_j^power of one monomial over ``source[rows]`` (``source`` is never written to)."""
    column = None
    for j, power in term:
        factor = source[rows, j]
        factor = factor**power if power > 1 else factor
        column = factor if column is None else column * factor
    return column


@dataclass(frozen=True)
class FeatureTransform:
    """Raw features -> model features: the monomials of ``terms`` (powers 1..degree of each feature, or with
    interactions every product up to the degree; see ``polynomial_terms``), then (x - mean) / std.

    ``mean`` and ``std`` are None when the features are not standardised. A
    feature that is constant on the training split keeps std = 1 (it is
    centred, not divided by zero); its index is in ``constant``.
    """

    degree: int
    raw_names: tuple
    names: tuple
    mean: np.ndarray | None
    std: np.ndarray | None
    constant: tuple = ()
    terms: tuple = ()  # left out: the powers of each feature (``polynomial_terms``)

    def __post_init__(self):
        if not self.terms:
            object.__setattr__(self, "terms", polynomial_terms(len(self.raw_names), self.degree))

    def expand(self, X):
        """The polynomial features of raw rows X, not yet standardised: one column per term."""
        if self.degree == 1:
            return X
        every_row = slice(None)
        return np.column_stack([term_column(X, every_row, term) for term in self.terms])

    def transform(self, X):
        """The model's input for raw rows X."""
        X = self.expand(np.asarray(X, dtype=np.float64))
        if self.mean is None:
            return np.ascontiguousarray(X)
        return (X - self.mean) / self.std

    def to_original_units(self, weights, bias):
        """Weights and bias that give the same z on the unstandardised (expanded) features.

        z = sum_j w_j (x_j - mean_j) / std_j + b  =  sum_j (w_j / std_j) x_j + (b - sum_j w_j mean_j / std_j)

        Parameters of a diverged run, or a feature of tiny spread, can give values beyond float64:
        they come back as infinity or NaN, for the caller to show as such.
        """
        weights = np.asarray(weights, dtype=np.float64)
        if self.mean is None:
            return weights, np.asarray(bias, dtype=np.float64)
        scale = self.std if weights.ndim == 1 else self.std[:, None]
        shift = self.mean if weights.ndim == 1 else self.mean[:, None]
        with np.errstate(over="ignore", invalid="ignore"):
            original = weights / scale
            return original, bias - (original * shift).sum(axis=0)


@dataclass(frozen=True)
class PreparedData:
    """Everything the loop and the plots need about the data of one run.

    The model's inputs are kept as design matrices A = [X, 1]: the features
    (expanded and standardised) with a last column of ones, so that the raw
    output is z = A theta and the gradient (1/n) A^T dL/dz, bias included.
    ``X_train`` and ``X_val`` are views of them without the ones. The design
    is stored column by column (Fortran order) for full-batch training, where
    A^T r is the costly product, and row by row for mini-batches, which gather
    rows. The raw (original-unit) rows are read from the dataset when asked for.
    """

    design_train: np.ndarray
    y_train: np.ndarray
    design_val: np.ndarray | None
    y_val: np.ndarray | None
    source: np.ndarray
    train_rows: np.ndarray
    val_rows: np.ndarray | None
    outliers: np.ndarray
    transform: FeatureTransform
    target_name: str
    task: str
    classes: tuple | None
    true_params: dict | None
    true_curve: tuple | None = None

    @property
    def X_train(self):
        return self.design_train[:, :-1]

    @property
    def X_val(self):
        return None if self.design_val is None else self.design_val[:, :-1]

    @property
    def raw_train(self):
        """The training rows in the data's own units (a copy, made when asked for)."""
        return self.source[self.train_rows]

    @property
    def raw_val(self):
        return None if self.val_rows is None else self.source[self.val_rows]

    @property
    def n_train(self):
        return self.design_train.shape[0]

    @property
    def n_val(self):
        return 0 if self.design_val is None else self.design_val.shape[0]

    @property
    def n_features(self):
        return self.design_train.shape[1] - 1

    @property
    def n_classes(self):
        return None if self.classes is None else len(self.classes)

    @property
    def feature_names(self):
        return self.transform.names


def _mean_and_std(X):
    """Column means and standard deviations, computed on columns scaled to at most 1 so that
    values near 1e300 do not overflow when squared."""
    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0
    scaled = X / scale
    return scaled.mean(axis=0) * scale, scaled.std(axis=0) * scale


def split(dataset, val_split, rng):
    """(train_rows, val_rows) as sorted row indices; val_rows is None when val_split is 0.

    For classification the split is stratified: each class gives the same
    fraction of its rows to validation.
    """
    n = dataset.n_rows
    if val_split == 0:
        return np.arange(n), None
    if dataset.task == "regression":
        groups = [np.arange(n)]
    else:
        groups = [np.flatnonzero(dataset.y == c) for c in range(dataset.n_classes)]
    val = []
    for rows in groups:
        take = int(round(val_split * len(rows)))
        val.append(rng.permutation(rows)[:take])
    val = np.sort(np.concatenate(val))
    if val.size == 0:  # too few rows for the fraction: hold out one row of the largest group
        val = rng.permutation(max(groups, key=len))[:1]
    if val.size >= n:
        raise LossplayError(
            f"{spell('val_split', val_split)} leaves no training rows out of {n}; use a smaller fraction."
        )
    train = np.setdiff1d(np.arange(n), val, assume_unique=True)
    return train, val


def corrupt(y, task, fraction, n_classes, rng):
    """(corrupted copy of y, boolean mask of the corrupted rows).

    Regression: the chosen targets are pushed up by 3 to 6 standard deviations
    of y, all in the same direction, as a faulty sensor or a typo would.
    Classification: the chosen labels are flipped to another class.
    """
    n = y.shape[0]
    count = min(n, max(1, int(round(fraction * n))))
    rows = rng.choice(n, size=count, replace=False)
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    y = y.copy()
    if task == "regression":
        spread = float(np.std(y)) or 1.0
        y[rows] += rng.uniform(3.0, 6.0, size=count) * spread
    else:
        y[rows] = (y[rows] + rng.integers(1, n_classes, size=count)) % n_classes
    return y, mask


def design(source, rows, transform, order="C"):
    """A = [expanded features of source[rows], 1], filled one column at a time into a single array.

    Only one column of the rows is ever copied at a time, so a large dataset
    is not held twice. Standardisation, when the transform has it, is applied
    to each column in place. Validation rows far outside a training spread near 1e-300 can overflow to
    infinity there: their cost is then infinite, and shown as such.
    """
    n, d = rows.size, len(transform.names)
    A = np.empty((n, d + 1), order=order)
    for k, term in enumerate(transform.terms):
        A[:, k] = term_column(source, rows, term)
        if transform.mean is not None:
            with np.errstate(over="ignore", invalid="ignore"):
                A[:, k] -= transform.mean[k]
                A[:, k] /= transform.std[k]
    A[:, d] = 1.0
    return A


def standardise_columns(A):
    """(mean, std, constant columns) of the feature columns of a design A, and A standardised in place."""
    d = A.shape[1] - 1
    mean, std = np.empty(d), np.empty(d)
    constant = []
    for j in range(d):
        column = A[:, j]
        mean[j], std[j] = (v[0] for v in _mean_and_std(column[:, None]))
        # constant means every value is the same; a std of 1e-16 from rounding is not a spread
        if column.max() == column.min():
            std[j] = 1.0
            constant.append(j)
        A[:, j] -= mean[j]
        A[:, j] /= std[j]
    return mean, std, tuple(constant)


def prepare(dataset, *, val_split=0.2, outliers=False, outlier_fraction=0.1, poly_degree=1, interactions=False,
            standardize=True, split_rng, outlier_rng, batch_size=0):
    """Split, corrupt, expand and standardise ``dataset``; see the module docstring for the order.

    ``interactions`` adds the products of the features up to ``poly_degree`` (``polynomial_terms``);
    ``batch_size`` chooses the memory layout of the training design (see ``PreparedData``).
    """
    train_rows, val_rows = split(dataset, val_split, split_rng)
    # binary labels are kept as the numbers 0.0 and 1.0: the cross-entropy multiplies by them
    label_type = np.float64 if dataset.task == "binary" else dataset.y.dtype
    y_train = dataset.y[train_rows].astype(label_type)
    mask = np.zeros(train_rows.size, dtype=bool)
    if outliers:
        y_train, mask = corrupt(y_train, dataset.task, outlier_fraction, dataset.n_classes, outlier_rng)
    if poly_degree > 1:
        with np.errstate(over="ignore"):
            too_large = not np.isfinite(np.abs(dataset.X).max() ** poly_degree)
        if too_large:
            raise LossplayError(
                f"{spell('poly_degree', poly_degree)} overflows: the largest feature value "
                f"{np.abs(dataset.X).max():.3g} raised to that power is beyond float64. Rescale the data "
                "or use a lower degree."
            )
    raw_names = tuple(dataset.feature_names)
    terms = polynomial_terms(len(raw_names), poly_degree, interactions)
    names = tuple(term_name(term, raw_names) for term in terms)
    transform = FeatureTransform(poly_degree, raw_names, names, None, None, terms=terms)
    full_batch = batch_size == 0 or batch_size >= train_rows.size
    design_train = design(dataset.X, train_rows, transform, order="F" if full_batch else "C")
    if standardize:
        mean, std, constant = standardise_columns(design_train)
        transform = FeatureTransform(poly_degree, raw_names, names, mean, std, constant, terms)
    return PreparedData(
        design_train=design_train,
        y_train=y_train,
        design_val=None if val_rows is None else design(dataset.X, val_rows, transform),
        y_val=None if val_rows is None else dataset.y[val_rows].astype(label_type),
        source=dataset.X,
        train_rows=train_rows,
        val_rows=val_rows,
        outliers=mask,
        transform=transform,
        target_name=dataset.target_name,
        task=dataset.task,
        classes=dataset.classes,
        true_params=dataset.true_params,
        true_curve=dataset.true_curve,
    )
