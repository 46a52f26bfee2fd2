"""Data as it comes: files without a header row, blank-separated text files, chosen columns, interaction
features, parameters in the data's own units, names in any case, and the first exercise of Andrew Ng's
machine-learning course (tests/data/ex1data1.txt) as a textbook check."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay.cli import cli
from lossplay.config import make_config
from lossplay.data import load_dataset, read_csv
from lossplay.errors import LossplayError
from lossplay.experiment import memory_needed
from lossplay.prepare import column_count, prepare
from lossplay.seeding import stream

EX1 = Path(__file__).parent / "data" / "ex1data1.txt"
RUN_JSON_KEYS = ["lossplay_version", "status", "config", "data", "params", "epochs_run", "best_epoch",
                 "overfitting", "metrics", "files", "kept_epoch", "diagnosis"]


def table(rows=30, seed=0):
    """Rows of (x1, x2, y) with x2 on another scale than x1."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.uniform(-2, 2, rows), rng.uniform(0, 50, rows)
    y = 1.5 * x1 - 0.2 * x2 + 3 + rng.normal(0, 0.3, rows)
    return np.column_stack([x1, x2, y])


def write(path, rows, separator=",", header=None):
    lines = [] if header is None else [separator.join(header)]
    lines += [separator.join(repr(float(v)) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


# -- files without a header row --------------------------------------------------------------------------------


def test_files_without_a_header_train_exactly_as_the_same_data_with_one(tmp_path):
    rows = table()
    named = write(tmp_path / "named.csv", rows, header=["a", "b", "target"])
    files = [write(tmp_path / "plain.csv", rows), write(tmp_path / "spaces.txt", rows, separator="   "),
             write(tmp_path / "tabs.txt", rows, separator="\t")]
    options = dict(epochs=15, batch_size=8, optimizer="adam")
    reference = lossplay.train(dataset=named, **options)
    assert reference.data.feature_names == ("a", "b")
    for path in files:
        run = lossplay.train(dataset=path, **options)
        assert run.data.feature_names == ("x1", "x2") and run.data.target_name == "y"
        np.testing.assert_array_equal(run.theta, reference.theta)
        assert run.history[-1].train_loss == reference.history[-1].train_loss
        assert any("has no header row (its first line is numbers): its columns are called x1, x2 and the target y"
                   in note for note in run.notes)
    assert not any("header" in note for note in reference.notes)


def test_a_blank_separated_file_with_leading_blanks_and_a_header_is_read(tmp_path):
    path = tmp_path / "octave.txt"
    path.write_text("   size   price\n  1.0e+00  2.5\n  2.0e+00  4.5\n\n  3.0e+00  6.5\n")
    data = load_dataset(str(path))
    assert data.feature_names == ("size",) and data.target_name == "price"
    np.testing.assert_array_equal(data.X[:, 0], [1, 2, 3])
    np.testing.assert_array_equal(data.y, [2.5, 4.5, 6.5])


@pytest.mark.parametrize("text", ["1,2\n3,4\n5,7\n", "1,2\n3,4\n5,x7\n"])  # numpy's path, then the text reader's
def test_header_and_no_header_force_how_the_first_line_is_read(tmp_path, text):
    path = tmp_path / "numbers.csv"
    path.write_text(text)
    if "x" in text:
        with pytest.raises(LossplayError, match="target '2' holds text"):
            load_dataset(str(path), header=True, task="regression")
        return
    named = load_dataset(str(path), header=True)
    assert named.feature_names == ("1",) and named.target_name == "2" and named.n_rows == 2
    assert named.notes == ()
    plain = load_dataset(str(path), header=False)
    assert plain.feature_names == ("x1",) and plain.n_rows == 3
    assert plain.notes == ("'" + str(path) + "' is read without a header row (header=False): its columns are called "
                           "x1 and the target y.",)


@pytest.mark.parametrize(("first_line", "names"), [
    ("6.1101,17.592", ("x1", "y")),        # numbers: data
    ("1,,3", ("x1", "x2", "y")),           # a number and a missing cell: data (with a missing value)
    ("nan,inf", ("nan", "inf")),           # no finite number: names
    ("price,1", ("price", "1")),           # a word: names
])
def test_a_first_line_is_data_when_every_cell_is_a_number_or_missing(first_line, names):
    data = read_csv(first_line + "\n4,5\n6,7\n" if len(names) == 2 else first_line + "\n4,5,6\n7,8,9\n",
                    name="f.csv", drop_missing=True)
    assert (*data.feature_names, data.target_name) == names


def test_an_unnamed_column_gets_a_name_and_a_note_never_an_empty_one():
    data = read_csv(",size,price\n0,1,2\n1,2,4\n2,3,5\n", name="pandas.csv")
    assert data.feature_names == ("column1", "size")
    assert data.notes == ("The header row of 'pandas.csv' leaves 1 column without a name: called column1 here "
                          "(drop='column1' leaves it out).",)
    assert read_csv(",size,price\n0,1,2\n1,2,4\n", name="pandas.csv", drop="column1").feature_names == ("size",)
    with pytest.raises(LossplayError, match="names the column 'a' twice"):
        read_csv("a,a,y\n1,2,3\n", name="twice.csv")


# -- choosing the columns ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("city", ["1", "Paris"])  # a file of numbers (numpy's path), one with a text column
def test_features_and_drop_choose_exactly_those_columns(tmp_path, city):
    path = tmp_path / "homes.csv"
    path.write_text("city,area,rooms,age,price\n" + "".join(
        f"{city},{10 * i + 5},{i % 4 + 1},{(7 * i) % 30},{100 + 3 * i}\n" for i in range(12)))
    raw = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 2, 3, 4))
    chosen = load_dataset(str(path), features="age, area")
    assert chosen.feature_names == ("age", "area") and chosen.target_name == "price"
    np.testing.assert_array_equal(chosen.X, raw[:, [2, 0]])
    np.testing.assert_array_equal(chosen.y, raw[:, 3])
    kept = load_dataset(str(path), drop="city,rooms")
    assert kept.feature_names == ("area", "age")
    np.testing.assert_array_equal(kept.X, raw[:, [0, 2]])
    run = lossplay.train(dataset=str(path), features="rooms", epochs=2)
    assert run.data.feature_names == ("rooms",) and run.params["weights"].shape == (1,)


