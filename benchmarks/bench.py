"""lossplay's speed goals, measured as ratios in one process, interleaved, over several rounds.

    python benchmarks/bench.py              # every goal, full sizes (a few minutes)
    python benchmarks/bench.py loop startup # some goals only
    python benchmarks/bench.py --smoke      # tiny sizes, no goal checked (what the test suite runs)

Each goal prints a table of medians and min-max per contender and the ratio that the goal
bounds: the median over rounds of the two contenders' ratio within a round, so that a
machine that slows down for a moment slows both sides of the ratio. The script exits
with 1 when a ratio misses its goal. The contenders are written
here in the shortest numpy a person would write for the same job (and PyTorch, when it is
installed; it is never a dependency).
"""

import argparse
import contextlib
import gc
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# One BLAS thread per process, unless asked otherwise. On a 2-core virtual machine two BLAS
# threads make every matrix product wait for the slower core, and the ratios below then swing
# by a fifth from one run to the next; with one thread they repeat to a few percent. Both
# sides of every ratio run under the same setting. OPENBLAS_NUM_THREADS=2 measures the other.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lossplay.config import make_config  # noqa: E402
from lossplay.data import Dataset, load_csv  # noqa: E402
from lossplay.experiment import build  # noqa: E402
from lossplay.observers import History  # noqa: E402

try:  # only ever a contender, never a dependency
    import torch
except ImportError:
    torch = None

RESULTS = []


# -- the harness ---------------------------------------------------------------------------


def interleaved(contenders, rounds):
    """{name: [seconds per call, one per round]}, running the contenders in turn each round."""
    times = {name: [] for name in contenders}
    for function in contenders.values():  # warm up: caches, lazy imports, BLAS threads
        function()
    for _ in range(rounds):
        for name, function in contenders.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return times


def paired_ratio(times, ours, base):
    """The median over rounds of ours / base within the round: steadier than a ratio of medians
    when the machine's speed drifts during the run, since both sides of a round share the drift."""
    return statistics.median(a / b for a, b in zip(times[ours], times[base]))


def report(title, times, unit, per=1.0):
    print(f"\n{title}")
    print(f"  {'contender':44s} {'median':>12s} {'min - max':>24s}")
    for name, values in times.items():
        scaled = [v / per for v in values]
        print(f"  {name:44s} {_fmt(statistics.median(scaled), unit):>12s} "
              f"{_fmt(min(scaled), unit) + ' - ' + _fmt(max(scaled), unit):>24s}")


def _fmt(seconds, unit):
    scale = {"ms": 1e3, "us": 1e6, "s": 1.0}[unit]
    return f"{seconds * scale:.3g} {unit}"


def goal(name, ratio, bound, at_least=False):
    """Record and print one goal: ratio <= bound (or >= with ``at_least``)."""
    met = ratio >= bound if at_least else ratio <= bound
    sign = ">=" if at_least else "<="
    print(f"  GOAL {name}: ratio {ratio:.3f} (must be {sign} {bound}) -> {'met' if met else 'MISSED'}")
    RESULTS.append((name, ratio, bound, at_least, met))


def median(values):
    return statistics.median(values)


def experiment(X, y, task, **options):
    """A lossplay experiment on in-memory data, through the same build as the command line."""
    classes = None if task == "regression" else tuple(str(c) for c in range(int(y.max()) + 1))
    data = Dataset("bench", X, y, tuple(f"x{j}" for j in range(X.shape[1])), "y", task, classes, None, "csv")
    return build(make_config(dataset="bench", val_split=0.0, standardize=False, seed=0, **options), dataset=data)


def lossplay_epochs(exp, epochs):
    """Run the loop (with its per-epoch evaluation) for ``epochs`` epochs."""
    loop = exp.training_loop(epochs=epochs)
    return lambda: loop.run(exp.theta0, [History()])


# -- goal 1 and 3: full batch ----------------------------------------------------------------


# The hand-written loops fit the same models as lossplay, bias included, and nothing else:
# no cost, no metrics, no history.


def hand_linear(X, y, lr, epochs):
    def run():
        n = X.shape[0]
        w = np.zeros(X.shape[1])
        b = 0.0
        for _ in range(epochs):
            r = X @ w + b - y
            w -= lr * (2.0 / n) * (X.T @ r)
            b -= lr * (2.0 / n) * r.sum()
        return w
    return run


def hand_logistic(X, y, lr, epochs):
    def run():
        n = X.shape[0]
        w = np.zeros(X.shape[1])
        b = 0.0
        for _ in range(epochs):
            g = 1.0 / (1.0 + np.exp(-(X @ w + b))) - y
            w -= lr / n * (X.T @ g)
            b -= lr / n * g.sum()
        return w
    return run


