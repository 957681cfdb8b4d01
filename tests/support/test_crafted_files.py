"""Weights files crafted to trip zipfile or the opener: each is one clear ValueError.

The archives are packed by hand (see test_bombs.raw_zip), since zipfile will not write
an encrypted flag, an unknown compression method or two members of one name.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest
from test_bombs import raw_zip, small_members

import purenet.two_layer_net as pure_net
import reference.two_layer_net as ref_net
from purenet_support import networks, weights_file

NETS = [pure_net.TwoLayerNet, ref_net.TwoLayerNet]
PREFIX = r"w\.npz is not a valid \.npz weights file: "


def w1(name: str = "W1.npy") -> tuple[str, bytes, int, int]:
    data = weights_file._npy_bytes(pure_net.TwoLayerNet(4, 5, 3, seed=1).get_params()["W1"])
    return name, data, zlib.crc32(data), len(data)


def write(tmp_path: Path, members: list, **kwargs: int) -> Path:
    path = tmp_path / "w.npz"
    path.write_bytes(raw_zip(members, **kwargs))
    return path


@pytest.mark.parametrize("net_cls", NETS)
def test_the_hand_packed_archive_loads(tmp_path: Path, net_cls) -> None:
    # The craft below changes one thing each time; unchanged, the file is good.
    path = write(tmp_path, [w1(), *small_members()], method=0)
    assert len(networks.load(net_cls, path).get_params()["W1"]) == 4


@pytest.mark.parametrize("net_cls", NETS)
def test_an_encrypted_member_is_refused(tmp_path: Path, net_cls) -> None:
    path = write(tmp_path, [w1(), *small_members()], method=0, flags=0x1)
    with pytest.raises(ValueError, match=PREFIX + r"member 'W1\.npy' is encrypted: "
                                          r"NumPy writes plain zip archives$"):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", NETS)
def test_an_unknown_compression_method_is_refused(tmp_path: Path, net_cls) -> None:
    path = write(tmp_path, [w1(), *small_members()], method=9)  # deflate64
    with pytest.raises(ValueError, match=PREFIX + r"member 'W1\.npy' uses compression "
                                          r"method 9: NumPy writes only stored \(0\) or "
                                          r"deflated \(8\) members$"):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", NETS)
@pytest.mark.parametrize("second", ["W1.npy", "W1"])
def test_a_key_stored_twice_is_refused_not_last_one_wins(tmp_path: Path, net_cls,
                                                         second: str) -> None:
    path = write(tmp_path, [w1(), *small_members(), w1(second)], method=0)
    with pytest.raises(ValueError, match=PREFIX + rf"it holds 'W1' twice \('W1\.npy' and "
                                          rf"'{second}'\): each array must be stored once$"):
        networks.load(net_cls, path)


@pytest.mark.parametrize("make, kind", [(os.mkfifo, "a FIFO"), (os.mkdir, "a directory")])
def test_a_weights_path_that_is_not_a_regular_file_is_refused_without_waiting(
        tmp_path: Path, make, kind: str) -> None:
    path = tmp_path / "x.npz"
    make(path)  # a FIFO with no writer: a plain open() would wait for one forever
    with pytest.raises(ValueError, match=rf"x\.npz is {kind}, not a regular file: weights "
                                         rf"are read from an \.npz or \.json file$"):
        weights_file.load(path)


def test_a_device_is_refused(tmp_path: Path) -> None:
    # A link named x.npz to /dev/zero, which would give zeros forever: the check
    # looks at what was opened, through the link.
    path = tmp_path / "x.npz"
    path.symlink_to("/dev/zero")
    with pytest.raises(ValueError, match=r"x\.npz is a device, not a regular file"):
        weights_file.load(path)


@pytest.mark.parametrize("ext", [".npz", ".json"])
def test_a_bytes_path_loads_like_a_str_one(tmp_path: Path, ext: str) -> None:
    net = pure_net.TwoLayerNet(4, 5, 3, seed=2)
    networks.save(net, tmp_path / f"good{ext}")
    params = weights_file.load(os.fsencode(tmp_path / f"good{ext}"))
    assert params == net.get_params()
    assert weights_file.check_extension(b"good.npz") == ".npz"


def test_load_reads_both_formats_into_the_same_dict(tmp_path: Path) -> None:
    net = pure_net.TwoLayerNet(4, 5, 3, seed=3)
    networks.save(net, tmp_path / "w.npz")
    networks.save(net, tmp_path / "w.json")
    assert weights_file.load(tmp_path / "w.npz") == weights_file.load(tmp_path / "w.json")


def test_load_names_the_file_whose_json_is_no_dict(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text("[1, 2]")
    with pytest.raises(TypeError, match=r"w\.json: params must be a dict, got list$"):
        weights_file.load(path)
