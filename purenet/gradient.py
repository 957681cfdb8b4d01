"""Numerical differentiation and gradient descent (book sections 4.3 and 4.4).

The derivative of f at x is the slope of f over a tiny step h. The central
difference (f(x + h) - f(x - h)) / 2h is accurate to O(h^2), far better than
the forward difference. The gradient (기울기) is that slope taken along every
coordinate in turn; it points where f grows fastest, so stepping against it
(경사법, gradient descent) walks downhill.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from numbers import Real
from typing import cast

from purenet.matrix import Matrix, Vector, shape

H = 1e-4  # small enough to be local, large enough that f(x+h) - f(x-h) keeps its digits


def numerical_diff(f: Callable[[float], float], x: float) -> float:
    """Return f'(x) ~ (f(x + h) - f(x - h)) / 2h with h = 1e-4: the central difference, a number."""
    return (f(x + H) - f(x - H)) / (2 * H)


def _check_floats(x: object) -> tuple[int, ...]:
    s = shape(x, "x")
    for row in cast(Matrix, [x] if len(s) == 1 else x):
        if int in set(map(type, row)):
            # x[i] + h on an int is fine in Python, but NumPy's int arrays
            # truncate it back to x[i]: refuse ints in both packages alike.
            raise TypeError("numerical_gradient needs x of floats, got int values: "
                            "convert them first, e.g. [float(v) for v in x]")
    return s


def numerical_gradient(
    f: Callable[[Vector | Matrix], float], x: Vector | Matrix
) -> Vector | Matrix:
    """Return the gradient of f at x, in x's shape: entry i is df/dx_i by central difference.

    x is a vector (n,) or a matrix (n, m) of floats, and f(x) a number. The floats
    must be float64 (Python's floats always are): f(x + h) - f(x - h) is tiny, and
    narrower floats lose it. Each entry is nudged in place by +h and -h while
    f(x) is evaluated, then put back exactly as it was, even if f raises, so
    the caller's x is unchanged afterwards.
    f costs 2 calls per entry.
    """
    if len(_check_floats(x)) == 1:
        rows: Matrix = [x]  # type: ignore[list-item]
    else:
        rows = x  # type: ignore[assignment]
    grad = [[0.0] * len(row) for row in rows]
    for row, grad_row in zip(rows, grad):
        for i, tmp in enumerate(row):
            try:
                row[i] = tmp + H
                fxh1 = f(x)  # f(x + h)
                row[i] = tmp - H
                fxh2 = f(x)  # f(x - h)
            finally:
                row[i] = tmp  # the very same float object: exactly restored
            grad_row[i] = (fxh1 - fxh2) / (2 * H)
    return grad[0] if rows is not x else grad


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
    f: Callable[[Vector | Matrix], float],
    init_x: Vector | Matrix,
    lr: float = 0.01,
    step_num: int = 100,
) -> tuple[Vector | Matrix, list[Vector | Matrix]]:
    """Repeat x <- x - lr * grad f(x) step_num times from init_x (경사법; lr is the book's η).

    init_x is a vector (n,) or a matrix (n, m) of numbers (ints are made floats).
    Return (x, path): the final point, in init_x's shape, and the list of the
    step_num + 1 points visited, init_x first. init_x itself is left unchanged.
    """
    lr, step_num = _check_steps(lr, step_num)
    if len(shape(init_x, "init_x")) == 1:
        x: Vector | Matrix = [float(v) for v in init_x]  # type: ignore[arg-type]
    else:
        x = [[float(v) for v in row] for row in init_x]  # type: ignore[union-attr]
    path = [_copy(x)]
    for _ in range(step_num):
        grad = numerical_gradient(f, x)
        if isinstance(x[0], list):
            x = [[v - lr * g for v, g in zip(row, grow)]
                 for row, grow in zip(x, cast(Matrix, grad))]  # grad has x's shape
        else:
            x = [v - lr * g for v, g in zip(x, cast(Vector, grad))]
        path.append(_copy(x))
    return x, path


def _copy(x: Vector | Matrix) -> Vector | Matrix:
    return [list(r) for r in x] if isinstance(x[0], list) else list(x)
