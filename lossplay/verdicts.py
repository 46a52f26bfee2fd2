"""From recorded numbers to words: a run's diagnosis, rankings that respect noise, the sentences of a comparison.

Everything lossplay *says* about its numbers is decided here, once, by the
stated criteria below, and the terminal, the pictures and the HTML handout
show the same result. The functions are pure: they read arrays and plain
documents (a run's history, compare.json) and return findings, groups and
sentences; they never train, print or draw.

Notation: o_t is the training objective (cost + penalty) recorded after
epoch t (t = 0 before the first update), c_t the training cost and v_t the
validation cost. The *noise* of a curve x is the spread of its wiggles around
a running median of 5 epochs,

    noise(x) = 1.4826 * median_t |x_t - median(x_(t-2) .. x_(t+2))|

(1.4826 * the median absolute deviation is the standard deviation of normal
noise). A smooth curve, rising or falling, has noise 0; the jitter of
mini-batch training shows up in it; one spike does not move it.

A run's findings, each with the epoch where it begins:

- ``diverged``: the run stopped because its cost or gradient blew up.
- ``unstable``: the training objective itself jumped up: at some epoch t it
  more than doubled its lowest value so far, m = min(o_0 .. o_(t-1))
  (o_t > 2 m), by more than 3 noise(o), after it had once come within a tenth
  of its whole fall of its lowest value (o_s <= min o + (o_0 - min o) / 10 for
  some s < t: an overshoot on the first way down does not count). A spike, an
  oscillation, bouncing at too large a rate; the epoch is the first such jump.
- ``overfitting``: the validation cost rose persistently while the training
  cost did not. On curves smoothed by the running median of 5 epochs, v̄ and
  c̄: the lowest v̄ is at epoch b; the end level of v (the median of its last
  k = max(3, 5% of the epochs) values) is above v_b by more than 10% of v_b
  and more than 3 noise(v); and the end level of c is no higher than c_b plus
  2% and 3 noise(c). A spike that lifts both curves is therefore not
  overfitting. The epoch is where v is lowest near b: the turn.
- ``still_improving`` / ``converged`` (not said of a run that early stopping
  ended, which was stopped on purpose, nor of fewer than 8 epochs): with W = max(2, 10% of the epochs),
  the smoothed objective fell by d2 over the last W epochs and by d1 over the
  W before. If d2 is within 3 noise(o) of zero, the curve is flat. Otherwise
  the falls shrink by q = d2 / d1 per window, and a geometric series gives the
  fall still to come, d2 q / (1 - q) (unbounded when q >= 1). The run is
  still improving when that is more than 1% of the objective's final level,
  converged otherwise; a converged run's epoch is the first from which the
  objective stays within 1% (or 3 noise) of its final level.
- ``interrupted``: Ctrl-C or SIGTERM stopped it; what was recorded is kept.

Rankings: two runs differ on a metric only when their values differ by more
than twice their combined noise, sqrt(noise_a^2 + noise_b^2) (each run's noise
measured on the last half of its curve of that metric), and by more than a
practical margin: 5% for a cost or error (MSE, MAE, log loss), 0.01 for R²,
and for accuracy, precision, recall and F1 more than 2 percentage points and
more than 2 rows of the split. Runs are grouped best first: each group holds
the best run left and every run that does not differ from it.
"""

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from lossplay.catalog import label
from lossplay.formatting import number, plural

KINDS = ("converged", "still_improving", "unstable", "diverged", "overfitting", "interrupted")
KIND_TITLES = {"converged": "Converged", "still_improving": "Still improving", "unstable": "Unstable",
               "diverged": "Diverged", "overfitting": "Overfitting", "interrupted": "Interrupted"}

SMOOTHING_WIDTH = 5
NOISE_FACTOR = 3.0  # a change counts only beyond this many noise levels
JUMP = 1.0  # unstable: the objective more than doubles its lowest value so far
SETTLED = 0.1  # ... once it has come within a tenth of its whole fall of its lowest value
OVERFIT_RISE = 0.1  # overfitting: the validation cost's end level at least 10% above its lowest
TRAIN_FLAT = 0.02  # ... while the training cost ends no more than 2% above its value at the turn
STILL_TO_COME = 0.01  # still improving: at least 1% of the final objective still to fall
CONVERGED_BAND = 0.01
TREND_EPOCHS = 8  # fewer epochs are too few to tell a flat curve from a falling one (the running median of 5
# has too few neighbours at the ends: a steady fall over 5 epochs would pass for noise)

