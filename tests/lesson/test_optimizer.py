"""SGD: the update in place, the book's key typo made loud, and 50 steps in lockstep."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from purenet.optimizer import SGD as PureSGD
from purenet.two_layer_net import TwoLayerNet as PureNet
from reference.optimizer import SGD as RefSGD
from reference.two_layer_net import TwoLayerNet as RefNet

KEYS = ("W1", "b1", "W2", "b2")
TWINS = [(PureSGD, PureNet, list), (RefSGD, RefNet, np.array)]


@pytest.mark.parametrize("sgd_cls, net_cls, arr", TWINS)
def test_update_is_params_minus_lr_times_grads(sgd_cls, net_cls, arr):
    params = {"W": arr([[1.0, 2.0], [3.0, 4.0]]), "b": arr([0.5, -0.5])}
    grads = {"W": arr([[10.0, 0.0], [-10.0, 1.0]]), "b": arr([1.0, 1.0])}
    sgd_cls(lr=0.1).update(params, grads)
    assert np.allclose(params["W"], [[0.0, 2.0], [4.0, 3.9]], rtol=0, atol=1e-15)
    assert np.allclose(params["b"], [0.4, -0.6], rtol=0, atol=1e-15)


@pytest.mark.parametrize("sgd_cls, net_cls, arr", TWINS)
def test_update_is_in_place(sgd_cls, net_cls, arr):
    net = net_cls(4, 5, 3, seed=0)
    row0, b1 = net.params["W1"][0], net.params["b1"]  # references held elsewhere
    before = float(row0[0])
    grads = {k: arr(np.ones(np.shape(v)).tolist()) for k, v in net.params.items()}
    sgd_cls(lr=0.5).update(net.params, grads)
    assert row0[0] == pytest.approx(before - 0.5, abs=1e-15)
    assert b1[0] == pytest.approx(-0.5, abs=1e-15)


def test_default_lr_is_the_books():
    assert PureSGD().lr == RefSGD().lr == 0.01


@pytest.mark.parametrize("sgd_cls", [PureSGD, RefSGD])
@pytest.mark.parametrize("lr, error", [(0, ValueError), (-0.1, ValueError),
                                       (math.inf, ValueError), (math.nan, ValueError),
                                       ("0.1", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_learning_rate_raises_naming_it(sgd_cls, lr, error):
    with pytest.raises(error, match="lr must be"):
        sgd_cls(lr)
    if error is ValueError:
        with pytest.raises(ValueError, match=f"got {lr!r}"):
            sgd_cls(lr)


@pytest.mark.parametrize("sgd_cls, net_cls, arr", TWINS)
def test_book_key_typo_is_an_error(sgd_cls, net_cls, arr):
    # The notes loop `for key in ('W1, b1, W2, b2')`: the parentheses make no
    # tuple, so key runs over the 14 characters of one string.
    net = net_cls(4, 5, 3, seed=1)
    grads = net.gradient([[0.0, 1.0, 2.0, 3.0]], [2])
    typo_keys = list(('W1, b1, W2, b2'))  # noqa: UP034 (the notes' parentheses, on purpose)
    assert typo_keys[:3] == ["W", "1", ","]
    before = net.get_params()

    # grads keyed as that loop would key them
    char_grads = {key: grads.get(key) for key in typo_keys}
    with pytest.raises(ValueError) as info:
        sgd_cls(0.1).update(net.params, char_grads)
    message = str(info.value)
    assert "grads has keys not in params: ' ', ',', '1', '2', 'W', 'b'" in message
    assert "grads lacks keys of params: 'W1', 'W2', 'b1', 'b2'" in message

    # ... or the loop filtering the real grads: nothing left, every key missing
    with pytest.raises(ValueError, match="grads lacks keys of params: 'W1', 'W2', 'b1', 'b2'"):
        sgd_cls(0.1).update(net.params, {k: grads[k] for k in typo_keys if k in grads})

    # one key short
    with pytest.raises(ValueError, match="grads lacks keys of params: 'b2'$"):
        sgd_cls(0.1).update(net.params, {k: grads[k] for k in ("W1", "b1", "W2")})
    assert net.get_params() == before  # a refused update changes nothing


@pytest.mark.parametrize("sgd_cls, net_cls, arr", TWINS)
def test_grads_of_another_shape_raise(sgd_cls, net_cls, arr):
    net = net_cls(4, 5, 3, seed=2)
    grads = {k: arr(np.zeros(np.shape(v)).tolist()) for k, v in net.params.items()}
    before = net.get_params()
    grads["W2"] = arr(np.zeros((3, 5)).tolist())  # transposed: NumPy would not broadcast,
    with pytest.raises(ValueError, match=r"grads\['W2'\] has shape \(3, 5\), "
                                         r"params\['W2'\] has shape \(5, 3\): they must match"):
        sgd_cls(0.1).update(net.params, grads)
    grads["W2"] = arr(np.zeros((5, 3)).tolist())
    grads["b1"] = arr([0.0])  # ... but it would broadcast this one silently
    with pytest.raises(ValueError, match=r"grads\['b1'\] has shape \(1,\)"):
        sgd_cls(0.1).update(net.params, grads)
    assert net.get_params() == before


def test_grads_of_the_wrong_kind_raise():
    net = PureNet(4, 5, 3, seed=3)
    grads = net.gradient([[0.0] * 4], [0])
    with pytest.raises(ValueError, match=r"grads\['W1'\] is ragged"):
        PureSGD(0.1).update(net.params, {**grads, "W1": [[0.0] * 5] * 3 + [[0.0]]})
    ref = RefNet.from_params(net.get_params())
    with pytest.raises(TypeError, match=r"params\['W1'\] must be a numpy array, got list"):
        RefSGD(0.1).update({**ref.params, "W1": net.params["W1"]}, ref.gradient([[0.0] * 4], [0]))


def test_fifty_sgd_steps_in_lockstep():
    d, h, c, pool, batch, lr = 6, 5, 3, 40, 8, 0.5
    rng = random.Random(2024)
    x = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(pool)]
    # a learnable rule: the class is which third of the range the first feature is in
    labels = [0 if row[0] < -0.4 else 1 if row[0] < 0.4 else 2 for row in x]
    pure = PureNet(d, h, c, weight_init_std=1.0, seed=7)
    ref = RefNet.from_params(pure.get_params())
    x_arr, t_arr = np.array(x), np.array(labels)
    start = pure.loss(x, labels), ref.loss(x_arr, t_arr)
    pure_sgd, ref_sgd = PureSGD(lr), RefSGD(lr)
    batch_rng = random.Random(99)  # one chooser of indices feeds both packages
    losses = []
    for _ in range(50):
        idx = batch_rng.sample(range(pool), batch)
        loss_p, grads_p = pure.loss_and_gradient([x[i] for i in idx], [labels[i] for i in idx])
        loss_r, grads_r = ref.loss_and_gradient(x_arr[idx], t_arr[idx])
        assert abs(loss_p - loss_r) < 1e-9
        losses.append(loss_p)
        pure_sgd.update(pure.params, grads_p)
        ref_sgd.update(ref.params, grads_r)
    worst = max(float(np.max(np.abs(np.array(pure.params[k]) - ref.params[k]))) for k in KEYS)
    print(f"\nlockstep: largest |purenet - reference| param after 50 steps: {worst:.3e}")
    assert worst < 1e-9
    end = pure.loss(x, labels), ref.loss(x_arr, t_arr)
    assert end[0] < 0.8 * start[0] and end[1] < 0.8 * start[1], (start, end)
    assert abs(end[0] - end[1]) < 1e-9


@pytest.mark.parametrize("sgd_cls, empty", [(PureSGD, []), (RefSGD, np.zeros(0))])
def test_an_empty_parameter_is_refused_by_name(sgd_cls, empty):
    with pytest.raises(ValueError, match=r"grads\['W'\] is empty"):
        sgd_cls(0.1).update({"W": empty}, {"W": empty})


def test_reference_refuses_int_parameters_it_could_not_update_in_place():
    with pytest.raises(TypeError, match=r"params\['W'\] must hold floats, got int64"):
        RefSGD(0.1).update({"W": np.arange(3)}, {"W": np.ones(3)})


@pytest.mark.parametrize("sgd_cls, arr", [(PureSGD, list), (RefSGD, np.array)])
@pytest.mark.parametrize("bools", [[[1.0, True]], [[1.0, 2.0], [False, 0.5]]])
def test_bool_gradients_are_refused_alike(sgd_cls, arr, bools):
    # NumPy refuses a bool array (no fractional step in place); purenet refuses
    # bools alike, where W - 0.1 * True would quietly count True as 1
    params = {"W": arr([[1.0, 2.0]] * len(bools)), "b": arr([0.5])}
    grads = {"W": bools if arr is list else np.array(bools, dtype=bool), "b": arr([0.0])}
    with pytest.raises(TypeError) as info:
        sgd_cls(0.1).update(params, grads)
    assert str(info.value) == "grads['W'] must hold floats, got bool"
    assert np.array_equal(np.asarray(params["W"]), [[1.0, 2.0]] * len(bools))  # nothing moved


@pytest.mark.parametrize("sgd_cls", [PureSGD, RefSGD])
def test_lr_is_refused_in_the_words_of_gradient_descent(sgd_cls):
    with pytest.raises(TypeError, match=r"^lr must be a number \(float or int\), got str$"):
        sgd_cls("0.1")
    assert type(sgd_cls(1).lr) is float
