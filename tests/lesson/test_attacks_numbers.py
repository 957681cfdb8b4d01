"""Attacks with numbers a learner really types: NumPy ints, NumPy scalars, odd arguments.

Each test is an attack from issue 20 that gave a silently wrong number or a raw
Python/NumPy error. Oracles are Python's own floats and ints (math.exp, exact
ints) or a float64 array computed by hand, never the twin alone.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
import pytest

import purenet.functions as pf
import purenet.gradient as pf_gradient
import reference.functions as rf
import reference.gradient as rf_gradient
from purenet.gradient import gradient_descent as pure_descent
from purenet.train import Hyperparameters, train
from purenet.two_layer_net import TwoLayerNet as PureNet
from purenet_support.mnist import ImageRows
from reference.gradient import gradient_descent as ref_descent
from reference.gradient import numerical_gradient as ref_numerical_gradient
from reference.two_layer_net import TwoLayerNet as RefNet

INT_DTYPES = (np.uint8, np.int8, np.int16, np.int64, np.uint64)


def exact_sigmoid(v: int) -> float:
    return 1 / (1 + math.exp(-v))


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_sigmoid_of_int_arrays_is_float64_and_right(dtype) -> None:
    values = [0, 1, 2, 100, 127]
    x = np.array(values, dtype=dtype)
    got = rf.sigmoid(x)
    assert got.dtype == np.float64
    want = [exact_sigmoid(v) for v in values]
    assert got.tolist() == pytest.approx(want, rel=1e-15, abs=1e-300)
    assert pf.sigmoid(values) == pytest.approx(got.tolist(), rel=1e-15)


def test_sigmoid_of_unnormalized_mnist_pixels() -> None:
    # load_mnist(normalize=False) gives uint8 0..255: every nonzero pixel used to give 0.0
    pixels = np.arange(256, dtype=np.uint8).reshape(2, 128)
    got = rf.sigmoid(pixels)
    want = [exact_sigmoid(v) for v in range(256)]
    assert got.ravel().tolist() == pytest.approx(want, rel=1e-15)
    rows = ImageRows(bytes(range(256)) * 3 + bytes(16), (1, 28, 28), normalize=False)
    assert pf.sigmoid(rows[0]) == pytest.approx(rf.sigmoid(np.array(rows[0], np.uint8)).tolist())


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_softmax_of_int_arrays(dtype) -> None:
    got = rf.softmax(np.array([1, 2, 3], dtype=dtype))
    total = sum(math.exp(v) for v in (1, 2, 3))
    want = [math.exp(v) / total for v in (1, 2, 3)]
    assert got.dtype == np.float64
    assert got.tolist() == pytest.approx(want, rel=1e-14)
    assert pf.softmax([1, 2, 3]) == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("dtype, y, t", [
    (np.uint8, [20, 0, 0], [0, 0, 1]),           # 0.5 * (400 + 1) = 200.5, not 72.5
    (np.int8, [-10, 0, 0], [0, 1, 0]),           # 0.5 * (100 + 1) = 50.5
    (np.int8, [127, -128, 0], [0, 0, 1]),        # squares past int8's range
    (np.int64, [0, 2**32, 0], [0, 1, 0]),        # (2**32 - 1)**2 is past int64's range
])
def test_sum_squared_error_of_int_arrays(dtype, y, t) -> None:
    exact = sum((a - b) ** 2 for a, b in zip(y, t)) / 2  # Python's ints: never overflow
    got = rf.sum_squared_error(np.array(y, dtype=dtype), np.array(t, dtype=dtype))
    assert got == pytest.approx(exact, rel=1e-15)
    assert pf.sum_squared_error(y, t) == pytest.approx(exact, rel=1e-15)


def test_cross_entropy_of_int_probabilities_agrees() -> None:
    y, t = [0, 1, 0], [0, 1, 0]
    want = -math.log(1 + 1e-7)
    assert rf.cross_entropy_error(np.array(y, np.uint8), np.array(t, np.uint8)) == \
        pytest.approx(want, rel=1e-12)
    assert pf.cross_entropy_error(y, t) == pytest.approx(want, rel=1e-12)


def test_numpy_scalars_in_lists_are_numbers() -> None:
    y = [[0.25, 0.75], [0.5, 0.5]]
    want = -(math.log(0.75 + 1e-7) + math.log(0.5 + 1e-7)) / 2
    labels = [np.int64(1), np.int64(0)]
    assert rf.cross_entropy_error(np.array(y), labels) == pytest.approx(want, rel=1e-14)
    floats = [np.float64(1.0), 2.0]
    assert rf.sigmoid(floats).tolist() == pytest.approx([exact_sigmoid(1), exact_sigmoid(2)])
    assert pf.sigmoid(floats) == pytest.approx([exact_sigmoid(1), exact_sigmoid(2)])


def test_purenet_names_numpy_ints_and_how_to_fix_them() -> None:
    with pytest.raises(TypeError, match=r"int64.*Python ints"):
        pf.sigmoid([np.int64(1), 2])


def test_gradient_descent_with_f_returning_numpy_floats() -> None:
    # x1 = x0 - lr * 2 x0 each step: 0.8 ** 3 after three steps of lr 0.1 from 1.0
    x, _ = pure_descent(lambda v: np.float64(v[0] * v[0]), [1.0], 0.1, 3)
    assert x[0] == pytest.approx(0.8 ** 3, rel=1e-6)
    xr, _ = ref_descent(lambda v: np.float64(np.sum(v * v)), np.array([1.0]), 0.1, 3)
    assert xr[0] == pytest.approx(0.8 ** 3, rel=1e-6)


def test_predict_of_a_number_names_x() -> None:
    for net in (PureNet(4, 3, 2, seed=0), RefNet(4, 3, 2, seed=0)):
        with pytest.raises(TypeError, match=r"^x must be a list .*got int$"):
            net.predict(5)


def test_a_read_only_array_is_named_not_a_numpy_error() -> None:
    x = np.array([1.0, 2.0])
    x.setflags(write=False)
    with pytest.raises(ValueError, match=r"numerical_gradient needs x writable.*x.copy\(\)"):
        ref_numerical_gradient(lambda v: float(np.sum(v * v)), x)


def tiny_data(n_train: int = 6, n_labels: int | None = None):
    rng = random.Random(0)
    x = [[rng.random() for _ in range(4)] for _ in range(n_train)]
    t = [rng.randrange(2) for _ in range(n_labels if n_labels is not None else n_train)]
    return (x, t), (x[:2], t[:2])


class NoOptimizer:
    def update(self, params, grads) -> None:
        pass


def test_fewer_labels_than_images_is_one_sentence() -> None:
    with pytest.raises(ValueError, match=r"^x_train holds 6 images but t_train 4 labels"):
        train(PureNet(4, 3, 2, seed=0), NoOptimizer(), tiny_data(6, 4),
              Hyperparameters(iters=1, batch_size=2), random.Random(0))


@pytest.mark.parametrize("hp, message", [
    (Hyperparameters(iters=2.5, batch_size=2), r"^iters must be a whole number, got float 2.5$"),
    (Hyperparameters(iters=1, batch_size=2.0), r"^batch_size must be a whole number"),  # type: ignore[arg-type]
    (Hyperparameters(iters=1, batch_size=2, lr="0.1"), r"^lr must be a number"),  # type: ignore[arg-type]
])
def test_hyperparameters_of_the_wrong_type(hp, message) -> None:
    with pytest.raises(TypeError, match=message):
        train(PureNet(4, 3, 2, seed=0), NoOptimizer(), tiny_data(), hp, random.Random(0))


def test_numpy_ints_are_whole_numbers() -> None:
    history = train(PureNet(4, 3, 2, seed=0), NoOptimizer(), tiny_data(),
                    Hyperparameters(iters=np.int64(2), batch_size=np.int64(2)),
                    random.Random(0))
    assert len(history.train_loss) == 2


def test_a_numpy_generator_where_random_is_expected() -> None:
    with pytest.raises(TypeError, match=r"^rng must be a random.Random .*got Generator$"):
        train(PureNet(4, 3, 2, seed=0), NoOptimizer(), tiny_data(),
              Hyperparameters(iters=1, batch_size=2), np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"^rng must be a random.Random, got Generator$"):
        PureNet(4, 3, 2, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"^rng must be a numpy.random.Generator, got Random$"):
        RefNet(4, 3, 2, rng=random.Random(0))


class LazyRows(Sequence):
    """A sequence of rows that is not a list: what the network's check turns into a list."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