def hand_softmax(X, y, k, lr, epochs):
    onehot = np.eye(k)[y]

    def run():
        n = X.shape[0]
        W = np.zeros((X.shape[1], k))
        b = np.zeros(k)
        for _ in range(epochs):
            z = X @ W + b
            e = np.exp(z - z.max(axis=1, keepdims=True))
            g = e / e.sum(axis=1, keepdims=True) - onehot
            W -= lr / n * (X.T @ g)
            b -= lr / n * g.sum(axis=0)
        return W
    return run


def bench_full_batch(smoke):
    # a run also evaluates its starting parameters once (epoch 0 of the history): 50 epochs make
    # that one-off a 2% share, as it is in a real run of a few hundred epochs
    n, d, epochs, rounds = (2000, 20, 3, 2) if smoke else (1_000_000, 20, 50, 9)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    exp = experiment(X, y, "regression", loss="mse", optimizer="sgd", lr=0.1, batch_size=0, epochs=epochs)
    XF = exp.data.X_train  # the same memory as lossplay's design, in Fortran order: no layout advantage either way
    times = interleaved({
        "numpy loop, X in C order": hand_linear(X, y, 0.1, epochs),
        "numpy loop, X in Fortran order": hand_linear(XF, y, 0.1, epochs),
        "lossplay train loop (with its evaluation)": lossplay_epochs(exp, epochs),
    }, rounds)
    report(f"Goal 1: full batch, linear MSE, n = {n:,} x d = {d}, per epoch", times, "ms", epochs)
    fastest = min("numpy loop, X in C order", "numpy loop, X in Fortran order", key=lambda k: median(times[k]))
    if not smoke:
        goal("1 full batch linear <= 1.15x numpy",
             paired_ratio(times, "lossplay train loop (with its evaluation)", fastest), 1.15)


def bench_classifiers(smoke):
    n, d, k = (2000, 20, 10) if smoke else (1_000_000, 20, 10)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    yb = (X @ rng.standard_normal(d) > 0).astype(np.int64)
    yk = np.argmax(X @ rng.standard_normal((d, k)), axis=1)
    # (epochs, rounds): as in goal 1, enough epochs that the one evaluation of the starting
    # parameters is a small share; softmax epochs are 15 times longer, so fewer of them
    sizes = {"logistic": (3, 2) if smoke else (50, 9), "softmax": (3, 2) if smoke else (20, 5)}
    for name, y, loss, hand in (("logistic", yb, "bce", lambda XX, e: hand_logistic(XX, yb, 0.1, e)),
                                ("softmax", yk, "cce", lambda XX, e: hand_softmax(XX, yk, k, 0.1, e))):
        epochs, rounds = sizes[name]
        task = "binary" if name == "logistic" else "multiclass"
        exp = experiment(X, y, task, loss=loss, optimizer="sgd", lr=0.1, batch_size=0, epochs=epochs)
        times = interleaved({
            f"numpy {name} loop, C order": hand(X, epochs),
            f"numpy {name} loop, Fortran order": hand(exp.data.X_train, epochs),  # lossplay's own design memory
            f"lossplay {loss} loop (with its evaluation)": lossplay_epochs(exp, epochs),
        }, rounds)
        shape = f"n = {n:,} x d = {d}" + (f", k = {k}" if name == "softmax" else "")
        report(f"Goal 3: full batch {name} regression, {shape}, per epoch", times, "ms", epochs)
        if not smoke:
            base = min(f"numpy {name} loop, C order", f"numpy {name} loop, Fortran order",
                       key=lambda k: median(times[k]))
            goal(f"3 full batch {name} <= 1.2x numpy",
                 paired_ratio(times, f"lossplay {loss} loop (with its evaluation)", base), 1.2)


# -- goal 2: mini-batches -----------------------------------------------------------------------


def hand_minibatch_sgd(X, y, lr, batch, epochs):
    def run():
        rng = np.random.default_rng(0)
        n = X.shape[0]
        w = np.zeros(X.shape[1])
        b = 0.0
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch):
                rows = order[start:start + batch]
                Xb = X[rows]
                r = Xb @ w + b - y[rows]
                w -= lr * (2.0 / len(rows)) * (Xb.T @ r)
                b -= lr * (2.0 / len(rows)) * r.sum()
        return w
    return run


