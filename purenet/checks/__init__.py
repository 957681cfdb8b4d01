"""Input checks and their messages, for every lesson module of both packages (a folder to skip).

A learner can skip this folder. Each lesson function makes at most one call into
it, right after its docstring, and then reads like the book. What is checked
here is what the book leaves to chance: shapes that NumPy would broadcast
without a word, ints where a float step is needed, scores where probabilities
belong, typos in parameter names. Checks that only make sense for NumPy
arrays live in ``reference/checks/``, which builds on this one.
"""

from __future__ import annotations

import math
import numbers
import operator
import random
from collections.abc import Callable, Iterable, Sequence, Sized
from numbers import Integral, Real
from typing import Any, cast

from purenet.matrix import (
    Matrix,
    Rows,
    Vector,
    as_batch,
    as_rows,
    check_matrix,
    format_shape,
    shape,
)

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
                         f"got y {format_shape(sy)} and t {format_shape(st)}")
    t_rows = _rows(t, st)
    check_one_hot(t_rows, single=len(st) == 1)
    return _rows(y, sy), t_rows


def cross_entropy_inputs(y: Vector | Matrix, t: object) -> tuple[Matrix, Matrix]:
    """Return (y, t) as batches of rows, t one-hot, after checking both.

    y must hold probabilities, 0 <= y <= 1; anything else, NaN included, raises
    NotProbabilities (training's monitor turns a NaN into its "diverged" stop).
    t is one-hot in y's shape, or label indices (see ``to_labels``), which are
    made one-hot rows here.
    """
    sy = shape(y, "y")
    y_rows = _rows(y, sy)
    for row in y_rows:
        # min, max and sum run in C; min and max may skip a NaN (comparisons with
        # NaN are false), the sum never does. A failing row is looked at entry by entry.
        if not (0 <= min(row) and max(row) <= 1 + ONE_TOL and not math.isnan(sum(row))):
            # log of a negative number has no value, log of 3 no meaning, log of NaN NaN
            raise not_probabilities(first_bad(v for r in y_rows for v in r
                                              if not 0 <= v <= 1 + ONE_TOL))
    labels = to_labels(t, sy)
    if labels is None:
        return y_rows, _rows(t, sy)
    one_hot = [[0.0] * sy[-1] for _ in labels]
    for row, label in zip(one_hot, labels):
        row[label] = 1.0
    return y_rows, one_hot


class NotProbabilities(ValueError):
    """cross_entropy_error's y holds value, which is no probability (NaN, below 0, above 1)."""

    def __init__(self, message: str, value: float) -> None:
        super().__init__(message)
        self.value = value


def first_bad(bad: Iterable[float]) -> float:
    """Return the first of the non-probabilities bad that is not NaN; NaN if all of them are.

    A -0.5 is a mistake in what was passed; a NaN may only follow from one.
    """
    bad = list(bad)
    return next((v for v in bad if not math.isnan(v)), bad[0])


def not_probabilities(v: float) -> NotProbabilities:
    """The error for a y entry v outside [0, 1] in cross_entropy_error, worded for both packages."""
    why = " (NaN: the network's weights have blown up, or its input holds NaN)" \
        if math.isnan(v) else ""
    return NotProbabilities(f"cross_entropy_error needs probabilities 0 <= y <= 1 "
                            f"(e.g. softmax's output), got {v}{why}", v)


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
            raise ValueError(f"t is a single label but y is a batch {format_shape(y_shape)}: "
                             f"pass one label per row")
        labels = [t]
    else:
        st = shape(t, "t")
        if st == y_shape:
            check_one_hot(_rows(t, st), single=len(st) == 1)
            return None
        if len(st) != 1 or len(y_shape) != 2 or st[0] != y_shape[0]:
            raise ValueError(f"t must be one-hot {format_shape(y_shape)} or "
                             f"{y_shape[0] if len(y_shape) == 2 else 1} label(s) for y "
                             f"{format_shape(y_shape)}, got t {format_shape(st)}")
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


