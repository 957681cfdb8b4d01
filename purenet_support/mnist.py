"""Loading MNIST (chapter 3.6.1; the training of chapter 4.5 runs on it).

The book's ``load_mnist`` returns four arrays. The same call here returns plain Python
sequences: the images stay as the bytes of the file and a row becomes floats only when it
is read, so the 60,000 training images cost 47 MB instead of gigabytes of float objects.

The files are in the IDX format (a magic number, the sizes, then one byte per value),
gzip-compressed or raw. Every file is checked against the SHA-256 of its decompressed
content, so a half-downloaded file or an HTML error page is caught here, by name, and is
never trained on. Missing files are downloaded into a per-user cache, never into the source
tree, and nothing is pickled.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import io
import operator
import os
import stat
import struct
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from math import prod
from typing import BinaryIO, cast

# The book's keys, each naming one file of the four.
FILES = {
    "train_img": "train-images-idx3-ubyte",
    "train_label": "train-labels-idx1-ubyte",
    "test_img": "t10k-images-idx3-ubyte",
    "test_label": "t10k-labels-idx1-ubyte",
}
NUM_CLASSES = 10
ENV_VAR = "PURENET_DATA"
TIMEOUT = 15.0  # seconds without an answer before a mirror counts as failed


@dataclass(frozen=True)
class Dataset:
    """Where a data set comes from and how to recognise its files."""

    title: str
    sha256: dict[str, str]  # file name -> SHA-256 of its decompressed content
    mirrors: tuple[str, ...]
    system_dirs: tuple[str, ...]
    hint: str  # the last words of the "not found" message


DATASETS = {
    "mnist": Dataset(
        title="MNIST",
        sha256={
            "train-images-idx3-ubyte":
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte":
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte":
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte":
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        },
        # The original site answers 403 or 404 to scripts, so it is not tried.
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        system_dirs=(),
        hint="e.g. export PURENET_DATA=/path/to/mnist",
    ),
    "fashion-mnist": Dataset(
        title="Fashion-MNIST",
        sha256={
            "train-images-idx3-ubyte":
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte":
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte":
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte":
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        },
        mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
        # Where Debian's package dataset-fashion-mnist puts the files.
        system_dirs=("/usr/share/datasets/fashion-mnist",),
        hint="or apt-get install dataset-fashion-mnist",
    ),
}

# Decompressed sizes of the official files, the same in both data sets: a header or
# a raw file that asks for more is refused before anything is read.
SIZES = {
    "train-images-idx3-ubyte": 16 + 60_000 * 28 * 28,
    "train-labels-idx1-ubyte": 8 + 60_000,
    "t10k-images-idx3-ubyte": 16 + 10_000 * 28 * 28,
    "t10k-labels-idx1-ubyte": 8 + 10_000,
}
MAX_IDX_BYTES = 1 << 28  # for a file whose digest is no official one: 5x MNIST's largest

_FIX = "delete or replace it (a missing file is downloaded again)"
_GZIP_MAGIC = b"\x1f\x8b"
_UBYTE = 0x08  # the IDX type code of unsigned bytes, the only one MNIST uses
# byte -> byte / 255.0, computed once: the same doubles numpy's uint8_array / 255.0 gives.
_TO_FLOAT = tuple(b / 255.0 for b in range(256))


class DataError(Exception):
    """A data file is missing, damaged or cannot be downloaded.

    The message is one line that names the file and says what to do.
    """


class UnwritableDirectory(DataError):
    """The directory a download would go into cannot be made or written: no mirror was tried.

    ``directory`` is that directory; the message names it and the system's reason
    ("Permission denied").
    """

    def __init__(self, message: str, directory: str) -> None:
        super().__init__(message)
        self.directory = directory


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
    dataset: str = "mnist",
) -> tuple[tuple[ImageRows, list], tuple[ImageRows, list]]:
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))``, like the book.

    x is an ImageRows of N images (60,000 train, 10,000 test): ``x[i]`` is a list of 784
    values, byte / 255.0 in [0.0, 1.0] when ``normalize`` (else the ints 0..255), shaped
    (1, 28, 28) as nested lists when ``flatten`` is False. t is a list of N int labels,
    or with ``one_hot_label`` a list of N rows of 10 floats holding one 1.0.
    ``dataset="fashion-mnist"`` loads Fashion-MNIST, the same format with clothes.
    Raises DataError (one line, saying what to do) when the files cannot be had.
    """
    check_flags(normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)
    files = load_idx_files(dataset, data_dir)
    parts = []
    for part in ("train", "test"):
        dims, pixels = files[part + "_img"]  # (N, 28, 28)
        labels = files[part + "_label"][1]  # (N,)
        x = ImageRows(pixels, dims, normalize=normalize, flatten=flatten)
        t = _one_hot(labels) if one_hot_label else list(labels)
        parts.append((x, t))
    return parts[0], parts[1]


