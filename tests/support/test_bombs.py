"""Small files that would need gigabytes: each reader refuses them before allocating.

The files are made cheaply: a deflate stream of zeros is a few compressed blocks
repeated (each block stands alone after a full flush), so 3 GiB of zeros costs 3 MB
and milliseconds to write; a raw 3 GiB file is sparse. Memory is measured with
tracemalloc (the readers allocate through Python), never time.
"""

from __future__ import annotations

import os
import struct
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import purenet.two_layer_net as pure_net
import reference.two_layer_net as ref_net
from purenet_support import mnist, networks, weights_file
from purenet_support.mnist import DataError, read_idx

GIB = 1 << 30
BOMB = 3 * GIB  # bytes a bomb inflates to
PEAK = 32 << 20  # no reader may hold more than this while refusing a bomb
NETS = [pure_net.TwoLayerNet, ref_net.TwoLayerNet]


def deflate_zeros(size: int, prefix: bytes = b"", wbits: int = -15) -> bytes:
    """A deflate stream of prefix + zeros, size bytes in all, written in milliseconds.

    After a full flush a block refers to nothing before it, so the block of one MiB of
    zeros can be repeated as often as needed. wbits -15 is raw deflate (zip members).
    """
    block = 1 << 20
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    head = c.compress(prefix + bytes(block - len(prefix))) + c.flush(zlib.Z_FULL_FLUSH)
    zeros = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    return head + zeros * (size // block - 1) + c.flush()


def npy_header(dims: tuple[int, ...]) -> bytes:
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {dims}, }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")


def raw_zip(members: list[tuple[str, bytes, int, int]], method: int = 8,
            flags: int = 0) -> bytes:
    """A zip archive written by hand: (name, compressed data, CRC, declared size) each.

    zipfile cannot store data compressed elsewhere nor lie about sizes, so the local
    headers, the central directory and its end record are packed here.
    """
    body, central = b"", b""
    for name, data, crc, size in members:
        encoded = name.encode()
        fields = (flags, method, 0, 0, crc, len(data), size, len(encoded))
        central += (struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0,
                                len(body)) + encoded)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *fields, 0) + encoded + data
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), len(body), 0)
    return body + central + end


def small_members() -> list[tuple[str, bytes, int, int]]:
    """b1, W2 and b2 of a 4-5-3 network, stored, as every bomb's companions."""
    params = pure_net.TwoLayerNet(4, 5, 3, seed=1).get_params()
    members = []
    for key in ("b1", "W2", "b2"):
        data = weights_file._npy_bytes(params[key])
        members.append((f"{key}.npy", data, zlib.crc32(data), len(data)))
    return members


@pytest.fixture
def peak_memory() -> Iterator[Callable[[], int]]:
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refuse(load: Callable[[], object], match: str, peak_memory: Callable[[], int]) -> str:
    with pytest.raises(ValueError, match=match) as caught:
        load()
    assert peak_memory() < PEAK
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- .npz ----------------------------------------------------------------------------------


def test_bomb_helper_inflates_to_what_it_says() -> None:
    stream = deflate_zeros(8 << 20, prefix=b"abc")
    d = zlib.decompressobj(-15)
    out = d.decompress(stream)
    assert len(out) == 8 << 20 and out[:4] == b"abc\x00" and d.eof


