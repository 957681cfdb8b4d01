"""Tests of the MNIST loaders: the IDX reader, both load_mnist twins, the search for files.

Small IDX files are written by the tests; the real MNIST is used only where PURENET_DATA
points at it (CI sets PURENET_DATA=../shared/mnist). Downloads are in test_mnist_download.py.
"""

from __future__ import annotations

import ast
import dataclasses
import gzip
import hashlib
import os
import random
import socket
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import purenet_support.mnist as pure
import purenet_support.mnist_numpy as ref
from purenet_support.mnist import FILES, DataError, ImageRows, read_idx

ROOT = Path(__file__).resolve().parents[2]
# Read once at import: the autouse fixture below clears the variable for every test.
REAL_DATA = os.environ.get("PURENET_DATA")
TRAIN, TEST = 5, 3  # images in the tiny data set


def idx_bytes(dims: tuple[int, ...], data: bytes, type_code: int = 0x08) -> bytes:
    """An IDX file: two zero bytes, the type code, the dimension count, sizes, values."""
    return bytes([0, 0, type_code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + data


def tiny_contents() -> dict[str, bytes]:
    """The four files of a tiny MNIST: every byte value 0..255 appears in image 0."""
    rng = random.Random(0)
    contents = {}
    for part, count in (("train", TRAIN), ("test", TEST)):
        pixels = bytes(range(256)) * 3 + bytes(16)  # 784 bytes
        pixels += bytes(rng.randrange(256) for _ in range((count - 1) * 784))
        labels = bytes(rng.randrange(10) for _ in range(count))
        contents[FILES[part + "_img"]] = idx_bytes((count, 28, 28), pixels)
        contents[FILES[part + "_label"]] = idx_bytes((count,), labels)
    return contents


def write_files(directory: Path, contents: dict[str, bytes], compress: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        if compress:
            (directory / (name + ".gz")).write_bytes(gzip.compress(content))
        else:
            (directory / name).write_bytes(content)
    return directory


def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens, so a download there is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No PURENET_DATA, a cache under tmp_path, and mirrors that refuse: no network."""
    monkeypatch.delenv("PURENET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    refused = (closed_port_url(),)
    for name, info in list(pure.DATASETS.items()):
        monkeypatch.setitem(pure.DATASETS, name, dataclasses.replace(info, mirrors=refused))
    return tmp_path / "cache"


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Register the data set "tiny": MNIST's file names with the tiny files' digests."""
    contents = tiny_contents()
    digests = {name: hashlib.sha256(content).hexdigest() for name, content in contents.items()}
    info = dataclasses.replace(pure.DATASETS["mnist"], title="Tiny", sha256=digests)
    monkeypatch.setitem(pure.DATASETS, "tiny", info)
    return contents


# --- the IDX reader -----------------------------------------------------------------------


def test_read_idx_gives_the_same_dims_and_bytes_raw_or_gzip(tmp_path: Path, tiny) -> None:
    raw = write_files(tmp_path / "raw", tiny, compress=False)
    packed = write_files(tmp_path / "gz", tiny, compress=True)
    for name, content in tiny.items():
        digest = hashlib.sha256(content).hexdigest()
        ndim = 3 if "idx3" in name else 1
        from_raw = read_idx(raw / name, ndim=ndim, sha256=digest)
        from_gz = read_idx(packed / (name + ".gz"), ndim=ndim, sha256=digest)
        assert from_raw == from_gz
        assert from_raw[1] == content[4 + 4 * ndim:]
    assert read_idx(raw / FILES["train_img"])[0] == (TRAIN, 28, 28)


def test_read_idx_takes_a_bytes_path(tmp_path: Path, tiny) -> None:
    path = write_files(tmp_path, tiny) / (FILES["test_label"] + ".gz")
    assert read_idx(os.fsencode(path), ndim=1) == read_idx(path, ndim=1)


def flip_last_byte(content: bytes) -> bytes:
    return content[:-1] + bytes([content[-1] ^ 0xFF])


IMAGES = idx_bytes((2, 28, 28), bytes(range(256)) * 6 + bytes(32))
BROKEN_FILES = {
    # case: (file name, bytes on disk, words the message must hold)
    "truncated raw": ("images", IMAGES[:-100], "truncated"),
    "truncated gzip": ("images.gz", gzip.compress(IMAGES)[:-50], "truncated"),
    "corrupt gzip": ("images.gz", gzip.compress(IMAGES)[:20] + bytes(40), "corrupt"),
    "too long": ("images", IMAGES + b"\x00", "too long"),
    "header only": ("images", IMAGES[:10], "truncated"),
    "empty": ("images", b"", "truncated"),
    "wrong magic": ("images", b"\x12\x34" + IMAGES[2:], "magic number 0x12340803"),
    "wrong element type": ("images", IMAGES[:2] + b"\x0d" + IMAGES[3:], "element type 0x0d"),
    "wrong dimension count": ("images", idx_bytes((2, 784), IMAGES[16:]), "2 dimensions"),
    "web page as .gz": ("images.gz", b"<!DOCTYPE html><p>403</p>", "not a gzip file"),
    "web page raw": ("images", b"<html>Forbidden</html>", "web page"),
    "byte flipped": ("images", flip_last_byte(IMAGES), "SHA-256"),
    "byte flipped, recompressed": ("images.gz", gzip.compress(flip_last_byte(IMAGES)), "SHA-256"),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_a_broken_file_is_a_one_line_error_naming_it(tmp_path: Path, case: str) -> None:
    name, content, words = BROKEN_FILES[case]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_idx(path, ndim=3, sha256=hashlib.sha256(IMAGES).hexdigest())
    message = str(caught.value)
    assert str(path) in message
    assert words in message
    assert "delete or replace it" in message
    assert "\n" not in message


def test_a_recompressed_copy_passes_verification(tmp_path: Path) -> None:
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(IMAGES, compresslevel=1, mtime=0))
    dims, data = read_idx(path, ndim=3, sha256=hashlib.sha256(IMAGES).hexdigest())
    assert dims == (2, 28, 28) and data == IMAGES[16:]


def test_another_data_sets_valid_file_is_named_not_called_damaged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny) -> None:
    # "Tiny" (the fixture) and "Other" share file names, as MNIST and Fashion-MNIST
    # do; Tiny's files in a directory handed to Other are not damaged: say whose they are.
    other = {name: content[:-1] + bytes([content[-1] ^ 1]) for name, content in tiny.items()}
    digests = {name: hashlib.sha256(content).hexdigest() for name, content in other.items()}
    monkeypatch.setitem(pure.DATASETS, "other", dataclasses.replace(
        pure.DATASETS["tiny"], title="Other", sha256=digests))
    directory = write_files(tmp_path / "tiny", tiny)
    with pytest.raises(DataError) as caught:
        pure.load_mnist(data_dir=directory, dataset="other")
    path = directory / (FILES["train_img"] + ".gz")
    assert str(caught.value) == (
        f"{path} is Tiny's train-images-idx3-ubyte, not Other's train-images-idx3-ubyte: keep "
        f"each data set in its own directory and point data_dir (--data-dir) or PURENET_DATA "
        f"at the Other files")


# --- load_mnist, purenet against reference -------------------------------------------------


def as_array(x: ImageRows | list) -> np.ndarray:
    return np.array(list(x))


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "raw"])
@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("one_hot_label", [True, False])
def test_both_packages_load_the_same_values(
    tmp_path: Path, tiny, compress: bool, normalize: bool, flatten: bool, one_hot_label: bool
) -> None:
    data_dir = write_files(tmp_path / "data", tiny, compress=compress)
    options = dict(normalize=normalize, flatten=flatten, one_hot_label=one_hot_label,
                   data_dir=data_dir, dataset="tiny")
    pure_parts = pure.load_mnist(**options)
    ref_parts = ref.load_mnist(**options)
    for (px, pt), (rx, rt), count in zip(pure_parts, ref_parts, (TRAIN, TEST)):
        image_shape = (784,) if flatten else (1, 28, 28)
        assert px.shape == rx.shape == (count, *image_shape)
        assert len(px) == count
        assert rx.dtype == (np.float64 if normalize else np.uint8)
        assert type(px[0][0] if flatten else px[0][0][0][0]) is (float if normalize else int)
        # Bit for bit: byte / 255.0 in Python is numpy's uint8 / 255.0.
        assert np.array_equal(as_array(px), rx)
        assert as_array(px).astype(rx.dtype).tobytes() == rx.tobytes()
        assert rt.shape == ((count, 10) if one_hot_label else (count,))
        assert rt.dtype == (np.float64 if one_hot_label else np.int64)
        assert np.array_equal(np.array(pt), rt)