@pytest.mark.parametrize(("options", "message"), [
    ({"features": "aera"}, r"has no column 'aera' \(features\). Did you mean 'area'\? Columns: city, area, price."),
    ({"drop": "price"}, "drop names 'price', the target"),
    ({"features": "area,area"}, "features names 'area' twice"),
    ({"drop": "city,area"}, "drop leaves 'homes.csv' no feature"),
    ({}, "column 'city' line 2 holds 'Paris', which is not a number: features are numbers. Leave the column out "
         "with drop='city', or fix the cell."),
])
def test_choosing_columns_badly_is_explained(options, message):
    with pytest.raises(LossplayError, match=message):
        read_csv("city,area,price\nParis,50,500\nLyon,70,300\n", name="homes.csv", **options)


def test_a_text_column_s_error_on_the_command_line_quotes_the_name_to_drop(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text("home town,area,price\nParis,50,500\nLyon,70,300\n")
    result = CliRunner().invoke(cli, ["train", "--dataset", str(path), "--epochs", "1"])
    assert result.exit_code == 2
    assert "Leave the column out with --drop 'home town', or fix the cell." in result.stderr


def test_a_shipped_dataset_s_columns_can_be_chosen_a_generated_one_s_cannot():
    iris = load_dataset("iris", drop="sepal_width")
    assert iris.feature_names == ("sepal_length", "petal_length", "petal_width") and iris.n_classes == 3
    with pytest.raises(LossplayError, match="features applies to CSV files and shipped datasets; 'multi' is"):
        load_dataset("multi", features="x1")
    with pytest.raises(LossplayError, match="header=False applies to your own files"):
        load_dataset("iris", header=False)


# -- interaction features ------------------------------------------------------------------------------------------


def map_feature(x1, x2, degree=6):
    """mapFeature of the course's second exercise, without its column of ones: for i in 1..degree, for j in 0..i,
    the column x1^(i-j) * x2^j."""
    return np.column_stack([x1 ** (i - j) * x2**j for i in range(1, degree + 1) for j in range(i + 1)])


def test_degree_6_interactions_of_two_columns_are_map_feature_s_27_columns():
    rows = table(rows=20)
    data = read_csv("u,v,y\n" + "".join(",".join(repr(float(v)) for v in row) + "\n" for row in rows), name="two.csv")
    p = prepare(data, val_split=0, poly_degree=6, interactions=True, standardize=False,
                split_rng=stream(0, "split"), outlier_rng=stream(0, "outliers"))
    expected = map_feature(rows[:, 0], rows[:, 1])
    assert expected.shape == (20, 27) and p.n_features == 27 == column_count(2, 6, interactions=True)
    np.testing.assert_allclose(p.X_train, expected, rtol=1e-12)
    assert p.feature_names[:6] == ("u", "v", "u^2", "u·v", "v^2", "u^3")
    assert p.feature_names[-1] == "v^6" and "u^2·v^4" in p.feature_names
    np.testing.assert_allclose(p.transform.expand(rows[:3, :2]), expected[:3], rtol=1e-12)  # what predict uses
    powers = prepare(data, val_split=0, poly_degree=6, standardize=False,
                     split_rng=stream(0, "split"), outlier_rng=stream(0, "outliers"))
    assert powers.feature_names[:3] == ("u", "u^2", "u^3") and powers.n_features == 12 == column_count(2, 6)


def test_interactions_standardise_each_expanded_column_and_count_in_the_memory_check():
    data = load_dataset("blobs")
    p = prepare(data, val_split=0.2, poly_degree=3, interactions=True, split_rng=stream(0, "split"),
                outlier_rng=stream(0, "outliers"))
    raw = map_feature(*data.X[p.train_rows].T, degree=3)
    np.testing.assert_allclose(p.transform.mean, raw.mean(axis=0))
    np.testing.assert_allclose(p.transform.std, raw.std(axis=0))
    np.testing.assert_allclose(p.X_train, (raw - raw.mean(axis=0)) / raw.std(axis=0), atol=1e-12)
    config = make_config(poly_degree=6, interactions=True)
    assert memory_needed(config, 100, 2, 1, 0)["design"] == 8 * 100 * 28 + 64 * 100
    assert column_count(30, 6, interactions=True) == 1_947_791  # C(36, 6) - 1


def test_interactions_without_a_degree_are_said_to_do_nothing():
    run = lossplay.train(interactions=True, epochs=1)
    assert "--interactions True has no effect here: it is read only with --poly-degree 2 or more." in run.notes


# -- parameters in the data's own units ------------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "columns"), [
    ({}, lambda a, b: [a, b]),
    ({"poly_degree": 2, "interactions": True}, lambda a, b: [a, b, a * a, a * b, b * b]),
])
def test_params_original_are_the_least_squares_fit_on_the_raw_columns(tmp_path, options, columns):
    path = write(tmp_path / "two.csv", table(rows=40, seed=3), header=["a", "b", "y"])
    raw = np.loadtxt(path, delimiter=",", skiprows=1)
    run = lossplay.train(dataset=path, batch_size=0, val_split=0, epochs=3000, lr=0.3, out=str(tmp_path / "run"),
                         **options)
    design = np.column_stack([*columns(raw[:, 0], raw[:, 1]), np.ones(len(raw))])
    exact = np.linalg.lstsq(design, raw[:, 2], rcond=None)[0]
    document = json.loads((tmp_path / "run" / "run.json").read_text())
    assert list(document) == [*RUN_JSON_KEYS[:5], "params_original", *RUN_JSON_KEYS[5:]]
    original = document["params_original"]
    np.testing.assert_allclose([*original["weights"], original["bias"]], exact, rtol=1e-6)
    assert document["params"]["weights"] == pytest.approx(list(run.params["weights"]))  # as trained: unchanged
    standardization = document["data"]["standardization"]
    assert standardization["std_divides_by"] == "n"
    np.testing.assert_allclose(standardization["std"], design[:, :-1].std(axis=0, ddof=0))