def hand_minibatch_adam(X, y, lr, batch, epochs, b1=0.9, b2=0.999, eps=1e-8):
    def run():
        rng = np.random.default_rng(0)
        n, d = X.shape
        w = np.zeros(d + 1)
        m = np.zeros(d + 1)
        v = np.zeros(d + 1)
        g = np.empty(d + 1)
        t = 0
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch):
                rows = order[start:start + batch]
                Xb = X[rows]
                r = Xb @ w[:-1] + w[-1] - y[rows]
                g[:-1] = Xb.T @ r
                g[-1] = r.sum()
                g *= 2.0 / len(rows)
                t += 1
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                w -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        return w
    return run


def torch_minibatch(X, y, lr, batch, epochs, optimizer):
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def run():
        generator = torch.Generator().manual_seed(0)
        model = torch.nn.Linear(X.shape[1], 1, dtype=torch.float64)
        opt = (torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam)(model.parameters(), lr=lr)
        n = X.shape[0]
        for _ in range(epochs):
            order = torch.randperm(n, generator=generator)
            for start in range(0, n, batch):
                rows = order[start:start + batch]
                opt.zero_grad()
                loss = torch.nn.functional.mse_loss(model(Xt[rows]).squeeze(1), yt[rows])
                loss.backward()
                opt.step()
    return run


def bench_minibatch(smoke):
    n, d, batch, epochs, rounds = (3200, 20, 32, 1, 2) if smoke else (100_000, 20, 32, 1, 5)
    rng = np.random.default_rng(2)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    steps = epochs * math.ceil(n / batch)
    for name, hand, lr in (("sgd", hand_minibatch_sgd, 0.01), ("adam", hand_minibatch_adam, 0.001)):
        exp = experiment(X, y, "regression", loss="mse", optimizer=name, lr=lr, batch_size=batch, epochs=epochs)
        contenders = {
            f"numpy {name} loop": hand(X, y, lr, batch, epochs),
            f"lossplay {name} loop (with its evaluation)": lossplay_epochs(exp, epochs),
        }
        if torch is not None:
            contenders[f"pytorch {name} (autograd, torch.optim)"] = torch_minibatch(X, y, lr, batch, epochs, name)
        times = interleaved(contenders, rounds)
        report(f"Goal 2: mini-batch {batch}, {name}, n = {n:,} x d = {d}, per step", times, "us", steps)
        if not smoke:
            goal(f"2 mini-batch {name} <= 1.5x numpy",
                 paired_ratio(times, f"lossplay {name} loop (with its evaluation)", f"numpy {name} loop"), 1.5)
            if torch is not None:
                goal(f"2 mini-batch {name} >= 8x faster than pytorch",
                     paired_ratio(times, f"pytorch {name} (autograd, torch.optim)",
                                  f"lossplay {name} loop (with its evaluation)"), 8.0, at_least=True)
            else:
                print("  (PyTorch is not installed: the comparison with it is skipped)")


# -- goal 4: start-up -----------------------------------------------------------------------------


def command(*args):
    return lambda: subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  cwd=tempfile.gettempdir())


