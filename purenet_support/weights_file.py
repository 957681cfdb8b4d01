"""Weights on disk: the .npz and .json files both packages read and write.

A trained network is four arrays, params['W1'], ['b1'], ['W2'], ['b2']. They are
saved as NumPy's .npz (a zip holding one .npy file per array) or as JSON, and
either package reads what the other wrote. This module holds what the two
share: the checks that the four shapes fit together, the atomic write, and an
.npz reader and writer in plain Python, so purenet needs no NumPy for them.
load() opens regular files only and reads no more than the file's own header
and MAX_BYTES allow, so a small crafted file cannot ask for gigabytes.
"""

from __future__ import annotations

import array
import ast
import contextlib
import errno
import json
import math
import os
import stat
import struct
import sys
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from purenet.matrix import Matrix, Vector


class WeightsFileError(ValueError):
    """A weights file refused for its name or its content; the message names the file."""


def check_extension(path: str | bytes) -> str:
    """Return a weights file's extension, ".npz" or ".json"; raise ValueError for any other."""
    path = os.fsdecode(path)  # b"w.npz" ends in .npz too
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".npz", ".json"):
        raise WeightsFileError(f"weights file must end in .npz or .json, got {path!r}")
    return ext


def atomic_write(path: str, write: Callable[[IO[bytes]], object], *,
                 replace: bool = True) -> None:
    """Call write(f) on a new binary file beside path, then move it to path in one step.

    The project's one way to write a file (weights, histories, plots): a crash
    or Ctrl-C mid-write leaves the old file (or none), never half a file, and
    no temporary file behind. With replace (the default) os.replace swaps the
    name in one step, replacing a file or a symbolic link there (never what a
    link points to). With replace=False the file is hard-linked into place,
    which fails with FileExistsError if anything appeared at path meanwhile, so
    two programs writing the same name cannot silently replace each other.
    """
    tmp = temporary_name(path)
    try:
        with open(tmp, "xb") as f:
            write(f)
        move_into_place(tmp, path, replace)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def temporary_name(path: str) -> str:
    """Return a fresh hidden name in path's directory, short whatever path's length.

    Its own length is bounded (at most 30 characters), so a file name that is
    valid is never made too long by the temporary one: ``.{16 characters of
    the name}.{8 hex}.tmp``. A fresh name, not mkstemp: mkstemp's file is
    private (0600); open() creates this one with the user's usual permissions.
    """
    directory, base = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{base[:16]}.{uuid.uuid4().hex[:8]}.tmp")


def move_into_place(tmp: str, path: str, replace: bool) -> None:
    """Give the finished file tmp the name path: os.replace, or (replace=False) a hard link.

    A hard link is made only if path does not exist (FileExistsError otherwise,
    a dangling symbolic link included); tmp is removed either way. Where the
    file system has no hard links, the name is checked and the file renamed.
    """
    if replace:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as err:  # no hard links here (FAT, some network file systems)
        # (Windows says so with a winerror of its own, e.g. 1, "incorrect function", on FAT)
        if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK) \
                and getattr(err, "winerror", None) is None:
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path) from None
        os.rename(tmp, path)
        return
    os.remove(tmp)


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


# Reading is bounded: a small file must not make the reader allocate gigabytes.
# Each size is compared with what the file is allowed to hold before anything of
# that size is read. The largest network the command line trains (784-10000-10)
# holds 63 MB of float64 numbers, a quarter of this limit.
MAX_BYTES = 1 << 28  # 256 MiB: all members of an .npz together, or a whole .json file
# What a file may make the program allocate, not only what it declares: purenet
# holds each number as a Python float in a list (about 32 bytes, not 8), so a
# 260 KB compressed .npz declaring 66 million numbers once took 3.9 GB. Ten
# million numbers hold the largest net the command line trains (784-10000-10:
# 7.97 million) and take about 320 MB as lists. A JSON file is bounded before
# it is parsed: its values are at most its commas plus one, its lists its "[".
MAX_NUMBERS = 10_000_000
MAX_LISTS = 100_000  # a weights file's rows: W1 has D of them, W2 H
_MAX_NPY_HEADER = 10_000  # bytes; NumPy's own reader refuses longer .npy headers too
_NPY_SIZES = {"d": 8, "f": 4}