def test_without_standardisation_run_json_has_no_params_original(tmp_path):
    lossplay.train(standardize=False, epochs=2, out=str(tmp_path / "run"))
    document = json.loads((tmp_path / "run" / "run.json").read_text())
    assert list(document) == RUN_JSON_KEYS and document["data"]["standardization"] is None


# -- names in any case, and R² of a single row ---------------------------------------------------------------------


def test_names_are_case_insensitive_but_a_user_s_class_keeps_its_own():
    run = lossplay.train(loss="MSE", optimizer="Adam", model="Linear", init="Zeros", lr_schedule="Cosine", epochs=2)
    c = run.config
    assert (c.loss, c.optimizer, c.model, c.init, c.lr_schedule, c.lr) == ("mse", "adam", "linear", "zeros", "cosine",
                                                                          0.05)
    iris = lossplay.train(dataset="Iris", loss="CCE", class_weight="Balanced", metric="F1", epochs=2)
    assert iris.config.dataset == "iris" and iris.config.class_weight == "Balanced" and iris.data.n_classes == 3
    assert iris.config.metric == "f1"
    loss, optimizer = "docs/examples/cauchy_loss.py:Cauchy", "docs/examples/lion_optimizer.py:Lion"
    plugin = make_config(loss=loss, optimizer=optimizer)
    assert (plugin.loss, plugin.optimizer) == (loss, optimizer)


