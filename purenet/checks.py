"""Input checks and their messages, for every lesson module of both packages.

A learner can skip this file. Each lesson function makes at most one call into
it, right after its docstring, and then reads like the book. What is checked
here is what the book leaves to chance: shapes that NumPy would broadcast
without a word, ints where a float step is needed, scores where probabilities
belong, typos in parameter names. Checks that only make sense for NumPy
arrays live in ``reference/checks.py``, which builds on this one.
"""

from __future__ import annotations

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
