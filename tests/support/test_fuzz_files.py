"""Random damage to data and weights files ends only in the project's own clear errors.

Good files are made here (small IDX files, weights saved by both packages, and the real
t10k labels where PURENET_DATA points at MNIST), then mutated by hypothesis: bytes
flipped, the file cut short, bytes inserted, or a 32-bit size field overwritten with a
value that a reader might trust (0, 2**31, 3 GiB...). Every loader must then either
return what the good file held or raise DataError (MNIST) or ValueError / TypeError
(weights) with a one-line message naming the file, never another exception, and
without holding more than a few MiB. Examples are few and small, to keep the suite fast.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import struct
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import purenet.two_layer_net as pure_net
import purenet_support.mnist as pure_mnist
import purenet_support.mnist_numpy as ref_mnist
import reference.two_layer_net as ref_net
from purenet_support import networks, weights_file
from purenet_support.mnist import FILES, DataError, read_idx

PEAK = 16 << 20  # bytes any loader may hold at once on these small files
FUZZ = settings(max_examples=80, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
REAL_DATA = os.environ.get("PURENET_DATA")

# --- mutations ------------------------------------------------------------------------------

# Values a reader that trusts a size field would act on: zero, sign bits, 3 GiB.
SIZES = [0, 1, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xC0000000, 0xFFFFFFFF]
# Where to damage: the headers at the start, the zip's directory at the end, anywhere.
POSITION = st.one_of(st.integers(0, 200), st.integers(-120, -1), st.integers(0, 1 << 16))
MUTATION = st.one_of(
    st.tuples(st.just("flip"), POSITION, st.integers(1, 255)),
    st.tuples(st.just("cut"), POSITION),
    st.tuples(st.just("insert"), POSITION, st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("size"), POSITION, st.sampled_from(SIZES), st.sampled_from("<>")),
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=3)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    """data with each mutation applied in turn; a position wraps around the length."""
    for kind, position, *args in mutations:
        at = position % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ args[0]]) + data[at + 1:]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + args[0] + data[at:]
        elif kind == "size":
            data = data[:at] + struct.pack(args[1] + "I", args[0]) + data[at + 4:]
    return data


@contextlib.contextmanager
def bounded_memory() -> Iterator[None]:
    """Fail if the block holds more than PEAK bytes at once (traced only around loaders,
    so hypothesis's own work stays fast)."""
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK, f"{peak} bytes held at once"


def one_line_naming(message: str, path: Path) -> None:
    assert path.name in message and "\n" not in message, message


# --- IDX files ------------------------------------------------------------------------------


def idx(dims: tuple[int, ...], data: bytes) -> bytes:
    return bytes([0, 0, 8, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + data


IMAGES = idx((2, 28, 28), bytes(range(256)) * 6 + bytes(32))
LABELS = idx((3,), bytes([7, 2, 1]))


def idx_seeds() -> list[tuple[str, bytes, bytes]]:
    """(file name, good bytes on disk, content they hold) of each file fuzzed."""
    seeds = []
    for name, content in ((FILES["test_img"], IMAGES), (FILES["test_label"], LABELS)):
        seeds.append((name, content, content))
        seeds.append((name + ".gz", gzip.compress(content, mtime=0), content))
    real = Path(REAL_DATA or "") / (FILES["test_label"] + ".gz")
    if REAL_DATA and real.is_file():
        seeds.append((real.name, real.read_bytes(), gzip.decompress(real.read_bytes())))
    return seeds


IDX_SEEDS = idx_seeds()


def check_read_idx(path: Path, content: bytes, sha256: str | None) -> None:
    ndim = content[3]
    try:
        dims, data = read_idx(path, ndim=ndim, sha256=sha256)
    except DataError as err:
        one_line_naming(str(err), path)
        return
    if sha256 is not None:  # it passed the digest: it is the good file's content
        assert data == content[4 + 4 * ndim:]
    assert len(data) == np.prod(dims)


@FUZZ
@given(seed=st.sampled_from(range(len(IDX_SEEDS))), mutations=MUTATIONS,
       content_level=st.booleans(), digest=st.booleans())
def test_damaged_idx_files_end_in_a_data_error(tmp_path: Path, seed: int,
                                               mutations: list, content_level: bool,
                                               digest: bool) -> None:
    name, disk, content = IDX_SEEDS[seed]
    if content_level and name.endswith(".gz"):
        # Damage what the gzip holds, then compress: the IDX checks see it, not gzip's.
        disk = gzip.compress(mutate(content, mutations), mtime=0)
    else:
        disk = mutate(disk, mutations)
    path = tmp_path / name
    path.write_bytes(disk)
    sha256 = hashlib.sha256(content).hexdigest() if digest else None
    with bounded_memory():
        check_read_idx(path, content, sha256)


@pytest.fixture
def tiny_dataset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A data set "fuzz" of four small files, and a directory holding them raw."""
    contents = {FILES["train_img"]: IMAGES, FILES["train_label"]: idx((2,), bytes([3, 4])),
                FILES["test_img"]: IMAGES, FILES["test_label"]: idx((2,), bytes([5, 6]))}
    digests = {name: hashlib.sha256(c).hexdigest() for name, c in contents.items()}
    info = pure_mnist.Dataset(title="Fuzz", sha256=digests, mirrors=(), system_dirs=(),
                              hint="none")
    monkeypatch.setitem(pure_mnist.DATASETS, "fuzz", info)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PURENET_DATA", raising=False)
    directory = tmp_path / "data"
    directory.mkdir()
    for name, content in contents.items():
        (directory / name).write_bytes(content)
    return directory


@settings(FUZZ, max_examples=50)  # each example loads four files twice
@given(key=st.sampled_from(sorted(FILES)), mutations=MUTATIONS)
def test_both_load_mnist_twins_end_in_a_data_error(tiny_dataset: Path, key: str,
                                                   mutations: list) -> None:
    path = tiny_dataset / FILES[key]
    good = path.read_bytes()
    path.write_bytes(mutate(good, mutations))
    try:
        for load in (pure_mnist.load_mnist, ref_mnist.load_mnist):
            try:
                with bounded_memory():
                    (x, _), _ = load(data_dir=tiny_dataset, dataset="fuzz")
            except DataError as err:
                one_line_naming(str(err), path)
            else:  # only a mutation that changed nothing can pass the digest
                assert path.read_bytes() == good and len(x) == 2
    finally:
        path.write_bytes(good)


# --- weights files --------------------------------------------------------------------------


def weights_seeds() -> list[tuple[str, bytes]]:
    """(file name, bytes) of a 3-4-2 network saved every way either package saves it."""
    import tempfile

    seeds = []
    net = pure_net.TwoLayerNet(3, 4, 2, seed=5)
    with tempfile.TemporaryDirectory() as tmp:
        for name, save in (("pure.npz", lambda path: networks.save(net, path)),
                           ("pure.json", lambda path: networks.save(net, path)),
                           ("ref.npz", lambda path: networks.save(
                               ref_net.TwoLayerNet.from_params(net.get_params()), path))):
            save(os.path.join(tmp, name))
            seeds.append((name, Path(tmp, name).read_bytes()))
        path = os.path.join(tmp, "compressed.npz")  # deflated members, as NumPy also writes
        np.savez_compressed(path, **{k: np.array(v) for k, v in net.get_params().items()})
        seeds.append(("compressed.npz", Path(path).read_bytes()))
    return seeds


WEIGHTS_SEEDS = weights_seeds()
GOOD_PARAMS = pure_net.TwoLayerNet(3, 4, 2, seed=5).get_params()
LOADERS: list[tuple[str, Callable[[Path], object]]] = [
    ("weights_file.load", weights_file.load),
    ("networks.load of purenet", lambda path: networks.load(pure_net.TwoLayerNet, path)),
    ("networks.load of reference", lambda path: networks.load(ref_net.TwoLayerNet, path)),
]


@FUZZ
@given(seed=st.sampled_from(range(len(WEIGHTS_SEEDS))), mutations=MUTATIONS)
def test_damaged_weights_files_end_in_a_value_or_type_error(tmp_path: Path, seed: int,
                                                            mutations: list) -> None:
    name, good = WEIGHTS_SEEDS[seed]
    path = tmp_path / name
    path.write_bytes(mutate(good, mutations))
    for _, load in LOADERS:
        try:
            with bounded_memory():
                loaded = load(path)
        except (ValueError, TypeError) as err:
            one_line_naming(str(err), path)
        else:  # a change the format ignores (a zip comment, JSON spacing, a digit)
            assert loaded is not None


@settings(FUZZ, max_examples=50)
@given(key=st.sampled_from(sorted(GOOD_PARAMS)), value=st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner,
                                                                 max_size=2),
    max_leaves=12))
def test_a_json_file_with_any_value_for_a_key_ends_in_a_clear_error(
        tmp_path: Path, key: str, value: object) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({**GOOD_PARAMS, key: value}))
    for _, load in LOADERS:
        try:
            load(path)
        except (ValueError, TypeError) as err:
            one_line_naming(str(err), path)
