"""Weights on disk, the NumPy side: the same files as purenet's, read into arrays.

The files, their checks and the atomic write are shared with purenet in
``purenet.weights_file``; ``save`` and ``load`` here are those, handed two
functions that work with arrays: ``parse_npy``, which turns a .npy member into
an array, and ``write_npz``, which writes each array in its own dtype (float32
stays float32).
"""

from __future__ import annotations

import io
import math
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


# np.lib.format reads the .npy format that purenet writes by hand; allow_pickle=False
# refuses object arrays, which would run code on load. The zip around the .npy
# members is walked by purenet.weights_file.read_npz, shared by both packages.
def parse_npy(data: bytes, key: str) -> np.ndarray:
    """Return the array in the .npy bytes data of member key; ValueError if purenet would refuse it.

    The header is read here, not by np.load: np.load would return a member
    that is not .npy as raw bytes, and would quietly accept Fortran order,
    which purenet's reader does not.
    """
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{key!r} is not a .npy array (bad magic)")
    if len(data) < 12:  # magic, version and header length come first
        raise ValueError(f"{key!r} is a truncated .npy array")
    buffer = io.BytesIO(data)
    version = np.lib.format.read_magic(buffer)
    if version[0] not in (1, 2, 3):
        raise ValueError(f"{key!r} has unknown .npy version {version[0]}")
    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                   else np.lib.format.read_array_header_2_0)
    try:
        dims, fortran_order, dtype = read_header(buffer)
    except Exception:  # NumPy lets SyntaxError, tokenize.TokenError and others out
        raise ValueError(f"{key!r} has a malformed .npy header") from None
    if dtype.str not in ("<f8", "<f4"):
        raise ValueError(f"{key!r} holds {dtype.str!r} numbers, expected float ('<f8' or '<f4')")
    if fortran_order:
        raise ValueError(f"{key!r} is stored in Fortran order, expected C order")
    body, needed = len(data) - buffer.tell(), math.prod(dims) * dtype.itemsize
    if body != needed:
        raise ValueError(f"{key!r} has {body} data bytes, shape {dims} needs {needed}")
    buffer.seek(0)
    array = np.lib.format.read_array(buffer, allow_pickle=False)
    return array
