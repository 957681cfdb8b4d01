"""Input checks for NumPy arrays, used by the lesson modules of ``reference/``.

A learner can skip this folder. It adds what only arrays need (dtypes, ndim,
arrays changed in place) to the checks both packages share in
``purenet/checks/``, so both refuse the same mistakes with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from purenet.checks import (
    ONE_TOL,
    PARAM_KEYS,
    check_param_dict,
    check_param_shapes,
    check_seed,
    check_sizes,
    first_bad,
    learning_rate,  # noqa: F401 (SGD's check, the same in both packages)
    lr_and_steps,
    not_one_hot,
    not_probabilities,
    number_valued,
    same_shapes,
)
from purenet.matrix import shape

# An array of one or two dimensions: the name the pure twin gives its lists
# (purenet.matrix.Array), so the two optimizers read alike.
Array = np.ndarray


# ---------------------------------------------------------------------------
# functions.py: arrays of numbers, probabilities, labels


def as_array(x: object, name: str = "x") -> np.ndarray:
    """Return x as a 1-D or 2-D array of numbers, raising the same errors as purenet.matrix.shape.

    Nested lists are accepted too, and checked by purenet's own shape(), so both
    packages refuse the same bad lists with the same words. Ints stay ints.
    """
    if isinstance(x, list):
        try:
            shape(x, name)  # ragged, empty, bool, str...: raises exactly as purenet does
        except TypeError:
            x = _plain_numbers(x)  # NumPy's scalars (np.int64, np.float64) are numbers
            shape(x, name)
        return np.array(x)
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a list (vector) or a list of lists (matrix) "
                        f"or an array, got {type(x).__name__}")
    if x.ndim not in (1, 2):
        raise ValueError(f"{name} must be a vector or a matrix, got {x.ndim} dimensions")
    if x.size == 0:
        raise ValueError(f"{name} is empty: expected at least one element")
    if x.dtype.kind not in "iuf":  # bool is kind "b": refused, as in purenet
        raise TypeError(f"{name} must hold numbers (float or int), got {x.dtype.name}")
    return x


def as_floats(x: object, name: str = "x") -> np.ndarray:
    """Return as_array(x), ints made float64: the math must not run in uint8 or int64.

    -x of a uint8 array wraps around (-1 is 255), exp of it is float16, and
    (y - t) ** 2 of int8 or int64 overflows without a word; purenet computes
    the same values with Python's ints, which never overflow, and floats.
    """
    a = as_array(x, name)
    return a.astype(np.float64) if a.dtype.kind in "iu" else a


def _plain_numbers(x: list) -> list:
    # The list with NumPy's number scalars made Python's (np.bool_ is no number: it stays).
    return [_plain_numbers(v) if isinstance(v, list)
            else v.item() if isinstance(v, np.number) else v for v in x]


def squared_error_inputs(y: object, t: object) -> tuple[np.ndarray, np.ndarray]:
    """Return (y, t) as float arrays, after checking that t is one-hot in y's shape."""
    y, t = as_floats(y, "y"), as_floats(t, "t")
    if y.shape != t.shape:
        raise ValueError(f"sum_squared_error needs y and t of one shape (t one-hot), "
                         f"got y {y.shape} and t {t.shape}")
    check_one_hot(t)
    return y, t


def cross_entropy_inputs(y: object, t: object) -> tuple[np.ndarray, np.ndarray]:
    """Return (y, t) as 2-D arrays (N, C), t one-hot, after checking both.

    y must hold probabilities, 0 <= y <= 1; anything else, NaN included, raises
    NotProbabilities (training's monitor turns a NaN into its "diverged" stop).
    t is one-hot in y's shape, or label indices (see ``to_labels``), which are
    made one-hot rows here.
    """
    y = as_floats(y, "y")
    bad = y[~((y >= 0) & (y <= 1 + ONE_TOL))]  # NaN compares false: it is caught too
    if bad.size:  # log of a negative number has no value, log of 3 no meaning, of NaN NaN
        raise not_probabilities(first_bad(bad.tolist()))
    labels = to_labels(t, y.shape)
    rows = y.reshape(1, -1) if y.ndim == 1 else y
    if labels is None:
        return rows, np.asarray(t).reshape(rows.shape)
    return rows, np.eye(rows.shape[1])[labels]


