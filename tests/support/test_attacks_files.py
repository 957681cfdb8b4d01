"""Attacks on the files: weights the program writes must read back, crafted files are refused.

From issue 20: a Fortran-ordered array saved unreadably, blown-up weights saved
then refused, "W1" twice in JSON keeping the last one, a mask of bools read as
indices, and the reader checks no test could make fire (big-endian floats, the
.npz limit over all members, an image/label count mismatch, float32 scaling).
Oracles are struct-packed numbers, Python's own floats and the file sizes.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

import purenet_support.mnist as pure_mnist
from purenet.two_layer_net import TwoLayerNet as PureNet
from purenet_cli.data import load_data
from purenet_cli.impls import load_impl
from purenet_support import networks, weights_file, weights_numpy
from purenet_support.mnist import FILES, DataError, ImageRows
from reference.two_layer_net import TwoLayerNet as RefNet

READERS = (weights_file.load, weights_numpy.load)


def as_floats(value) -> list[float]:
    flat = np.asarray(value, dtype=np.float64).ravel()
    return flat.tolist()


@pytest.mark.parametrize("ext", [".npz", ".json"])
def test_a_fortran_ordered_array_saves_readably(tmp_path: Path, ext: str) -> None:
    net = RefNet(3, 4, 2, seed=0)
    w1 = np.asfortranarray(net.params["W1"])
    net.params["W1"] = w1
    net.params["W2"] = np.ascontiguousarray(net.params["W2"].T).T  # a .T: Fortran order
    assert not net.params["W2"].flags.c_contiguous
    path = tmp_path / f"w{ext}"
    networks.save(net, path)
    for cls in (RefNet, PureNet):
        back = networks.load(cls, path)
        for key in ("W1", "W2"):
            assert as_floats(back.params[key]) == net.params[key].ravel().tolist()


def test_a_big_endian_array_saves_readably(tmp_path: Path) -> None:
    net = RefNet(3, 4, 2, seed=0)
    net.params["b1"] = net.params["b1"].astype(">f8")
    networks.save(net, tmp_path / "w.npz")
    back = networks.load(PureNet, tmp_path / "w.npz")
    assert back.params["b1"] == net.params["b1"].tolist()


@pytest.mark.parametrize("ext", [".npz", ".json"])
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
@pytest.mark.parametrize("cls", [PureNet, RefNet])
def test_non_finite_weights_are_not_saved(tmp_path: Path, ext, bad, cls) -> None:
    net = cls(3, 4, 2, seed=0)
    if cls is RefNet:
        net.params["W2"][1, 0] = bad
    else:
        net.params["W2"][1][0] = bad
    path = tmp_path / f"w{ext}"
    with pytest.raises(weights_file.WeightsFileError,
                       match=r"params\['W2'\] holds (inf|-inf|nan): .*not saved"):
        networks.save(net, path)
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file left


def test_a_json_key_given_twice_is_refused(tmp_path: Path) -> None:
    params = PureNet(3, 4, 2, seed=0).params
    body = json.dumps(params)
    twice = body[:-1] + ", " + json.dumps({"W1": params["W1"]})[1:]
    path = tmp_path / "w.json"
    path.write_text(twice)
    assert json.loads(twice)["W1"] == params["W1"]  # json alone keeps the last one silently
    for read in READERS:
        with pytest.raises(ValueError, match=r"'W1' twice"):
            read(path)


def test_a_mask_of_bools_is_not_read_as_indices() -> None:
    rows = ImageRows(bytes([0]) * 784 + bytes([1]) * 784 + bytes([2]) * 784, (3, 28, 28),
                     normalize=False)
    for mask in ([True, False, True], np.array([True, False, True])):
        with pytest.raises(TypeError, match="bools"):
            rows[mask]
    assert [r[0] for r in rows[[0, 2]]] == [0, 2]
    assert [r[0] for r in rows[np.array([2, 0])]] == [2, 0]


def npy(descr: str, values: list[float]) -> bytes:
    fmt = {"<f8": "<%dd", ">f8": ">%dd", "<f4": "<%df", ">f4": ">%df"}[descr]
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({len(values)},), }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    return (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()
            + struct.pack(fmt % len(values), *values))


def npz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("descr", [">f8", ">f4"])
def test_big_endian_floats_are_read_right_or_refused(tmp_path: Path, descr: str) -> None:
    values = [1.5, -2.25, 1e10]  # byte-swapped, these read as other numbers entirely
    path = tmp_path / "w.npz"
    path.write_bytes(npz({"b1.npy": npy(descr, values)}))
    for read in READERS:
        try:
            got = read(path)
        except ValueError as err:
            assert descr in str(err)
        else:
            assert as_floats(got["b1"]) == values


def test_the_size_limit_is_for_all_members_together(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    member = npy("<f8", [0.0] * 1000)  # 8 KB each, 16 KB together
    monkeypatch.setattr(weights_file, "MAX_BYTES", 3 * len(member) // 2)
    path = tmp_path / "w.npz"
    path.write_bytes(npz({"b1.npy": member}))
    for read in READERS:
        assert as_floats(read(path)["b1"]) == [0.0] * 1000  # one member fits
    path.write_bytes(npz({"b1.npy": member, "b2.npy": member}))
    for read in READERS:
        with pytest.raises(ValueError, match=r"all arrays of a weights file"):
            read(path)


def idx(dims: tuple[int, ...], data: bytes) -> bytes:
    return bytes([0, 0, 8, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + data


def register(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, n_images: int,
             n_labels: int) -> Path:
    """Write a data set "attack" whose digests match its files, whatever their counts."""
    contents = {}
    for part in ("train", "test"):
        pixels = bytes((7 * i) % 256 for i in range(n_images * 784))
        contents[FILES[part + "_img"]] = idx((n_images, 28, 28), pixels)
        contents[FILES[part + "_label"]] = idx((n_labels,), bytes(i % 10 for i in range(n_labels)))
    directory = tmp_path / "data"
    directory.mkdir()
    for name, content in contents.items():
        (directory / (name + ".gz")).write_bytes(gzip.compress(content))
    digests = {name: hashlib.sha256(c).hexdigest() for name, c in contents.items()}
    info = dataclasses.replace(pure_mnist.DATASETS["mnist"], title="Attack", sha256=digests,
                               mirrors=())
    monkeypatch.setitem(pure_mnist.DATASETS, "attack", info)
    monkeypatch.delenv("PURENET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return directory


def test_images_and_labels_of_different_counts_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = register(monkeypatch, tmp_path, n_images=3, n_labels=2)
    with pytest.raises(DataError, match=r"holds 3 images but .* holds 2 labels"):
        pure_mnist.load_mnist(data_dir=str(directory), dataset="attack")


def test_float32_training_data_is_byte_over_255(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    directory = register(monkeypatch, tmp_path, n_images=2, n_labels=2)
    (x, _), (x_test, _) = load_data(load_impl("numpy"), "float32", str(directory), "attack",
                                    False, None, None)
    assert x.dtype == np.float32 and x_test.dtype == np.float32
    pixels = [(7 * i) % 256 for i in range(2 * 784)]
    want = [float(np.float32(b / 255)) for b in pixels]  # Python's b / 255, rounded once
    assert x.ravel().tolist() == pytest.approx(want, rel=1e-7)
    assert x.max() == 1.0  # 255 is white: 1.0, not 255 / 256


# --- small files that cost gigabytes -------------------------------------------------------

def zero_net_npz(path: Path, hidden: int, dtype: str = "<f4") -> None:
    """A 784-hidden-10 net of zeros in a compressed .npz, W1 streamed: a few KB per MB."""
    size = 4 if dtype == "<f4" else 8
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for key, dims in (("W1", (784, hidden)), ("b1", (hidden,)), ("W2", (hidden, 10)),
                          ("b2", (10,))):
            header = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {dims}, }}"
            header += " " * (-(10 + len(header) + 1) % 64) + "\n"
            count = int(np.prod(dims))
            with zf.open(f"{key}.npy", "w", force_zip64=True) as member:
                member.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header))
                             + header.encode())
                chunk = bytes(size * 1_000_000)
                for start in range(0, count, 1_000_000):
                    member.write(chunk[:size * min(1_000_000, count - start)])


def test_a_small_file_of_many_numbers_is_refused_before_they_are_read(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "w.npz"
    zero_net_npz(path, 20_000)  # 15.9 million numbers, 63 MB declared
    assert path.stat().st_size < 200_000
    for read in READERS:
        tracemalloc.start()
        try:
            with pytest.raises(ValueError, match=r"more than the 10000000 a weights file"):
                read(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 20_000_000  # bytes; the lists of 15.9 million floats took 948 MB


def test_a_json_file_of_many_values_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_bytes(b'{"W1": [' + b"0," * (weights_file.MAX_NUMBERS + 10)
                     + b'0], "b1": [0], "W2": [[0]], "b2": [0]}')
    for read in READERS:
        with pytest.raises(ValueError, match=r"more than the 10000000 numbers"):
            read(path)
    path.write_bytes(b'{"W1": [' + b"[]," * weights_file.MAX_LISTS + b"[]]}")
    with pytest.raises(ValueError, match=r"in 100002 lists, more than"):
        weights_file.load(path)


def test_evaluate_bounds_the_hidden_size_like_train(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "w.npz"
    zero_net_npz(path, 10_001)  # within the reader's bound, past train's --hidden
    result = subprocess.run([sys.executable, str(root / "cli.py"), "evaluate", str(path),
                             "--impl", "numpy"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("holds 10001 hidden units, more than the 10000 "
                                          "train --hidden allows")
    assert len(result.stderr.strip().splitlines()) == 1


def test_figures_refuse_a_net_past_the_hidden_bound(tmp_path: Path) -> None:
    from purenet_cli import figures

    path = tmp_path / "w.npz"
    zero_net_npz(path, 10_001, "<f8")
    with pytest.raises(figures.InputError, match=r"holds 10001 hidden units, more than"):
        figures.saved_network(str(path))


def test_hidden_units_figure_draws_a_bounded_number_of_tiles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from purenet_cli import figures

    images = np.random.default_rng(0).normal(size=(800, 28, 28))
    fig = figures.draw_hidden_units(images)
    drawn = {"images": sum(len(ax.images) for ax in fig.axes),
             "title": fig._suptitle.get_text()}
    assert drawn["images"] == figures.MAX_TILES < 800
    assert drawn["title"].startswith(f"the first {figures.MAX_TILES} of W1's 800 columns")


# --- messages that mislead -----------------------------------------------------------------

@pytest.mark.parametrize("order", ["0", "1", "None", "'False'"])
def test_a_fortran_order_that_is_no_bool_is_a_malformed_header(tmp_path: Path,
                                                                order: str) -> None:
    """'fortran_order': 0 used to read as "stored in Fortran order": it is a broken header."""
    header = f"{{'descr': '<f8', 'fortran_order': {order}, 'shape': (2,), }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    member = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + bytes(16)
    path = tmp_path / "w.npz"
    path.write_bytes(npz({"b1.npy": member}))
    for read in READERS:
        with pytest.raises(ValueError, match=r"'b1' has a malformed \.npy header: "
                                             rf"'fortran_order' is {order}, where") as info:
            read(path)
        assert "stored in Fortran order" not in str(info.value)


def test_fifty_thousand_extra_members_give_a_short_line(tmp_path: Path) -> None:
    """An .npz with 50,000 extra members: the error named every one (488,976 characters)."""
    path = tmp_path / "w.npz"
    networks.save(PureNet(3, 4, 2, seed=0), path)
    extra = npy("<f8", [0.0])
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(50_000):
            zf.writestr(f"x{i}.npy", extra)
    for cls in (PureNet, RefNet):
        with pytest.raises(ValueError) as info:
            networks.load(cls, path)
        message = str(info.value)
        assert len(message) < 300 and "\n" not in message, message[:300]
        assert "unexpected key(s) 'x0', 'x1', 'x10', 'x100', 'x1000', 'x10000', 'x10001', " \
            "'x10002', 'x10003', 'x10004' and 49,990 more: expected exactly 'W1', 'b1', " \
            "'W2', 'b2'" in message


def deny_writes(monkeypatch: pytest.MonkeyPatch, directory: str) -> None:
    """Make directory unwritable: chmod 555, or for root (who may write anyway) what it does."""
    import errno
    import os
    import tempfile

    os.makedirs(directory)
    os.chmod(directory, 0o555)
    if os.geteuid() == 0:
        real = tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):  # noqa: A002 (tempfile's own name)
            if dir is not None and os.path.abspath(dir) == os.path.abspath(directory):
                raise PermissionError(errno.EACCES, "Permission denied", dir)
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(pure_mnist.tempfile, "mkstemp", mkstemp)


def test_an_unwritable_cache_is_named_not_blamed_on_the_mirrors(
        offline: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A cache the user cannot write: each mirror used to "fail" with Permission denied."""
    cache = str(offline)
    deny_writes(monkeypatch, cache)
    with pytest.raises(DataError) as info:
        pure_mnist.load_mnist()
    message = str(info.value)
    assert f"No download was tried: cannot write into {cache} (Permission denied). " \
        "Make that directory writable (chmod u+w), set XDG_CACHE_HOME" in message
    assert "127.0.0.1" not in message and "Download failed" not in message
    assert "downloading" not in capsys.readouterr().err  # no mirror was asked


def test_a_cache_that_cannot_be_created_is_named(tmp_path: Path, offline: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """XDG_CACHE_HOME under a file: the cache cannot be made, and that is what the line says."""
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    with pytest.raises(DataError, match=r"No download was tried: cannot create "
                                        rf"{tmp_path / 'file'}/purenet/mnist \(Not a directory\)"):
        pure_mnist.load_mnist()


def test_an_unreadable_purenet_data_is_called_unreadable(tmp_path: Path, offline: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """PURENET_DATA naming a directory that cannot be listed: it said "files not found"."""
    import os

    data = tmp_path / "mnist"
    data.mkdir()
    data.chmod(0)
    monkeypatch.setenv("PURENET_DATA", str(data))
    if os.geteuid() == 0:  # root lists any directory: let it see what chmod 0 does for others
        real = os.access
        monkeypatch.setattr(pure_mnist.os, "access",
                            lambda p, mode: False if str(p) == str(data) else real(p, mode))
    try:
        with pytest.raises(DataError, match=rf"^PURENET_DATA names {data}, which is not readable "
                                            r"\(its permissions do not let you list it\)"):
            pure_mnist.load_mnist()
    finally:
        data.chmod(0o755)
