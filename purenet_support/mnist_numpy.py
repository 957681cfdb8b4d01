"""Loading MNIST with NumPy (chapter 3.6.1; the training of chapter 4.5 runs on it).

Finding, downloading, reading and verifying the files is shared with purenet.mnist, so
there is one IDX reader. This twin only turns the verified bytes into arrays with
``numpy.frombuffer``, the way the book's ``load_mnist`` returns them.
"""

from __future__ import annotations

import os

import numpy as np

from purenet_support.mnist import NUM_CLASSES, DataError, check_flags, load_idx_files

__all__ = ["DataError", "load_mnist"]


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
    dataset: str = "mnist",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))``, like the book.

    x is an array of N images (60,000 train, 10,000 test): (N, 784), float64 byte / 255.0
    in [0.0, 1.0] when ``normalize`` (else uint8 0..255), or (N, 1, 28, 28) when
    ``flatten`` is False. t is an int64 array of N labels (N,), or with ``one_hot_label``
    a float64 array (N, 10) holding one 1.0 per row.
    ``dataset="fashion-mnist"`` loads Fashion-MNIST, the same format with clothes.
    Raises purenet_support.mnist.DataError (one line, saying what to do) when the files
    cannot be had.
    """
    check_flags(normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)
    files = load_idx_files(dataset, data_dir)
    parts = []
    for part in ("train", "test"):
        dims, pixels = files[part + "_img"]  # (N, 28, 28)
        labels = files[part + "_label"][1]  # (N,)
        x: np.ndarray = np.frombuffer(pixels, dtype=np.uint8).reshape(dims[0], -1)  # (N, 784)
        # uint8 / 255.0 divides in float64, the same doubles as purenet's byte / 255.0;
        # the copy makes the unnormalized array writable, as the book's is.
        x = x / 255.0 if normalize else x.copy()
        if not flatten:
            x = x.reshape(dims[0], 1, *dims[1:])  # (N, 784) -> (N, 1, 28, 28)
        t = np.frombuffer(labels, dtype=np.uint8).astype(np.int64)  # (N,)
        parts.append((x, _one_hot(t) if one_hot_label else t))
    return parts[0], parts[1]


def _one_hot(labels: np.ndarray) -> np.ndarray:
    """Labels as rows of NUM_CLASSES floats, 1.0 at the label: (N,) -> (N, 10)."""
    rows = np.zeros((labels.size, NUM_CLASSES))
    rows[np.arange(labels.size), labels] = 1.0
    return rows