def check_one_hot(t: np.ndarray) -> None:
    """Raise unless every row of t holds only 0s and exactly one 1."""
    rows = t.reshape(1, -1) if t.ndim == 1 else t
    # N nonzero entries in all (NaN counts), and each row summing to 1: then
    # each row holds one nonzero entry, and it is 1
    if np.count_nonzero(rows) == len(rows) and (rows.sum(axis=1) == 1).all():
        return
    for i, row in enumerate(rows):
        odd, ones = row[(row != 0) & (row != 1)], int(np.count_nonzero(row == 1))
        if odd.size or ones != 1:
            raise not_one_hot(None if t.ndim == 1 else i, odd[0].item() if odd.size else None,
                              ones)


def to_labels(t: object, y_shape: tuple[int, ...]) -> np.ndarray | None:
    """Check t against predictions of shape y_shape: return label indices, or None if one-hot.

    purenet.checks.to_labels for arrays: the same rules, the same messages
    (labels in range(C), or one-hot rows of 0s and a single 1; never broadcast).
    """
    classes = y_shape[-1]
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, (int, np.integer, list, np.ndarray)):
        raise TypeError(f"t must be label indices (int or list of int) or one-hot lists, "
                        f"got {type(t).__name__}")
    if isinstance(t, (int, np.integer)):
        if len(y_shape) != 1:
            raise ValueError(f"t is a single label but y is a batch {y_shape}: "
                             f"pass one label per row")
        labels = np.array([t])
    else:
        t = as_array(t, "t")
        if t.shape == y_shape:
            check_one_hot(t)
            return None
        if t.ndim != 1 or len(y_shape) != 2 or t.shape[0] != y_shape[0]:
            raise ValueError(f"t must be one-hot {y_shape} or "
                             f"{y_shape[0] if len(y_shape) == 2 else 1} label(s) for y "
                             f"{y_shape}, got t {t.shape}")
        if t.dtype.kind not in "iu":
            raise TypeError(f"label indices must be ints, got {t.dtype}")
        labels = t
    bad = labels[(labels < 0) | (labels >= classes)]
    if bad.size:
        raise ValueError(f"label {bad[0]} is out of range for {classes} classes "
                         f"(0..{classes - 1})")
    return labels


# ---------------------------------------------------------------------------
# gradient.py: float64 arrays changed in place


def nudgeable(x: object) -> np.ndarray:
    """Return x after checking that it is an array of float64, to be nudged by h in place."""
    if not isinstance(x, np.ndarray):
        # A list would be copied into a new array, nudged there, and f(x) would
        # never see the change: every gradient entry would silently be 0.
        raise TypeError(f"numerical_gradient needs x as a float array (it is changed in "
                        f"place), got {type(x).__name__}")
    a = as_array(x, "x")
    if not a.flags.writeable:
        raise ValueError("numerical_gradient needs x writable (each entry is nudged in place), "
                         "got a read-only array: pass a copy, e.g. x.copy()")
    if a.dtype.kind in "iu":
        # x[i] = tmp + h on an int array truncates back to tmp: the gradient
        # would silently come out 0. The book's version has that bug.
        raise TypeError("numerical_gradient needs x of floats, got int values: "
                        "convert them first, e.g. x.astype(float)")
    if a.dtype != np.float64:
        # f(x + h) - f(x - h) is about 1e-4 * f'(x): far below the ~7 digits of
        # a float32 loss (gradient_check errors of 0.4 on a small net), and
        # float16 rounds x + 1e-4 back to x (every entry 0).
        raise TypeError(f"numerical_gradient needs x of float64, got {a.dtype.name}: "
                        f"h = 1e-4 is lost in fewer digits; use float64, "
                        f"e.g. x.astype(np.float64)")
    return a


def gradient_inputs(f: Callable[[Any], Any], x: object) -> Callable[[Any], Any]:
    """Return f checked to give numbers, after nudgeable(x), for numerical_gradient."""
    nudgeable(x)
    return number_valued(f)


def descent_inputs(init_x: object, lr: object, step_num: object
                   ) -> tuple[np.ndarray, float, int]:
    """Return (init_x, lr, step_num): as_array(init_x) and purenet's lr_and_steps(lr, step_num)."""
    lr, step_num = lr_and_steps(lr, step_num)
    return as_array(init_x, "init_x"), lr, step_num


def point_2d(x: object) -> None:
    """Raise unless x is a vector of two numbers (x0, x1), the input of function_2."""
    a = as_array(x, "x")
    if a.shape != (2,):
        raise ValueError(f"function_2 takes a point (x0, x1), got x of shape {a.shape}")


# ---------------------------------------------------------------------------
# optimizer.py: float arrays updated with -=