def number_valued(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Return f checked at each call: its value must be a number (a NumPy scalar is one).

    A function that forgets its return gives None, and the central difference
    would end in "unsupported operand type(s) for -: 'NoneType' and 'NoneType'".
    """
    def checked(x: Any) -> Any:
        value = f(x)
        if (isinstance(value, Real) and not isinstance(value, bool)) or (
                getattr(value, "ndim", None) == 0 and getattr(value, "dtype", None) is not None
                and value.dtype.kind in "iuf"):  # a NumPy 0-d array, from np.sum(..., keepdims)
            return value
        name = getattr(f, "__name__", "f")
        name = "f" if name == "<lambda>" else name
        if value is None:
            raise TypeError(f"f must return a number, but {name}(x) returned None: "
                            f"does it end without a return statement?")
        what = type(value).__name__
        if getattr(value, "shape", None) is not None:
            what += f" of shape {tuple(value.shape)}"
        elif isinstance(value, list):
            what += f" of length {len(value)}"
        raise TypeError(f"f must return a number, but {name}(x) returned {what}: "
                        f"make it one number, e.g. the sum of its entries")

    return checked


def gradient_inputs(f: Callable[[Any], Any], x: Vector | Matrix
                    ) -> tuple[Callable[[Any], Any], Matrix, bool]:
    """Return (f checked to give numbers, *nudgeable(x)), for numerical_gradient."""
    return (number_valued(f), *nudgeable(x))


def lr_and_steps(lr: object, step_num: object) -> tuple[float, int]:
    """Return lr as a float and step_num as an int, after checking both (gradient_descent).

    Converted once: a NumPy scalar lr would otherwise seep into x and be
    refused at the next step.
    """
    lr = learning_rate(lr)
    steps = whole_number(step_num)
    if steps is None:
        raise TypeError(f"step_num must be an int, got {type(step_num).__name__}")
    if steps < 0:
        raise ValueError(f"step_num must be >= 0, got {steps}")
    return lr, steps


def whole_number(value: object) -> int | None:
    """Return value as an int if it is one of any int type (NumPy's too), else None.

    Never a float, nor a bool: NumPy's bool_ is no Integral, though NumPy before
    2.3 lets operator.index take it (with a DeprecationWarning).
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        return None
    return operator.index(value)


def descent_inputs(init_x: Vector | Matrix, lr: object, step_num: object
                   ) -> tuple[Matrix, bool, float, int]:
    """Return (rows, single, lr, step_num): as_batch(init_x) and lr_and_steps(lr, step_num)."""
    lr, step_num = lr_and_steps(lr, step_num)
    return (*as_batch(init_x, "init_x"), lr, step_num)


def point_2d(x: Vector) -> None:
    """Raise unless x is a vector of two numbers (x0, x1), the input of function_2."""
    s = shape(x, "x")
    if s != (2,):
        raise ValueError(f"function_2 takes a point (x0, x1), got x of shape {format_shape(s)}")


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


def same_shapes(params: dict[str, Any], grads: dict[str, Any],
                dims: Callable[[object, str], tuple[int, ...]]) -> None:
    """Raise unless grads has exactly the keys of params, each of its param's dims (both twins)."""
    check_keys(params, grads)
    for key in params:
        got, want = dims(grads[key], f"grads[{key!r}]"), dims(params[key], f"params[{key!r}]")
        if got != want:
            raise ValueError(f"grads[{key!r}] has shape {got}, params[{key!r}] has shape "
                             f"{want}: they must match")


def update_inputs(params: dict[str, Vector | Matrix], grads: dict[str, Vector | Matrix]) -> None:
    """Raise unless grads has exactly the keys of params, each of its param's shape, in floats."""
    same_shapes(params, grads, _dims)
    for key in params:
        # NumPy's twin refuses a bool array; a type scan in C of each row refuses
        # bools alike (True - lr * g would quietly count as 1). The params were
        # checked where the network made them: only the fresh grads are scanned.
        if any(bool in set(map(type, row)) for row in as_rows(grads[key])):
            raise TypeError(f"grads[{key!r}] must hold floats, got bool")


def some(names: list[str], limit: int = 10) -> str:
    """The first limit names joined by commas, then how many more: a message stays one line.

    A weights file can hold 50,000 members; naming every one would be a
    message of half a million characters.
    """
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit:,} more"


def check_keys(params: dict, grads: dict) -> None:
    """Raise unless grads and params have the same keys, naming the extra and missing ones."""
    # A slip made when copying the book's loop, `for key in ('W1, b1, W2, b2')`
    # (the book has ('W1', 'b1', 'W2', 'b2')), walks the characters of one
    # string; a dict built from such a loop must fail here, loudly.
    extra = sorted(map(repr, set(grads) - set(params)))
    missing = sorted(map(repr, set(params) - set(grads)))
    if extra or missing:
        parts = ([f"grads has keys not in params: {some(extra)}"] if extra else []) \
            + ([f"grads lacks keys of params: {some(missing)}"] if missing else [])
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

# Past this many weights (D*H + H*C) a network cannot be held: 10**8 float64
# weights are 800 MB as a NumPy array and about 3 GB as Python floats in lists.
MAX_WEIGHTS = 10**8


def check_sizes(input_size: object, hidden_size: object, output_size: object,
                weight_init_std: object) -> float:
    """Raise unless the sizes are positive ints whose weights fit; return the std as a float."""
    sizes = {}
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size),
                       ("output_size", output_size)):
        sizes[name] = _positive_int(name, size)
    weights = (sizes["input_size"] + sizes["output_size"]) * sizes["hidden_size"]
    if weights > MAX_WEIGHTS:
        raise ValueError(f"a {input_size}-{hidden_size}-{output_size} network has {weights:,} "
                         f"weights, more than the {MAX_WEIGHTS:,} that fit in memory: "
                         f"choose smaller sizes")
    std = weight_init_std
    if isinstance(std, bool) or not isinstance(std, numbers.Real):
        raise TypeError(f"weight_init_std must be a number, got {type(std).__name__}")
    if not (math.isfinite(std) and float(std) > 0):
        raise ValueError(f"weight_init_std must be positive and finite, got {std!r}")
    return float(std)