def test_every_byte_value_normalizes_to_the_same_double(tmp_path: Path, tiny) -> None:
    data_dir = write_files(tmp_path / "data", tiny)
    (px, _), _ = pure.load_mnist(data_dir=data_dir, dataset="tiny")
    (rx, _), _ = ref.load_mnist(data_dir=data_dir, dataset="tiny")
    row = px[0]
    assert sorted(set(row)) == [b / 255.0 for b in range(256)]
    assert [v.hex() for v in row] == [float(v).hex() for v in rx[0]]
    assert row[255] == 1.0 and row[0] == 0.0


def test_loaded_images_are_writable_like_the_books(tmp_path: Path, tiny) -> None:
    data_dir = write_files(tmp_path / "data", tiny)
    for normalize in (True, False):
        (rx, rt), _ = ref.load_mnist(normalize=normalize, data_dir=data_dir, dataset="tiny")
        rx[0, 0] = 7
        rt[0] = 7


# --- ImageRows, the lazy rows of purenet ----------------------------------------------------


@pytest.fixture
def rows(tmp_path: Path, tiny) -> ImageRows:
    data_dir = write_files(tmp_path / "data", tiny)
    (x_train, _), _ = pure.load_mnist(data_dir=data_dir, dataset="tiny")
    return x_train


