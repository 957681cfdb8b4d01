"""Weights on disk: the .npz and .json files both packages read and write.

A trained network is four arrays, params['W1'], ['b1'], ['W2'], ['b2']. They are
saved as NumPy's .npz (a zip holding one .npy file per array) or as JSON, and
either package reads what the other wrote. This module holds what the two
share: the checks that the four shapes fit together, the atomic write, and an
.npz reader and writer in plain Python, so purenet needs no NumPy for them.
"""

from __future__ import annotations

import array
import ast
import contextlib
import json
import math
import os
import struct
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from purenet.matrix import Matrix, Vector

PARAM_KEYS = ("W1", "b1", "W2", "b2")


class WeightsFileError(ValueError):
    """A weights file refused for its name or its content; the message names the file."""


def check_param_shapes(shapes: dict[str, tuple[int, ...]], keys: set, what: str) -> None:
    """Raise ValueError unless shapes are W1 (D, H), b1 (H,), W2 (H, C), b2 (C,) exactly."""
    extra = sorted(map(repr, keys - set(PARAM_KEYS)))
    if extra:
        raise ValueError(f"{what} has unexpected key(s) {', '.join(extra)}: "
                         f"expected exactly 'W1', 'b1', 'W2', 'b2'")
    for key in ("W1", "W2"):
        if key in shapes and len(shapes[key]) != 2:
            raise ValueError(f"{what}[{key!r}] has shape {shapes[key]}, expected a matrix")
    d, h = shapes["W1"] if "W1" in shapes else (None, None)
    h2, c = shapes["W2"] if "W2" in shapes else (h, None)
    h = h if h is not None else h2
    expected = {"W1": (d, h), "b1": (h,), "W2": (h, c), "b2": (c,)}

    def fmt(s: tuple) -> str:
        return str(tuple("?" if v is None else v for v in s)).replace("'", "")

    for key in PARAM_KEYS:
        if key not in shapes:
            raise ValueError(f"{what} is missing key {key!r} (expected shape {fmt(expected[key])})")
    for key in ("b1", "b2"):
        if len(shapes[key]) != 1:
            raise ValueError(f"{what}[{key!r}] has shape {shapes[key]}, "
                             f"expected {fmt(expected[key])}")
    # Each size is shared by several keys; when they disagree, no one key is
    # "the wrong one", so name them all.
    W1, b1, W2, b2 = (shapes[k] for k in PARAM_KEYS)
    if not W1[1] == b1[0] == W2[0]:
        raise ValueError(f"{what} disagree on the hidden size H of W1 (D, H), b1 (H,), "
                         f"W2 (H, C): W1 is {W1}, b1 is {b1}, W2 is {W2}")
    if W2[1] != b2[0]:
        raise ValueError(f"{what} disagree on the output size C of W2 (H, C), b2 (C,): "
                         f"W2 is {W2}, b2 is {b2}")


def check_extension(path: str) -> str:
    """Return a weights file's extension, ".npz" or ".json"; raise ValueError for any other."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".npz", ".json"):
        raise WeightsFileError(f"weights file must end in .npz or .json, got {path!r}")
    return ext


def atomic_write(path: str, write: Callable[[IO[bytes]], object]) -> None:
    """Call write(f) on a new binary file beside path, then rename it to path in one step.

    The project's one way to write a file (weights, histories, plots): a crash
    or Ctrl-C mid-write leaves the old file (or none), never half a file, and
    no temporary file behind. os.replace swaps the name in one step.
    """
    directory, base = os.path.split(os.path.abspath(path))
    # A fresh name, not mkstemp: mkstemp's file is private (0600); open() creates
    # this one with the user's usual permissions.
    tmp = os.path.join(directory, f".{base}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


# The .npy format: magic, version, a little-endian header length, a header that
# is a Python dict literal padded with spaces to a multiple of 64 bytes, then
# the raw numbers in row-major order. An .npz is a zip of one .npy per array.
_NPY_MAGIC = b"\x93NUMPY"
_DESCR_TYPECODES = {"<f8": "d", "<f4": "f"}


def write_npz(f: IO[bytes], params: dict[str, Vector | Matrix]) -> None:
    """Write params to the binary file f as an .npz: one little-endian float64 .npy per key."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
        for key, value in params.items():
            zf.writestr(f"{key}.npy", _npy_bytes(value))


def _npy_bytes(value: Vector | Matrix) -> bytes:
    dims = (len(value), len(value[0])) if isinstance(value[0], list) else (len(value),)
    flat = array.array("d", (v for row in value for v in row)
                       if isinstance(value[0], list) else value)
    if sys.byteorder == "big":
        flat.byteswap()  # '<f8' means little-endian on disk
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {dims}, }}"
    pad = -(len(_NPY_MAGIC) + 2 + 2 + len(header) + 1) % 64
    header_bytes = (header + " " * pad + "\n").encode("latin1")
    return _NPY_MAGIC + bytes((1, 0)) + struct.pack("<H", len(header_bytes)) + header_bytes \
        + flat.tobytes()