def bench_startup(smoke):
    # Python caches compiled modules, and pip compiles a package when it installs it; this machine may
    # forbid writing the cache (PYTHONDONTWRITEBYTECODE), so compile lossplay once, as an install would
    import compileall

    compileall.compile_dir(str(HERE.parent / "lossplay"), quiet=1)
    rounds = 2 if smoke else 15
    python = sys.executable
    script = Path(python).parent / "lossplay"  # the command people type, installed next to this python
    lossplay = [str(script)] if script.exists() else [python, "-m", "lossplay"]
    times = interleaved({
        "python -c 'import numpy, click'": command(python, "-c", "import numpy, click"),
        "lossplay --help": command(*lossplay, "--help"),
        "lossplay train --help": command(*lossplay, "train", "--help"),
    }, rounds)
    report("Goal 4: start-up", times, "ms")
    base = median(times["python -c 'import numpy, click'"])
    if not smoke:
        goal("4 lossplay --help <= 1.2x import numpy, click", median(times["lossplay --help"]) / base, 1.2)
        goal("4 lossplay train --help <= 1.2x import numpy, click", median(times["lossplay train --help"]) / base,
             1.2)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"

        def cli_train():
            subprocess.run([*lossplay, "train", "--quiet", "--no-plot", "--out", str(out), "--force"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def training_itself():
            exp = build(make_config())
            exp.training_loop().run(exp.theta0, [History()])

        times = interleaved({"python -c 'import numpy, click'": command(python, "-c", "import numpy, click"),
                             "lossplay train --quiet --no-plot": cli_train,
                             "the training itself (in process)": training_itself}, rounds)
        report("Goal 4: lossplay train --quiet --no-plot on the default dataset", times, "ms")
        if not smoke:
            allowed = 2 * median(times["python -c 'import numpy, click'"]) + median(
                times["the training itself (in process)"])
            goal("4 train --quiet --no-plot <= 2x import + training", median(times["lossplay train --quiet --no-plot"])
                 / allowed, 1.0)
    probe = subprocess.run([python, "-X", "importtime", "-m", "lossplay", "train", "--help"], capture_output=True,
                           text=True, cwd=tempfile.gettempdir())
    heavy = sorted({line.split("|")[-1].strip().split(".")[0] for line in probe.stderr.splitlines()
                    if line.split("|")[-1].strip().split(".")[0] in ("matplotlib", "rich")})
    print(f"  modules imported by 'lossplay train --help' among matplotlib, rich: {heavy or 'none'}")
    if not smoke:
        goal("4 train --help imports neither matplotlib nor rich", float(len(heavy)), 0.0)


# -- goal 5: a large CSV --------------------------------------------------------------------------


def bench_large_csv(smoke):
    n, d, rounds = (2000, 20, 2) if smoke else (1_000_000, 20, 3)
    rng = np.random.default_rng(3)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        header = ",".join([*(f"x{j}" for j in range(d)), "y"])
        np.savetxt(path, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.10g")
        times = interleaved({
            "numpy.loadtxt": lambda: np.loadtxt(path, delimiter=",", skiprows=1),
            "lossplay's CSV loading": lambda: load_csv(path),
        }, rounds)
        report(f"Goal 5: loading a {n:,} x {d + 1} CSV ({path.stat().st_size / 1e6:.0f} MB)", times, "s")
        if not smoke:
            goal("5 CSV loading <= 1.2x numpy.loadtxt",
                 paired_ratio(times, "lossplay's CSV loading", "numpy.loadtxt"), 1.2)
        data_bytes = n * (d + 1) * 8
        peak = peak_memory_of_training(path, smoke)
        print(f"  peak memory while loading, preparing and training (full batch, 2 epochs): {peak / 1e6:.0f} MB "
              f"for {data_bytes / 1e6:.0f} MB of float64 data")
        if not smoke:
            goal("5 peak memory <= 2.5x the float64 data", peak / data_bytes, 2.5)


def peak_memory_of_training(path, smoke):
    """The peak of numpy's allocations (traced) from reading the file to the end of training."""
    tracemalloc.start()
    exp = build(make_config(dataset=str(path), epochs=2, batch_size=0))
    exp.training_loop().run(exp.theta0, [History()])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


# -- goal 6: rendering ------------------------------------------------------------------------------


def bench_rendering(smoke):
    from rich.console import Console

    from lossplay.render import LiveTraining

    n, rounds = (320, 2) if smoke else (3200, 41)
    rng = np.random.default_rng(4)
    X = rng.standard_normal((n, 20))  # the width of the mini-batch reference case
    y = X @ rng.standard_normal(20)
    epochs = 10 if smoke else 100  # 100 steps per epoch: 10,000 steps
    exp = experiment(X, y, "regression", loss="mse", optimizer="sgd", lr=0.01, batch_size=32, epochs=epochs)

    def live():
        with open(os.devnull, "w") as sink:
            console = Console(file=sink, force_terminal=True, width=80)
            loop = exp.training_loop()
            loop.run(exp.theta0, [History(), LiveTraining(console, epochs, "regression")])

    times = interleaved({"quiet (no table, no bar)": lossplay_epochs(exp, epochs),
                         "live table and progress bar (a terminal)": live}, rounds)
    report(f"Goal 6: rendering during a {epochs * math.ceil(n / 32):,}-step run", times, "ms")
    if not smoke:
        goal("6 rendering costs <= 3% of the run", paired_ratio(
            times, "live table and progress bar (a terminal)", "quiet (no table, no bar)"), 1.03)


SECTIONS = {"loop": bench_full_batch, "classifiers": bench_classifiers, "minibatch": bench_minibatch,
            "startup": bench_startup, "csv": bench_large_csv, "rendering": bench_rendering}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"which goals, any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, no goal checked")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, {os.environ['OPENBLAS_NUM_THREADS']} BLAS thread(s), "
          f"python {sys.version.split()[0]}"
          f"{', torch ' + torch.__version__ if torch is not None else ', no torch'}")
    for name in args.sections or SECTIONS:
        gc.collect()  # the garbage of one section is not timed in the next
        with contextlib.redirect_stderr(sys.stdout):
            SECTIONS[name](args.smoke)
    missed = [r for r in RESULTS if not r[4]]
    if RESULTS:
        print(f"\n{len(RESULTS) - len(missed)} of {len(RESULTS)} goals met"
              + ("" if not missed else ": missed " + "; ".join(r[0] for r in missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
