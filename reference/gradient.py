"""Numerical differentiation and gradient descent (book sections 4.3 and 4.4), in NumPy.

The twin of ``purenet/gradient.py``. numerical_gradient still visits one
entry at a time (that is what makes it slow and simple); only the update of
gradient descent becomes one array expression.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from numbers import Real

import numpy as np

from reference.functions import as_array

H = 1e-4  # small enough to be local, large enough that f(x+h) - f(x-h) keeps its digits


def numerical_diff(f: Callable[[float], float], x: float) -> float:
    """Return f'(x) ~ (f(x + h) - f(x - h)) / 2h with h = 1e-4: the central difference, a number."""
    return (f(x + H) - f(x - H)) / (2 * H)


def _check_floats(x: object) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        # A list would be copied into a new array, nudged there, and f(x) would
        # never see the change: every gradient entry would silently be 0.
        raise TypeError(f"numerical_gradient needs x as a float array (it is changed in "
                        f"place), got {type(x).__name__}")
    a = as_array(x, "x")
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


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Return the gradient of f at x, in x's shape: entry i is df/dx_i by central difference.

    x is a float array, (n,) or (n, m), and f(x) a number. The floats must be
    float64 (float32 and float16 raise): f(x + h) - f(x - h) is tiny, and
    narrower floats lose it. Each entry is nudged in place by +h and -h while
    f(x) is evaluated, then put back exactly as it was, even if f raises, so
    the caller's x is unchanged afterwards.
    f costs 2 calls per entry.
    """
    _check_floats(x)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        try:
            x[idx] = tmp + H
            fxh1 = f(x)  # f(x + h)
            x[idx] = tmp - H
            fxh2 = f(x)  # f(x - h)
        finally:
            x[idx] = tmp  # the saved value has x's own dtype: restored bit for bit
        grad[idx] = (fxh1 - fxh2) / (2 * H)
    return grad


def _check_steps(lr: object, step_num: object) -> tuple[float, int]:
    # Return lr as a float and step_num as an int, converted once: a NumPy
    # scalar lr would otherwise seep into x and be refused at the next step.
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise TypeError(f"lr must be a number (float or int), got {type(lr).__name__}")
    try:
        # any int type (NumPy's too), never a float; anything else raises TypeError
        steps = operator.index(step_num)  # type: ignore[arg-type]
    except TypeError:
        steps = None
    if steps is None or isinstance(step_num, bool):
        raise TypeError(f"step_num must be an int, got {type(step_num).__name__}")
    if steps < 0:
        raise ValueError(f"step_num must be >= 0, got {steps}")
    return float(lr), steps


def gradient_descent(
    f: Callable[[np.ndarray], float],
    init_x: np.ndarray,
    lr: float = 0.01,
    step_num: int = 100,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Repeat x <- x - lr * grad f(x) step_num times from init_x (경사법; lr is the book's η).

    init_x is a vector (n,) or a matrix (n, m) of numbers (ints are made floats).
    Return (x, path): the final point, in init_x's shape, and the list of the
    step_num + 1 points visited, init_x first. init_x itself is left unchanged.
    """
    lr, step_num = _check_steps(lr, step_num)
    x = as_array(init_x, "init_x").astype(float)  # always a copy
    path = [x.copy()]
    for _ in range(step_num):
        grad = numerical_gradient(f, x)
        x = x - lr * grad
        path.append(x.copy())
    return x, path
