"""Datasets, CSV reading and the preparation steps: split, outliers, polynomial features, standardisation."""

import numpy as np
import pytest

from lossplay.data import CATALOG, GENERATORS, SHIPPED, load_dataset, read_csv
from lossplay.errors import LossplayError
from lossplay.prepare import prepare, split
from lossplay.seeding import stream


@pytest.mark.parametrize("name", list(CATALOG))
def test_every_catalog_dataset_loads_with_its_advertised_shape(name):
    data = load_dataset(name)
    info = CATALOG[name]
    assert data.X.dtype == np.float64 and data.X.ndim == 2
    assert data.n_rows == info.n_rows and data.n_features == info.n_features
    assert data.task == info.task
    if data.task == "regression":
        assert data.y.dtype == np.float64 and data.classes is None
    else:
        assert data.y.dtype == np.int64
        assert set(np.unique(data.y)) == set(range(data.n_classes))
        assert data.n_classes == 2 if data.task == "binary" else data.n_classes >= 3


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generated_datasets_are_reproducible_and_follow_the_seed(name):
    a, b = load_dataset(name, seed=4), load_dataset(name, seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    if not GENERATORS[name].fixed:
        assert not np.array_equal(a.X, load_dataset(name, seed=5).X)


def test_imbalanced_is_about_95_to_5():
    y = load_dataset("imbalanced").y
    assert 0.03 <= y.mean() <= 0.07


def test_samples_and_noise_change_a_generated_dataset():
    data = load_dataset("linear", samples=50, noise=0.0)
    assert data.n_rows == 50
    np.testing.assert_allclose(data.y, 3 * data.X[:, 0] + 2)


def test_shipped_datasets_have_named_classes():
    assert load_dataset("iris").classes == ("setosa", "versicolor", "virginica")
    cancer = load_dataset("breast_cancer")
    assert cancer.classes == ("benign", "malignant")
    assert cancer.y.sum() == 212  # malignant is class 1
    assert load_dataset("diabetes").target_name == "progression"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "irs"}, "Did you mean 'iris'"),
    ({"name": "linear", "target": "y"}, "target applies to CSV files"),
    ({"name": "iris", "samples": 10}, "samples applies to generated datasets"),
    ({"name": "tiny", "noise": 0.5}, "fixed"),
    ({"name": "linear", "samples": 2}, "at least 4"),
    ({"name": "missing.csv"}, "does not exist"),
])
def test_bad_dataset_requests_name_the_problem(kwargs, message):
    with pytest.raises(LossplayError, match=message):
        load_dataset(**kwargs)


