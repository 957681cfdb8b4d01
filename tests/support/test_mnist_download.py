"""Tests of MNIST downloads against an HTTP server the tests start on 127.0.0.1.

The server serves small IDX files made here, plus mirrors that fail in the ways real
ones do (HTTP 500, an HTML page, a cut connection, no answer). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import io
import socket
import struct
import sys
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from test_bombs import BOMB, PEAK, deflate_zeros

import purenet_support.mnist as pure
import purenet_support.mnist_numpy as ref
from purenet_support.mnist import FILES, DataError, download, read_idx

NAME = FILES["train_label"]


def idx_bytes(dims: tuple[int, ...], data: bytes) -> bytes:
    """An IDX file of unsigned bytes: magic number, sizes, values."""
    return bytes([0, 0, 0x08, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + data


CONTENTS = {
    FILES["train_img"]: idx_bytes((4, 28, 28), bytes(range(196)) * 16),
    FILES["train_label"]: idx_bytes((4,), bytes([7, 2, 1, 0])),
    FILES["test_img"]: idx_bytes((2, 28, 28), bytes(range(98)) * 16),
    FILES["test_label"]: idx_bytes((2,), bytes([4, 9])),
}
DIGESTS = {name: hashlib.sha256(content).hexdigest() for name, content in CONTENTS.items()}
SLOW = 1.0  # seconds the "slow" mirror waits; downloads here use a shorter timeout


class Handler(http.server.BaseHTTPRequestHandler):
    """/<kind>/<file>.gz where kind says how this mirror behaves."""

    hits: Counter = Counter()

    def do_GET(self) -> None:
        _, kind, filename = self.path.split("/", 2)
        Handler.hits[kind] += 1
        body = gzip.compress(CONTENTS.get(filename.removesuffix(".gz"), b""))
        if kind == "e500":
            self.send_error(500)
            return
        if kind == "wrong":
            body = b"<html><body>Access denied</body></html>"
        elif kind == "badgz":
            body = body[:10] + bytes(len(body) - 10)
        elif kind == "slow":
            time.sleep(SLOW)
        elif kind == "bomb":  # the right header and labels, then 3 GiB of zeros in 3 MB
            body = deflate_zeros(BOMB, prefix=CONTENTS[filename.removesuffix(".gz")], wbits=31)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body) * (2 if kind == "short" else 1)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if kind == "short" else body)
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the slow mirror writes to a socket the client already closed


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused() -> str:
    """A 127.0.0.1 URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, refused: str) -> Path:
    """No PURENET_DATA, a cache under tmp_path, and the real mirrors replaced."""
    monkeypatch.delenv("PURENET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name, info in list(pure.DATASETS.items()):
        monkeypatch.setitem(pure.DATASETS, name, dataclasses.replace(info, mirrors=(refused,)))
    return tmp_path / "cache"


def test_download_verifies_and_keeps_only_the_file(tmp_path: Path, server: str) -> None:
    path = download(NAME, tmp_path, DIGESTS[NAME], [f"{server}/good/"], progress=False)
    assert path == str(tmp_path / (NAME + ".gz"))
    assert read_idx(path, ndim=1, sha256=DIGESTS[NAME]) == ((4,), bytes([7, 2, 1, 0]))
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME + ".gz"]


def test_a_failing_mirror_falls_through_to_the_next(
    tmp_path: Path, server: str, refused: str
) -> None:
    kinds = ["e500", "wrong", "badgz", "short", "slow"]
    mirrors = [refused, *(f"{server}/{kind}/" for kind in kinds), f"{server}/good"]
    path = download(NAME, tmp_path / "new", DIGESTS[NAME], mirrors, timeout=SLOW / 4,
                    progress=False)
    assert read_idx(path, sha256=DIGESTS[NAME])[1] == bytes([7, 2, 1, 0])
    assert [p.name for p in (tmp_path / "new").iterdir()] == [NAME + ".gz"]


