"""Measuring a trained network in NumPy: the accuracy on a whole data set, in chunks of rows.

The twin of ``purenet/evaluation.py``, and the same count as
``TwoLayerNet.accuracy`` (the argmax of the scores against the labels), written
for the 17 evaluations of 70,000 images in the book's run: chunks of rows as
views (no copy), the forward pass done in place, softmax left out (it never
changes which score is largest), each chunk counted in two halves at once, the
second half on a worker thread: NumPy lets go of the interpreter inside the
products and exp, so the halves run on two cores when two are free.
``accuracy_beside`` runs a whole count on a worker thread instead, on a copy of
the weights, while the training goes on with the originals.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future, ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import numpy as np

from purenet.checks import check_chunks
from purenet.measuring import second_core_free

# A chunk is cut in two at a multiple of this many rows: each half then meets
# BLAS's kernels at the same offsets as the whole chunk did, so every score is
# the same float, bit for bit, as without the cut (a cut at any row can move a
# row into an edge kernel that rounds differently). Chunks under two of these
# stay whole.
ALIGN = 64


def accuracy_in_chunks(network: Any, x: np.ndarray, t: np.ndarray, chunk: int = 10000, *,
                       halves_beside: bool = True) -> float:
    """Return the fraction of rows of x (N, D) whose predicted class is t's, chunk rows at a time.

    t holds labels (N,) or one-hot rows (N, C). The result equals
    ``network.accuracy(x, t)``: the same argmax of the scores a2, in the params'
    dtype. Each chunk is cut in two halves (see ALIGN); the second halves are
    counted on a worker thread while this one counts the first halves, when a
    core is idle (see second_core_free): the same sums, the same result, with
    one BLAS thread per product. ``halves_beside=False`` keeps it all on this
    thread (the one accuracy_beside runs it on).
    """
    check_chunks(x, t, chunk)  # chunk >= 1, at least one row, as many labels as rows
    labels = t if t.ndim == 1 else t.argmax(axis=1)  # one-hot (N, C) -> (N,)
    halves = [half for start in range(0, len(x), chunk)
              for half in _halves(start, min(start + chunk, len(x)))]
    if len(halves) < 2 or not halves_beside or not second_core_free():
        return _hits(network.params, x, labels, halves) / len(x)
    worker = ThreadPoolExecutor(max_workers=1)
    try:  # one task per half, so a Ctrl-C here cancels all but the one running
        second = [worker.submit(_hits, network.params, x, labels, [half])
                  for half in halves[1::2]]
        hits = _hits(network.params, x, labels, halves[0::2])
        hits += sum(future.result() for future in second)
    finally:
        worker.shutdown(wait=True, cancel_futures=True)
    return hits / len(x)


def accuracy_beside(worker: Executor, network: Any, x: np.ndarray, t: np.ndarray,
                    chunk: int = 10000) -> Future[float]:
    """Start accuracy_in_chunks on worker for a copy of network's weights; return its Future.

    The four arrays are copied now, so the training may update the originals
    while the worker counts: the result is the accuracy of the weights as they
    are at this call, the same float as accuracy_in_chunks would return here.
    """
    weights = SimpleNamespace(params={key: value.copy() for key, value in network.params.items()})
    return worker.submit(accuracy_in_chunks, weights, x, t, chunk, halves_beside=False)


def _halves(start: int, stop: int) -> list[range]:
    """Cut the chunk of rows start..stop in two at a multiple of ALIGN (or keep it whole)."""
    if stop - start < 2 * ALIGN:
        return [range(start, stop)]
    middle = start + (stop - start) // 2 // ALIGN * ALIGN
    return [range(start, middle), range(middle, stop)]


def _hits(params: dict[str, np.ndarray], x: np.ndarray, labels: np.ndarray,
          pieces: list[range]) -> int:
    """Return how many rows of x in the pieces the network (params) classifies as labels says.

    The sigmoid is the book's 1 / (1 + exp(-a)) done in place: an exp that
    overflows to inf for a < -709 gives exactly 0, so its warning is silenced;
    it differs from the stable sigmoid by at most 2e-16. In float64 the first
    product is computed transposed, W1.T @ x.T: the same sums in the shape
    OpenBLAS runs faster; in float32 the row form x @ W1 is the faster one.
    """
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    columns = W1.dtype == np.float64
    hits = 0
    for piece in pieces:
        rows = x[piece.start:piece.stop]  # a view, no copy
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
        hits += int(np.count_nonzero(scores.argmax(axis=1) == labels[piece.start:piece.stop]))
    return hits