def load(path: str | bytes | os.PathLike, parse_npy: Callable[[bytes, str], Any] | None = None
         ) -> dict[str, Any]:
    """Return {key: array} stored at path, an .npz or .json weights file.

    Only regular files are opened (a FIFO or a device named x.npz would block
    or never end). An .npz goes through read_npz with parse_npy (nested lists
    by default); a .json file gives what it holds. Any damage raises ValueError
    naming the path; a file holding something other than a dict, TypeError.
    """
    name = os.fsdecode(path)  # a bytes path names the same file
    ext = check_extension(name)
    with _open_regular(name) as f:
        try:
            if ext == ".npz":
                params = read_npz(f, parse_npy)
            else:
                size = os.fstat(f.fileno()).st_size
                if size > MAX_BYTES:
                    raise ValueError(f"it is {size} bytes, more than the {MAX_BYTES} "
                                     f"a weights file may hold")
                data = f.read()
                _check_json_counts(data)
                params = json.loads(data, object_pairs_hook=_unique_keys)
        except (ValueError, RecursionError) as e:  # json's errors are ValueErrors
            raise WeightsFileError(f"{name} is not a valid {ext} weights file: {e}") from None
    if not isinstance(params, dict):
        raise TypeError(f"{name}: params must be a dict, got {type(params).__name__}")
    return params


def _check_json_counts(data: bytes) -> None:
    # Each count runs in C over the bytes; json.loads would build every object first.
    values, lists = data.count(b",") + 1, data.count(b"[")
    if values > MAX_NUMBERS + lists or lists > MAX_LISTS:  # each list is a value too
        raise ValueError(f"it holds up to {values} values in {lists} lists, more than the "
                         f"{MAX_NUMBERS} numbers in {MAX_LISTS} rows a weights file may hold")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A JSON object as a dict, refusing a key given twice as the .npz reader does
    # (json's own dict would keep the last one without a word).
    params: dict[str, Any] = {}
    for key, value in pairs:
        if key in params:
            raise ValueError(f"it holds {key!r} twice: each array must be stored once")
        params[key] = value
    return params


def _open_regular(name: str) -> IO[bytes]:
    # O_NONBLOCK lets the open of a FIFO return at once instead of waiting for
    # a writer; fstat then tells what was opened, with no race against a rename.
    # (O_BINARY: Windows would otherwise translate line ends; it has no O_NONBLOCK.)
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = ("a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket")
        raise WeightsFileError(f"{name} is {kind}, not a regular file: weights are read from "
                         f"an .npz or .json file")
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_npz(f: IO[bytes], parse: Callable[[bytes, str], Any] | None = None) -> dict[str, Any]:
    """Return {key: array} read from the .npz in binary file f; ValueError if damaged.

    Each member's bytes go through parse(data, key): by default this module's
    reader, giving nested lists; reference passes one that gives NumPy arrays.
    Before a member is read, its declared size and its .npy header are checked
    against each other and against MAX_BYTES; zipfile then stops at the
    declared size, and the CRC catches a member that claimed less than it holds.
    """
    if parse is None:
        parse = _parse_npy
    if not zipfile.is_zipfile(f):  # np.load would also take a bare .npy or a pickle
        raise ValueError("not a zip archive")
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as zf:
            members = _check_members(zf.infolist())
            numbers = [0]  # counted over all members, each before its numbers are read
            return {key: parse(_read_member(zf, info, key, numbers), key)
                    for key, info in members.items()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error,
            struct.error, NotImplementedError, RuntimeError) as e:
        # zipfile's own refusals of a damaged archive, whatever class it picked
        raise ValueError(f"damaged zip archive: {e}") from None