def _one_hot(labels: bytes) -> list[list[float]]:
    """Labels as rows of NUM_CLASSES floats, 1.0 at the label: (N,) -> (N, 10)."""
    rows = []
    for label in labels:
        row = [0.0] * NUM_CLASSES  # a fresh list per row, so changing one changes no other
        row[label] = 1.0
        rows.append(row)
    return rows


def check_flags(**flags: object) -> None:
    """Raise TypeError unless every flag is True or False (1 or "yes" hide typos)."""
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TypeError(
                f"{name} must be True or False, got {type(value).__name__} {value!r}"
            )


class ImageRows(Sequence):
    """N images kept as their bytes; each row becomes a fresh list when it is read.

    ``rows[i]`` (negative i too) gives one image, ``rows[a:b]`` and ``rows[[i, j, ...]]``
    or ``rows.take(indices)`` give a list of images: a batch ready for matmul.
    ``.data`` holds the raw pixel bytes (N * 784 of them) and ``.shape`` is (N, 784), or
    (N, 1, 28, 28) when not flattened, as the NumPy twin would report.
    """

    # byte -> byte / 255.0 as a list: indexing a list in a comprehension is about
    # twice as fast as mapping a tuple's __getitem__, and the floats are the same.
    _FLOATS = list(_TO_FLOAT)

    def __init__(
        self, data: bytes, dims: Sequence[int], normalize: bool = True, flatten: bool = True
    ) -> None:
        count, *image_shape = dims  # (N, 28, 28)
        self.row_size = prod(image_shape)
        if len(data) != count * self.row_size:
            raise ValueError(
                f"expected {count} images of {self.row_size} bytes = "
                f"{count * self.row_size} bytes, got {len(data)}"
            )
        self.data = data
        self.image_shape = tuple(image_shape)
        self.normalize = normalize
        self.flatten = flatten
        self.shape = (count, self.row_size) if flatten else (count, 1, *image_shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: int | slice | Iterable[int]) -> list:
        if isinstance(index, slice):
            return self.take(range(len(self))[index])
        try:
            position = operator.index(index)  # type: ignore[arg-type]
        except TypeError:  # a list, range or NumPy array of indices
            return self.take(_indices(index))
        return self._row(self._check(position))

    def __iter__(self) -> Iterator[list]:
        for i in range(len(self)):
            yield self._row(i)

    def __repr__(self) -> str:
        return (
            f"ImageRows(shape={self.shape}, normalize={self.normalize}, "
            f"flatten={self.flatten})"
        )

    def part(self, start: int, stop: int) -> ImageRows:
        """Images start..stop - 1 as a smaller ImageRows, holding only their own bytes."""
        start, stop, _ = slice(start, stop).indices(len(self))
        stop = max(start, stop)
        return ImageRows(self.data[start * self.row_size:stop * self.row_size],
                         (stop - start, *self.image_shape), self.normalize, self.flatten)

    def take(self, indices: Iterable[int]) -> list[list]:
        """The images at ``indices`` as a list of rows: (B,) -> (B, 784) or (B, 1, 28, 28)."""
        return [self._row(self._check(operator.index(i))) for i in indices]

    def _check(self, i: int) -> int:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"image index {i} is out of range for {n} images")
        return i % n

    def _row(self, i: int) -> list:
        start = i * self.row_size
        chunk = self.data[start:start + self.row_size]
        floats = self._FLOATS
        row = [floats[b] for b in chunk] if self.normalize else list(chunk)
        if self.flatten:
            return row  # (784,)
        height, width = self.image_shape
        return [[row[r * width:(r + 1) * width] for r in range(height)]]  # (1, 28, 28)


