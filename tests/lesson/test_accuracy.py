"""Tests of the accuracy over a data set: purenet.train.accuracy_in_chunks, and train --jobs.

Both must count the same hits as ``TwoLayerNet.accuracy`` on everything at once:
on random inputs (with weights large enough to overflow exp), and on real MNIST
test images with weights trained for a few hundred steps, where many images sit
close to a decision boundary.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import pytest

import purenet.two_layer_net
import purenet_support.mnist_numpy
import reference.optimizer
import reference.two_layer_net
from purenet.train import Hyperparameters, take_rows, train
from purenet.train import accuracy_in_chunks as pure_accuracy_in_chunks
from purenet_cli.blas import BLAS_THREAD_VARIABLES
from purenet_cli.impls import take_array
from purenet_cli.jobs import NumpyJobs, PureJobs


def accuracy_in_chunks(network: Any, x: np.ndarray, t: np.ndarray, chunk: int = 10000) -> float:
    """A NumPy run's accuracy: purenet.train.accuracy_in_chunks on arrays."""
    return pure_accuracy_in_chunks(network, x, t, take_array, chunk)

DATA = os.environ.get("PURENET_DATA")
needs_mnist = pytest.mark.skipif(
    not (DATA and os.path.isdir(DATA)),
    reason="real MNIST needed: set PURENET_DATA to a directory holding the four MNIST files")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("std", [0.01, 1e3, 1e30])
