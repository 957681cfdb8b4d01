"""Gradient check: is backpropagation right? (book section 5.7.3), in NumPy.

The twin of ``purenet/gradient_check.py``. Backpropagation is fast but easy to
get subtly wrong; the numerical gradient of chapter 4 is slow but hard to get
wrong. Computing both on one small batch and comparing them, parameter by
parameter, catches a wrong derivative at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.checks import check_gradients

TINY = 1e-300  # only keeps 0 / 0 away when both gradients are exactly zero


def gradient_check(network: Any, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """Return, for each parameter key, the relative error between the two gradients.

    With a = network.numerical_gradient(x, t)[key] and b = network.gradient(x, t)[key],

        error = max_i |a_i - b_i| / max(max_i |a_i| + max_i |b_i|, 1e-300)

    a number in [0, 1]: 0 when they agree, 1 when they share nothing. Scaling by
    the largest entries, not entry by entry, keeps near-zero entries (where any
    tiny absolute difference is a huge ratio) from drowning the answer. The book
    prints the mean absolute difference instead, which depends on the gradient's size.

    A correct backprop gives about 1e-7; a wrong derivative gives 1e-2 or more
    (a forgotten 1/N, sigmoid' of the wrong value or a missing factor gave 3e-2
    to 1 on small random nets). The floor is not 0 because the two differentiate
    slightly different losses: backprop's (y - t) / N is the gradient of -log y,
    while the loss computes -log(y + 1e-7), so a sample whose answer gets a tiny
    probability y adds about 1e-7 / y (relative): up to 1e-5 with large random
    weights.
    """
    grad_numerical = network.numerical_gradient(x, t)
    grad_backprop = network.gradient(x, t)
    return {key: _relative_error(grad_numerical[key], grad_backprop[key])
            for key in grad_numerical}


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    # max|a - b| / (max|a| + max|b|), over every entry of a parameter's gradient
    a, b = check_gradients(a, b)  # flattened: the same (n,) for both
    diff = np.max(np.abs(a - b))
    scale = np.max(np.abs(a)) + np.max(np.abs(b))
    return float(diff / max(scale, TINY))
