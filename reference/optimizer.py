"""Stochastic gradient descent, the update rule of learning (book sections 4.4 and 6.1), in NumPy.

The twin of ``purenet/optimizer.py``. Every parameter takes a small step
against its gradient: W <- W - lr * dL/dW (확률적 경사 하강법, SGD). The
step is made in place with ``-=``, so a network holding the same arrays sees
its new weights at once.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


class SGD:
    """Plain SGD with learning rate lr (the book's eta): params[key] -= lr * grads[key]."""

    def __init__(self, lr: float = 0.01) -> None:
        if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, Real):
            raise TypeError(f"lr must be a number, got {type(lr).__name__}")
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be positive and finite, got {lr!r}")
        self.lr: float = float(lr)

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Set params[key] to params[key] - lr * grads[key] for every key, in place; return None.

        grads must have exactly the keys of params, each of its param's shape
        (nothing is broadcast). The arrays of params are changed with ``-=``, not
        replaced, so arrays held elsewhere (a network's params) change too.
        """
        _check_keys(params, grads)
        for key in params:
            got, want = _dims(grads[key], f"grads[{key!r}]"), _dims(params[key], f"params[{key!r}]")
            if got != want:
                raise ValueError(f"grads[{key!r}] has shape {got}, params[{key!r}] has shape "
                                 f"{want}: they must match")
        lr = self.lr
        for key, p in params.items():
            p -= lr * grads[key]


def _check_keys(params: dict, grads: dict) -> None:
    # The book's typo `for key in ('W1, b1, W2, b2')` walks the characters of
    # one string; a dict built from such a loop must fail here, loudly.
    extra = sorted(map(repr, set(grads) - set(params)))
    missing = sorted(map(repr, set(params) - set(grads)))
    if extra or missing:
        parts = ([f"grads has keys not in params: {', '.join(extra)}"] if extra else []) \
            + ([f"grads lacks keys of params: {', '.join(missing)}"] if missing else [])
        raise ValueError("; ".join(parts))


def _dims(v: object, name: str) -> tuple[int, ...]:
    # `-=` needs an array to change in place; a list here would be rebound, not updated.
    if not isinstance(v, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(v).__name__}")
    if v.size == 0:
        raise ValueError(f"{name} is empty: expected at least one element")
    if v.dtype.kind != "f":  # an int array cannot take a fractional step in place
        raise TypeError(f"{name} must hold floats, got {v.dtype}")
    return v.shape
