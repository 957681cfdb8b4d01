"""Input checks and their messages, for every lesson module of both packages.

A learner can skip this file. Each lesson function makes at most one call into
it, right after its docstring, and then reads like the book. What is checked
here is what the book leaves to chance: shapes that NumPy would broadcast
without a word, ints where a float step is needed, scores where probabilities
belong, typos in parameter names. Checks that only make sense for NumPy
arrays live in ``reference/checks.py``, which builds on this one.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import cast

from purenet.matrix import Matrix, Vector, _fmt, as_batch, as_rows, shape

# ---------------------------------------------------------------------------
# functions.py: sigmoid, softmax, the losses

# How far above 1 a probability may round (softmax's sum can end a few ulps
# past 1); a score of 3.0 passed without softmax is far beyond it.
ONE_TOL = 1e-9


def _rows(x: object, s: tuple[int, ...]) -> Matrix:
    # x of shape s, already checked, as a batch of rows: one sample is a batch of one
    return cast(Matrix, [x] if len(s) == 1 else x)


def squared_error_inputs(y: Vector | Matrix, t: Vector | Matrix) -> tuple[Matrix, Matrix]:
    """Return (y, t) as batches of rows, after checking that t is one-hot in y's shape."""
    sy, st = shape(y, "y"), shape(t, "t")
    if sy != st:
        raise ValueError(f"sum_squared_error needs y and t of one shape (t one-hot), "
                         f"got y {_fmt(sy)} and t {_fmt(st)}")
    t_rows = _rows(t, st)
    check_one_hot(t_rows, single=len(st) == 1)
    return _rows(y, sy), t_rows


def cross_entropy_inputs(y: Vector | Matrix, t: object) -> tuple[Matrix, Matrix]:
    """Return (y, t) as batches of rows, t one-hot, after checking both.

    y must hold probabilities, 0 <= y <= 1; NaN passes, so that NaN in gives
    NaN out (a diverged network must show as a NaN loss, not as an error).
    t is one-hot in y's shape, or label indices (see ``to_labels``), which are
    made one-hot rows here.
    """
    sy = shape(y, "y")
    y_rows = _rows(y, sy)
    for row in y_rows:
        # min and max run in C; a row starting with NaN fails the test too
        # (comparisons with NaN are false) and is then looked at entry by entry.
        if not (0 <= min(row) and max(row) <= 1 + ONE_TOL):
            bad = next((v for v in row if v < 0 or v > 1 + ONE_TOL), None)
            if bad is not None:  # log of a negative number has no value, log of 3 no meaning
                raise not_probabilities(bad)
    labels = to_labels(t, sy)
    if labels is None:
        return y_rows, _rows(t, sy)
    one_hot = [[0.0] * sy[-1] for _ in labels]
    for row, label in zip(one_hot, labels):
        row[label] = 1.0
    return y_rows, one_hot


def not_probabilities(v: float) -> ValueError:
    """The error for a y entry v outside [0, 1] in cross_entropy_error, worded for both packages."""
    return ValueError(f"cross_entropy_error needs probabilities 0 <= y <= 1 "
                      f"(e.g. softmax's output), got {v}")


def check_one_hot(t_rows: Matrix, single: bool) -> None:
    """Raise unless every row of t holds only 0s and exactly one 1."""
    for i, row in enumerate(t_rows):
        # two counts in C per row: cheap enough for every batch of training
        if row.count(1) != 1 or row.count(0) != len(row) - 1:
            bad = next((v for v in row if v != 0 and v != 1), None)
            raise not_one_hot(None if single else i, bad, row.count(1))


def not_one_hot(row: int | None, value: float | None, ones: int) -> ValueError:
    """The error for a target that is not one-hot, worded for both packages.

    row is the index of the faulty row (None for one sample), value an entry
    that is neither 0 nor 1 (None if there is none) and ones the row's count of 1s.
    """
    where = "t" if row is None else f"row {row} of t"
    if value is not None:
        what = f"holds {float(value):g}"
    else:
        what = "has no 1" if ones == 0 else f"has {ones} 1s"
    return ValueError(f"t must be one-hot, 0s and a single 1 in each row: {where} {what}")


def to_labels(t: object, y_shape: tuple[int, ...]) -> list[int] | None:
    """Check t against predictions of shape y_shape: return label indices, or None if one-hot.

    Labels are an int for one sample (C,) or N ints for a batch (N, C), each in
    range(C). One-hot targets must have y's shape exactly, with a single 1 in
    each row and 0s elsewhere. Anything else raises. The book's ``(y - t) / N``
    is not so strict: given N labels where a one-hot (N, C) belongs, NumPy
    refuses (N, C) minus (N,), except when N equals the number of classes C;
    then it broadcasts without a word and the gradient comes out wrong.
    """
    classes = y_shape[-1]
    if isinstance(t, bool) or not isinstance(t, (int, list)):
        raise TypeError(f"t must be label indices (int or list of int) or one-hot lists, "
                        f"got {type(t).__name__}")
    if isinstance(t, int):
        if len(y_shape) != 1:
            raise ValueError(f"t is a single label but y is a batch {_fmt(y_shape)}: "
                             f"pass one label per row")
        labels = [t]
    else:
        st = shape(t, "t")
        if st == y_shape:
            check_one_hot(_rows(t, st), single=len(st) == 1)
            return None
        if len(st) != 1 or len(y_shape) != 2 or st[0] != y_shape[0]:
            raise ValueError(f"t must be one-hot {_fmt(y_shape)} or "
                             f"{y_shape[0] if len(y_shape) == 2 else 1} label(s) for y "
                             f"{_fmt(y_shape)}, got t {_fmt(st)}")
        if not all(type(k) is int for k in t):
            raise TypeError("label indices must be ints, got "
                            + next(type(k).__name__ for k in t if type(k) is not int))
        labels = t
    for k in labels:
        if not 0 <= k < classes:
            raise ValueError(f"label {k} is out of range for {classes} classes (0..{classes - 1})")
    return labels


