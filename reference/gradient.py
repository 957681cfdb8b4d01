"""Numerical differentiation and gradient descent (book sections 4.3 and 4.4), in NumPy.

The twin of ``purenet/gradient.py``. numerical_gradient still visits one
entry at a time (that is what makes it slow and simple); only the update of
gradient descent becomes one array expression.
"""

from collections.abc import Callable

import numpy as np

from reference.checks import descent_inputs, gradient_inputs, number_valued, point_2d

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


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Return the gradient of f at x, in x's shape: entry i is df/dx_i by central difference.

    x is a float array, (n,) or (n, m), and f(x) a number. The floats must be
    float64 (float32 and float16 raise): f(x + h) - f(x - h) is tiny, and
    narrower floats lose it. Each entry is nudged in place by +h and -h while
    f(x) is evaluated, then put back exactly as it was, even if f raises, so
    the caller's x is unchanged afterwards.
    f costs 2 calls per entry.

    >>> numerical_gradient(function_2, np.array([3.0, 4.0])).round(6)  # (2 x0, 2 x1)
    array([6., 8.])
    """
    f = gradient_inputs(f, x)  # x a float64 array; f's values checked to be numbers
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


def function_2(x: np.ndarray) -> float:
    """Return f(x0, x1) = x0^2 + x1^2, a number: the bowl the book descends in section 4.4.

    x is a point (x0, x1). The gradient is (2 x0, 2 x1) and the minimum 0, at
    (0, 0), so every step of gradient descent on it has a closed form to check.

    >>> float(function_2(np.array([3.0, 4.0])))
    25.0
    """
    point_2d(x)
    return x[0] * x[0] + x[1] * x[1]


def gradient_descent(f: Callable[[np.ndarray], float], init_x: np.ndarray, lr: float = 0.01,
                     step_num: int = 100) -> tuple[np.ndarray, list[np.ndarray]]:
    """Repeat x <- x - lr * grad f(x) step_num times from init_x (경사법; lr is the book's η).

    init_x is a vector (n,) or a matrix (n, m) of numbers (ints are made floats).
    lr must be positive and finite, step_num an int >= 0.
    Return (x, path): the final point, in init_x's shape, and the list of the
    step_num + 1 points visited, init_x first. init_x itself is left unchanged.

    >>> x, path = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    >>> len(path), [f"{v:.3g}" for v in x]  # x = (1 - 2 lr)^100 (-3, 4): next to (0, 0)
    (101, ['-6.11e-10', '8.15e-10'])
    """
    init_x, lr, step_num = descent_inputs(init_x, lr, step_num)
    x = init_x.astype(float)  # a float copy of init_x
    path = [x.copy()]
    for _ in range(step_num):
        grad = numerical_gradient(f, x)
        x = x - lr * grad
        path.append(x.copy())
    return x, path
