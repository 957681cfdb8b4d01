"""The test session runs NumPy's BLAS on one thread, as the purenet command does.

Set here, before any test module imports NumPy: the tests' products are small,
and on a busy machine a BLAS thread waiting for a core makes each of them up to
a hundred times slower (purenet_cli/blas.py). A thread count the user set wins.
"""

from pathlib import Path

import pytest

from purenet_cli.blas import limit_blas_threads

limit_blas_threads()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No PURENET_DATA, the cache under tmp_path/cache, every mirror a port nobody answers.

    Gives the MNIST cache directory, tmp_path/cache/purenet/mnist (not made).
    No system directory is searched either, so only the test's own files count.
    """
    import dataclasses
    import socket

    import purenet_support.mnist

    monkeypatch.delenv("PURENET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with socket.socket() as sock:  # bound, then closed: nothing listens on the port
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    for name, info in list(purenet_support.mnist.DATASETS.items()):
        monkeypatch.setitem(purenet_support.mnist.DATASETS, name,
                            dataclasses.replace(info, system_dirs=(), mirrors=(refused,)))
    return tmp_path / "cache" / "purenet" / "mnist"