@pytest.mark.parametrize("net_cls", NETS)
def test_an_npz_member_declaring_3_gib_is_refused_unread(tmp_path: Path, net_cls,
                                                         peak_memory) -> None:
    header = npy_header((BOMB // 8 - 16,))  # 128 header bytes + numbers = 3 GiB exactly
    data = deflate_zeros(BOMB, prefix=header)
    path = tmp_path / "w.npz"
    path.write_bytes(raw_zip([("W1.npy", data, 0, BOMB), *small_members()]))
    assert path.stat().st_size < 4 << 20
    refuse(lambda: networks.load(net_cls, path),
           rf"w\.npz is not a valid \.npz weights file: member "
           rf"'W1\.npy' declares {BOMB} bytes, past the {1 << 28} all arrays of a weights "
           rf"file may hold$", peak_memory)


@pytest.mark.parametrize("net_cls", NETS)
def test_an_npy_header_larger_than_its_member_is_refused_unread(tmp_path: Path, net_cls,
                                                                peak_memory) -> None:
    # The shape asks for 3 GiB; the member declares 288 bytes, with their right CRC.
    header = npy_header((BOMB // 8 - 16,))
    data = deflate_zeros(BOMB, prefix=header)
    crc = zlib.crc32(header + bytes(160))
    path = tmp_path / "w.npz"
    path.write_bytes(raw_zip([("W1.npy", data, crc, len(header) + 160), *small_members()]))
    refuse(lambda: networks.load(net_cls, path),
           rf"'W1' has 160 data bytes, shape \({BOMB // 8 - 16},\) "
           rf"needs {BOMB - 128}$", peak_memory)


@pytest.mark.parametrize("net_cls", NETS)
def test_a_member_longer_than_it_declares_is_read_no_further(tmp_path: Path, net_cls,
                                                              peak_memory) -> None:
    # Header and size agree on 4x5 numbers; the data goes on for 3 GiB. zipfile
    # stops at the declared size, and the CRC (of the whole stream) does not match.
    header = npy_header((4, 5))
    data = deflate_zeros(BOMB, prefix=header)
    path = tmp_path / "w.npz"
    path.write_bytes(raw_zip([("W1.npy", data, 12345, len(header) + 160), *small_members()]))
    refuse(lambda: networks.load(net_cls, path),
           r"w\.npz is not a valid \.npz weights file: damaged "
           r"zip archive: Bad CRC-32 for file 'W1\.npy'$", peak_memory)


def test_a_json_file_past_the_limit_is_refused_unread(tmp_path: Path, peak_memory) -> None:
    path = tmp_path / "w.json"
    with open(path, "wb") as f:
        f.truncate(BOMB)  # sparse: no disk used
    refuse(lambda: weights_file.load(path), rf"w\.json is not a valid \.json weights file: "
           rf"it is {BOMB} bytes, more than the {1 << 28} a weights file may hold$", peak_memory)


# --- IDX files ------------------------------------------------------------------------------

LABELS = "t10k-labels-idx1-ubyte"
LABELS_SHA = mnist.DATASETS["mnist"].sha256[LABELS]


def refuse_idx(path: Path, match: str, peak_memory: Callable[[], int],
               sha256: str | None = LABELS_SHA) -> None:
    with pytest.raises(DataError, match=match) as caught:
        read_idx(path, ndim=1, sha256=sha256)
    assert peak_memory() < PEAK
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_gzip_going_on_for_3_gib_past_its_header_is_read_no_further(
        tmp_path: Path, peak_memory) -> None:
    header = bytes([0, 0, 8, 1]) + struct.pack(">I", 10_000)  # 10,000 labels, then zeros
    path = tmp_path / (LABELS + ".gz")
    path.write_bytes(deflate_zeros(BOMB, prefix=header, wbits=31))  # 31: gzip's framing
    assert path.stat().st_size < 4 << 20
    refuse_idx(path, r"is too long: its content goes on past the 10008 bytes its header "
               r"\(10000\) says; delete or replace it", peak_memory)


def test_a_gzip_whose_header_asks_for_3_gib_is_refused_unread(tmp_path: Path,
                                                             peak_memory) -> None:
    header = bytes([0, 0, 8, 1]) + struct.pack(">I", BOMB - 8)
    path = tmp_path / (LABELS + ".gz")
    path.write_bytes(deflate_zeros(BOMB, prefix=header, wbits=31))
    refuse_idx(path, rf"has a header \({BOMB - 8}\) that says {BOMB} bytes, more than the "
               rf"10008 bytes of the official {LABELS}; delete or replace it", peak_memory)


@pytest.mark.parametrize("sha256, allowed", [
    (LABELS_SHA, f"the 10008 bytes of the official {LABELS}"),
    (None, f"the {1 << 28} bytes this reader accepts"),  # no digest: the reader's own cap
])
def test_a_sparse_3_gib_raw_file_is_refused_unread(tmp_path: Path, peak_memory,
                                                    sha256: str | None, allowed: str) -> None:
    path = tmp_path / LABELS
    with open(path, "wb") as f:
        f.write(bytes([0, 0, 8, 1]) + struct.pack(">I", BOMB - 8))
        f.truncate(BOMB)  # sparse: no disk used
    refuse_idx(path, rf"is {BOMB} bytes, more than {allowed}; delete or replace it",
               peak_memory, sha256)


def test_an_idx_path_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    path = tmp_path / LABELS
    os.mkfifo(path)
    with pytest.raises(DataError, match=r"is not a regular file; delete or replace it"):
        read_idx(path, ndim=1)