def test_csv_reading_with_text_labels_and_a_named_target():
    text = "a,label,b\n1,cat,2\n3,dog,4\n5,cat,6\n"
    data = read_csv(text, name="pets.csv", target="label")
    np.testing.assert_array_equal(data.X, [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(data.y, [0, 1, 0])
    assert data.classes == ("cat", "dog") and data.task == "binary"
    assert data.feature_names == ("a", "b")


def test_csv_numeric_target_is_regression_unless_only_zeros_and_ones():
    assert read_csv("x,y\n1,2.5\n2,3.5\n", name="r.csv").task == "regression"
    assert read_csv("x,y\n1,0\n2,1\n", name="b.csv").task == "binary"
    multi = read_csv("x,y\n1,1\n2,2\n3,3\n", name="m.csv", task="multiclass")
    np.testing.assert_array_equal(multi.y, [0, 1, 2])
    assert multi.classes == ("1", "2", "3")


def test_csv_bom_semicolons_and_windows_line_endings_work():
    data = read_csv("\ufeffx;y\r\n1;2\r\n3;4\r\n", name="w.csv")
    np.testing.assert_array_equal(data.X, [[1], [3]])
    assert data.feature_names == ("x",)


@pytest.mark.parametrize(("text", "kwargs", "message"), [
    ("", {}, "is empty"),
    ("x,y\n", {}, "no data rows"),
    ("x,y\n1,2\n", {"header": False}, "column 'x1' line 1 holds 'x', which is not a number"),
    ("x,y\n1,2\n3\n", {}, "line 3 has 1 cell but the header has 2"),
    ("x,y\n1,2\nabc,4\n", {}, "column 'x' line 3 holds 'abc'"),
    ("x,y\n1,2\n,4\n", {}, "missing or non-finite values in 1 of its 2 rows .the first: column 'x' at line 3"),
    ("x,y\n1,2\nnan,4\n", {}, "Add drop_missing=True"),
    ("x,y\n1,2\n3,NA\n", {}, "the target 'y' at line 3 holds 'NA'"),
    ("x,y\n1,2\n3,4\n", {"target": "z"}, "no column 'z'"),
    ("x,y\n1,0.5\n2,1\n", {"task": "binary"}, "Classification needs class labels"),
    ("x,y\n1,a\n2,b\n3,c\n", {"task": "binary"}, "needs 2 classes"),
    ("x,y\n1,a\n2,b\n", {"task": "regression"}, "holds text"),
    ("x,y\n1,a\n2,a\n", {"task": "multiclass"}, "is 'a' in every row: there is nothing to learn"),
])
def test_bad_csv_text_is_explained(text, kwargs, message):
    with pytest.raises(LossplayError, match=message):
        read_csv(text, name="bad.csv", **kwargs)


def test_split_is_seeded_disjoint_and_stratified():
    data = load_dataset("imbalanced")
    train, val = split(data, 0.2, stream(0, "split"))
    assert np.intersect1d(train, val).size == 0 and train.size + val.size == data.n_rows
    assert data.y[val].sum() == round(0.2 * data.y.sum())  # the rare class is split in proportion
    again = split(data, 0.2, stream(0, "split"))
    np.testing.assert_array_equal(val, again[1])
    train0, val0 = split(data, 0.0, stream(0, "split"))
    assert val0 is None
    np.testing.assert_array_equal(train0, np.arange(data.n_rows))


def prepared(name="linear", **options):
    data = load_dataset(name)
    defaults = dict(val_split=0.2, split_rng=stream(0, "split"), outlier_rng=stream(0, "outliers"))
    return data, prepare(data, **{**defaults, **options})


def test_standardisation_is_fitted_on_the_training_rows_only():
    data, p = prepared("multi")
    np.testing.assert_allclose(p.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(p.X_train.std(axis=0), 1, atol=1e-12)
    raw_train = data.X[p.train_rows]
    np.testing.assert_allclose(p.transform.mean, raw_train.mean(axis=0))
    np.testing.assert_allclose(p.X_val, (data.X[p.val_rows] - raw_train.mean(0)) / raw_train.std(0))


def test_outliers_corrupt_only_training_targets():
    data, p = prepared("linear", outliers=True, outlier_fraction=0.1)
    assert p.outliers.sum() == round(0.1 * p.n_train)
    clean = data.y[p.train_rows]
    assert np.all(p.y_train[p.outliers] > clean[p.outliers])
    np.testing.assert_array_equal(p.y_train[~p.outliers], clean[~p.outliers])
    np.testing.assert_array_equal(p.y_val, data.y[p.val_rows])


def test_outliers_flip_labels_for_classification():
    data, p = prepared("blobs3", outliers=True, outlier_fraction=0.2)
    clean = data.y[p.train_rows]
    assert np.all(p.y_train[p.outliers] != clean[p.outliers])
    assert set(np.unique(p.y_train)) <= {0, 1, 2}


def test_polynomial_features_and_their_names():
    data, p = prepared("sine", poly_degree=3, standardize=False)
    x = data.X[p.train_rows, 0]
    np.testing.assert_allclose(p.X_train, np.column_stack([x, x**2, x**3]))
    assert p.feature_names == ("x", "x^2", "x^3")


def test_a_constant_feature_is_centred_not_divided_by_zero():
    data = read_csv("a,b,y\n1,5,1.0\n2,5,2.0\n3,5,2.5\n4,5,4.0\n", name="c.csv")
    p = prepare(data, val_split=0, split_rng=stream(0, "split"), outlier_rng=stream(0, "outliers"))
    assert p.transform.constant == (1,)
    assert np.isfinite(p.X_train).all()
    np.testing.assert_allclose(p.X_train[:, 1], 0.0)


def test_original_units_round_trip():
    data, p = prepared("multi")
    w = np.array([1.0, -2.0, 0.5, 3.0, 0.0])
    b = 0.7
    w0, b0 = p.transform.to_original_units(w, b)
    raw = data.X[:5]
    np.testing.assert_allclose(raw @ w0 + b0, p.transform.transform(raw) @ w + b)
    W = np.arange(10.0).reshape(5, 2)
    W0, B0 = p.transform.to_original_units(W, np.array([1.0, 2.0]))
    np.testing.assert_allclose(raw @ W0 + B0, p.transform.transform(raw) @ W + [1.0, 2.0])


def test_shipped_files_are_found_from_the_installed_package():
    from importlib import resources

    folder = resources.files("lossplay.datasets")
    for info in SHIPPED.values():
        assert folder.joinpath(info.filename).is_file()
    assert folder.joinpath("README.md").is_file()


def test_a_column_of_one_repeated_decimal_counts_as_constant():
    rows = "\n".join(f"{i},0.1,{2 * i}" for i in range(50))
    data = read_csv("x,c,y\n" + rows + "\n", name="c.csv")
    p = prepare(data, val_split=0, split_rng=stream(0, "split"), outlier_rng=stream(0, "outliers"))
    assert p.transform.constant == (1,) and p.transform.std[1] == 1.0
    np.testing.assert_allclose(p.X_train[:, 1], 0.0, atol=1e-15)


def test_polynomial_features_that_overflow_are_refused():
    data = read_csv("x,y\n1e20,1\n2,3\n3,4\n", name="big.csv")
    with pytest.raises(LossplayError, match="poly_degree=20 overflows"):
        prepare(data, val_split=0, poly_degree=20, split_rng=stream(0, "split"), outlier_rng=stream(0, "outliers"))


def test_a_header_of_100k_duplicate_names_fails_fast(tmp_path):
    import time

    names = [f"column{i % 50_000}" for i in range(100_000)]
    (tmp_path / "wide.csv").write_text(",".join(names) + "\n" + ",".join(["1"] * len(names)) + "\n")
    started = time.monotonic()
    with pytest.raises(LossplayError, match="names the column 'column0' twice"):
        load_dataset(str(tmp_path / "wide.csv"))
    assert time.monotonic() - started < 5  # comparing every name with every other took seconds


@pytest.mark.parametrize(("labels", "classes"), [
    (["0", "1e30"], ("0", "1e30")),
    (["1e20", "2e20"], ("1e20", "2e20")),
    (["9007199254740993", "9007199254740992"], ("9007199254740992", "9007199254740993")),
    (["-1e300", "1"], ("-1e300", "1")),
])
def test_labels_too_large_to_be_exact_integers_are_read_as_written(labels, classes, tmp_path):
    text = "x,y\n" + "".join(f"{i},{labels[i % 2]}\n" for i in range(8))
    (tmp_path / "big.csv").write_text(text)
    for data in (load_dataset(str(tmp_path / "big.csv"), task="multiclass"),  # numpy's path, then the text
                 read_csv(text, name="big.csv", task="binary")):
        assert data.classes == classes
        np.testing.assert_array_equal(data.y, [classes.index(labels[i % 2]) for i in range(8)])


def test_whole_number_labels_below_2_to_the_53_stay_numbers():
    data = read_csv("x,y\n1,9007199254740991\n2,3\n3,3.0\n", name="n.csv", task="multiclass")
    assert data.classes == ("3", "9007199254740991")
    np.testing.assert_array_equal(data.y, [1, 0, 0])


def test_a_numeric_target_with_a_typo_is_not_read_as_fifty_classes(tmp_path):
    rows = [f"{i},{3 * i + 2}" for i in range(50)]
    rows[18] = "18,3O.5"
    (tmp_path / "typo.csv").write_text("x,y\n" + "\n".join(rows) + "\n")
    with pytest.raises(LossplayError, match=r"holds numbers except '3O.5' at line 20: a typo\?"):
        load_dataset(str(tmp_path / "typo.csv"))
    assert load_dataset(str(tmp_path / "typo.csv"), task="multiclass").n_classes == 50  # asked for: classes
