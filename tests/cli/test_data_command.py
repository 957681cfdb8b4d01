"""The data command: fetch and verify a data set ahead of time, with no real network here.

The mirrors are replaced by a 127.0.0.1 port where nothing listens, so a download fails at
once, as it does offline.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import http.server
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import purenet_support.mnist as pure
from purenet_cli import main as cli

SHARED = os.environ.get("PURENET_DATA")
HAS_MNIST = bool(SHARED) and all(
    os.path.isfile(os.path.join(SHARED or "", name + ".gz")) for name in pure.FILES.values())


# No PURENET_DATA, a cache under tmp_path, every mirror refusing (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("offline")


def data(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.cli, ["data", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("where", ["given", "cache"])
def test_offline_into_an_empty_directory_is_one_clear_line(where: str, tmp_path: Path) -> None:
    target = tmp_path / "mnist"
    code, out, err = data(*(("--data-dir", str(target)) if where == "given" else ()))
    directory = target if where == "given" else tmp_path / "cache" / "purenet" / "mnist"
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"Error: MNIST could not be fetched into {directory}: "
                          f"train-images-idx3-ubyte.gz: 127.0.0.1")
    assert "connection refused" in err and "PURENET_DATA" in err
    assert list(directory.iterdir()) == []  # no partial file left behind


def test_no_download_only_verifies(tmp_path: Path) -> None:
    code, out, err = data("--data-dir", str(tmp_path), "--no-download")
    assert (code, out) == (1, "")
    assert err == (f"Error: MNIST: train-images-idx3-ubyte.gz is not in {tmp_path} "
                   f"(--no-download): copy the four .gz files there, or run without "
                   f"--no-download to fetch them\n")


def test_a_damaged_file_is_named_and_kept(tmp_path: Path) -> None:
    for name in pure.FILES.values():
        (tmp_path / (name + ".gz")).write_bytes(b"<html>not found</html>")
    code, out, err = data("--data-dir", str(tmp_path))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert f"{tmp_path / 'train-images-idx3-ubyte.gz'} is not a gzip file" in err
    assert (tmp_path / "train-images-idx3-ubyte.gz").read_bytes() == b"<html>not found</html>"


def test_a_file_for_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    code, out, err = data("--data-dir", str(tmp_path / "f"))
    assert code == 2 and "is a file" in err


@pytest.mark.skipif(not HAS_MNIST, reason="real MNIST needed: set PURENET_DATA to a directory "
                    "holding the four MNIST files (CI uses ../shared/mnist)")
def test_a_copy_already_there_is_verified_without_the_network(tmp_path: Path) -> None:
    copy = tmp_path / "dataset"  # as the Korean edition's dataset/ folder holds them
    shutil.copytree(SHARED or "", copy)
    code, out, err = data("--data-dir", str(copy))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"MNIST in {copy}:"
    assert [line.split()[0] for line in lines[1:5]] == [n + ".gz" for n in pure.FILES.values()]
    assert all(line.endswith("verified") for line in lines[1:5])
    assert "60000 images of 28x28" in lines[1] and "10000 labels" in lines[4]
    assert lines[5] == (f"train, evaluate and figures read them with --data-dir {copy} "
                        f"(or PURENET_DATA={copy})")


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local mirror serving a two-image "MNIST", whose digests replace MNIST's here."""
    served = tmp_path / "served"
    served.mkdir()
    digests = {}
    for name in pure.FILES.values():
        dims = (2, 28, 28) if "images" in name else (2,)
        body = bytes(i % 256 for i in range(2 * 28 * 28 if "images" in name else 2))
        content = struct.pack(f">4B{len(dims)}I", 0, 0, 8, len(dims), *dims) + body
        digests[name] = hashlib.sha256(content).hexdigest()
        (served / (name + ".gz")).write_bytes(gzip.compress(content))
    handler = functools.partial(QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    info = dataclasses.replace(pure.DATASETS["mnist"], sha256=digests, mirrors=(url,))
    monkeypatch.setitem(pure.DATASETS, "mnist", info)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_fetches_what_is_missing_then_verifies_and_keeps_what_was_there(
        mirror: str, tmp_path: Path) -> None:
    target = tmp_path / "new" / "mnist"  # made, as its parents are
    code, out, err = data("--data-dir", str(target))
    assert (code, err) == (0, "")
    names = [n + ".gz" for n in pure.FILES.values()]
    assert [line for line in out.splitlines() if line.startswith("fetched ")] == \
        [f"fetched {n}" for n in names]
    assert sorted(p.name for p in target.iterdir()) == sorted(names)  # no .part left
    assert "2 images of 28x28" in out and "2 labels" in out and out.count("verified") == 4
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    code, out, err = data("--data-dir", str(target), "--no-download")
    assert (code, err) == (0, "") and "fetched" not in out
    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before
