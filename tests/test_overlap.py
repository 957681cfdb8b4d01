"""The NumPy evaluation beside the training: the same records and lines as inline, in order.

With a core free, train --impl numpy measures a copy of the weights on a worker
thread while the loop goes on; the Monitor records each measurement once it is
in, oldest first. These runs force the choice both ways (second_core_free) on
random images and compare everything but the clock. The worker is slowed down,
so each measurement is still running when later iterations start.
"""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import cli
import reference.mnist
import reference.two_layer_net
from reference import evaluation

SIZES = ["--train-size", "600", "--test-size", "300", "--batch-size", "100", "--lr", "0.5",
         "--hidden", "20", "--no-check"]


def random_mnist(normalize: bool = True, one_hot_label: bool = False,
                 **kwargs: Any) -> tuple[Any, ...]:
    """Random images in which the label's band of 78 pixels is a little brighter: learnable."""
    gen = np.random.default_rng(0)
    parts = []
    for n in (600, 300):
        t = gen.integers(0, 10, size=n)
        x = gen.random((n, 784))
        x[:, :780].reshape(n, 10, 78)[np.arange(n), t] += 0.3
        parts.append((x / 1.3, t))
    return tuple(parts)


@pytest.fixture(autouse=True)
def slow_worker(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Random data for the CLI, and a worker that takes its time; return the worker's ids."""
    monkeypatch.setattr(reference.mnist, "load_mnist", random_mnist)
    real, workers = evaluation.accuracy_in_chunks, []

    def slow(*args: Any, **kwargs: Any) -> float:
        if threading.current_thread() is not threading.main_thread():
            workers.append(threading.get_ident())
            time.sleep(0.02)  # a few iterations go by meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluation, "accuracy_in_chunks", slow)
    return workers


def invoke(tmp_path: Path, impl: str, beside: bool,
           args: tuple[str, ...]) -> tuple[int, list[str], dict[str, Any]]:
    """Run train --impl impl in a folder of its own; return status, lines and history (no clock)."""
    folder = tmp_path / f"{impl}{beside}"
    folder.mkdir()
    path = folder / "h.json"
    result = CliRunner().invoke(cli.cli, ["train", "--impl", impl, *SIZES, *args,
                                          "--history", str(path)], catch_exceptions=False)
    lines = [re.sub(r"[\d.]+ s\b", "_ s", line).replace(str(folder), "")
             for line in result.output.splitlines()]
    history = json.loads(path.read_text(encoding="utf-8"))
    for key in ("seconds", "timings"):
        history.pop(key)
    return result.exit_code, lines, history


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, beside: bool,
        *args: str) -> tuple[int, list[str], dict[str, Any]]:
    """Train with the measurements beside the loop or inline; return status, lines, history."""
    monkeypatch.setattr(evaluation, "second_core_free", lambda own=0.0: beside)
    return invoke(tmp_path, "numpy", beside, args)


def interrupted_at_8(monkeypatch: pytest.MonkeyPatch, network: type) -> None:
    """Make each run's ninth gradient a Ctrl-C: iteration 8, two after the measurement at 6."""
    original, calls = network.loss_and_gradient, []

    def gradient(self: Any, x: Any, t: Any) -> Any:
        calls.append(1)
        if len(calls) % 9 == 0:
            raise KeyboardInterrupt
        return original(self, x, t)

    monkeypatch.setattr(network, "loss_and_gradient", gradient)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_measuring_beside_the_loop_records_and_prints_what_inline_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow_worker: list[int],
        dtype: str) -> None:
    inline = run(tmp_path, monkeypatch, False, "--iters", "40", "--dtype", dtype)
    assert not slow_worker
    beside = run(tmp_path, monkeypatch, True, "--iters", "40", "--dtype", dtype)
    assert len(slow_worker) == 2 * 8  # iterations 0, 6, ..., 36 and the final weights at 39
    assert beside == inline
    code, lines, history = inline
    assert code == 0 and [e["iteration"] for e in history["epochs"]] == list(range(0, 40, 6))
    epochs = [n for n, line in enumerate(lines) if line.startswith("epoch")]
    assert len(epochs) == 7 and epochs == list(range(epochs[0], epochs[0] + 7))
    assert lines[epochs[-1] + 1].startswith("done: 40 iterations")
    assert lines[-1].startswith("final weights (after 40 iterations)")


