"""Measuring a trained network in NumPy: the accuracy on a whole data set, in chunks of rows.

The twin of ``purenet/evaluation.py``, and the same count as
``TwoLayerNet.accuracy`` (the argmax of the scores against the labels), written
for the 17 evaluations of 70,000 images in the book's run: chunks of rows as
views (no copy), the forward pass done in place, softmax left out (it never
changes which score is largest).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from purenet.checks import check_chunks


def accuracy_in_chunks(network: Any, x: np.ndarray, t: np.ndarray, chunk: int = 10000) -> float:
    """Return the fraction of rows of x (N, D) whose predicted class is t's, chunk rows at a time.

    t holds labels (N,) or one-hot rows (N, C). The result equals
    ``network.accuracy(x, t)``: the same argmax of the scores a2, in the params'
    dtype. The sigmoid is the book's 1 / (1 + exp(-a)) done in place: an exp
    that overflows to inf for a < -709 gives exactly 0, so its warning is
    silenced; it differs from the stable sigmoid by at most 2e-16. In float64
    the first product is computed transposed, W1.T @ x.T: the same sums in the
    shape OpenBLAS runs faster; in float32 the row form x @ W1 is the faster one.
    """
    check_chunks(x, t, chunk)  # chunk >= 1, at least one row, as many labels as rows
    W1, b1, W2, b2 = (network.params[k] for k in ("W1", "b1", "W2", "b2"))
    labels = t if t.ndim == 1 else t.argmax(axis=1)  # one-hot (N, C) -> (N,)
    columns = W1.dtype == np.float64
    hits = 0
    for start in range(0, len(x), chunk):
        rows = x[start:start + chunk]  # a view, no copy
        if columns:
            a1 = (W1.T @ rows.T).T  # (H, D) @ (D, n) -> (H, n), viewed as (n, H)
        else:
            a1 = rows @ W1  # (n, D) @ (D, H) -> (n, H)
        a1 += b1
        # exp(-a) overflows to inf for a < -709 (float32: -88), and 1 / (1 + inf) is
        # exactly 0, sigmoid's limit there: the overflow warning would report nothing wrong
        with np.errstate(over="ignore"):
            z1 = np.exp(np.negative(a1, out=a1), out=a1)
        z1 += 1.0
        np.reciprocal(z1, out=z1)  # sigmoid(a1), in a1's memory
        scores = z1 @ W2 + b2  # (n, H) @ (H, C) -> (n, C)
        hits += int(np.count_nonzero(scores.argmax(axis=1) == labels[start:start + chunk]))
    return hits / len(x)