def _positive_int(name: str, size: Any) -> int:
    value = whole_number(size)  # any int type (a NumPy int too), not 3.0 and not a bool
    if value is None:
        raise TypeError(f"{name} must be a positive int, got {type(size).__name__} {size!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return value


def check_seed(seed: Any) -> int | None:
    """Return seed as an int, or None; raise for anything else (1.5, "1", True, -1).

    random.Random would hash 1.5 or "1" into some seed without a word; NumPy's
    default_rng refuses them; both packages refuse them alike.
    """
    if seed is None:
        return None
    value = whole_number(seed)
    if value is None:
        raise TypeError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
    if value < 0:
        raise ValueError(f"seed must be >= 0, got {value}")
    return value


def check_init(input_size: object, hidden_size: object, output_size: object,
               weight_init_std: object, seed: object, rng: object) -> tuple[float, random.Random]:
    """Check TwoLayerNet's arguments; return (weight_init_std, the random.Random to draw from)."""
    std = check_sizes(input_size, hidden_size, output_size, weight_init_std)
    if rng is None:
        return std, random.Random(check_seed(seed))
    if seed is not None:
        raise ValueError("pass seed or rng, not both")
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    return std, rng


def check_x(x: Any, params: dict[str, Any]) -> Matrix:
    """Return x as a list of rows after checking it is a batch (N, D) for W1 (D, H)."""
    if not isinstance(x, list) and isinstance(x, Sequence):
        x = list(x)  # e.g. a lazy sequence of rows from the MNIST loader
    n, d = check_matrix(x, "x")  # anything else (predict(5)) is refused here, by name
    if d != len(params["W1"]):
        raise ValueError(f"x must be a batch of shape (N, {len(params['W1'])}) "
                         f"(input_size), got {(n, d)}")
    return Rows(x)  # checked: the products that read x again skip its entries (see Rows)


def check_batch(x: Any, t: Any, params: dict[str, Any]) -> tuple[Matrix, list]:
    """Return (x, t): x a checked batch (N, D) for W1, t checked against it, as it came.

    t must be one-hot rows (N, C) or N label indices in range(C) (see to_labels):
    the book's (y - t) / N would broadcast a (N,) t against (N, C) without a word.
    """
    x = check_x(x, params)
    to_labels(t, (len(x), len(params["b2"])))  # raises on a t of the wrong shape
    return x, t


PARAM_KEYS = ("W1", "b1", "W2", "b2")


def check_param_shapes(shapes: dict[str, tuple[int, ...]], keys: set, what: str) -> None:
    """Raise ValueError unless shapes are W1 (D, H), b1 (H,), W2 (H, C), b2 (C,) exactly."""
    extra = sorted(map(repr, keys - set(PARAM_KEYS)))
    if extra:
        raise ValueError(f"{what} has unexpected key(s) {some(extra)}: "
                         f"expected exactly 'W1', 'b1', 'W2', 'b2'")
    for key in ("W1", "W2"):
        if key in shapes and len(shapes[key]) != 2:
            raise ValueError(f"{what}[{key!r}] has shape {shapes[key]}, expected a matrix")
    d, h = shapes["W1"] if "W1" in shapes else (None, None)
    h2, c = shapes["W2"] if "W2" in shapes else (h, None)
    h = h if h is not None else h2
    expected = {"W1": (d, h), "b1": (h,), "W2": (h, c), "b2": (c,)}

    def fmt(s: tuple) -> str:
        return str(tuple("?" if v is None else v for v in s)).replace("'", "")

    for key in PARAM_KEYS:
        if key not in shapes:
            raise ValueError(f"{what} is missing key {key!r} (expected shape {fmt(expected[key])})")
    for key in ("b1", "b2"):
        if len(shapes[key]) != 1:
            raise ValueError(f"{what}[{key!r}] has shape {shapes[key]}, "
                             f"expected {fmt(expected[key])}")
    # Each size is shared by several keys; when they disagree, no one key is
    # "the wrong one", so name them all.
    W1, b1, W2, b2 = (shapes[k] for k in PARAM_KEYS)
    if not W1[1] == b1[0] == W2[0]:
        raise ValueError(f"{what} disagree on the hidden size H of W1 (D, H), b1 (H,), "
                         f"W2 (H, C): W1 is {W1}, b1 is {b1}, W2 is {W2}")
    if W2[1] != b2[0]:
        raise ValueError(f"{what} disagree on the output size C of W2 (H, C), b2 (C,): "
                         f"W2 is {W2}, b2 is {b2}")


def check_params(params: object) -> dict[str, Any]:
    """Return a float copy of params (nested lists, or anything with tolist) after checking it.

    params must be a dict with exactly the keys 'W1', 'b1', 'W2', 'b2', of shapes
    (D, H), (H,), (H, C), (C,), of finite numbers; anything else raises naming
    the key (NaN or infinity would make every prediction NaN without a word).
    """
    params = check_param_dict(params)
    values = {}
    for key in PARAM_KEYS:
        if key in params:
            v = params[key]
            values[key] = v.tolist() if hasattr(v, "tolist") else v
    shapes = {key: shape(v, f"params[{key!r}]") for key, v in values.items()}
    check_param_shapes(shapes, set(params), "params")
    return {key: _to_floats(values[key], f"params[{key!r}]") for key in PARAM_KEYS}


def check_param_dict(params: object) -> dict[str, Any]:
    """Return params if it is a dict; raise TypeError naming its type if not."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    return params


def _to_floats(v: Any, name: str) -> list:
    # A float copy of a checked vector or matrix, refusing NaN and infinity.
    rows = v if isinstance(v[0], list) else [v]
    try:
        floats = [[float(e) for e in row] for row in rows]
    except OverflowError:  # an int past float's range, e.g. 400 digits in a JSON file
        raise ValueError(f"{name} holds an int too large for a float: "
                         f"weights must be finite numbers") from None
    for row in floats:
        if not all(map(math.isfinite, row)):
            bad = next(e for e in row if not math.isfinite(e))
            raise ValueError(f"{name} holds {bad}: weights must be finite numbers "
                             f"(no NaN or infinity)")
    return floats if isinstance(v[0], list) else floats[0]


# ---------------------------------------------------------------------------
# gradient_check.py: two gradients of one network, compared


def check_gradients(a: Any, b: Any) -> tuple[list[float], list[float]]:
    """Return two gradients (vectors or matrices) as flat lists; raise unless they match in size."""
    flat_a, flat_b = _flatten(a), _flatten(b)
    if len(flat_a) != len(flat_b):
        raise ValueError(f"the gradients differ in size: {len(flat_a)} and {len(flat_b)} entries")
    return flat_a, flat_b


def _flatten(v: Any) -> list[float]:
    return [e for row in v for e in row] if isinstance(v[0], list) else list(v)


# ---------------------------------------------------------------------------
# train.py: hyperparameters


def check_hyperparameters(iters: int, batch_size: int, lr: float, sampling: str,
                          train_size: int, samplings: tuple[str, ...]) -> None:
    """Raise ValueError naming the first setting that cannot work with train_size images."""
    for name, value in (("iters", iters), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, Integral):  # NumPy's ints are
            raise TypeError(f"{name} must be a whole number, got {type(value).__name__} "
                            f"{value!r}")
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise TypeError(f"lr must be a number, got {type(lr).__name__} {lr!r}")
    if iters < 1:
        raise ValueError(f"iters must be at least 1, got {iters}")
    if not 1 <= batch_size <= train_size:
        raise ValueError(f"batch_size must be between 1 and the training size "
                         f"{train_size}, got {batch_size}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be a positive number, got {lr}")
    check_sampling(sampling, samplings)


def check_run(data: Any, rng: object) -> None:
    """Raise unless data is ((x_train, t_train), (x_test, t_test)), one label per image, and
    rng (when given) a random.Random: train() draws its batches from it."""
    if rng is not None and not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random (e.g. random.Random(0)), "
                        f"got {type(rng).__name__}")
    for part, (x, t) in zip(("train", "test"), data):
        if len(x) != len(t):
            raise ValueError(f"x_{part} holds {len(x)} images but t_{part} {len(t)} labels: "
                             f"pass one label per image")


def check_sampling(sampling: str, samplings: tuple[str, ...]) -> None:
    """Raise ValueError unless sampling is one of samplings."""
    if sampling not in samplings:
        raise ValueError(f"sampling must be one of {', '.join(samplings)}, got {sampling!r}")


def diverged_message(loss: float, i: int, lr: float, delta: float, *,
                     std_name: str = "weight_init_std", lr_name: str = "") -> str:
    """Say why the loss of iteration i stopped the run, and what to try instead.

    delta is the loss's 1e-7 inside the log, which caps it at -log(delta). The
    message names the library's parameters (weight_init_std, a learning rate);
    the command line passes its options' names instead (std_name
    "--weight-init-std", lr_name "--lr ").
    """
    if math.isfinite(loss):
        why = (f"the loss reached {loss:.4g} at iteration {i}, within 10% of its ceiling "
               f"-log({delta:g}) = {-math.log(delta):.2f} (the {delta:g} inside the log caps "
               f"it): nearly every image gets a probability below about 1e-6 for its label, "
               f"so the weights have blown up")
    else:
        why = f"the loss became {loss} at iteration {i}"
    if i == 0:  # measured before the first update: no step has been taken yet
        return (f"{why}, before any update: the start weights are too large. Try a "
                f"smaller {std_name}")
    return (f"{why}: the steps overshoot. Try a smaller learning rate, e.g. "
            f"{lr_name}{lr / 10:g} (now {lr:g})")


# ---------------------------------------------------------------------------
# train.py: the accuracy over a whole data set, in chunks


def check_chunks(x: Sized, t: Sized, chunk: object) -> None:
    """Raise ValueError unless chunk is a whole number >= 1 and x, t hold the same rows, >= 1.

    A chunk of 0 or below would measure nothing (range(0, n, -1) is empty, so the
    accuracy came out 0.0), and no rows at all have no accuracy (0 / 0).
    """
    rows = whole_number(chunk)
    if rows is None or rows < 1:
        raise ValueError(f"chunk must be a whole number of rows, 1 or more, got {chunk!r}")
    if len(x) == 0:
        raise ValueError("accuracy of no rows: x is empty; pass at least one image")
    if len(x) != len(t):
        raise ValueError(f"x has {len(x)} rows but t has {len(t)}: one label (or one-hot "
                         f"row) per image")
