"""Numerical differentiation and gradient descent (book sections 4.3 and 4.4).

The derivative of f at x is the slope of f over a tiny step h. The central
difference (f(x + h) - f(x - h)) / 2h is accurate to O(h^2), far better than
the forward difference. The gradient (기울기) is that slope taken along every
coordinate in turn; it points where f grows fastest, so stepping against it
(경사법, gradient descent) walks downhill.
"""

from collections.abc import Callable

from purenet.checks import descent_inputs, gradient_inputs, number_valued, point_2d
from purenet.matrix import Array, Vector, as_rows, unbatch

H = 1e-4  # small enough to be local, large enough that f(x+h) - f(x-h) keeps its digits


def numerical_diff(f: Callable[[float], float], x: float) -> float:
    """Return f'(x) ~ (f(x + h) - f(x - h)) / 2h with h = 1e-4: the central difference, a number.

    >>> def f(x):
    ...     return 0.01 * x * x + 0.1 * x  # the book's example in 4.3.2
    >>> round(numerical_diff(f, 5.0), 6), round(numerical_diff(f, 10.0), 6)  # exact: 0.02 x + 0.1
    (0.2, 0.3)
    """
    f = number_valued(f)  # f(x) must be a number: a missing return is named, not a None - None
    return (f(x + H) - f(x - H)) / (2 * H)


def numerical_gradient(f: Callable[[Array], float], x: Array) -> Array:
    """Return the gradient of f at x, in x's shape: entry i is df/dx_i by central difference.

    x is a vector (n,) or a matrix (n, m) of floats, and f(x) a number. The floats
    must be float64 (Python's floats always are): f(x + h) - f(x - h) is tiny, and
    narrower floats lose it. Each entry is nudged in place by +h and -h while
    f(x) is evaluated, then put back exactly as it was, even if f raises, so
    the caller's x is unchanged afterwards.
    f costs 2 calls per entry.

    >>> [round(g, 6) for g in numerical_gradient(function_2, [3.0, 4.0])]  # (2 x0, 2 x1)
    [6.0, 8.0]
    """
    f, rows, single = gradient_inputs(f, x)  # a vector is nudged through rows[0], the same list
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
    return grad[0] if single else grad


def function_2(x: Vector) -> float:
    """Return f(x0, x1) = x0^2 + x1^2, a number: the bowl the book descends in section 4.4.

    x is a point (x0, x1). The gradient is (2 x0, 2 x1) and the minimum 0, at
    (0, 0), so every step of gradient descent on it has a closed form to check.

    >>> function_2([3.0, 4.0])
    25.0
    """
    point_2d(x)
    # x * x, not x ** 2: a float ** 2 raises OverflowError past 1e154, x * x gives inf
    return x[0] * x[0] + x[1] * x[1]


def gradient_descent(f: Callable[[Array], float], init_x: Array, lr: float = 0.01,
                     step_num: int = 100) -> tuple[Array, list[Array]]:
    """Repeat x <- x - lr * grad f(x) step_num times from init_x (경사법; lr is the book's η).

    init_x is a vector (n,) or a matrix (n, m) of numbers (ints are made floats).
    lr must be positive and finite, step_num an int >= 0.
    Return (x, path): the final point, in init_x's shape, and the list of the
    step_num + 1 points visited, init_x first. init_x itself is left unchanged.

    >>> x, path = gradient_descent(function_2, [-3.0, 4.0], lr=0.1, step_num=100)
    >>> len(path), [f"{v:.3g}" for v in x]  # x = (1 - 2 lr)^100 (-3, 4): next to (0, 0)
    (101, ['-6.11e-10', '8.15e-10'])
    """
    rows, single, lr, step_num = descent_inputs(init_x, lr, step_num)
    x = [[float(v) for v in row] for row in rows]  # a float copy of init_x, as rows
    path = [unbatch(x, single)]
    for _ in range(step_num):
        grad = as_rows(numerical_gradient(f, unbatch(x, single)))  # f takes init_x's shape
        x = [[v - lr * g for v, g in zip(row, grow)] for row, grow in zip(x, grad)]
        path.append(unbatch(x, single))
    return unbatch(x, single), path