def test_when_every_mirror_fails_nothing_is_left_behind(
    tmp_path: Path, server: str, refused: str
) -> None:
    kinds = ["e500", "wrong", "badgz", "short", "slow"]
    mirrors = [refused, *(f"{server}/{kind}/" for kind in kinds)]
    with pytest.raises(DataError) as caught:
        download(NAME, tmp_path, DIGESTS[NAME], mirrors, timeout=SLOW / 4, progress=False)
    reasons = str(caught.value).split("; ")
    size = len(gzip.compress(CONTENTS[NAME]))
    assert [reason.split(": ", 1)[1] for reason in reasons] == [
        "connection refused",
        "HTTP 500 Internal Server Error",
        "wrong content (SHA-256 mismatch)",
        "not a valid gzip file",
        f"connection closed after {size // 2} of {2 * size} bytes",
        "no answer within 0.25 s",
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_mirror_serving_a_bomb_is_refused_without_inflating_it(
    tmp_path: Path, server: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=r": wrong content \(SHA-256 mismatch\)$"):
            download(NAME, tmp_path, DIGESTS[NAME], [f"{server}/bomb/"], progress=False)
        path = download(NAME, tmp_path, DIGESTS[NAME], [f"{server}/bomb/", f"{server}/good/"],
                        progress=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK  # the 3 MB served, and a bounded read of it
    assert [p.name for p in tmp_path.iterdir()] == [NAME + ".gz"]
    assert read_idx(path, ndim=1, sha256=DIGESTS[NAME])[1] == bytes([7, 2, 1, 0])


def test_ctrl_c_removes_the_partial_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: str
) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pure, "_show_progress", interrupt)
    with pytest.raises(KeyboardInterrupt):
        download(NAME, tmp_path, DIGESTS[NAME], [f"{server}/good/"])
    assert list(tmp_path.iterdir()) == []


def test_progress_in_a_log_is_one_short_line(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    download(NAME, tmp_path, DIGESTS[NAME], [f"{server}/e500/", f"{server}/good/"])
    err = capsys.readouterr().err
    assert err == (f"purenet: downloading {server}/e500/{NAME}.gz\n"
                   f"purenet: downloading {server}/good/{NAME}.gz\n")


def test_progress_on_a_terminal_redraws_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: str
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    download(NAME, tmp_path, DIGESTS[NAME], [f"{server}/good/"])
    lines = terminal.getvalue().split("\n")
    assert lines[0] == f"purenet: downloading {server}/good/{NAME}.gz"
    assert lines[1].startswith("\r  [") and lines[1].endswith("] 100% of 0.0 MB")
    assert lines[2:] == [""]


def test_load_mnist_downloads_into_the_cache_once(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, server: str, refused: str
) -> None:
    tiny = dataclasses.replace(pure.DATASETS["mnist"], title="Tiny", sha256=DIGESTS,
                               mirrors=(refused, f"{server}/good/"))
    monkeypatch.setitem(pure.DATASETS, "tiny", tiny)
    before = Handler.hits["good"]
    (x, t), (x_test, t_test) = pure.load_mnist(dataset="tiny")
    assert Handler.hits["good"] == before + 4
    assert sorted(p.name for p in (isolated / "purenet" / "tiny").iterdir()) == sorted(
        name + ".gz" for name in FILES.values())
    (rx, rt), _ = ref.load_mnist(dataset="tiny")  # from the cache now
    assert Handler.hits["good"] == before + 4
    assert t == rt.tolist() == [7, 2, 1, 0] and t_test == [4, 9]
    assert np.array_equal(np.array(x.take(range(4))), rx)


def test_load_mnist_offline_reports_the_mirrors(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, server: str
) -> None:
    mirrors = (f"{server}/e500/", f"{server}/wrong/")
    fashion = dataclasses.replace(pure.DATASETS["fashion-mnist"], system_dirs=(),
                                  mirrors=mirrors)
    monkeypatch.setitem(pure.DATASETS, "fashion-mnist", fashion)
    with pytest.raises(DataError) as caught:
        ref.load_mnist(dataset="fashion-mnist")
    host = server.removeprefix("http://")
    assert str(caught.value) == (
        "Fashion-MNIST files not found: train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz. "
        f"Searched: {isolated / 'purenet' / 'fashion-mnist'}. "
        f"Download failed: {host}: HTTP 500 Internal Server Error; "
        f"{host}: wrong content (SHA-256 mismatch). "
        "Point --data-dir or PURENET_DATA at a directory holding them "
        "(or apt-get install dataset-fashion-mnist)."
    )
    assert list((isolated / "purenet" / "fashion-mnist").iterdir()) == []