def test_image_rows_index_like_a_list(rows: ImageRows) -> None:
    assert len(rows) == TRAIN and rows.shape == (TRAIN, 784)
    assert rows[-1] == rows[TRAIN - 1]
    assert rows[np.int64(2)] == rows[2]
    assert rows[1:3] == [rows[1], rows[2]]
    assert rows[::-2] == [rows[4], rows[2], rows[0]]
    assert list(rows) == rows[:]
    with pytest.raises(IndexError, match="image index 5 is out of range for 5 images"):
        rows[TRAIN]
    with pytest.raises(IndexError):
        rows[-TRAIN - 1]


def test_image_rows_gather_a_batch(rows: ImageRows) -> None:
    batch = [3, 0, 3]
    expected = [rows[3], rows[0], rows[3]]
    assert rows.take(batch) == expected
    assert rows[batch] == expected
    assert rows[np.array(batch)] == expected
    assert rows.take(range(2)) == rows[:2]
    with pytest.raises(IndexError):
        rows.take([0, 99])


def test_image_rows_give_fresh_lists(rows: ImageRows) -> None:
    first = rows[0]
    first[0] = 123.0
    assert rows[0][0] == 0.0


def test_image_rows_keep_the_bytes(rows: ImageRows, tiny) -> None:
    assert isinstance(rows.data, bytes)
    assert rows.data == tiny[FILES["train_img"]][16:]
    assert rows[0] == [b / 255.0 for b in rows.data[:784]]
    assert repr(rows) == "ImageRows(shape=(5, 784), normalize=True, flatten=True)"