def read_npz(f: IO[bytes], parse: Callable[[bytes, str], Any] | None = None) -> dict[str, Any]:
    """Return {key: array} read from the .npz in binary file f; ValueError if damaged.

    Each member's bytes go through parse(data, key): by default this module's
    reader, giving nested lists; reference passes one that gives NumPy arrays.
    """
    if parse is None:
        parse = _parse_npy
    if not zipfile.is_zipfile(f):  # np.load would also take a bare .npy or a pickle
        raise ValueError("not a zip archive")
    f.seek(0)
    params = {}
    with zipfile.ZipFile(f) as zf:
        for name in zf.namelist():
            key = name[:-4] if name.endswith(".npy") else name
            params[key] = parse(zf.read(name), key)  # read() checks the CRC
    return params


def _parse_npy(data: bytes, key: str) -> Vector | Matrix:
    if data[:6] != _NPY_MAGIC:
        raise ValueError(f"{key!r} is not a .npy array (bad magic)")
    if len(data) < 12:  # magic, version and header length come first
        raise ValueError(f"{key!r} is a truncated .npy array")
    major = data[6]
    if major == 1:
        (hlen,), start = struct.unpack("<H", data[8:10]), 10
    elif major in (2, 3):
        (hlen,), start = struct.unpack("<I", data[8:12]), 12
    else:
        raise ValueError(f"{key!r} has unknown .npy version {major}")
    try:
        header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    except (SyntaxError, ValueError, TypeError, RecursionError):
        header = None  # not a Python literal at all
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise ValueError(f"{key!r} has a malformed .npy header")
    descr, dims = header["descr"], header["shape"]
    if descr not in _DESCR_TYPECODES:
        raise ValueError(f"{key!r} holds {descr!r} numbers, expected float ('<f8' or '<f4')")
    if header["fortran_order"] is not False:
        raise ValueError(f"{key!r} is stored in Fortran order, expected C order")
    if not (isinstance(dims, tuple) and len(dims) in (1, 2)
            and all(type(v) is int and v > 0 for v in dims)):
        raise ValueError(f"{key!r} has shape {dims}, expected a vector or a matrix")
    flat: array.array[float] = array.array(_DESCR_TYPECODES[descr])
    body = data[start + hlen:]
    if len(body) != math.prod(dims) * flat.itemsize:
        raise ValueError(f"{key!r} has {len(body)} data bytes, shape {dims} needs "
                         f"{math.prod(dims) * flat.itemsize}")
    flat.frombytes(body)
    if sys.byteorder == "big":
        flat.byteswap()
    values = flat.tolist()
    if len(dims) == 1:
        return values
    cols = dims[1]
    return [values[i:i + cols] for i in range(0, len(values), cols)]


# Saving and loading a network's params: what TwoLayerNet.save and .load delegate to.

FileName = str | bytes | os.PathLike  # what open() takes: a str, bytes or pathlib path
NpzWriter = Callable[[IO[bytes], dict[str, Any]], None]


def save(path: FileName, params: dict[str, Any],
         npz_writer: NpzWriter | None = None) -> None:
    """Write params to path, a .npz or .json file by its extension, replacing it atomically.

    params are nested lists, or arrays (.json stores their tolist()). The .npz is
    written by npz_writer(f, params): by default write_npz, all float64; reference
    passes NumPy's, which keeps float32 arrays float32. Returns None.
    """
    path = os.fsdecode(path)  # a bytes path too, which splitext would not compare to ".npz"
    ext = check_extension(path)
    if ext == ".npz":
        write = npz_writer if npz_writer is not None else write_npz
        atomic_write(path, lambda f: write(f, params))
    else:
        lists = {k: v.tolist() if hasattr(v, "tolist") else v for k, v in params.items()}
        data = json.dumps(lists).encode("ascii")
        atomic_write(path, lambda f: f.write(data))


@contextlib.contextmanager
def errors_name(path: FileName) -> Iterator[None]:
    """Within this block, a ValueError or TypeError gets "path: " in front of its message.

    A WeightsFileError names the file already and goes through unchanged.
    """
    try:
        yield
    except WeightsFileError:
        raise
    except (ValueError, TypeError) as e:
        raise type(e)(f"{os.fsdecode(path)}: {e}") from None


def load(path: FileName,
         parse_npy: Callable[[bytes, str], Any] | None = None) -> dict[str, Any]:
    """Return what the .npz or .json file at path holds, {key: value}, not yet checked as params.

    .npz members go through read_npz(f, parse_npy). A file that cannot be read
    as its extension says raises WeightsFileError (a ValueError) naming path.
    """
    path = os.fsdecode(path)
    ext = check_extension(path)
    with open(path, "rb") as f:
        try:
            params: dict[str, Any] = read_npz(f, parse_npy) if ext == ".npz" else json.load(f)
        except (ValueError, zipfile.BadZipFile, EOFError, struct.error, OSError,
                RecursionError) as e:
            raise WeightsFileError(f"{path} is not a valid {ext} weights file: {e}") from None
    return params