def test_names_in_any_case_on_the_command_line_and_in_a_config_file(in_tmp):
    (in_tmp / "c.toml").write_text('loss = "Huber"\noptimizer = "RMSprop"\nepochs = 2\n')
    result = CliRunner().invoke(cli, ["train", "--config", "c.toml", "--dataset", "DIABETES", "--quiet", "--no-plot",
                                      "--out", "run"])
    assert result.exit_code == 0, result.output + result.stderr
    config = json.loads((in_tmp / "run" / "run.json").read_text())["config"]
    assert (config["loss"], config["optimizer"], config["dataset"]) == ("huber", "rmsprop", "diabetes")
    result = CliRunner().invoke(cli, ["compare", "MSE", "MAE", "--epochs", "2", "--quiet", "--no-plot", "--out", "cmp"])
    assert result.exit_code == 0, result.output + result.stderr
    assert [run["name"] for run in json.loads((in_tmp / "cmp" / "compare.json").read_text())["runs"]] == ["mse", "mae"]


def test_a_single_validation_row_s_nan_r2_is_explained():
    run = lossplay.train(dataset="tiny", val_split=0.1, epochs=2)
    assert run.data.n_val == 1 and np.isnan(run.metrics["val"]["r2"])
    assert ("The validation split has a single row, so its R² is nan (not a number): R² = 1 − SSE/SST needs at "
            "least 2 rows with different targets. A larger val_split gives it more rows.") in run.notes
    assert not any("R²" in note for note in lossplay.train(dataset="tiny", epochs=2).notes)


def test_the_new_options_work_from_a_config_file_and_take_lists_of_names(in_tmp):
    assert lossplay.train(dataset="iris", features=["petal_width", "sepal_length"], epochs=1).data.feature_names == \
        ("petal_width", "sepal_length")
    (in_tmp / "homes.txt").write_text("1 50 2 500\n2 70 3 300\n3 40 1 250\n4 90 4 310\n5 60 2 330\n")
    (in_tmp / "c.toml").write_text('dataset = "homes.txt"\ndrop = ["x1"]\npoly_degree = 2\ninteractions = true\n'
                                   'epochs = 2\nheader = false\n')
    result = CliRunner().invoke(cli, ["train", "--config", "c.toml", "--quiet", "--no-plot", "--out", "run"])
    assert result.exit_code == 0, result.output + result.stderr
    document = json.loads((in_tmp / "run" / "run.json").read_text())
    assert document["data"]["features"] == ["x2", "x3", "x2^2", "x2·x3", "x3^2"]
    assert (document["config"]["header"], document["config"]["drop"]) == (False, "x1")


# -- a textbook check: the first exercise of Andrew Ng's machine-learning course -----------------------------------
# The course's cost is J(θ) = (1/2m) Σ (θ₀ + θ₁x − y)², half lossplay's MSE, so its gradient is half lossplay's too:
# its α = 0.01 takes the steps of lossplay's lr 0.005.


def test_ex1data1_reads_as_97_rows_of_population_and_profit():
    data = load_dataset(str(EX1))
    assert data.n_rows == 97 and data.feature_names == ("x1",) and data.target_name == "y"
    assert (data.X[0, 0], data.y[0]) == (6.1101, 17.592) and (data.X[-1, 0], data.y[-1]) == (5.4369, 0.61705)


def test_ex1data1_cost_is_twice_the_course_s_j():
    record = next(lossplay.step(dataset=str(EX1), batch_size=0, val_split=0, steps=1))
    assert record.X.shape == (97, 1) and not record.params_before.any()
    assert record.cost / 2 == pytest.approx(32.0727, abs=5e-5)  # the course: J(0, 0) = 32.07
    assert record.train_cost_before == record.cost
    record = next(lossplay.step(dataset=str(EX1), batch_size=0, val_split=0, steps=1, init_weights=[2], init_bias=-1))
    np.testing.assert_array_equal(record.params_before, [2, -1])
    assert record.cost / 2 == pytest.approx(54.2425, abs=5e-5)  # the course: J(-1, 2) = 54.24


def test_ex1data1_gradient_descent_reaches_the_course_s_answers():
    options = dict(dataset=str(EX1), batch_size=0, val_split=0, standardize=False)
    course = lossplay.train(lr=0.005, epochs=1500, **options)  # the course's 1500 iterations with α = 0.01
    assert course.params["bias"] == pytest.approx(-3.6303, abs=5e-5)
    assert course.params["weights"][0] == pytest.approx(1.1664, abs=5e-5)
    long = lossplay.train(lr=0.01, epochs=20000, **options)
    raw = np.loadtxt(EX1, delimiter=",")
    exact = np.linalg.lstsq(np.column_stack([np.ones(97), raw[:, 0]]), raw[:, 1], rcond=None)[0]
    np.testing.assert_allclose(exact, [-3.8958, 1.1930], atol=5e-5)  # the normal equation's θ in the course
    np.testing.assert_allclose([long.params["bias"], long.params["weights"][0]], exact, rtol=1e-9)
