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

# ---------------------------------------------------------------------------
# functions.py: sigmoid, softmax, the losses


# ---------------------------------------------------------------------------
# gradient.py: numerical_gradient, gradient_descent


# ---------------------------------------------------------------------------
# optimizer.py: SGD


# ---------------------------------------------------------------------------
# two_layer_net.py: sizes, seeds, inputs, parameters


# ---------------------------------------------------------------------------
# train.py: hyperparameters


def check_hyperparameters(iters: int, batch_size: int, lr: float, sampling: str,
                          train_size: int, samplings: tuple[str, ...]) -> None:
    """Raise ValueError naming the first setting that cannot work with train_size images."""
    if iters < 1:
        raise ValueError(f"iters must be at least 1, got {iters}")
    if not 1 <= batch_size <= train_size:
        raise ValueError(f"batch_size must be between 1 and the training size "
                         f"{train_size}, got {batch_size}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be a positive number, got {lr}")
    check_sampling(sampling, samplings)


def check_sampling(sampling: str, samplings: tuple[str, ...]) -> None:
    """Raise ValueError unless sampling is one of samplings."""
    if sampling not in samplings:
        raise ValueError(f"sampling must be one of {', '.join(samplings)}, got {sampling!r}")
