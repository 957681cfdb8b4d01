"""TwoLayerNet: purenet against its NumPy twin, backprop against the numerical gradient,
and every silent failure of the book's version turned into a clear error.

Run with `pytest -s tests/lesson/test_two_layer_net.py` to see the largest differences
the agreement tests met.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import random
import zipfile

import numpy as np
import pytest

import purenet.two_layer_net as pure_mod
import reference.two_layer_net as ref_mod
from purenet.gradient_check import gradient_check as pure_check
from purenet.two_layer_net import TwoLayerNet as PureNet
from purenet_support import networks, weights_file
from reference.gradient_check import gradient_check as ref_check
from reference.two_layer_net import TwoLayerNet as RefNet

TOL = 1e-10  # purenet vs reference: only the order of float additions differs
KEYS = ("W1", "b1", "W2", "b2")

# Largest |purenet - reference| seen per quantity, printed when the module ends.
LARGEST: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def report_largest_differences():
    yield
    if LARGEST:
        print("\nlargest |purenet - reference| in the agreement tests:")
        for name, value in sorted(LARGEST.items()):
            print(f"  {name:<22} {value:.3e}")


def record(name: str, a: object, b: object) -> float:
    diff = float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))
    LARGEST[name] = max(LARGEST.get(name, 0.0), diff)
    return diff


def make_batch(d: int, c: int, n: int, seed: int) -> tuple[list, list[int], list]:
    """Return x (n, d) of N(0, 1) floats, n labels in range(c) and their one-hot (n, c)."""
    rng = random.Random(seed)
    x = [[rng.gauss(0.0, 1.0) for _ in range(d)] for _ in range(n)]
    labels = [rng.randrange(c) for _ in range(n)]
    one_hot = [[1.0 if k == label else 0.0 for k in range(c)] for label in labels]
    return x, labels, one_hot


def twin_nets(d: int, h: int, c: int, seed: int = 0) -> tuple[PureNet, RefNet]:
    """One set of weights, drawn once, in both packages."""
    pure = PureNet(d, h, c, weight_init_std=1.0, seed=seed)
    return pure, RefNet.from_params(pure.get_params())


# ---------------------------------------------------------------- purenet == reference

@pytest.mark.parametrize("sizes", [(4, 5, 3), (6, 4, 2)])
@pytest.mark.parametrize("n", [1, 3, 10])
@pytest.mark.parametrize("target", ["one-hot", "labels"])
def test_packages_agree(sizes, n, target):
    d, h, c = sizes
    pure, ref = twin_nets(d, h, c, seed=n)
    x, labels, one_hot = make_batch(d, c, n, seed=100 + n)
    t = one_hot if target == "one-hot" else labels
    xa, ta = np.array(x), np.array(t)

    assert record("predict", pure.predict(x), ref.predict(xa)) < TOL
    assert record("loss", pure.loss(x, t), ref.loss(xa, ta)) < TOL
    assert pure.accuracy(x, t) == pytest.approx(ref.accuracy(xa, ta), abs=TOL)
    loss_p, grads_p = pure.loss_and_gradient(x, t)
    loss_r, grads_r = ref.loss_and_gradient(xa, ta)
    assert record("loss_and_gradient loss", loss_p, loss_r) < TOL
    num_p, num_r = pure.numerical_gradient(x, t), ref.numerical_gradient(xa, ta)
    for key in KEYS:
        assert np.shape(grads_p[key]) == ref.params[key].shape
        assert record("gradient", grads_p[key], grads_r[key]) < TOL, key
        assert record("numerical_gradient", num_p[key], num_r[key]) < TOL, key


def test_reference_accepts_the_same_nested_lists():
    pure, ref = twin_nets(4, 5, 3)
    x, labels, _ = make_batch(4, 3, 3, seed=1)
    assert record("loss", pure.loss(x, labels), ref.loss(x, labels)) < TOL


@pytest.mark.parametrize("target", ["one-hot", "labels"])
def test_loss_and_gradient_loss_is_the_loss(target):
    for net_cls, arr in ((PureNet, list), (RefNet, np.array)):
        net = net_cls(6, 4, 2, weight_init_std=1.0, seed=3)
        x, labels, one_hot = make_batch(6, 2, 10, seed=4)
        t = arr(one_hot if target == "one-hot" else labels)
        loss, grads = net.loss_and_gradient(arr(x), t)
        assert loss == pytest.approx(net.loss(arr(x), t), abs=1e-15)
        for key in KEYS:
            assert np.allclose(grads[key], net.gradient(arr(x), t)[key], rtol=0, atol=1e-15)


def test_reference_loss_and_gradient_gives_loss_to_the_last_bit():
    # The docstring says "exactly as loss() computes it": the training history
    # records this loss, so it must not drift from loss() by summing otherwise.
    rng = np.random.default_rng(40)
    for seed in range(5):
        net = RefNet(784, 50, 10, weight_init_std=0.5, seed=seed)
        x, t = rng.random((100, 784)), rng.integers(0, 10, 100)
        assert net.loss_and_gradient(x, t)[0] == net.loss(x, t)  # the same sum, not an estimate


def assigned_names(module: object, method: str) -> list[str]:
    """The names a method of TwoLayerNet assigns, in source order (tuples unpacked)."""
    tree = ast.parse(inspect.getsource(getattr(module.TwoLayerNet, method)).strip())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(name, ast.Name):
                        found.append((name.lineno, name.col_offset, name.id))
    names = [name for *_, name in sorted(found)]
    return sorted(set(names), key=names.index)


@pytest.mark.parametrize("method", ["predict", "loss_and_gradient"])
def test_the_twins_compute_the_same_named_steps_in_the_same_order(method):
    # Read side by side, each line of the pure pass should have its NumPy twin:
    # a1, z1, a2, y, ..., grad_W1, grad_b1, with no transposed (H, N) layout of its own.
    pure, ref = assigned_names(pure_mod, method), assigned_names(ref_mod, method)
    assert pure == ref
    if method == "loss_and_gradient":
        assert pure[-6:] == ["grad_W2", "grad_b2", "dz1", "da1", "grad_W1", "grad_b1"]


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_predict_accuracy_and_gradient_share_one_forward_pass(net_cls, monkeypatch):
    # Each forward pass applies sigmoid once, to the hidden layer's (N, H) sums.
    calls = []
    mod = pure_mod if net_cls is PureNet else ref_mod
    forward = mod.sigmoid

    def spy(a1):
        calls.append(len(a1))
        return forward(a1)

    monkeypatch.setattr(mod, "sigmoid", spy)
    net = net_cls(4, 5, 3, weight_init_std=1.0, seed=2)
    x, labels, _ = make_batch(4, 3, 6, seed=3)
    net.predict(x)
    net.accuracy(x, labels)
    net.loss_and_gradient(x, labels)
    assert calls == [6, 6, 6]


# --------------------------------------------------------- backprop == numerical gradient

@pytest.mark.parametrize("check", [pure_check, ref_check], ids=["purenet", "reference"])
@pytest.mark.parametrize("sizes", [(4, 5, 3), (6, 4, 2)])
@pytest.mark.parametrize("target", ["one-hot", "labels"])
def test_backprop_matches_numerical_gradient(check, sizes, target):
    d, h, c = sizes
    net_cls = PureNet if check is pure_check else RefNet
    net = net_cls(d, h, c, weight_init_std=1.0, seed=7)
    x, labels, one_hot = make_batch(d, c, 10, seed=8)
    errors = check(net, x, one_hot if target == "one-hot" else labels)
    assert set(errors) == set(KEYS)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_numerical_gradient_leaves_params_unchanged(net_cls):
    net = net_cls(4, 5, 3, weight_init_std=1.0, seed=9)
    before = {k: np.array(v, dtype=float) for k, v in net.get_params().items()}
    x, labels, _ = make_batch(4, 3, 3, seed=10)
    net.numerical_gradient(x, labels)
    for key in KEYS:
        # exactly: each nudged entry is put back as the very value it was
        assert np.array_equal(np.asarray(net.params[key]), before[key]), key


# ------------------------------------------------------------------ targets and shapes

@pytest.mark.parametrize("net_cls, arr", [(PureNet, list), (RefNet, np.array)])
def test_labels_and_one_hot_give_the_same_answers(net_cls, arr):
    net = net_cls(4, 5, 3, weight_init_std=1.0, seed=11)
    x, labels, one_hot = make_batch(4, 3, 10, seed=12)
    assert net.loss(x, arr(labels)) == pytest.approx(net.loss(x, arr(one_hot)), abs=1e-15)
    assert net.accuracy(x, arr(labels)) == net.accuracy(x, arr(one_hot))
    g_lab, g_hot = net.gradient(x, arr(labels)), net.gradient(x, arr(one_hot))
    for key in KEYS:
        assert np.allclose(g_lab[key], g_hot[key], rtol=0, atol=1e-15)


def test_book_broadcast_bug_with_ten_labels_is_not_ours():
    # Batch of 10 and 10 classes: the book's (y - t) / N takes t (10,) as a row
    # and broadcasts it down all 10 rows without a word. Ours reads labels.
    pure, ref = twin_nets(4, 5, 10)
    x, labels, one_hot = make_batch(4, 10, 10, seed=13)
    y = ref.predict(np.array(x))
    book_dy = (y - np.array(labels)) / 10  # runs, and is wrong
    right_dy = (y - np.array(one_hot)) / 10
    assert book_dy.shape == right_dy.shape and not np.allclose(book_dy, right_dy)
    for net in (pure, ref):
        g_lab, g_hot = net.gradient(x, labels), net.gradient(x, one_hot)
        for key in KEYS:
            assert np.allclose(g_lab[key], g_hot[key], rtol=0, atol=1e-15), key


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("bad_t, match", [
    ([0, 1, 2] * 3, r"t must be one-hot \(10, 3\) or 10 label\(s\)"),  # 9 labels for 10 rows
    ([[0.0, 1.0]] * 10, r"got t \(10, 2\)"),  # one-hot with too few classes
    ([[1]] * 10, r"got t \(10, 1\)"),  # a column of labels: NumPy would broadcast it
    ([0, 1, 2, 3, 0, 1, 2, 0, 1, 2], "label 3 is out of range for 3 classes"),
])
def test_targets_of_the_wrong_shape_raise(net_cls, bad_t, match):
    net = net_cls(4, 5, 3, seed=14)
    x, _, _ = make_batch(4, 3, 10, seed=15)
    for method in (net.gradient, net.loss_and_gradient, net.loss, net.accuracy):
        with pytest.raises(ValueError, match=match):
            method(x, bad_t if net_cls is PureNet else np.array(bad_t))


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_inputs_of_the_wrong_shape_raise(net_cls):
    net = net_cls(4, 5, 3, seed=16)
    with pytest.raises(ValueError, match=r"x must be a batch of shape \(N, 4\) \(input_size\), "
                                         r"got \(2, 3\)"):
        net.predict([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    with pytest.raises(ValueError, match="x must be a matrix .* vector of length 4"):
        net.predict([0.0, 1.0, 2.0, 3.0])


def test_purenet_takes_any_sequence_of_rows():
    # The MNIST loader hands out a lazy sequence of rows, not a list.
    net = PureNet(4, 5, 3, seed=17)
    x, labels, _ = make_batch(4, 3, 3, seed=18)
    assert net.accuracy(tuple(x), labels) == net.accuracy(x, labels)


# ----------------------------------------------------------------------- construction

@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_book_typo_output_keyword_names_itself(net_cls):
    with pytest.raises(TypeError, match="'output'"):
        net_cls(input_size=784, hidden_size=50, output=10)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("kwargs, error, match", [
    ({"input_size": 0}, ValueError, "input_size must be a positive int, got 0"),
    ({"hidden_size": -3}, ValueError, "hidden_size must be a positive int, got -3"),
    ({"output_size": 2.0}, TypeError, "output_size must be a positive int, got float"),
    ({"output_size": True}, TypeError, "output_size must be a positive int, got bool"),
    ({"weight_init_std": 0.0}, ValueError, "weight_init_std must be positive"),
    ({"weight_init_std": float("nan")}, ValueError, "weight_init_std must be positive"),
    ({"seed": 1, "rng": "x"}, ValueError, "pass seed or rng, not both"),
    ({"rng": 42}, TypeError, "rng must be a"),
    # random.Random would take these quietly, NumPy's default_rng refuses them: both refuse
    ({"seed": 1.5}, TypeError, r"seed must be an int or None, got float 1\.5$"),
    ({"seed": "1"}, TypeError, r"seed must be an int or None, got str '1'$"),
    ({"seed": True}, TypeError, r"seed must be an int or None, got bool True$"),
    ({"seed": -1}, ValueError, r"seed must be >= 0, got -1$"),
])
def test_bad_constructor_arguments_raise(net_cls, kwargs, error, match):
    args = {"input_size": 4, "hidden_size": 5, "output_size": 3, **kwargs}
    with pytest.raises(error, match=match):
        net_cls(**args)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_a_numpy_int_seed_is_the_same_seed(net_cls):
    assert net_cls(4, 5, 3, seed=np.int64(3)).get_params() == \
        net_cls(4, 5, 3, seed=3).get_params()


def test_initial_weights_come_from_the_seed_only():
    random.seed(123)
    np.random.seed(123)
    global_states = random.getstate(), np.random.get_state()[1].copy()
    for net_cls, make_rng in ((PureNet, random.Random), (RefNet, np.random.default_rng)):
        a = net_cls(4, 5, 3, seed=5).get_params()
        assert a == net_cls(4, 5, 3, seed=5).get_params()
        assert a == net_cls(4, 5, 3, rng=make_rng(5)).get_params()
        assert a != net_cls(4, 5, 3, seed=6).get_params()
        assert a["b1"] == [0.0] * 5 and a["b2"] == [0.0] * 3
        assert np.std(a["W1"]) == pytest.approx(0.01, rel=0.6)  # weight_init_std's default
    assert random.getstate() == global_states[0]
    assert np.array_equal(np.random.get_state()[1], global_states[1])


# -------------------------------------------------------------- get_params / from_params

@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_get_params_is_a_copy_of_plain_lists(net_cls):
    net = net_cls(4, 5, 3, seed=19)
    params = net.get_params()
    assert list(params) == list(KEYS)
    assert type(params["W1"]) is list and type(params["W1"][0]) is list
    assert type(params["W1"][0][0]) is float and type(params["b1"][0]) is float
    assert [len(params["W1"]), len(params["W1"][0]), len(params["b1"]),
            len(params["W2"]), len(params["W2"][0]), len(params["b2"])] == [4, 5, 5, 5, 3, 3]
    params["W1"][0][0] = 99.0
    assert net.get_params()["W1"][0][0] != 99.0


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_from_params_copies_lists_and_arrays(net_cls):
    params = PureNet(4, 5, 3, seed=20).get_params()
    arrays = {k: np.array(v) for k, v in params.items()}
    for source in (params, arrays):
        net = net_cls.from_params(source)
        assert net.get_params() == params
        source["b1"][0] = 7.0
        assert net.get_params()["b1"][0] == 0.0
        source["b1"][0] = 0.0
    ints = {**params, "b2": [0, 0, 0]}
    assert type(net_cls.from_params(ints).get_params()["b2"][0]) is float


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("change, match", [
    (lambda p: p.pop("b1"), r"params is missing key 'b1' \(expected shape \(5,\)\)"),
    (lambda p: p.pop("W1"), r"params is missing key 'W1' \(expected shape \(\?, 5\)\)"),
    (lambda p: p.update(W3=[[1.0]]), r"unexpected key\(s\) 'W3'"),
    (lambda p: p.update(b2=[0.0, 0.0]), r"params disagree on the output size C of W2 \(H, C\), "
                                        r"b2 \(C,\): W2 is \(5, 3\), b2 is \(2,\)$"),
    (lambda p: p.update(W2=[[0.0] * 3] * 4), r"params disagree on the hidden size H of W1 "
                                             r"\(D, H\), b1 \(H,\), W2 \(H, C\): W1 is "
                                             r"\(4, 5\), b1 is \(5,\), W2 is \(4, 3\)$"),
    (lambda p: p.update(W1=[0.0] * 5), r"params\['W1'\] has shape \(5,\), expected a matrix"),
    (lambda p: p.update(b1=[[0.0] * 5]), r"params\['b1'\] has shape \(1, 5\), expected \(5,\)"),
])
def test_from_params_names_the_bad_key(net_cls, change, match):
    params = PureNet(4, 5, 3, seed=21).get_params()
    change(params)
    with pytest.raises(ValueError, match=match):
        net_cls.from_params(params)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_from_params_blames_no_single_key_when_the_hidden_sizes_disagree(net_cls):
    # W1 says H = 40 while b1 and W2 say 50: "b1 should be (40,)" would send the
    # reader to the wrong key, so the message names all three with their shapes.
    params = {"W1": [[0.0] * 40] * 784, "b1": [0.0] * 50,
              "W2": [[0.0] * 10] * 50, "b2": [0.0] * 10}
    with pytest.raises(ValueError) as info:
        net_cls.from_params(params)
    assert str(info.value) == ("params disagree on the hidden size H of W1 (D, H), b1 (H,), "
                               "W2 (H, C): W1 is (784, 40), b1 is (50,), W2 is (50, 10)")


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("key, index, value, shown", [
    ("W1", (2, 1), float("nan"), "nan"),
    ("b1", (3,), float("inf"), "inf"),
    ("b2", (0,), float("-inf"), "-inf"),
    pytest.param("W2", (0, 2), 10 ** 400, None, id="int-past-float"),  # JSON can hold it
])
def test_from_params_refuses_nan_and_infinity(net_cls, key, index, value, shown):
    params = PureNet(4, 5, 3, seed=22).get_params()
    if len(index) == 2:
        params[key][index[0]][index[1]] = value
    else:
        params[key][index[0]] = value
    message = (f"params['{key}'] holds {shown}: weights must be finite numbers (no NaN or infinity)"
               if shown else f"params['{key}'] holds an int too large for a float: "
                             f"weights must be finite numbers")
    with pytest.raises(ValueError) as info:
        net_cls.from_params(params)
    assert str(info.value) == message
    if shown:  # arrays too, including float32 ones
        for dtype in (np.float64, np.float32):
            with pytest.raises(ValueError) as info:
                net_cls.from_params({k: np.array(v, dtype=dtype) for k, v in params.items()})
            assert str(info.value) == message


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_load_refuses_a_json_file_with_nan_weights(tmp_path, net_cls):
    params = PureNet(4, 5, 3, seed=22).get_params()
    params["W2"][1][0] = float("nan")
    path = tmp_path / "w.json"
    path.write_text(json.dumps(params))  # Python's json writes NaN, and reads it back
    with pytest.raises(ValueError, match=r"w\.json: params\['W2'\] holds nan: weights must be "
                                         r"finite"):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_from_params_refuses_ragged_and_non_numbers(net_cls):
    params = PureNet(4, 5, 3, seed=22).get_params()
    with pytest.raises(ValueError, match="ragged"):
        net_cls.from_params({**params, "W1": [[0.0] * 5] * 3 + [[0.0] * 4]})
    with pytest.raises(TypeError, match=r"params\['b2'\] must hold numbers"):
        net_cls.from_params({**params, "b2": ["a", "b", "c"]})


def test_reference_computes_in_the_dtype_of_its_params():
    params = {k: np.array(v, dtype=np.float32) for k, v in
              PureNet(4, 5, 3, weight_init_std=1.0, seed=23).get_params().items()}
    net = RefNet.from_params(params)
    x, labels, one_hot = make_batch(4, 3, 10, seed=24)
    x32 = np.array(x, dtype=np.float32)
    assert net.predict(x32).dtype == np.float32
    for t in (np.array(labels), np.array(one_hot, dtype=np.float32)):
        loss, grads = net.loss_and_gradient(x32, t)
        assert np.isfinite(loss)
        assert all(g.dtype == np.float32 for g in grads.values())
    assert RefNet.from_params(PureNet(4, 5, 3).get_params()).params["W1"].dtype == np.float64


# ------------------------------------------------------------------------- save / load

@pytest.mark.parametrize("ext", [".npz", ".json"])
@pytest.mark.parametrize("writer, reader", [(PureNet, PureNet), (PureNet, RefNet),
                                            (RefNet, PureNet), (RefNet, RefNet)])
def test_save_and_load_across_packages(tmp_path, ext, writer, reader):
    net = writer.from_params(PureNet(4, 5, 3, weight_init_std=1.0, seed=25).get_params())
    path = tmp_path / f"weights{ext}"
    networks.save(net, path)
    loaded = networks.load(reader, path)
    assert isinstance(loaded, reader)
    assert loaded.get_params() == net.get_params()  # float64 round trip is exact
    assert os.listdir(tmp_path) == [path.name]  # no temporary file left behind


def test_purenet_npz_is_what_numpy_writes(tmp_path):
    net = PureNet(4, 5, 3, weight_init_std=1.0, seed=26)
    networks.save(net, tmp_path / "w.npz")
    with np.load(tmp_path / "w.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(KEYS)
        for key in KEYS:
            assert npz[key].dtype == np.dtype("<f8") and npz[key].flags.c_contiguous
            assert np.array_equal(npz[key], np.array(net.params[key]))
    with zipfile.ZipFile(tmp_path / "w.npz") as zf:
        raw = zf.read("W1.npy")
    header_end = 10 + int.from_bytes(raw[8:10], "little")
    assert header_end % 64 == 0 and raw[header_end - 1:header_end] == b"\n"


def test_purenet_reads_float32_npz(tmp_path):
    params = {k: np.array(v, dtype=np.float32) for k, v in
              PureNet(4, 5, 3, weight_init_std=1.0, seed=27).get_params().items()}
    networks.save(RefNet.from_params(params), tmp_path / "w32.npz")
    loaded = networks.load(PureNet, tmp_path / "w32.npz")
    for key in KEYS:
        assert np.array_equal(np.array(loaded.params[key]), params[key].astype(np.float64))


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_save_overwrites_atomically_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch,
                                                                        net_cls):
    path = tmp_path / "w.npz"
    networks.save(net_cls(4, 5, 3, seed=28), path)
    newer = net_cls(4, 5, 3, seed=29)
    networks.save(newer, path)  # overwriting is the caller's choice (the CLI asks for --force)
    assert networks.load(net_cls, path).get_params() == newer.get_params()
    before = path.read_bytes()

    def half_then_crash(f, *args, **kwargs):
        f.write(b"PK\x03\x04 half a file")
        raise KeyboardInterrupt

    if net_cls is PureNet:
        monkeypatch.setattr(weights_file, "write_npz", half_then_crash)
    else:
        monkeypatch.setattr(np, "savez", half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        networks.save(net_cls(4, 5, 3, seed=30), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.npz"]


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_unknown_extension_raises(tmp_path, net_cls):
    net = net_cls(4, 5, 3, seed=31)
    with pytest.raises(ValueError, match=r"must end in \.npz or \.json"):
        networks.save(net, tmp_path / "w.pkl")
    with pytest.raises(ValueError, match=r"must end in \.npz or \.json"):
        networks.load(net_cls, tmp_path / "w.npy")
    assert os.listdir(tmp_path) == []


def _write_json(path, params):
    path.write_text(json.dumps(params))


def _write_npz(path, params):
    np.savez(path, **{k: np.array(v) for k, v in params.items()})


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("write, ext", [(_write_json, ".json"), (_write_npz, ".npz")])
def test_load_names_a_missing_or_misshaped_key(tmp_path, net_cls, write, ext):
    params = PureNet(4, 5, 3, seed=32).get_params()
    path = tmp_path / f"w{ext}"
    write(path, {k: v for k, v in params.items() if k != "b2"})
    with pytest.raises(ValueError, match=r"missing key 'b2' \(expected shape \(3,\)\)"):
        networks.load(net_cls, path)
    write(path, {**params, "W2": [[0.0] * 3] * 6})
    with pytest.raises(ValueError, match=r"disagree on the hidden size H .*: W1 is \(4, 5\), "
                                         r"b1 is \(5,\), W2 is \(6, 3\)$"):
        networks.load(net_cls, path)


def _npy(header: str, body: bytes) -> bytes:
    header = header + " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + body


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_tampered_files_raise(tmp_path, net_cls):
    good = tmp_path / "good.npz"
    networks.save(PureNet(4, 5, 3, seed=33), good)
    data = good.read_bytes()
    bad = tmp_path / "bad.npz"

    bad.write_bytes(data[: len(data) // 2])  # truncated download
    with pytest.raises(ValueError, match="not a valid .npz weights file"):
        networks.load(net_cls, bad)

    offset = data.index(b"\x93NUMPY") + 128 + 8  # a byte inside W1's numbers
    bad.write_bytes(data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1:])
    with pytest.raises(ValueError, match="not a valid .npz weights file"):
        networks.load(net_cls, bad)  # the zip's CRC no longer matches

    bad.write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(ValueError, match="not a valid .npz weights file"):
        networks.load(net_cls, bad)

    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"W1": [[0.1, 0.2], [0.3')
    with pytest.raises(ValueError, match="not a valid .json weights file"):
        networks.load(net_cls, bad_json)
    bad_json.write_text('[1, 2, 3]')
    with pytest.raises(TypeError, match="params must be a dict"):
        networks.load(net_cls, bad_json)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_load_reports_a_json_file_nested_too_deep(tmp_path, net_cls):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)  # json.load runs out of recursion
    with pytest.raises(ValueError, match=r"deep\.json is not a valid \.json weights file"):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_both_packages_refuse_fortran_order_alike(tmp_path, net_cls):
    # NumPy can write a weight matrix column by column; purenet reads rows only,
    # so reference refuses such a file too: both load exactly the same files.
    params = PureNet(4, 5, 3, seed=35).get_params()
    path = tmp_path / "w.npz"
    np.savez(path, **{k: np.asfortranarray(np.array(v)) for k, v in params.items()})
    with pytest.raises(ValueError, match=r"w\.npz is not a valid \.npz weights file: 'W1' is "
                                         r"stored in Fortran order, expected C order$"):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("member, data, match", [
    ("notes.txt", b"not an array", r"'notes\.txt' is not a \.npy array \(bad magic\)"),
    ("W1.npy", b"\x93NUMPY", r"'W1' is a truncated \.npy array"),
    ("W1.npy", _npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 5), }",
                    bytes(8 * 21)), r"'W1' has 168 data bytes, shape \(4, 5\) needs 160"),
    ("W1.npy", _npy("{'descr': '<f8', 'fortran_order': False, 'sha", bytes(8 * 20)),
     r"'W1' has a malformed \.npy header"),
])
def test_both_packages_refuse_odd_npz_members(tmp_path, net_cls, member, data, match):
    params = PureNet(4, 5, 3, seed=36).get_params()
    path = tmp_path / "w.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for key in KEYS:
            if f"{key}.npy" != member:
                zf.writestr(f"{key}.npy", weights_file._npy_bytes(params[key]))
        zf.writestr(member, data)
    with pytest.raises(ValueError, match=r"w\.npz is not a valid \.npz weights file: " + match):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
@pytest.mark.parametrize("header, body", [
    # the header promises 20 numbers, the body holds 19
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 5), }", bytes(8 * 19)),
    # integers would be truncated weights
    ("{'descr': '<i8', 'fortran_order': False, 'shape': (4, 5), }", bytes(8 * 20)),
    ("{'descr': '|O', 'fortran_order': False, 'shape': (4, 5), }", bytes(8 * 20)),
])
def test_npy_headers_are_checked(tmp_path, net_cls, header, body):
    params = PureNet(4, 5, 3, seed=34).get_params()
    path = tmp_path / "w.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for key in ("b1", "W2", "b2"):
            zf.writestr(f"{key}.npy", weights_file._npy_bytes(params[key]))
        zf.writestr("W1.npy", _npy(header, body))
    with pytest.raises((ValueError, TypeError)):
        networks.load(net_cls, path)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_sizes_take_any_int_type_alike_and_refuse_floats(net_cls):
    net = net_cls(np.int64(4), 5, 3, seed=1)
    assert len(net.get_params()["W1"]) == 4
    with pytest.raises(TypeError, match=r"input_size must be a positive int, got float 4\.0"):
        net_cls(4.0, 5, 3)


# ------------------------------------------------- sizes, dtypes and paths (robustness)

@pytest.mark.parametrize("sizes", [(10**6, 10**6, 10), (10**4, 10**4, 1)])
def test_sizes_whose_weights_cannot_fit_are_refused_at_once_alike(sizes):
    # purenet used to fill lists until the machine killed it; NumPy refused with
    # a MemoryError that named no argument. Now both refuse before allocating.
    messages = []
    for net_cls in (PureNet, RefNet):
        with pytest.raises(ValueError) as info:
            net_cls(*sizes)
        messages.append(str(info.value))
    d, h, c = sizes
    assert messages[0] == messages[1] == (
        f"a {d}-{h}-{c} network has {(d + c) * h:,} weights, more than the 100,000,000 "
        f"that fit in memory: choose smaller sizes")


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble])
def test_reference_refuses_float_dtypes_no_weights_file_holds(dtype):
    # They used to be accepted and saved, and then load refused the file: refused up front now.
    params = {k: np.array(v, dtype=dtype) for k, v in
              PureNet(4, 5, 3, seed=37).get_params().items()}
    with pytest.raises(ValueError) as info:
        RefNet.from_params(params)
    assert str(info.value) == (f"params['W1'] holds {np.dtype(dtype).name} numbers: weights "
                               f"must be float64 or float32 (ints become float64)")


@pytest.mark.parametrize("ext", [".npz", ".json"])
def test_reference_float32_weights_stay_float32_in_the_file(tmp_path, ext):
    params = {k: np.array(v, dtype=np.float32) for k, v in
              PureNet(4, 5, 3, weight_init_std=1.0, seed=38).get_params().items()}
    path = tmp_path / f"w{ext}"
    networks.save(RefNet.from_params(params), path)
    loaded = networks.load(RefNet, path)
    for key in KEYS:
        assert np.array_equal(loaded.params[key], params[key]), key
        if ext == ".npz":  # JSON has no dtypes: its numbers come back float64
            assert loaded.params[key].dtype == np.float32, key
    if ext == ".npz":
        with np.load(path, allow_pickle=False) as npz:
            assert all(npz[key].dtype == np.dtype("<f4") for key in KEYS)


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_a_bytes_path_works_like_a_str_path(tmp_path, net_cls):
    net = net_cls(4, 5, 3, seed=39)
    for name in ("good.npz", "good.json"):
        path = os.fsencode(tmp_path / name)
        networks.save(net, path)
        assert networks.load(net_cls, path).get_params() == net.get_params()
    with pytest.raises(ValueError, match=r"must end in \.npz or \.json, got '.*w\.pkl'"):
        networks.save(net, os.fsencode(tmp_path / "w.pkl"))
    with pytest.raises(ValueError) as info:
        networks.load(net_cls, os.fsencode(tmp_path / "w.npy"))
    wrong = str(tmp_path / "w.npy")  # named once, not also in front as "path: ..."
    assert str(info.value) == f"weights file must end in .npz or .json, got {wrong!r}"


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_load_errors_name_the_file_given_as_bytes(tmp_path, net_cls):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"W1": [[0.0]]}))
    with pytest.raises(ValueError, match=r"^" + str(path).replace(".", r"\.") +
                       r": params is missing key 'b1'"):
        networks.load(net_cls, os.fsencode(path))


@pytest.mark.parametrize("net_cls", [PureNet, RefNet])
def test_numpy_bools_are_no_sizes_nor_seeds_on_any_numpy(net_cls):
    # NumPy before 2.3 lets operator.index take np.True_ (as 1, with a warning): a size
    # of 1 or a seed of 1 from a bool would be a silent mistake, so both refuse it
    with pytest.raises(TypeError, match="input_size must be a positive int, got bool"):
        net_cls(np.True_, 2, 2)
    with pytest.raises(TypeError, match="seed must be an int or None, got bool"):
        net_cls(2, 2, 2, seed=np.True_)
    assert len(net_cls(np.int64(3), 2, 2, seed=np.int64(1)).params["W1"]) == 3