def update_inputs(params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
    """Raise unless grads has exactly the keys of params, each of its param's shape, in floats."""
    same_shapes(params, grads, _dims)


def _dims(v: object, name: str) -> tuple[int, ...]:
    # `-=` needs an array to change in place; a list here would be rebound, not updated.
    if not isinstance(v, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(v).__name__}")
    if v.size == 0:
        raise ValueError(f"{name} is empty: expected at least one element")
    if v.dtype.kind != "f":  # an int array cannot take a fractional step in place
        raise TypeError(f"{name} must hold floats, got {v.dtype}")
    return v.shape


# ---------------------------------------------------------------------------
# two_layer_net.py: sizes, seeds, inputs, parameters
# (sizes and seeds are checked by purenet.checks, as in purenet)


def check_init(input_size: object, hidden_size: object, output_size: object,
               weight_init_std: object, seed: object,
               rng: object) -> tuple[float, np.random.Generator]:
    """Check TwoLayerNet's arguments; return (weight_init_std, the Generator to draw from)."""
    std = check_sizes(input_size, hidden_size, output_size, weight_init_std)
    if rng is None:
        return std, np.random.default_rng(check_seed(seed))
    if seed is not None:
        raise ValueError("pass seed or rng, not both")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return std, rng


def check_x(x: object, params: dict[str, np.ndarray]) -> np.ndarray:
    """Return x as an array after checking it is a batch (N, D) for W1 (D, H)."""
    x = as_array(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be a matrix (list of rows), got a vector of length {len(x)}")
    if x.shape[1] != len(params["W1"]):
        raise ValueError(f"x must be a batch of shape (N, {len(params['W1'])}) "
                         f"(input_size), got {x.shape}")
    return x


def check_batch(x: object, t: object,
                params: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, t) as arrays: x a checked batch (N, D) for W1, t checked against it.

    t must be one-hot rows (N, C) or N label indices in range(C) (see to_labels):
    the book's (y - t) / N would broadcast a (N,) t against (N, C) without a word.
    """
    x = check_x(x, params)
    labels = to_labels(t, (len(x), len(params["b2"])))  # raises on a t of the wrong shape
    return x, as_array(t, "t") if labels is None else labels


def check_params(params: object) -> dict[str, np.ndarray]:
    """Return a copy of params as float arrays (from nested lists or arrays) after checking it.

    params must be a dict with exactly the keys 'W1', 'b1', 'W2', 'b2', of shapes
    (D, H), (H,), (H, C), (C,), of finite numbers; anything else raises naming
    the key (NaN or infinity would make every prediction NaN without a word).
    float32 and float64 arrays keep their dtype; lists and int arrays become
    float64; other floats (float16, longdouble) are refused, as the weights
    files hold float32 or float64 only.
    """
    params = check_param_dict(params)
    values = {}
    for key in PARAM_KEYS:
        if key in params:
            values[key] = as_array(params[key], f"params[{key!r}]")
    check_param_shapes({key: a.shape for key, a in values.items()}, set(params), "params")
    return {key: _to_floats(values[key], f"params[{key!r}]") for key in PARAM_KEYS}


def _to_floats(a: np.ndarray, name: str) -> np.ndarray:
    # A copy in float32 or float64 (native byte order), refusing NaN and infinity.
    if a.dtype.kind == "f" and a.dtype.type not in (np.float32, np.float64):
        raise ValueError(f"{name} holds {a.dtype.name} numbers: weights must be float64 or "
                         f"float32 (ints become float64)")
    try:
        a = np.array(a, dtype=a.dtype.type if a.dtype.kind == "f" else np.float64)  # a copy
    except OverflowError:  # an int past float's range, e.g. 400 digits in a JSON file
        raise ValueError(f"{name} holds an int too large for a float: "
                         f"weights must be finite numbers") from None
    bad = a[~np.isfinite(a)]
    if bad.size:
        raise ValueError(f"{name} holds {float(bad[0])}: weights must be finite numbers "
                         f"(no NaN or infinity)")
    return a


# ---------------------------------------------------------------------------
# gradient_check.py: two gradients of one network, compared


def check_gradients(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    """Return two gradients as flat float64 arrays; raise unless they match in size."""
    flat_a = np.asarray(a, dtype=np.float64).ravel()
    flat_b = np.asarray(b, dtype=np.float64).ravel()
    if flat_a.size != flat_b.size:
        raise ValueError(f"the gradients differ in size: {flat_a.size} and {flat_b.size} entries")
    return flat_a, flat_b
