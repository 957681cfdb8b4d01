"""Signals during the train command: what was gathered is written, the status names the signal.

Each test runs the real command in a subprocess (``python -u``, so its lines
arrive as printed) on a small synthetic data set in place of MNIST, waits for
a line that says where the run is, sends the signal, and checks the files and
the exit status.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from purenet_cli.stops import Stops
from purenet_cli.watch import StopSignal

ROOT = Path(__file__).resolve().parents[2]

# The command, with MNIST replaced by random images; PURENET_SLOW names a step
# to slow down and announce ("loading" or "saving"), so a signal can land in it.
SCRIPT = """
import os, sys, time
import numpy as np
import cli, purenet_support.mnist_numpy, purenet_support.weights_numpy

SLOW = os.environ.get("PURENET_SLOW")

def load_mnist(normalize=True, one_hot_label=False, **kwargs):
    if SLOW == "loading":
        print("loading", flush=True)
        time.sleep(10)
    rng = np.random.default_rng(0)
    parts = []
    for n in (200, 50):
        x = rng.integers(0, 256, size=(n, 784), dtype=np.uint8)
        parts.append((x / 255.0, rng.integers(0, 10, size=n)))
    return tuple(parts)

real_save = purenet_support.weights_numpy.save

def slow_save(path, params):
    print("saving", flush=True)
    time.sleep(0.5)
    real_save(path, params)

purenet_support.mnist_numpy.load_mnist = load_mnist
if SLOW == "saving":
    purenet_support.weights_numpy.save = slow_save
cli.main(sys.argv[1:])
"""


def start(tmp_path: Path, slow: str = "", iters: str = "1000000") -> subprocess.Popen:
    """Start a numpy run writing out/h.json and out/p.npz; iters large enough to be stopped."""
    (tmp_path / "out").mkdir()
    env = {"PATH": "/usr/bin:/bin", "PURENET_SLOW": slow, "OPENBLAS_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-u", "-c", SCRIPT, "train", "--no-check", "--iters", iters,
         "--batch-size", "20", "--hidden", "10", "--history", str(tmp_path / "out/h.json"),
         "--save", str(tmp_path / "out/p.npz")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(process: subprocess.Popen, word: str) -> None:
    """Read the run's stdout until a line starts with word."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(word):
            return
    pytest.fail(f"the run ended before printing {word!r}: {process.communicate()}")


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=20)
    return process.returncode, err


@pytest.mark.parametrize("signum, status, name", [(signal.SIGINT, 130, "Ctrl-C"),
                                                  (signal.SIGTERM, 143, "SIGTERM"),
                                                  (signal.SIGHUP, 129, "SIGHUP")])
def test_a_signal_stops_the_run_and_what_was_gathered_is_written(
        tmp_path: Path, signum: int, status: int, name: str) -> None:
    process = start(tmp_path)
    wait_for(process, "epoch   1")
    process.send_signal(signum)
    code, err = finish(process)
    assert code == status, err
    assert f"stopped: interrupted ({name}) " in err
    history = json.loads((tmp_path / "out/h.json").read_text())
    assert history["stopped"] == "interrupted" and len(history["train_loss"]) >= 10
    assert (tmp_path / "out/p.npz").read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["h.json", "p.npz"]


def test_a_second_ctrl_c_does_not_cut_the_final_writes_short(tmp_path: Path) -> None:
    process = start(tmp_path)
    wait_for(process, "epoch   1")
    process.send_signal(signal.SIGINT)
    time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    code, err = finish(process)
    assert code == 130, err
    assert len(json.loads((tmp_path / "out/h.json").read_text())["train_loss"]) >= 10
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["h.json", "p.npz"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_save_lets_it_finish_and_leaves_no_temporary(
        tmp_path: Path, signum: int) -> None:
    process = start(tmp_path, slow="saving", iters="30")
    wait_for(process, "saving")
    process.send_signal(signum)
    process.send_signal(signum)
    code, err = finish(process)
    assert code == 128 + signum, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["h.json", "p.npz"]
    assert len(json.loads((tmp_path / "out/h.json").read_text())["train_loss"]) == 30


def test_a_sigterm_while_loading_exits_143_and_writes_nothing(tmp_path: Path) -> None:
    process = start(tmp_path, slow="loading")
    wait_for(process, "loading")
    process.send_signal(signal.SIGTERM)
    code, err = finish(process)
    assert code == 143 and err.strip() == "stopped (SIGTERM)"
    assert list((tmp_path / "out").iterdir()) == []


def test_after_the_first_signal_the_others_are_only_noted() -> None:
    stops = Stops()
    with pytest.raises(StopSignal, match="SIGTERM"), stops.stopping():
        stops.handle(signal.SIGTERM, None)
    stops.armed = True  # even where work could be stopped, a later signal does not raise
    stops.handle(signal.SIGINT, None)
    assert stops.status() == 143


def test_a_signal_noted_during_the_output_check_stops_the_work_that_follows() -> None:
    stops = Stops()
    stops.handle(signal.SIGINT, None)  # not armed: only noted, no probe file left half done
    with pytest.raises(KeyboardInterrupt), stops.stopping():
        pytest.fail("the work went on")
    assert stops.status() == 130