def _indices(index: object) -> Iterable[int]:
    """index as image indices, refusing a mask of bools (True is 1 to operator.index)."""
    if not isinstance(index, Iterable) or isinstance(index, (str, bytes)):
        raise TypeError(f"images are indexed by an int, a slice or a list of ints, "
                        f"got {type(index).__name__}")
    indices = list(index)
    if any(type(i).__name__ in ("bool", "bool_") for i in indices):
        raise TypeError("images are indexed by ints, got bools: a mask of True and False is "
                        "not an index list here; use [i for i, keep in enumerate(mask) if keep]")
    return indices


def load_idx_files(
    dataset: str = "mnist", data_dir: str | os.PathLike[str] | None = None
) -> dict[str, tuple[tuple[int, ...], bytes]]:
    """The four files of ``dataset``, found or downloaded, read and verified.

    Returns ``{"train_img": (dims, data), "train_label": ..., "test_img": ...,
    "test_label": ...}`` with dims like (60000, 28, 28) and data the values as bytes, the
    header stripped. This is the single reader both purenet and reference build on.
    A data_dir or $PURENET_DATA that names no directory raises DataError at once.
    """
    info = _dataset(dataset)
    dirs = search_dirs(dataset, data_dir)
    _check_named_dir(info, "data_dir", data_dir)
    if not data_dir or None in (find_file(name, dirs[:1]) for name in FILES.values()):
        _check_named_dir(info, ENV_VAR, os.environ.get(ENV_VAR))  # searched next
    paths = {key: find_file(name, dirs) for key, name in FILES.items()}
    if None in paths.values():
        cache = cache_dir(dataset)
        try:
            for key, path in paths.items():
                if path is None:
                    paths[key] = download(FILES[key], cache, info.sha256[FILES[key]],
                                          info.mirrors)
        except DataError as err:
            missing = [FILES[key] + ".gz" for key, path in paths.items() if path is None]
            if isinstance(err, UnwritableDirectory):  # the cache's fault, not the mirrors'
                raise DataError(
                    f"{info.title} files not found: {', '.join(missing)}. "
                    f"Searched: {', '.join(dirs)}. No download was tried: {err}. Make that "
                    f"directory writable (chmod u+w), set XDG_CACHE_HOME to one you can write, "
                    f"or point --data-dir or {ENV_VAR} at a directory holding them "
                    f"({info.hint})."
                ) from None
            raise DataError(
                f"{info.title} files not found: {', '.join(missing)}. "
                f"Searched: {', '.join(dirs)}. Download failed: {err}. "
                f"Point --data-dir or {ENV_VAR} at a directory holding them ({info.hint})."
            ) from None
    files = {}
    for key, path in paths.items():  # no None left: each was downloaded or raised above
        ndim = 3 if key.endswith("_img") else 1
        files[key] = read_idx(cast(str, path), ndim=ndim, sha256=info.sha256[FILES[key]])
    for part in ("train", "test"):
        images, labels = files[part + "_img"][0][0], files[part + "_label"][0][0]
        if images != labels:
            raise DataError(
                f"{paths[part + '_img']} holds {images} images but "
                f"{paths[part + '_label']} holds {labels} labels; {_FIX}"
            )
    return files


def _check_named_dir(
    info: Dataset, source: str, directory: str | os.PathLike[str] | None
) -> None:
    """Raise DataError if directory, named by source (data_dir or $PURENET_DATA), is none,
    or is one whose permissions do not let it be listed.

    A mistyped path must not fall through to the next directory of the search and
    quietly load other data; a directory that exists but lacks some files may.
    """
    if not directory:  # not given, or an empty variable: nothing was named
        return
    path = os.path.abspath(os.path.expanduser(os.fspath(directory)))
    if os.path.isdir(path) and os.access(path, os.R_OK | os.X_OK):
        return
    # a directory that cannot be listed would look empty: "files not found" would mislead
    problem = ("is not readable (its permissions do not let you list it)" if os.path.isdir(path)
               else "is not a directory" if os.path.exists(path) else "does not exist")
    if source == ENV_VAR:
        raise DataError(f"{ENV_VAR} names {path}, which {problem}: point it at the directory "
                        f"that holds the {info.title} files, or unset it")
    raise DataError(f"data directory {path} {problem}: pass the directory that holds "
                    f"the {info.title} files as data_dir (--data-dir)")