def _check_members(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    # All members are checked before any is read, so nothing is inflated in vain.
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        key = name[:-4] if name.endswith(".npy") else name
        if key in members:  # never "the last one wins": which one was meant?
            raise ValueError(f"it holds {key!r} twice ({members[key].filename!r} and "
                             f"{name!r}): each array must be stored once")
        if info.flag_bits & 0x1:
            raise ValueError(f"member {name!r} is encrypted: NumPy writes plain zip archives")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError(f"member {name!r} uses compression method {info.compress_type}: "
                             f"NumPy writes only stored (0) or deflated (8) members")
        total += info.file_size
        if total > MAX_BYTES:
            raise ValueError(f"member {name!r} declares {info.file_size} bytes, past the "
                             f"{MAX_BYTES} all arrays of a weights file may hold")
        members[key] = info
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, key: str,
                 numbers: list[int]) -> bytes:
    # The header first: the shape it states must fill the member exactly, and
    # the numbers of all members so far stay within MAX_NUMBERS.
    with zf.open(info) as member:
        head = member.read(min(info.file_size, 12 + _MAX_NPY_HEADER))
        typecode, dims, start = _npy_header(head, key)
        _check_body(key, dims, _NPY_SIZES[typecode], info.file_size - start)
        numbers[0] += math.prod(dims)
        if numbers[0] > MAX_NUMBERS:
            raise ValueError(f"{key!r} has shape {dims}: with the arrays before it, "
                             f"{numbers[0]} numbers, more than the {MAX_NUMBERS} a weights "
                             f"file may hold (a 784-10000-10 net holds 7,960,010)")
        return head + member.read(info.file_size - len(head))


def _npy_header(data: bytes, key: str) -> tuple[str, tuple[int, ...], int]:
    # Returns the array's typecode, its shape and where its numbers start.
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
    if hlen > _MAX_NPY_HEADER:
        raise ValueError(f"{key!r} has a .npy header of {hlen} bytes, "
                         f"longer than the {_MAX_NPY_HEADER} NumPy reads")
    try:
        header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        header = None  # not a Python literal at all
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise ValueError(f"{key!r} has a malformed .npy header")
    descr, dims = header["descr"], header["shape"]
    if descr not in _DESCR_TYPECODES:
        raise ValueError(f"{key!r} holds {descr!r} numbers, expected float ('<f8' or '<f4')")
    order = header["fortran_order"]
    if type(order) is not bool:  # 0, "False", None: no writer of .npy files puts these
        raise ValueError(f"{key!r} has a malformed .npy header: 'fortran_order' is "
                         f"{order!r}, where a .npy file has True or False")
    if order:
        raise ValueError(f"{key!r} is stored in Fortran order, expected C order")
    if not (isinstance(dims, tuple) and len(dims) in (1, 2)
            and all(type(v) is int and v > 0 for v in dims)):
        raise ValueError(f"{key!r} has shape {dims}, expected a vector or a matrix")
    return _DESCR_TYPECODES[descr], dims, start + hlen


def _check_body(key: str, dims: tuple[int, ...], itemsize: int, size: int) -> None:
    if size != math.prod(dims) * itemsize:
        raise ValueError(f"{key!r} has {size} data bytes, shape {dims} needs "
                         f"{math.prod(dims) * itemsize}")


def _parse_npy(data: bytes, key: str) -> Vector | Matrix:
    typecode, dims, start = _npy_header(data, key)
    flat: array.array[float] = array.array(typecode)
    body = data[start:]
    _check_body(key, dims, flat.itemsize, len(body))
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
    for key, value in params.items():
        if not hasattr(value, "dtype"):  # arrays are checked by weights_numpy.save
            rows = value if value and isinstance(value[0], list) else [value]
            check_finite(key, next((v for row in rows for v in row if not math.isfinite(v)),
                                   None))
    if ext == ".npz":
        write = npz_writer if npz_writer is not None else write_npz
        atomic_write(path, lambda f: write(f, params))
    else:
        lists = {k: v.tolist() if hasattr(v, "tolist") else v for k, v in params.items()}
        data = json.dumps(lists).encode("ascii")
        atomic_write(path, lambda f: f.write(data))


def check_finite(key: str, bad: float | None) -> None:
    """Raise WeightsFileError if bad, the first non-finite number of params[key], is not None.

    load() refuses such weights (every prediction would be NaN), so they are
    never written: a file the program writes, it can read back.
    """
    if bad is not None:
        raise WeightsFileError(f"params[{key!r}] holds {bad}: weights that are not finite "
                               f"numbers are not saved (load would refuse them); the run "
                               f"blew up, try a smaller learning rate")


@contextlib.contextmanager
def errors_name(path: FileName) -> Iterator[None]:
    """Within this block, a ValueError or TypeError gets "path: " in front of its message.

    A WeightsFileError, or any message that starts with the path, names the file
    already and goes through unchanged.
    """
    name = os.fsdecode(path)
    try:
        yield
    except WeightsFileError:
        raise
    except (ValueError, TypeError) as e:
        if str(e).startswith(name):
            raise
        raise type(e)(f"{name}: {e}") from None