def test_numpy_accuracy_never_warns_and_agrees_with_the_network(dtype: str, std: float) -> None:
    # std 1e3 puts a1 far below -709 (float64) and -88 (float32), where exp(-a1) overflows
    net = reference.two_layer_net.TwoLayerNet(784, 50, 10, weight_init_std=std, seed=1)
    for key in net.params:
        net.params[key] = net.params[key].astype(dtype)
    rng = np.random.default_rng(2)
    x = rng.random((2500, 784)).astype(dtype)  # 2500 rows in chunks of 1000: a short last one
    t = rng.integers(0, 10, size=2500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        acc = accuracy_in_chunks(net, x, t, chunk=1000)
        assert acc == net.accuracy(x, t)
        assert accuracy_in_chunks(net, x, np.eye(10)[t], chunk=1000) == acc  # one-hot t


@pytest.fixture(scope="module")
def mnist_subset() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The first 2000 training and 3000 test images of real MNIST, read once for the module."""
    (x_train, t_train), (x_test, t_test) = purenet_support.mnist_numpy.load_mnist(data_dir=DATA)
    return x_train[:2000], t_train[:2000], x_test[:3000], t_test[:3000]


@needs_mnist
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_numpy_accuracy_counts_the_same_hits_as_the_network_on_mnist(
        dtype: str, mnist_subset: tuple[np.ndarray, ...]) -> None:
    x_train, t_train, x_test, t_test = mnist_subset
    x_train, x_test = x_train.astype(dtype), x_test.astype(dtype)
    net = reference.two_layer_net.TwoLayerNet(784, 30, 10, weight_init_std=0.01, seed=0)
    for key in net.params:
        net.params[key] = net.params[key].astype(dtype)
    train(net, reference.optimizer.SGD(0.5), ((x_train, t_train), (x_test, t_test)),
          Hyperparameters(iters=150, batch_size=50, lr=0.5), random.Random(0), take=take_array)
    acc = accuracy_in_chunks(net, x_test, t_test, chunk=700)
    assert 0.5 < acc < 1  # learned something, and still makes mistakes to count
    assert round(acc * 3000) == round(net.accuracy(x_test, t_test) * 3000)
    assert acc == net.accuracy(x_test, t_test)
    # the book's own accuracy: argmax of predict (softmax and x @ W1 as written), row by row
    book = np.argmax(net.predict(x_test), axis=1) == t_test
    assert acc == float(np.sum(book) / len(x_test))


@pytest.mark.parametrize("chunk", [1, 4, 10, 1000])
def test_the_pure_and_numpy_evaluations_agree_with_one_call(chunk: int) -> None:
    rng = random.Random(5)
    x = [[rng.random() for _ in range(6)] for _ in range(10)]
    t = [rng.randrange(3) for _ in range(10)]
    net = purenet.two_layer_net.TwoLayerNet(6, 4, 3, weight_init_std=2.0, seed=7)
    np_net = reference.two_layer_net.TwoLayerNet.from_params(net.get_params())
    expected = net.accuracy(x, t)
    assert pure_accuracy_in_chunks(net, x, t, take_rows, chunk) == expected
    assert accuracy_in_chunks(np_net, np.array(x), np.array(t), chunk) == expected


class Counting:
    """A network whose accuracy is the fraction of rows x equal to t: hits are set by hand."""

    def accuracy(self, x: list, t: list) -> float:
        return sum(a == b for a, b in zip(x, t)) / len(x)


def test_a_chunks_fraction_is_rounded_back_to_its_count_not_truncated() -> None:
    # 29 / 100 * 100 is 28.999999999999996: truncating would count 28 hits
    x, t = list(range(100)), list(range(29)) + [-1] * 71
    assert pure_accuracy_in_chunks(Counting(), x, t, chunk=100) == 0.29
    assert pure_accuracy_in_chunks(Counting(), x, t, chunk=30) == 0.29


@pytest.mark.parametrize("chunk, words", [
    (0, "chunk must be a whole number of rows, 1 or more, got 0"),
    (-1, "chunk must be a whole number of rows, 1 or more, got -1"),
    (2.5, "got 2.5"), (True, "got True")])
def test_a_chunk_below_1_is_refused_alike_in_both_packages(chunk: Any, words: str) -> None:
    net = reference.two_layer_net.TwoLayerNet(4, 3, 2, seed=0)
    x, t = np.ones((5, 4)), np.zeros(5, dtype=int)
    for measure in (lambda: accuracy_in_chunks(net, x, t, chunk=chunk),
                    lambda: pure_accuracy_in_chunks(Counting(), x.tolist(), t.tolist(),
                                                    chunk=chunk)):
        with pytest.raises(ValueError) as refused:
            measure()
        assert words in str(refused.value)


def test_no_rows_and_unmatched_labels_are_refused_alike_in_both_packages() -> None:
    net = reference.two_layer_net.TwoLayerNet(4, 3, 2, seed=0)
    for x, t, words in ((np.ones((0, 4)), np.zeros(0, dtype=int), "x is empty"),
                        (np.ones((5, 4)), np.zeros(4, dtype=int), "x has 5 rows but t has 4")):
        with pytest.raises(ValueError, match=words):
            accuracy_in_chunks(net, x, t)
        with pytest.raises(ValueError, match=words):
            pure_accuracy_in_chunks(Counting(), x.tolist(), t.tolist())


def test_blas_runs_one_thread_unless_the_user_set_a_count() -> None:
    # BLAS reads its thread count once, as NumPy loads: the command sets it first,
    # and a count the user put in the environment is theirs.
    code = ("import os; from purenet_cli.blas import BLAS_THREAD_VARIABLES, limit_blas_threads\n"
            "limit_blas_threads(); import numpy\n"
            "print([os.environ.get(v) for v in BLAS_THREAD_VARIABLES])")
    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARIABLES}
    for given, expected in ({}, "['1', '1', '1']"), ({"OMP_NUM_THREADS": "3"}, "[None, '3', None]"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={**env, **given}, timeout=60, check=True).stdout
        assert out.strip() == expected


@pytest.mark.parametrize("jobs", [2, 3])
def test_jobs_count_what_one_pass_counts_numpy_on_threads(jobs: int) -> None:
    rng = np.random.default_rng(5)
    net = reference.two_layer_net.TwoLayerNet(12, 6, 4, weight_init_std=1.0, seed=2)
    x, t = rng.random((1003, 12)), rng.integers(0, 4, 1003)
    shared = NumpyJobs(jobs, 100, take_array)
    try:
        assert shared.accuracy(net, x, t) == pure_accuracy_in_chunks(net, x, t, take_array, 100)
        assert shared.accuracy(net, x[:7], t[:7]) == net.accuracy(x[:7], t[:7])  # one chunk
    finally:
        shared.close()


def test_jobs_count_what_one_pass_counts_pure_in_helper_processes() -> None:
    rng = random.Random(6)
    net = purenet.two_layer_net.TwoLayerNet(12, 6, 4, weight_init_std=1.0, seed=2)
    x = [[rng.random() for _ in range(12)] for _ in range(301)]
    t = [rng.randrange(4) for _ in range(301)]
    shared = PureJobs(3, 50, take_rows)
    try:
        helpers = list(shared.helpers)
        assert shared.accuracy(net, x, t) == pure_accuracy_in_chunks(net, x, t, take_rows, 50)
        assert shared.helpers == helpers  # both helpers answered: none was dropped
    finally:
        shared.close()
    assert all(helper.poll() is not None for helper in helpers)  # closing ends them


def test_a_helper_that_is_gone_has_its_part_counted_here() -> None:
    rng = random.Random(7)
    net = purenet.two_layer_net.TwoLayerNet(5, 3, 2, weight_init_std=1.0, seed=2)
    x = [[rng.random() for _ in range(5)] for _ in range(40)]
    t = [rng.randrange(2) for _ in range(40)]
    shared = PureJobs(2, 10, take_rows)
    try:
        shared.helpers[0].kill()
        shared.helpers[0].wait(timeout=10)
        assert shared.accuracy(net, x, t) == pure_accuracy_in_chunks(net, x, t, take_rows, 10)
        assert shared.helpers == []  # never asked again
    finally:
        shared.close()


def _epoch_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    from purenet_cli import main as cli

    with pytest.raises(SystemExit) as exited:
        cli.main(["train", "--no-check", "--iters", "65", *args])
    out = capsys.readouterr().out
    assert exited.value.code in (0, None), out
    return [line for line in out.splitlines() if line.startswith(("epoch", "final"))]


@pytest.mark.skipif(not os.environ.get("PURENET_DATA"), reason="needs MNIST: set PURENET_DATA")
@pytest.mark.parametrize("impl", ["numpy", "pure"])
def test_train_prints_the_same_lines_whatever_its_jobs(
        impl: str, capsys: pytest.CaptureFixture[str]) -> None:
    # numpy's default is 2 threads, pure's 1 process: -j 1 and -j 3 print the very same lines.
    # numpy's sizes span several of its 1000-row chunks; pure splits any size among processes.
    sizes = {"numpy": ["2500", "1100", "100"], "pure": ["300", "120", "10"]}[impl]
    args = ["--impl", impl, "--train-size", sizes[0], "--test-size", sizes[1],
            "--batch-size", sizes[2]]
    default = _epoch_lines(capsys, *args)
    assert len(default) == 4  # epochs at 0, 25 (30), 50 (60), then the final line
    assert _epoch_lines(capsys, *args, "-j", "1") == default
    assert _epoch_lines(capsys, *args, "-j", "3") == default


def test_the_default_jobs_are_documented_where_a_user_looks() -> None:
    from purenet_cli.training import DEFAULT_JOBS

    out = subprocess.run([sys.executable, "cli.py", "train", "--help"], capture_output=True,
                         text=True, timeout=60, check=True, stdin=subprocess.DEVNULL,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))).stdout
    flat_help = " ".join(out.split())
    assert "threads with numpy, helper processes with pure" in flat_help
    assert f"[default: (numpy {DEFAULT_JOBS['numpy']}, pure {DEFAULT_JOBS['pure']})" in flat_help
