"""Weights on disk, the NumPy side: the same files as purenet's, read into arrays.

The files, their checks and the atomic write are shared with purenet in
``purenet_support.weights_file``; ``save`` and ``load`` here are those, handed two
functions that work with arrays: ``parse_npy``, which turns a .npy member into
an array, and ``write_npz``, which writes each array in its own dtype (float32
stays float32).
"""

from __future__ import annotations

import io
from typing import IO, Any

import numpy as np

from purenet_support import weights_file
from purenet_support.weights_file import FileName, errors_name

__all__ = ["FileName", "errors_name", "load", "parse_npy", "save", "write_npz"]


def save(path: FileName, params: dict[str, np.ndarray]) -> None:
    """Write params to path, .npz or .json, as purenet.weights_file.save does; return None.

    An .npz keeps each array's dtype: float32 weights stay float32. NaN or
    infinity among the weights raises WeightsFileError: load would refuse them.
    """
    for key, value in params.items():
        bad = np.asarray(value)[~np.isfinite(value)]
        weights_file.check_finite(key, float(bad[0]) if bad.size else None)
    weights_file.save(path, params, write_npz)


def load(path: FileName) -> dict[str, Any]:
    """Return what the weights file at path holds, as purenet.weights_file.load does, as arrays."""
    return weights_file.load(path, parse_npy)


def write_npz(f: IO[bytes], params: dict[str, np.ndarray]) -> None:
    """Write params to the binary file f as an .npz, one .npy per key in the array's dtype."""
    # C order and little-endian, whatever the arrays were (a .T is Fortran-ordered):
    # the only layout load() reads, so whatever is written can be read back.
    w1, b1, w2, b2 = (np.ascontiguousarray(params[key]) for key in ("W1", "b1", "W2", "b2"))
    np.savez(f, W1=_little(w1), b1=_little(b1), W2=_little(w2), b2=_little(b2))


def _little(a: np.ndarray) -> np.ndarray:
    # a in little-endian byte order ('<f8', '<f4'), as the .npy members must be
    return a.astype(a.dtype.newbyteorder("<"), copy=False)


def parse_npy(data: bytes, key: str) -> np.ndarray:
    """Return the array in the .npy bytes data of member key, as read_npz hands them over.

    purenet_support.weights_file.read_npz, shared by both packages, has checked
    the member's header already (C order, '<f8' or '<f4', as many bytes as its
    shape needs) and refused anything else, so this only turns the bytes into an
    array. allow_pickle=False refuses object arrays, which would run code on load.
    """
    return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
