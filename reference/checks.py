"""Input checks for NumPy arrays, used by the lesson modules of ``reference/``.

A learner can skip this file. It adds what only arrays need (dtypes, ndim,
arrays changed in place) to the checks both packages share in
``purenet/checks.py``, so both refuse the same mistakes with the same words.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# functions.py: arrays of numbers, probabilities, labels


# ---------------------------------------------------------------------------
# gradient.py: float64 arrays changed in place


# ---------------------------------------------------------------------------
# optimizer.py: float arrays updated with -=


# ---------------------------------------------------------------------------
# two_layer_net.py: sizes, seeds, inputs, parameters