def test_unflattened_rows_are_1x28x28(tmp_path: Path, tiny) -> None:
    data_dir = write_files(tmp_path / "data", tiny)
    (x, _), _ = pure.load_mnist(normalize=False, flatten=False, data_dir=data_dir,
                                dataset="tiny")
    image = x[0]
    assert x.shape == (TRAIN, 1, 28, 28)
    assert len(image) == 1 and len(image[0]) == 28 and {len(r) for r in image[0]} == {28}
    assert [v for r in image[0] for v in r] == list(x.data[:784])


def test_one_hot_rows_are_independent(tmp_path: Path, tiny) -> None:
    data_dir = write_files(tmp_path / "data", tiny)
    (_, t), _ = pure.load_mnist(one_hot_label=True, data_dir=data_dir, dataset="tiny")
    labels = list(tiny[FILES["train_label"]][8:])
    assert [row.index(1.0) for row in t] == labels
    assert all(sum(row) == 1.0 and len(row) == 10 for row in t)
    t[0][0] = 5.0
    assert all(row[0] != 5.0 for row in t[1:])


# --- arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [pure, ref], ids=["purenet", "reference"])
def test_the_books_typo_names_the_bad_keyword(module) -> None:
    with pytest.raises(TypeError, match="one_hot_labe"):
        module.load_mnist(normalize=True, one_hot_labe=True)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"normalize": 1}, TypeError, "normalize must be True or False, got int 1"),
        ({"flatten": "no"}, TypeError, "flatten must be True or False, got str 'no'"),
        ({"one_hot_label": None}, TypeError, "one_hot_label must be True or False, got NoneType"),
        ({"dataset": "cifar"}, ValueError,
         "dataset must be one of 'mnist', 'fashion-mnist'"),
        ({"data_dir": 3}, TypeError, "data_dir must be a path or None, got int 3"),
    ],
)
def test_bad_arguments_say_what_was_expected(tiny, kwargs, error, message) -> None:
    for module in (pure, ref):
        with pytest.raises(error) as caught:
            module.load_mnist(**kwargs)
        assert str(caught.value).startswith(message)


# --- where files are looked for -------------------------------------------------------------


def test_search_order_and_relative_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PURENET_DATA", "../shared")
    assert pure.search_dirs("mnist", "given") == [
        str(tmp_path / "given"),
        str(tmp_path.parent / "shared"),
        str(isolated / "purenet" / "mnist"),
    ]
    fashion = pure.search_dirs("fashion-mnist")
    assert fashion[1:] == ["/usr/share/datasets/fashion-mnist",
                           str(isolated / "purenet" / "fashion-mnist")]


def test_cache_follows_xdg_then_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert pure.cache_dir("mnist") == str(tmp_path / ".cache" / "purenet" / "mnist")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert pure.cache_dir("fashion-mnist") == str(tmp_path / ".cache/purenet/fashion-mnist")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert pure.cache_dir() == str(tmp_path / "xdg" / "purenet" / "mnist")


def test_data_dir_comes_before_purenet_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny
) -> None:
    good = write_files(tmp_path / "good", tiny)
    bad = write_files(tmp_path / "bad", {n: flip_last_byte(c) for n, c in tiny.items()})
    monkeypatch.setenv("PURENET_DATA", str(bad))
    with pytest.raises(DataError, match=str(bad)):
        pure.load_mnist(dataset="tiny")
    (x, _), _ = pure.load_mnist(data_dir=good, dataset="tiny")
    assert len(x) == TRAIN


def test_files_are_found_in_any_searched_directory_raw_or_gzip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated: Path, tiny
) -> None:
    names = list(tiny)
    write_files(tmp_path / "given", {names[0]: tiny[names[0]]}, compress=False)
    write_files(tmp_path / "env", {names[1]: tiny[names[1]]})
    write_files(isolated / "purenet" / "tiny", {n: tiny[n] for n in names[2:]})
    monkeypatch.setenv("PURENET_DATA", str(tmp_path / "env"))
    (x, t), (xt, tt) = ref.load_mnist(data_dir=tmp_path / "given", dataset="tiny")
    assert x.shape == (TRAIN, 784) and tt.shape == (TEST,)


