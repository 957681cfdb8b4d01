"""Measuring a trained network: the accuracy on a whole data set, a chunk of rows at a time.

The book measures ``network.accuracy(x_train, t_train)`` in one call once per
epoch. In plain Python 60,000 images as lists of floats would need gigabytes,
so the rows are gathered ``chunk`` at a time by a small function ``take``, the
one thing that differs between the packages (a list of lists here, ``x[idx]``
in NumPy). ``reference/evaluation.py`` is the NumPy twin, a faster way to the
same count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from purenet.checks import check_chunks

Take = Callable[[Any, Sequence[int]], Any]


def take_rows(x: Any, indices: Sequence[int]) -> list:
    """Return the rows of x at indices as a list: (N, D) -> (B, D); labels (N,) -> (B,).

    The pure Python way to gather a batch: works on lists and on the lazy image
    rows of purenet.mnist, which decode only the rows asked for.
    """
    return [x[i] for i in indices]


def take_array(x: Any, indices: Sequence[int]) -> Any:
    """Return x[indices] for a NumPy array: (N, D) -> (B, D); labels (N,) -> (B,).

    The NumPy way (fancy indexing copies the B rows). A range of consecutive
    rows, as accuracy_in_chunks asks for, becomes a slice: a view, no copy.
    """
    if isinstance(indices, range):
        return x[indices.start:indices.stop]
    return x[indices]


def accuracy_in_chunks(network: Any, x: Any, t: Any, take: Take = take_rows,
                       chunk: int = 1000) -> float:
    """Return the fraction of rows of x whose predicted class is t's, chunk rows at a time.

    Calls ``network.accuracy`` on slices of ``chunk`` rows, so a whole data set is
    never materialized at once (60,000 images as Python floats would need gigabytes).
    Each chunk's fraction is turned back into its count by rounding, not
    truncating: 0.29 * 100 is 28.999999999999996 in floats.
    """
    check_chunks(x, t, chunk)  # chunk >= 1, at least one row, as many labels as rows
    n = len(x)
    correct = 0
    for start in range(0, n, chunk):
        rows = range(start, min(start + chunk, n))
        correct += round(network.accuracy(take(x, rows), take(t, rows)) * len(rows))
    return correct / n