def _dataset(dataset: str) -> Dataset:
    if dataset not in DATASETS:
        expected = ", ".join(repr(name) for name in DATASETS)
        raise ValueError(f"dataset must be one of {expected}, got {dataset!r}")
    return DATASETS[dataset]


def search_dirs(
    dataset: str = "mnist", data_dir: str | os.PathLike[str] | None = None
) -> list[str]:
    """Directories searched, in order: data_dir, $PURENET_DATA, system copies, the cache.

    Relative paths are taken from the current directory (PURENET_DATA=data/mnist means
    ./data/mnist). load_idx_files refuses a data_dir or $PURENET_DATA that names no
    directory; this function only lists the paths.
    """
    info = _dataset(dataset)
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(
            f"data_dir must be a path or None, got {type(data_dir).__name__} {data_dir!r}"
        )
    candidates = [data_dir, os.environ.get(ENV_VAR), *info.system_dirs, cache_dir(dataset)]
    dirs: list[str] = []
    for candidate in candidates:
        if candidate:  # an unset or empty variable names no directory
            path = os.path.abspath(os.path.expanduser(os.fspath(candidate)))
            if path not in dirs:
                dirs.append(path)
    return dirs


def cache_dir(dataset: str = "mnist") -> str:
    """$XDG_CACHE_HOME/purenet/<dataset>, else ~/.cache/purenet/<dataset>."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG convention: ignore an unset or relative value
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "purenet", dataset)


def find_file(name: str, dirs: Iterable[str]) -> str | None:
    """The first ``name.gz`` or raw ``name`` in dirs, or None."""
    for directory in dirs:
        for candidate in (name + ".gz", name):
            path = os.path.join(directory, candidate)
            if os.path.isfile(path):
                return path
    return None


def read_idx(
    path: str | bytes | os.PathLike[str], ndim: int | None = None, sha256: str | None = None
) -> tuple[tuple[int, ...], bytes]:
    """Read an IDX file of unsigned bytes, gzip-compressed or raw: returns (dims, data).

    Checks the magic number, the element type, the number of dimensions (when ndim is
    given), that the length is exactly what the header promises and, when sha256 is given,
    the digest of the decompressed content. Any failure is a DataError naming the file.
    The read is bounded: nothing past what the header promises is inflated, and a header
    or raw file larger than the official file of that digest (or MAX_IDX_BYTES when the
    digest is not an official one) is refused before reading.
    """
    path = os.fsdecode(path)  # a bytes path names the same file; messages show it as text
    known = _official_files()
    expected_file = known.get(sha256) if sha256 is not None else None
    if expected_file is not None:
        name = expected_file[1]
        limit, allowed = SIZES[name], f"the {SIZES[name]} bytes of the official {name}"
    else:
        limit, allowed = MAX_IDX_BYTES, f"the {MAX_IDX_BYTES} bytes this reader accepts"
    content = _read_content(path, limit, allowed)
    magic = content[:4]
    if len(magic) < 4:
        raise DataError(f"{path} is truncated: {len(content)} bytes, not even a header; {_FIX}")
    if magic[:2] != b"\x00\x00":
        looks = " (it looks like a web page)" if content.lstrip()[:1] == b"<" else ""
        raise DataError(
            f"{path} is not an IDX file: magic number 0x{magic.hex()} should start with "
            f"0x0000{looks}; {_FIX}"
        )
    if magic[2] != _UBYTE:
        raise DataError(
            f"{path} holds element type 0x{magic[2]:02x}, expected 0x08 (unsigned byte); {_FIX}"
        )
    if ndim is not None and magic[3] != ndim:
        raise DataError(f"{path} has {magic[3]} dimensions, expected {ndim}; {_FIX}")
    header = 4 + 4 * magic[3]
    if len(content) < header:
        raise DataError(f"{path} is truncated inside its header; {_FIX}")
    dims = struct.unpack(f">{magic[3]}I", content[4:header])  # big-endian sizes
    expected = header + prod(dims)
    shape = "x".join(map(str, dims))
    if len(content) < expected:
        raise DataError(
            f"{path} is truncated: {len(content)} bytes, its header ({shape}) says {expected}; "
            f"{_FIX}"
        )
    if len(content) > expected:  # one byte more was read, to see if there were more
        raise DataError(
            f"{path} is too long: its content goes on past the {expected} bytes its header "
            f"({shape}) says; {_FIX}"
        )
    if sha256 is not None:
        digest = hashlib.sha256(content).hexdigest()
        if digest != sha256:
            raise DataError(_wrong_file(path, digest, sha256, expected_file, known.get(digest)))
    return dims, content[header:]


def _official_files() -> dict[str, tuple[str, str]]:
    """SHA-256 -> (data set title, file name) for every file of every data set."""
    return {digest: (info.title, name)
            for info in DATASETS.values() for name, digest in info.sha256.items()}


def _wrong_file(path: str, digest: str, expected_digest: str,
                expected: tuple[str, str] | None, found: tuple[str, str] | None) -> str:
    """The message for a file whose digest is not the one expected."""
    if expected is not None and found is not None:
        # A valid file of another data set (MNIST's where Fashion-MNIST's was looked
        # for): nothing is damaged, and it must not be deleted.
        return (f"{path} is {found[0]}'s {found[1]}, not {expected[0]}'s {expected[1]}: keep "
                f"each data set in its own directory and point data_dir (--data-dir) or "
                f"{ENV_VAR} at the {expected[0]} files")
    return (f"{path} is damaged or not the official file: SHA-256 of its content is "
            f"{digest[:12]}..., expected {expected_digest[:12]}...; {_FIX}")


def _read_content(path: str, limit: int, allowed: str) -> bytes:
    """The bytes of a file, decompressed when it starts with gzip's magic bytes.

    Only as much is read as the IDX header promises, plus one byte to tell a file
    that goes on; limit caps what the header may promise (allowed says it in words).
    """
    try:
        with _open_regular(path) as raw:
            start = raw.read(8)
            raw.seek(0)
            if start[:2] != _GZIP_MAGIC:
                if path.endswith(".gz") and start[:2] != b"\x00\x00":
                    raise DataError(f"{path} is not a gzip file (it starts with {start!r}); "
                                    f"{_FIX}")
                size = os.fstat(raw.fileno()).st_size
                if size > limit:
                    raise DataError(f"{path} is {size} bytes, more than {allowed}; {_FIX}")
                return _read_idx_bytes(raw, path, limit, allowed)
            with gzip.GzipFile(fileobj=raw) as stream:
                return _read_idx_bytes(stream, path, limit, allowed)
    except EOFError:
        raise DataError(f"{path} is truncated: its gzip stream ends early; {_FIX}") from None
    except (gzip.BadGzipFile, zlib.error) as err:
        raise DataError(f"{path} is corrupt: {err}; {_FIX}") from None
    except OSError as err:
        raise DataError(f"cannot read {path}: {err.strerror or err}") from None


def _open_regular(path: str) -> io.BufferedReader:
    # O_NONBLOCK lets the open of a FIFO return at once instead of waiting for a
    # writer; fstat then tells what was opened.
    # (O_BINARY: Windows would otherwise translate line ends; it has no O_NONBLOCK.)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataError(f"{path} is not a regular file; {_FIX}")
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _read_idx_bytes(stream: io.BufferedIOBase, path: str, limit: int, allowed: str) -> bytes:
    head = _read_up_to(stream, 4)  # magic: 0, 0, type code, dimension count
    if len(head) < 4 or head[:2] != b"\x00\x00":
        return _read_up_to(stream, 60, head)  # enough for read_idx to say what it is
    head = _read_up_to(stream, 4 * head[3], head)
    if len(head) < 4 + 4 * head[3]:
        return head
    dims = struct.unpack(f">{head[3]}I", head[4:])
    expected = len(head) + prod(dims)
    if expected > limit:
        shape = "x".join(map(str, dims))
        raise DataError(f"{path} has a header ({shape}) that says {expected} bytes, more "
                        f"than {allowed}; {_FIX}")
    return _read_up_to(stream, expected - len(head) + 1, head)


def _read_up_to(stream: io.BufferedIOBase, size: int, start: bytes = b"") -> bytes:
    """start and then at most size bytes of stream, read a MiB at a time.

    Memory grows with what the file really holds, never with what it claims.
    """
    content = bytearray(start)
    while size > 0 and (chunk := stream.read(min(size, 1 << 20))):
        content += chunk
        size -= len(chunk)
    return bytes(content)


def download(
    name: str,
    directory: str | os.PathLike[str],
    sha256: str,
    mirrors: Sequence[str],
    timeout: float = TIMEOUT,
    progress: bool = True,
) -> str:
    """Download ``name.gz`` into directory from the first mirror whose content verifies.

    Each mirror is a URL prefix. The bytes go to a temporary file beside the target that
    is renamed only once the SHA-256 of its decompressed content equals sha256; on any
    failure or Ctrl-C it is removed. Returns the path of the file; raises DataError with
    the reason each mirror failed, or UnwritableDirectory, before any mirror is asked,
    when directory cannot be made or written.
    """
    directory = os.fspath(directory)
    target = os.path.join(directory, name + ".gz")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as err:
        raise UnwritableDirectory(f"cannot create {directory} ({err.strerror or err})",
                                  directory) from None
    reasons = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name + ".gz"
        host = urllib.parse.urlsplit(url).netloc or url
        part = None
        try:
            try:
                fd, part = tempfile.mkstemp(prefix=f".{name}.gz.", suffix=".part",
                                            dir=directory)
            except OSError as err:  # every mirror would fail alike: say whose fault it is
                raise UnwritableDirectory(f"cannot write into {directory} "
                                          f"({err.strerror or err})", directory) from None
            with os.fdopen(fd, "wb") as out:
                _fetch(url, out, timeout, progress)
            limit = SIZES.get(name, MAX_IDX_BYTES)
            content = _read_content(part, limit, f"the {limit} bytes of the official {name}")
            if hashlib.sha256(content).hexdigest() == sha256:
                os.replace(part, target)
                return target
            reasons.append(f"{host}: wrong content (SHA-256 mismatch)")
        except UnwritableDirectory:
            raise
        except DataError:
            reasons.append(f"{host}: not a valid gzip file")
        except (OSError, http.client.HTTPException) as err:
            reasons.append(f"{host}: {_reason(err, timeout)}")
        finally:  # also on KeyboardInterrupt, which then goes on up
            if part is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(part)
    raise DataError("; ".join(reasons) or "no mirror to download from")


def _fetch(url: str, out: BinaryIO, timeout: float, progress: bool) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "purenet"})
    if progress:
        print(f"purenet: downloading {url}", file=sys.stderr)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while chunk := response.read(1 << 16):
            out.write(chunk)
            done += len(chunk)
            if progress:
                _show_progress(done, total)
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    if total and done != total:
        raise OSError(f"connection closed after {done} of {total} bytes")


def _show_progress(done: int, total: int) -> None:
    """Redraw one line on a terminal; print nothing into logs."""
    if not sys.stderr.isatty():
        return
    if total:
        bar = "#" * (30 * done // total)
        line = f"\r  [{bar:<30}] {100 * done // total:3d}% of {total / 1e6:.1f} MB"
    else:
        line = f"\r  {done / 1e6:.1f} MB"
    print(line, end="", file=sys.stderr, flush=True)


def _reason(err: BaseException, timeout: float) -> str:
    """A few words on why a download failed."""
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        if not isinstance(err.reason, BaseException):
            return str(err.reason)
        err = err.reason
    if isinstance(err, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__