def test_offline_without_files_is_one_clear_error(tmp_path: Path, isolated: Path) -> None:
    (tmp_path / "empty").mkdir()
    for module in (pure, ref):
        with pytest.raises(DataError) as caught:
            module.load_mnist(data_dir=tmp_path / "empty")
        message = str(caught.value)
        assert message.startswith("MNIST files not found: train-images-idx3-ubyte.gz, "
                                  "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                                  "t10k-labels-idx1-ubyte.gz. ")
        assert f"Searched: {tmp_path / 'empty'}, {isolated / 'purenet' / 'mnist'}." in message
        assert "Download failed: 127.0.0.1:" in message and "connection refused" in message
        # the hint names no one machine's layout
        assert message.endswith("Point --data-dir or PURENET_DATA at a directory holding them "
                                "(e.g. export PURENET_DATA=/path/to/mnist).")
        assert "\n" not in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert list((isolated / "purenet" / "mnist").iterdir()) == []


@pytest.mark.parametrize("module", [pure, ref], ids=["purenet", "reference"])
def test_a_data_dir_that_does_not_exist_is_an_error_not_a_fallthrough(
    module, tmp_path: Path, isolated: Path, tiny
) -> None:
    # The cache holds a complete set: a mistyped data_dir must not quietly load it.
    write_files(isolated / "purenet" / "tiny", tiny)
    typo = tmp_path / "mnsit"
    with pytest.raises(DataError) as caught:
        module.load_mnist(data_dir=typo, dataset="tiny")
    assert str(caught.value) == (f"data directory {typo} does not exist: pass the directory "
                                 f"that holds the Tiny files as data_dir (--data-dir)")
    a_file = tmp_path / "train-images-idx3-ubyte.gz"
    a_file.write_bytes(b"")
    with pytest.raises(DataError, match=f"data directory {a_file} is not a directory: "):
        module.load_mnist(data_dir=a_file, dataset="tiny")
    (x, _), _ = module.load_mnist(dataset="tiny")  # no data_dir: the cache is fine
    assert len(x) == TRAIN


def test_purenet_data_that_does_not_exist_is_an_error_not_a_fallthrough(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated: Path, tiny
) -> None:
    write_files(isolated / "purenet" / "tiny", tiny)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PURENET_DATA", "data/mnist")
    for module in (pure, ref):
        with pytest.raises(DataError) as caught:
            module.load_mnist(dataset="tiny")
        assert str(caught.value) == (f"PURENET_DATA names {tmp_path / 'data' / 'mnist'}, which "
                                     f"does not exist: point it at the directory that holds "
                                     f"the Tiny files, or unset it")
    # a data_dir holding every file is searched first, so PURENET_DATA is never needed
    good = write_files(tmp_path / "good", tiny)
    (x, _), _ = pure.load_mnist(data_dir=good, dataset="tiny")
    assert len(x) == TRAIN
    # one holding only some files falls through to PURENET_DATA: checked then
    partial = write_files(tmp_path / "partial", {n: c for n, c in tiny.items() if "images" in n})
    with pytest.raises(DataError, match="PURENET_DATA names .*, which does not exist"):
        pure.load_mnist(data_dir=partial, dataset="tiny")


def test_offline_error_names_only_the_missing_files(tmp_path: Path, tiny) -> None:
    images = {name: content for name, content in tiny.items() if "images" in name}
    data_dir = write_files(tmp_path / "data", images)
    with pytest.raises(DataError) as caught:
        pure.load_mnist(data_dir=data_dir, dataset="tiny")
    assert str(caught.value).startswith(
        "Tiny files not found: train-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte.gz. ")


# --- rules of the package ------------------------------------------------------------------


def test_purenet_mnist_does_not_import_numpy() -> None:
    code = "import purenet_support.mnist, sys; assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize("path", ["purenet_support/mnist.py", "purenet_support/mnist_numpy.py"])
def test_no_pickle(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and "pickle" in name}


# --- the real MNIST, where PURENET_DATA points at it ----------------------------------------

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def real_dir() -> Path:
    """The directory PURENET_DATA names (relative to the current directory), or skip."""
    path = Path(REAL_DATA).resolve() if REAL_DATA else None
    if path is None or not all((path / (n + ".gz")).is_file() or (path / n).is_file()
                               for n in FILES.values()):
        pytest.skip(f"PURENET_DATA not set / directory missing: {REAL_DATA or '(unset)'}")
    return path


@pytest.fixture(scope="module")
def real_pure():
    return pure.load_mnist(data_dir=real_dir())


@pytest.fixture(scope="module")
def real_ref():
    return ref.load_mnist(data_dir=real_dir())


def test_real_mnist_purenet(real_pure) -> None:
    (x, t), (xt, tt) = real_pure
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert [t.count(k) for k in range(10)] == TRAIN_COUNTS
    assert [tt.count(k) for k in range(10)] == TEST_COUNTS
    assert sum(x.data) / len(x.data) == pytest.approx(33.318, abs=5e-4)
    row = x[-1]
    assert len(row) == 784 and min(row) == 0.0 and max(row) <= 1.0


def test_real_mnist_reference(real_ref) -> None:
    (x, t), (xt, tt) = real_ref
    assert x.shape == (60000, 784) and xt.shape == (10000, 784) and x.dtype == np.float64
    assert x.min() == 0.0 and x.max() == 1.0
    assert np.bincount(t).tolist() == TRAIN_COUNTS
    assert np.bincount(tt).tolist() == TEST_COUNTS
    assert x.mean() * 255 == pytest.approx(33.318, abs=5e-4)
    assert x.std() * 255 == pytest.approx(78.567, abs=5e-4)


def test_real_mnist_same_in_both(real_pure, real_ref) -> None:
    (px, pt), (pxt, ptt) = real_pure
    (rx, rt), (rxt, rtt) = real_ref
    assert pt == rt.tolist() and ptt == rtt.tolist()
    batch = random.Random(4).sample(range(60000), 100)
    assert np.array_equal(np.array(px.take(batch)), rx[batch])
    assert np.array_equal(np.array(pxt[-50:]), rxt[-50:])


def test_real_mnist_through_purenet_data(monkeypatch: pytest.MonkeyPatch) -> None:
    path = real_dir()
    monkeypatch.chdir(path.parent)
    monkeypatch.setenv("PURENET_DATA", os.path.join(os.pardir, path.parent.name, path.name))
    _, (x_test, t_test) = ref.load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x_test.shape == (10000, 1, 28, 28) and x_test.dtype == np.uint8
    assert t_test.sum(axis=0).tolist() == TEST_COUNTS


def test_real_mnist_asked_for_as_fashion_mnist_is_named_mnist() -> None:
    path = real_dir() / (FILES["test_label"] + ".gz")
    if not path.is_file():
        path = path.with_suffix("")
    fashion = pure.DATASETS["fashion-mnist"].sha256[FILES["test_label"]]
    with pytest.raises(DataError) as caught:
        read_idx(path, ndim=1, sha256=fashion)
    assert str(caught.value) == (
        f"{path} is MNIST's t10k-labels-idx1-ubyte, not Fashion-MNIST's t10k-labels-idx1-ubyte: "
        f"keep each data set in its own directory and point data_dir (--data-dir) or "
        f"PURENET_DATA at the Fashion-MNIST files")


def test_a_pure_subset_holds_only_its_own_images_bytes() -> None:
    from purenet_cli.data import first
    images = ImageRows(bytes(range(256)) * 7, (7, 16, 16))  # 7 images of 256 bytes
    subset = first(images, 3)
    assert type(subset) is ImageRows and len(subset.data) == 3 * 256
    assert [subset[i] for i in range(3)] == [images[i] for i in range(3)]
    assert first(images, None) is images and first(images, 9) is images
    assert first([1, 2, 3], 2) == [1, 2]