@pytest.mark.parametrize("rows, error", [
    ([[0.1, 0.2, 0.3, 0.4], [0.1, 0.2]], ValueError),          # ragged
    ([[0.1, 0.2, 0.3, "0.4"], [0.1, 0.2, 0.3, 0.4]], TypeError),  # a str
    ([[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, True]], TypeError),   # a bool
])
def test_check_x_checks_a_batch_before_trusting_it(rows, error) -> None:
    # Rows are trusted by shape() once checked: wrapping x as Rows before the
    # check would let a ragged or non-numeric batch through to the products.
    net = PureNet(4, 3, 2, seed=0)
    for x in (rows, LazyRows(rows)):
        with pytest.raises(error, match=r"^x "):
            net.predict(x)


def forgot_the_return(x):
    x[0] * x[0] + x[1] * x[1]  # the value is computed, then dropped: f returns None


@pytest.mark.parametrize("call", [
    lambda: pf_gradient.numerical_diff(lambda v: None, 1.0),
    lambda: rf_gradient.numerical_diff(lambda v: None, 1.0),
    lambda: pf_gradient.numerical_gradient(forgot_the_return, [1.0, 2.0]),
    lambda: ref_numerical_gradient(forgot_the_return, np.array([1.0, 2.0])),
    lambda: pure_descent(forgot_the_return, [1.0, 2.0], 0.1, 3),
    lambda: ref_descent(forgot_the_return, np.array([1.0, 2.0]), 0.1, 3),
], ids=["pure diff", "numpy diff", "pure gradient", "numpy gradient", "pure descent",
        "numpy descent"])