def test_ctrl_c_keeps_the_measurements_already_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    interrupted_at_8(monkeypatch, reference.two_layer_net.TwoLayerNet)
    inline = run(tmp_path, monkeypatch, False, "--iters", "40")
    beside = run(tmp_path, monkeypatch, True, "--iters", "40")
    stopped_beside(beside, inline)
    message = inline[2]["message"]
    assert "interrupted (Ctrl-C) in iteration 8, after 8 finished iterations" in message


def stopped_beside(beside: tuple[int, list[str], dict[str, Any]],
                   inline: tuple[int, list[str], dict[str, Any]]) -> None:
    """A stop beside keeps the measurements done by then: a prefix of inline's, the same values."""
    (code, lines, history), (inline_code, inline_lines, inline_history) = beside, inline
    assert inline_code == 130 and [e["iteration"] for e in inline_history["epochs"]] == [0, 6]
    assert inline_history["final"] == {"iteration": 7, "train_acc": None, "test_acc": None}
    assert code == 130 and history["message"] == inline_history["message"]
    assert history["epochs"] == inline_history["epochs"][:len(history["epochs"])]
    assert history["final"] == inline_history["final"]
    assert [line for line in lines if not line.startswith("epoch")] == \
        [line for line in inline_lines if not line.startswith("epoch")]


# Plain Python: the measurements run in a second process (spawned: nothing is patched
# there), on the same random images as lists of floats.

def pure_random_mnist(normalize: bool = True, one_hot_label: bool = False,
                      **kwargs: Any) -> tuple[Any, ...]:
    """random_mnist's images and labels as lists, as purenet.mnist gives them."""
    return tuple((x.tolist(), t.tolist()) for x, t in random_mnist())


def run_pure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, beside: bool,
             *args: str) -> tuple[tuple[int, list[str], dict[str, Any]], int]:
    """run() for --impl pure; also return how many measurements went to the second process."""
    import purenet.measuring
    import purenet.mnist
    import purenet_cli.training

    monkeypatch.setattr(purenet.mnist, "load_mnist", pure_random_mnist)
    monkeypatch.setattr(purenet.measuring, "second_core_free", lambda own=0.0: beside)
    started: list[Future[float]] = []
    real = purenet_cli.training.accuracy_beside

    def counted(*a: Any, **k: Any) -> Any:
        started.append(real(*a, **k))
        return started[-1]

    monkeypatch.setattr(purenet_cli.training, "accuracy_beside", counted)
    outcome = invoke(tmp_path, "pure", beside, args)
    # Each count kept came from the second process: one made here instead (the
    # worker gone) would give the same numbers, and keep the worker's error.
    assert all(m.exception() is None for m in started if m.done() and not m.cancelled())
    return outcome, len(started)


def test_pure_measurements_in_a_second_process_record_and_print_what_inline_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inline, inline_started = run_pure(tmp_path, monkeypatch, False, "--iters", "13")
    beside, beside_started = run_pure(tmp_path, monkeypatch, True, "--iters", "13")
    assert (inline_started, beside_started) == (0, 2 * 3)  # at 0, 6, 12: the final weights
    assert beside == inline
    code, lines, history = inline
    assert code == 0 and [e["iteration"] for e in history["epochs"]] == [0, 6, 12]
    assert lines[-1].startswith("final weights (after 13 iterations)")


def test_pure_ctrl_c_keeps_the_measurements_already_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import purenet.two_layer_net
    interrupted_at_8(monkeypatch, purenet.two_layer_net.TwoLayerNet)
    inline, _ = run_pure(tmp_path, monkeypatch, False, "--iters", "40")
    beside, started = run_pure(tmp_path, monkeypatch, True, "--iters", "40")
    assert started == 2 * 2  # at iterations 0 and 6
    stopped_beside(beside, inline)
