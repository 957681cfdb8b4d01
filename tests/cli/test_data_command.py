"""The data command: fetch and verify a data set ahead of time, with no real network here.

The mirrors are replaced by a 127.0.0.1 port where nothing listens, so a download fails at
once, as it does offline.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

import purenet_support.mnist as pure
from purenet_cli import main as cli

SHARED = os.environ.get("PURENET_DATA")
HAS_MNIST = bool(SHARED) and all(
    os.path.isfile(os.path.join(SHARED or "", name + ".gz")) for name in pure.FILES.values())


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No PURENET_DATA, a cache under tmp_path, and every mirror refusing."""
    monkeypatch.delenv("PURENET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    for name, info in list(pure.DATASETS.items()):
        monkeypatch.setitem(pure.DATASETS, name, dataclasses.replace(info, mirrors=(refused,)))


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