COST_METRICS = ("loss", "mse", "mae", "rmse", "log_loss")
RELATIVE_MARGIN = 0.05
R2_MARGIN = 0.01
SHARE_METRICS = ("accuracy", "precision", "recall", "f1", "balanced_accuracy")
SHARE_MARGIN = 0.02
ROWS_MARGIN = 2
HIGHER_IS_BETTER = {"r2", "accuracy", "precision", "recall", "f1", "balanced_accuracy"}
SPEED_MARGIN = 0.02  # speed: epochs until a run comes within 2% of the best final value
SPEED_RATIO = 0.75  # ... and a run is faster when it needs at most 3/4 of the epochs (and 2 fewer)


# -- curves -------------------------------------------------------------------------------


def running_median(values, width=SMOOTHING_WIDTH):
    """The median of each value and its neighbours (``width`` values centred on it; fewer at the ends)."""
    x = np.asarray(values, dtype=np.float64)
    half = width // 2
    if x.size <= 2 or half == 0:
        return x.copy()
    padded = np.concatenate([np.full(half, np.nan), x, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN window gives NaN, as it should
        return np.nanmedian(windows, axis=1)


def smooth(values, width=SMOOTHING_WIDTH):
    """The running median of the mean of each two neighbouring values: a curve without its spikes and
    without the epoch-to-epoch zig-zag of an oscillating run (the mean of two neighbours cancels it)."""
    x = np.asarray(values, dtype=np.float64)
    pairs = x.copy()
    pairs[1:] = 0.5 * (x[1:] + x[:-1])
    return running_median(pairs, width)


def noise(values):
    """The size of a curve's wiggles: the larger of 1.4826 * median |x - running median of x| and
    1.4826 * median |second difference| / sqrt(6) (the spread of a zig-zag); 0 for a smooth curve."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size < SMOOTHING_WIDTH:
        return 0.0
    around = float(np.median(np.abs(x - running_median(x))))
    zigzag = float(np.median(np.abs(np.diff(x, 2)))) / math.sqrt(6.0)
    return 1.4826 * max(around, zigzag)


@dataclass(frozen=True)
class Curves:
    """The numbers a diagnosis reads: per recorded epoch, the objective, the training cost and the
    validation cost (None without a validation split). Epochs are 0, 1, 2, ... or any increasing numbers."""

    epochs: np.ndarray
    objective: np.ndarray
    train: np.ndarray
    val: np.ndarray | None = None

    @classmethod
    def of(cls, epochs, objective, train, val=None):
        val = None if val is None else np.asarray(val, dtype=np.float64)
        if val is not None and not np.isfinite(val).any():
            val = None
        return cls(np.asarray(epochs, dtype=np.int64), np.asarray(objective, dtype=np.float64),
                   np.asarray(train, dtype=np.float64), val)

    def finite_prefix(self):
        """The curves up to the last epoch whose objective and training cost are finite numbers."""
        ok = np.isfinite(self.objective) & np.isfinite(self.train)
        stop = int(np.argmin(ok)) if not ok.all() else ok.size
        return Curves(self.epochs[:stop], self.objective[:stop], self.train[:stop],
                      None if self.val is None else self.val[:stop])


# -- a run's findings -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One judgement about a run: its kind (see ``KINDS``), the epoch where it begins (or None) and a sentence."""

    kind: str
    epoch: int | None
    detail: str

    def to_dict(self):
        return {"kind": self.kind, "epoch": self.epoch, "detail": self.detail}


@dataclass(frozen=True)
class Diagnosis:
    """Everything said about one run: its findings, the epoch of the lowest validation cost, the epoch
    whose parameters it ended with, and notes that explain a number (not judgements)."""

    findings: tuple
    best_epoch: int | None
    kept_epoch: int | None
    notes: tuple = ()

    def has(self, kind):
        return any(f.kind == kind for f in self.findings)

    def find(self, kind):
        """The finding of that kind, or None."""
        return next((f for f in self.findings if f.kind == kind), None)

    @property
    def kinds(self):
        return tuple(f.kind for f in self.findings)

    @property
    def overfitting(self):
        """run.json's ``overfitting``: {"detected": bool, "began_at_epoch": epoch or None}."""
        found = self.find("overfitting")
        return {"detected": found is not None, "began_at_epoch": None if found is None else found.epoch}

    @property
    def troubled(self):
        """True when the run diverged or was unstable: the cases advice must cure."""
        return self.has("diverged") or self.has("unstable")


def best_epoch(curves):
    """The epoch of the lowest finite validation cost (of the training cost without a validation split)."""
    values = curves.val if curves.val is not None else curves.train
    finite = np.isfinite(values) & np.isfinite(curves.train)
    if not finite.any():
        return None
    index = int(np.argmin(np.where(finite, values, np.inf)))
    return int(curves.epochs[index])


def jumps(objective):
    """Indices t where the objective jumped up (see the module: the ``unstable`` criterion), with the
    ratio o_t / min(o_0 .. o_(t-1))."""
    o = np.asarray(objective, dtype=np.float64)
    if o.size < 2:
        return []
    lowest = np.minimum.accumulate(o)[:-1]
    rise = o[1:] - lowest
    # the descent from the start may overshoot on its way down; a jump counts once the objective has come
    # within a tenth of its whole fall of its lowest value
    near = o <= o.min() + SETTLED * (o[0] - o.min())
    settled = np.maximum.accumulate(near)[:-1]
    hits = np.flatnonzero(settled & (rise > JUMP * np.abs(lowest)) & (rise > NOISE_FACTOR * noise(o)))
    return [(int(t) + 1, float(o[t + 1] / lowest[t]) if lowest[t] > 0 else math.inf) for t in hits]


def _unstable(curves):
    found = jumps(curves.objective)
    if not found:
        return None
    o, epochs = curves.objective, curves.epochs
    first, ratio = found[0]
    worst_index, worst = max(found, key=lambda item: item[1])
    what = _objective_word(curves)
    detail = (f"The training {what} jumped up: at epoch {epochs[first]} it rose to {_times(ratio)} its lowest "
              f"value so far")
    if len(found) > 1:
        detail += f"; {len(found)} such jumps in all, the largest to {_times(worst)} at epoch {epochs[worst_index]}"
    lowest_before_end = float(np.min(o[:-1])) if o.size > 1 else float(o[0])
    if o[-1] <= lowest_before_end * (1 + JUMP):
        detail += ". It came back down afterwards"
    else:
        detail += f". It ended at {number(o[-1])}, {_times(o[-1] / lowest_before_end)} its lowest value"
    return Finding("unstable", int(epochs[first]),
                   detail + ": some steps overshot the minimum (too large a rate, or momentum carrying past it).")


def _objective_word(curves):
    """'objective' when a penalty makes it differ from the training cost, else 'cost'."""
    return "objective" if not np.allclose(curves.objective, curves.train) else "cost"


def _times(ratio):
    return "∞×" if not math.isfinite(ratio) else f"{ratio:.3g}×"


def _end_count(values):
    """k = max(3, 5% of the epochs): how many of the last values make a curve's end level."""
    return max(3, int(math.ceil(0.05 * (values.size - 1))))


def _end_level(values):
    """The median of a curve's last ``_end_count`` values."""
    return float(np.median(values[-_end_count(values):]))


def _overfitting(curves, corrupted_rows=0):
    v, c, epochs = curves.val, curves.train, curves.epochs
    if v is None or v.size < 4 or not np.isfinite(v).all():
        return None
    smooth_v = smooth(v)
    b = int(np.argmin(smooth_v))
    if v.size - 1 - b < 3:
        return None
    near = max(0, b - SMOOTHING_WIDTH // 2)
    turn = near + int(np.argmin(v[near:b + SMOOTHING_WIDTH // 2 + 1]))
    low_v = float(smooth_v[b])
    end_v, end_c = _end_level(v), _end_level(c)
    c_at_turn = float(smooth(c)[b])
    start = max(0, b - SMOOTHING_WIDTH)  # the noise of the curves from the turn on
    rose = end_v - low_v > max(OVERFIT_RISE * abs(low_v), NOISE_FACTOR * noise(v[start:]))
    flat = end_c <= c_at_turn + max(TRAIN_FLAT * abs(c_at_turn), NOISE_FACTOR * noise(c[start:]))
    if not (rose and flat):
        return None
    trend = "kept falling" if end_c < c_at_turn - max(TRAIN_FLAT * abs(c_at_turn), NOISE_FACTOR * noise(c[start:])) \
        else "stayed flat"
    k = _end_count(v)
    detail = (f"The validation cost was lowest around epoch {epochs[turn]} ({number(v[turn])}) and rose "
              f"{(end_v / low_v - 1):.0%} above that low by the end (the median of its last {k} epochs is "
              f"{number(end_v)}), while the training cost {trend} (a median of {number(c_at_turn)} around the "
              f"turn, {number(end_c)} over the last {k} epochs): " + (
                  "the model follows the training rows, corrupted targets and all, away from what the clean "
                  "validation rows need." if corrupted_rows else "the model is learning the training rows' noise."))
    return Finding("overfitting", int(epochs[turn]), detail)


def _trend(curves):
    """``converged`` or ``still_improving`` for the training objective (see the module for the criterion)."""
    o, epochs = curves.objective, curves.epochs
    n = o.size - 1
    what = _objective_word(curves)
    if n < TREND_EPOCHS:
        return None
    curve = smooth(o)
    level = float(curve[-1])
    wiggle = NOISE_FACTOR * noise(o)
    window = max(2, int(round(0.1 * n)))
    if n >= 2 * window:
        d2 = float(curve[-1 - window] - curve[-1])
        d1 = float(curve[-1 - 2 * window] - curve[-1 - window])
    else:
        window = n
        d2, d1 = float(curve[0] - curve[-1]), math.nan
    tiny = 1e-12 * max(abs(level), float(np.max(np.abs(o))), 1e-300)
    if d2 <= max(wiggle, tiny):
        to_come = 0.0
    elif not d1 > max(wiggle, tiny) or d2 >= d1:
        to_come = math.inf
    else:
        q = d2 / d1
        to_come = d2 * q / (1.0 - q)
    if to_come > STILL_TO_COME * max(abs(level), tiny):
        # the projection decides, but its amount is not promised: the floor of the cost is unknown here
        before = f" and {number(d1)} over the {window} before" if math.isfinite(d1) else ""
        pace = ("not slowing down" if not math.isfinite(to_come) or d2 >= d1 else "slowing down, but not enough "
                "to call it flat")
        return Finding("still_improving", None,
                       f"The training {what} was still falling at the end: by {number(d2)} over the last "
                       f"{plural(window, 'epoch')}{before}, to {number(o[-1])}; {pace}.")
    band = max(CONVERGED_BAND * abs(level), wiggle, tiny)
    outside = np.flatnonzero(np.abs(curve - level) > band)
    settled = 0 if not outside.size else int(outside[-1]) + 1
    settled = min(settled, n)
    return Finding("converged", int(epochs[settled]),
                   f"The training {what} flattened: from epoch {epochs[settled]} its running median (of 5 epochs) "
                   f"stayed within {number(band, 2)} of its final value, {number(level)}.")


def diagnose(curves, status="completed", message=None, kept_epoch=None, corrupted_rows=0):
    """The ``Diagnosis`` of a run from its recorded curves and how it ended.

    ``status`` is the run's ("completed", "early_stopped", "diverged", "interrupted"); ``message``
    why it stopped early; ``kept_epoch`` the epoch whose parameters it ended with (None: the last);
    ``corrupted_rows`` how many training targets were corrupted (``--outliers``).
    """
    last_epoch = int(curves.epochs[-1]) if curves.epochs.size else 0
    kept = last_epoch if kept_epoch is None else int(kept_epoch)
    finite = curves.finite_prefix()
    findings = []
    notes = []
    if status == "diverged":
        reason = (message or "the cost blew up").rstrip(".")
        findings.append(Finding("diverged", last_epoch, f"Training diverged during epoch {last_epoch}: {reason}."))
        return Diagnosis(tuple(findings), best_epoch(finite) if finite.epochs.size else None, kept)
    if finite.epochs.size:
        unstable = _unstable(finite)
        findings += [f for f in (unstable, _overfitting(finite, corrupted_rows)) if f is not None]
        o = finite.objective
        # a run that ends bouncing far above its lowest objective has neither converged nor kept improving,
        # one that early stopping ended was stopped on purpose, whatever its training objective was doing,
        # and the overfitting finding already says what the training cost did over the end
        overfit = any(f.kind == "overfitting" for f in findings)
        if status != "early_stopped" and not overfit and (unstable is None or o[-1] <= (1 + JUMP) * float(o.min())):
            findings += [f for f in (_trend(finite),) if f is not None]
            if finite.epochs.size - 1 < TREND_EPOCHS and status == "completed":
                few = plural(finite.epochs.size - 1, "epoch is", "epochs are")
                what = _objective_word(finite)
                notes.append(f"{few} too few to tell whether the {what} has flattened "
                             f"or is still falling: train for {TREND_EPOCHS} or more to read the trend.")
    if status == "interrupted":
        findings.append(Finding("interrupted", last_epoch,
                                f"Stopped by an interruption during epoch {last_epoch}; what was recorded until "
                                "then is kept, and the findings above read only that."))
    if corrupted_rows and finite.val is not None and finite.train[-1] > finite.val[-1]:
        notes.append(f"The training cost ({number(finite.train[-1])}) is above the validation cost "
                     f"({number(finite.val[-1])}) because {corrupted_rows} training targets are corrupted "
                     "(--outliers) and the validation rows are clean: that gap is the outliers, not a fault.")
    return Diagnosis(tuple(findings), best_epoch(finite), kept, tuple(notes))


# -- rankings ---------------------------------------------------------------------------------


def practical_margin(metric, a, b, rows=None):
    """The smallest difference between values a and b of ``metric`` that counts (see the module)."""
    if metric in SHARE_METRICS:
        return max(SHARE_MARGIN, ROWS_MARGIN / rows) if rows else SHARE_MARGIN
    if metric == "r2":
        return R2_MARGIN
    return RELATIVE_MARGIN * max(abs(a), abs(b))


def differ(metric, a, b, noise_a=0.0, noise_b=0.0, rows=None):
    """True when values a and b of ``metric`` differ beyond the runs' noise and the practical margin."""
    gap = abs(a - b)
    return gap > 2.0 * math.hypot(noise_a, noise_b) and gap > practical_margin(metric, a, b, rows)


def groups(values, metric, noises=None, rows=None):
    """The names of ``values`` ({name: value}) in groups, best first; within a group no run differs
    from the group's best (see ``differ``). Values that are None or not finite are left out."""
    noises = noises or {}
    scored = {name: v for name, v in values.items() if v is not None and math.isfinite(v)}
    higher = metric in HIGHER_IS_BETTER
    order = sorted(scored, key=lambda name: -scored[name] if higher else scored[name])
    out = []
    for name in order:
        if out:
            leader = out[-1][0]
            if not differ(metric, scored[leader], scored[name], noises.get(leader, 0.0), noises.get(name, 0.0),
                          rows):
                out[-1].append(name)
                continue
        out.append([name])
    return out


def tail_noise(values):
    """The noise of the last half of a curve: how much its final value could have been otherwise."""
    x = np.asarray(values, dtype=np.float64)
    return noise(x[x.size // 2:])


def epochs_to_reach(epochs, values, target, higher=False):
    """The first epoch whose value is at or beyond ``target``, or None."""
    values = np.asarray(values, dtype=np.float64)
    hits = np.flatnonzero(values >= target if higher else values <= target)
    return None if not hits.size else int(np.asarray(epochs)[hits[0]])


def speed_groups(reached):
    """{name: epochs or None} -> groups of names, fastest first; a run is faster than another when it
    needs at most 3/4 of its epochs and at least 2 fewer. Runs that never got there are left out."""
    order = sorted((name for name, e in reached.items() if e is not None), key=lambda name: reached[name])
    out = []
    for name in order:
        if out:
            lead = reached[out[-1][0]]
            if not (lead <= SPEED_RATIO * reached[name] and reached[name] - lead >= 2):
                out[-1].append(name)
                continue
        out.append([name])
    return out


# -- a comparison's sentences -------------------------------------------------------------------

METRIC_TITLES = {"mse": "MSE", "mae": "MAE", "r2": "R²", "accuracy": "accuracy", "f1": "F1",
                 "log_loss": "log loss", "precision": "precision", "recall": "recall", "loss": "cost"}


def _names(names):
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def comparison_sentences(doc):
    """The sentences under a comparison's table, from its compare.json document (or the same dict
    built in memory): the ranking, the speed, what the classifiers' log loss adds, the outliers' pull,
    each run's troubles, and the demo's lesson. The terminal and the handout both print these."""
    runs = [r for r in doc.get("runs") or [] if isinstance(r, dict)]
    by_name = {str(r.get("name")): r for r in runs}
    split = doc.get("split") or "val"
    split_words = "validation" if split == "val" else "training"
    sentences = []
    ranking = doc.get("ranking") or {}
    metric = ranking.get("metric")
    ranked = [list(map(str, g)) for g in ranking.get("groups") or []]

    def value(name, m):
        scores = (by_name.get(name, {}).get("metrics") or {}).get(split) or {}
        return scores.get(m)

    def listed(group, m):
        return _names(f"{name} ({number(value(name, m))})" for name in group)

    if metric and ranked:
        title = f"{split_words} {METRIC_TITLES.get(metric, metric)}"
        if len(ranked) == 1 and len(ranked[0]) > 1:
            values = [value(name, metric) for name in ranked[0]]
            sentences.append(f"No run is better on {title}: they end between {number(min(values))} and "
                             f"{number(max(values))}, too close to count as a difference (within their noise "
                             "or the practical margin), so they tie.")
        elif len(ranked) > 1:
            best = ranked[0]
            tie = ", tied" if len(best) > 1 else ""
            sentences.append(f"Best {title}: {listed(best, metric)}{tie}; worst: {listed(ranked[-1], metric)}.")
    speed = doc.get("speed") or {}
    fast = [list(map(str, g)) for g in speed.get("groups") or []]
    reached = speed.get("epochs") or {}
    if len(fast) > 1 and len(ranked) == 1:  # speed is the difference only when the results tie
        within = f"{speed.get('within', SPEED_MARGIN):.0%}"
        title = f"{split_words} {METRIC_TITLES.get(speed.get('metric'), speed.get('metric'))}"
        def when(group):
            counts = sorted({int(reached[n]) for n in group})
            unit = "epoch" if counts == [1] else "epochs"
            return f"{_names(group)} after {_names(str(c) for c in counts)} {unit}"

        sentence = (f"Speed differs, to come within {within} of the best final {title}: "
                    + ", ".join(when(group) for group in fast))
        never = [n for n, e in reached.items() if e is None and by_name.get(n, {}).get("status") != "diverged"]
        if never:
            sentence += f"; {_names(never)} never did"
        sentences.append(sentence + ".")
    secondary = doc.get("secondary_ranking") or {}
    second = [list(map(str, g)) for g in secondary.get("groups") or []]
    if secondary and len(second) > 1 and metric != secondary.get("metric"):
        m = secondary["metric"]
        tied_main = len(ranked) == 1
        lead = "Accuracy ties, but" if tied_main else "And"
        sentences.append(f"{lead} the {split_words} {METRIC_TITLES.get(m, m)} separates them: lowest "
                         f"{listed(second[0], m)}, highest {listed(second[-1], m)}. Accuracy only counts right "
                         "answers; cross-entropy also weighs how confident each one was.")
    pulls = {str(r.get("name")): r.get("wrong_row_pull") for r in runs
             if isinstance(r.get("wrong_row_pull"), (int, float))}
    if len(pulls) > 1 and max(pulls.values()) > 2 * min(pulls.values()):
        most, least = max(pulls, key=pulls.get), min(pulls, key=pulls.get)
        sentences.append(f"On the training rows each model gets most confidently wrong, {most}'s loss pulls with "
                         f"|dL/dz| = {number(pulls[most], 2)} and {least}'s with {number(pulls[least], 2)}: "
                         "the weaker the pull, the slower a model fixes its worst mistakes.")
    shares = {str(r.get("name")): r.get("outlier_gradient_share") for r in runs
              if isinstance(r.get("outlier_gradient_share"), (int, float))}
    if len(shares) > 1:
        most, least = max(shares, key=shares.get), min(shares, key=shares.get)
        sentences.append(f"The corrupted rows pull {shares[most]:.0%} of {most}'s gradient but {shares[least]:.0%} "
                         f"of {least}'s: the more a loss lets a far-off row pull, the further its fit is dragged.")
    for kind, words in (("unstable", "Unstable"), ("overfitting", "Overfitting"),
                        ("still_improving", "Still improving at the end")):
        hits = [(str(r.get("name")), f) for r in runs for f in _findings(r) if f.get("kind") == kind]
        if hits:
            sentences.append(f"{words}: " + "; ".join(
                name if f.get("epoch") is None else f"{name} from epoch {f.get('epoch')}" for name, f in hits) + ".")
    diverged = [str(r.get("name")) for r in runs if r.get("status") == "diverged"]
    if diverged:
        sentences.append(f"Diverged: {_names(diverged)} (the cost blew up: the row stays in the table, marked, "
                         "with its numbers left out of the ranking).")
    lesson = doc.get("lesson")
    if isinstance(lesson, dict) and lesson.get("claim"):
        sentences.append(lesson_sentence(lesson))
    return sentences


def _findings(run):
    diagnosis = run.get("diagnosis") or {}
    return [f for f in diagnosis.get("findings") or [] if isinstance(f, dict)]


def lesson_sentence(lesson):
    """'The lesson holds on these numbers: ...' or an honest 'does not show here'."""
    evidence = lesson.get("summary") or ""
    if lesson.get("holds"):
        return f"The lesson holds on these numbers: {lesson['claim']}. {evidence}".strip()
    return (f"On this seed the numbers do not show the lesson ({lesson['claim']}). {evidence} "
            "Try another --seed.").strip()


@dataclass
class Lesson:
    """A demo's claim, whether this run's numbers support it, and the numbers that decide."""

    claim: str
    holds: bool
    summary: str
    evidence: dict = field(default_factory=dict)

    def to_dict(self):
        return {"claim": self.claim, "holds": bool(self.holds), "summary": self.summary, "evidence": self.evidence}


# -- a landscape's sentences ---------------------------------------------------------------------


def landscape_sentences(doc):
    """The sentences under a landscape's table, from its landscape.json document (or the same dict):
    who got within 1% of the minimum first, who did not yet, who diverged, what the loss's surface is like."""
    paths = [p for p in doc.get("paths") or [] if isinstance(p, dict)]
    reached = doc.get("reached") or {}
    steps = (doc.get("config") or {}).get("steps")
    near = f"{doc.get('near', 0.01):.0%}"
    sentences = []
    down = {label(str(p.get("name"))): reached.get(p.get("name")) for p in paths
            if p.get("status") != "diverged" and reached.get(p.get("name")) is not None}
    if down:
        fastest = min(down, key=down.get)
        sentence = f"{fastest} got within {near} of the minimum first, after {plural(down[fastest], 'update')}"
        if len(down) > 1:
            slowest = max(down, key=down.get)
            sentence += f"; {slowest} took {down[slowest]}"
        sentences.append(sentence + ".")
    late = [label(str(p.get("name"))) for p in paths
            if p.get("status") != "diverged" and label(str(p.get("name"))) not in down]
    if late:
        why = ("each batch's gradient points a little off the slope of the whole surface, so a path jitters "
               "around the minimum" if (doc.get("batches_per_update") or 1) > 1 else "still on its way down")
        if why == "still on its way down" and len(late) > 1:
            why = "still on their way down"
        sentences.append(f"Not within {near} of the minimum after {plural(steps, 'update')}: {_names(late)} ({why}).")
    diverged = [p for p in paths if p.get("status") == "diverged"]
    if diverged:
        sentences.append("Diverged: " + "; ".join(f"{label(str(p.get('name')))} after {p.get('steps')} of {steps} "
                                                  "updates" for p in diverged)
                         + ": each step overshot further than the last.")
    surface = doc.get("surface")
    if isinstance(surface, str) and surface:
        sentences.append(surface)
    return sentences