# ---------------------------------------------------------------------------
# gradient.py: numerical_gradient, gradient_descent


def nudgeable(x: Vector | Matrix) -> tuple[Matrix, bool]:
    """Return as_batch(x) after checking that x holds floats only, to be nudged by h."""
    rows, single = as_batch(x, "x")
    for row in rows:
        if int in set(map(type, row)):
            # x[i] + h on an int is fine in Python, but NumPy's int arrays
            # truncate it back to x[i]: refuse ints in both packages alike.
            raise TypeError("numerical_gradient needs x of floats, got int values: "
                            "convert them first, e.g. [float(v) for v in x]")
    return rows, single


def lr_and_steps(lr: object, step_num: object) -> tuple[float, int]:
    """Return lr as a float and step_num as an int, after checking both (gradient_descent).

    Converted once: a NumPy scalar lr would otherwise seep into x and be
    refused at the next step.
    """
    lr = learning_rate(lr)
    # any int type, NumPy's too (they register as Integral), never a float, nor a
    # bool: NumPy's bool_ is no Integral, though NumPy before 2.3 lets
    # operator.index take it (with a DeprecationWarning).
    if isinstance(step_num, bool) or not isinstance(step_num, Integral):
        raise TypeError(f"step_num must be an int, got {type(step_num).__name__}")
    if step_num < 0:
        raise ValueError(f"step_num must be >= 0, got {step_num}")
    return lr, int(step_num)


def descent_inputs(init_x: Vector | Matrix, lr: object, step_num: object
                   ) -> tuple[Matrix, bool, float, int]:
    """Return (rows, single, lr, step_num): as_batch(init_x) and lr_and_steps(lr, step_num)."""
    lr, step_num = lr_and_steps(lr, step_num)
    return (*as_batch(init_x, "init_x"), lr, step_num)


def point_2d(x: Vector) -> None:
    """Raise unless x is a vector of two numbers (x0, x1), the input of function_2."""
    s = shape(x, "x")
    if s != (2,):
        raise ValueError(f"function_2 takes a point (x0, x1), got x of shape {_fmt(s)}")


# ---------------------------------------------------------------------------
# optimizer.py: SGD


def learning_rate(lr: object) -> float:
    """Return lr as a float after checking it is a positive, finite number."""
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise TypeError(f"lr must be a number (float or int), got {type(lr).__name__}")
    value = float(lr)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"lr must be positive and finite, got {lr!r}")
    return value


def update_inputs(params: dict[str, Vector | Matrix], grads: dict[str, Vector | Matrix]) -> None:
    """Raise unless grads has exactly the keys of params, each of its param's shape, in floats."""
    check_keys(params, grads)
    for key in params:
        got, want = _dims(grads[key], f"grads[{key!r}]"), _dims(params[key], f"params[{key!r}]")
        if got != want:
            raise ValueError(f"grads[{key!r}] has shape {got}, params[{key!r}] has shape "
                             f"{want}: they must match")
        # NumPy's twin refuses a bool array; a type scan in C of each row refuses
        # bools alike (True - lr * g would quietly count as 1). The params were
        # checked where the network made them: only the fresh grads are scanned.
        if any(bool in set(map(type, row)) for row in as_rows(grads[key])):
            raise TypeError(f"grads[{key!r}] must hold floats, got bool")


def check_keys(params: dict, grads: dict) -> None:
    """Raise unless grads and params have the same keys, naming the extra and missing ones."""
    # A slip made when copying the book's loop, `for key in ('W1, b1, W2, b2')`
    # (the book has ('W1', 'b1', 'W2', 'b2')), walks the characters of one
    # string; a dict built from such a loop must fail here, loudly.
    extra = sorted(map(repr, set(grads) - set(params)))
    missing = sorted(map(repr, set(params) - set(grads)))
    if extra or missing:
        parts = ([f"grads has keys not in params: {', '.join(extra)}"] if extra else []) \
            + ([f"grads lacks keys of params: {', '.join(missing)}"] if missing else [])
        raise ValueError("; ".join(parts))


def _dims(v: object, name: str) -> tuple[int, ...]:
    # Lengths only, O(rows): the entries were checked where the network made them.
    if not isinstance(v, list):
        raise TypeError(f"{name} must be a list (vector) or a list of rows (matrix), "
                        f"got {type(v).__name__}")
    if not v:
        raise ValueError(f"{name} is empty: expected at least one element")
    if not isinstance(v[0], list):
        return (len(v),)
    cols = len(v[0])
    if any(not isinstance(row, list) or len(row) != cols for row in v):
        raise ValueError(f"{name} is ragged: its rows have different lengths")
    return (len(v), cols)


# ---------------------------------------------------------------------------
# two_layer_net.py: sizes, seeds, inputs, parameters


# ---------------------------------------------------------------------------
# train.py: hyperparameters