def test_a_function_returning_none_is_named(call) -> None:
    """f with no return: "unsupported operand type(s) for -: 'NoneType' and 'NoneType'"."""
    with pytest.raises(TypeError, match=r"^f must return a number, but \w+\(x\) returned None: "
                                        r"does it end without a return statement\?$"):
        call()


def test_a_function_returning_an_array_is_named() -> None:
    """f(x) = x * x (no sum) in reference: "setting an array element with a sequence"."""
    with pytest.raises(TypeError, match=r"returned ndarray of shape \(2,\): make it one number"):
        ref_descent(lambda v: v * v, np.array([1.0, 2.0]), 0.1, 3)


def test_numpy_numbers_and_zero_d_arrays_are_numbers_for_f() -> None:
    # f(x0, x1) = x0^2 + x1^2 has gradient (2 x0, 2 x1): (2, 4) at (1, 2), whatever f returns
    x = np.array([1.0, 2.0])
    for f in (lambda v: np.sum(v * v), lambda v: np.sum(v * v, keepdims=True).reshape(())):
        assert ref_numerical_gradient(f, x).tolist() == pytest.approx([2.0, 4.0], rel=1e-6)
    assert pf_gradient.numerical_gradient(lambda v: np.float64(v[0] * v[0] + v[1] * v[1]),
                                          [1.0, 2.0]) == pytest.approx([2.0, 4.0], rel=1e-6)
