"""A two-layer network and its gradient (book section 4.5, backprop from 5.7), in NumPy.

The twin of ``purenet/two_layer_net.py``: the same class, the same methods in
the same order, each list comprehension over rows and columns replaced by one
array expression. The arithmetic runs in the float dtype of params (float64
unless they were cast), so float32 params and float32 x stay float32.

Batches are rows, as in the book's code: x is (N, D) and the first layer is
x @ W1, not W1 @ x as in texts that stack samples in columns. What the weights
files need beyond NumPy (the shape checks, the atomic write) is shared with
purenet through ``purenet.weights_file``, so both refuse the same files alike.
"""

from __future__ import annotations

import io
import json
import math
import operator
import os
import zipfile
from typing import Any

import numpy as np

from purenet.weights_file import (
    PARAM_KEYS,
    atomic_write,
    check_extension,
    check_param_shapes,
    read_npz,
)
from reference import gradient
from reference.functions import as_array, cross_entropy_error, sigmoid, softmax, to_labels


class TwoLayerNet:
    """input_size -> hidden_size (sigmoid) -> output_size (softmax), with weights in ``params``.

    params['W1'] is (D, H), params['b1'] (H,), params['W2'] (H, C), params['b2'] (C,),
    where D, H, C are input_size, hidden_size, output_size. Weights start as
    weight_init_std * N(0, 1) draws from ``rng`` (a numpy.random.Generator) or from
    numpy.random.default_rng(seed); np.random's global state is never touched. Biases start at 0.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        weight_init_std: float = 0.01,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        for name, size in (("input_size", input_size), ("hidden_size", hidden_size),
                           ("output_size", output_size)):
            _check_size(name, size)
        _check_std(weight_init_std)
        if rng is None:
            rng = np.random.default_rng(_check_seed(seed))
        elif seed is not None:
            raise ValueError("pass seed or rng, not both")
        elif not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        std = float(weight_init_std)
        self.params: dict[str, np.ndarray] = {
            "W1": std * rng.standard_normal((input_size, hidden_size)),  # (D, H)
            "b1": np.zeros(hidden_size),  # (H,)
            "W2": std * rng.standard_normal((hidden_size, output_size)),  # (H, C)
            "b2": np.zeros(output_size),  # (C,)
        }

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return y = softmax(sigmoid(x @ W1 + b1) @ W2 + b2): (N, D) -> (N, C) probabilities."""
        return softmax(self._forward(self._check_x(x))[1])

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Return cross_entropy_error(predict(x), t): the mean loss over the batch, a number.

        t is one-hot (N, C) or N label indices.
        """
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Return the fraction of rows of x whose highest score is the answer in t, in [0, 1].

        t is one-hot (N, C) or N label indices (the book's version takes one-hot only).
        """
        x = self._check_x(x)
        # softmax keeps the order of a row's entries (exp is increasing and every
        # entry is divided by the same sum), so the argmax of the scores a2 is
        # the argmax of y: skipping softmax saves an exp per entry.
        a2 = self._forward(x)[1]  # (N, C)
        labels = to_labels(t, a2.shape)
        if labels is None:
            labels = np.argmax(t, axis=1)  # one-hot (N, C) -> (N,)
        hits = np.sum(np.argmax(a2, axis=1) == labels)
        return float(hits / len(x))

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Return dL/dparam for each key, by central differences; each in its param's shape.

        Costs two loss evaluations per weight: fine for checking, far too slow to train.
        The params are nudged one entry at a time and put back exactly.
        """
        x = self._check_x(x)
        # W is never read, yet the loss moves: gradient.numerical_gradient nudges
        # the entries of the array it is given in place, and that array *is*
        # self.params[key], the very object self.loss reads. W is there because
        # numerical_gradient calls f(W).
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's own line)

        grads = {}
        for key in PARAM_KEYS:
            grads[key] = gradient.numerical_gradient(loss_W, self.params[key])
        return grads

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Return dL/dparam for each key by backpropagation; each in its param's shape."""
        return self.loss_and_gradient(x, t)[1]

    def loss_and_gradient(
        self, x: np.ndarray, t: np.ndarray
    ) -> tuple[float, dict[str, np.ndarray]]:
        """Return (L, grads): the loss of the batch and dL/dparam from one forward pass.

        L = cross_entropy_error(y, t), exactly as loss() computes it. t is one-hot
        (N, C) or N label indices; any other shape raises (never broadcast).
        """
        x = self._check_x(x)
        W2 = self.params["W2"]
        n = len(x)

        # forward: the same code as predict's (see _forward); z1 is kept for backward.
        z1, a2 = self._forward(x)  # (N, H), (N, C)
        y = softmax(a2)  # (N, C)
        labels = to_labels(t, y.shape)  # raises on a t of the wrong shape
        loss = cross_entropy_error(y, t)

        # backward. d(loss)/d(a2) of softmax + cross entropy is (y - t) / N.
        if labels is None:
            dy = (y - np.asarray(t, dtype=y.dtype)) / n  # (N, C)
        else:
            dy = y.copy()  # (N, C)
            dy[np.arange(n), labels] -= 1.0  # the label's entry of a one-hot t is 1
            dy /= n
        grad_W2 = z1.T @ dy  # (H, N) @ (N, C) -> (H, C)
        grad_b2 = dy.sum(axis=0)  # (C,)
        dz1 = dy @ W2.T  # (N, C) @ (C, H) -> (N, H)
        # sigmoid'(a1) = z1 * (1 - z1), from the forward value: no second exp.
        da1 = dz1 * (1.0 - z1) * z1  # (N, H)
        grad_W1 = x.T @ da1  # (D, N) @ (N, H) -> (D, H)
        grad_b1 = da1.sum(axis=0)  # (H,)
        return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}

    def get_params(self) -> dict[str, list]:
        """Return a copy of params as plain nested lists: W (rows of floats), b (flat lists)."""
        return {k: self.params[k].tolist() for k in PARAM_KEYS}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> TwoLayerNet:
        """Return a network holding a float copy of params (nested lists or arrays).

        params must have exactly the keys 'W1', 'b1', 'W2', 'b2' with shapes
        (D, H), (H,), (H, C), (C,) of finite numbers; anything else raises naming
        the key (NaN or infinity would make every prediction NaN without a word).
        Float arrays keep their dtype; lists and int arrays become float64.
        """
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict, got {type(params).__name__}")
        values = {}
        for key in PARAM_KEYS:
            if key in params:
                values[key] = np.array(as_array(params[key], f"params[{key!r}]"))  # a copy
        shapes = {key: a.shape for key, a in values.items()}
        check_param_shapes(shapes, set(params), "params")
        net = cls.__new__(cls)
        net.params = {k: _to_floats(values[k], f"params[{k!r}]") for k in PARAM_KEYS}
        return net

    def save(self, path: str | os.PathLike) -> None:
        """Write params to path, a .npz (NumPy's format) or .json file, replacing it atomically."""
        path = os.fspath(path)
        ext = check_extension(path)
        if ext == ".npz":
            params = {k: self.params[k] for k in PARAM_KEYS}
            # mypy fears a key named allow_pickle among params; the keys are W1, b1, W2, b2
            atomic_write(path, lambda f: np.savez(f, **params))  # type: ignore[arg-type]
        else:
            data = json.dumps(self.get_params()).encode("ascii")
            atomic_write(path, lambda f: f.write(data))

    @classmethod
    def load(cls, path: str | os.PathLike) -> TwoLayerNet:
        """Return the network stored by save() (from either package) at path, .npz or .json."""
        path = os.fspath(path)
        ext = check_extension(path)
        with open(path, "rb") as f:
            try:
                params = read_npz(f, _parse_npy) if ext == ".npz" else json.load(f)
            except (ValueError, zipfile.BadZipFile, EOFError, OSError, RecursionError) as e:
                raise ValueError(f"{path} is not a valid {ext} weights file: {e}") from None
        try:
            return cls.from_params(params)
        except (ValueError, TypeError) as e:
            raise type(e)(f"{path}: {e}") from None

    def _check_x(self, x: np.ndarray) -> np.ndarray:
        # Checked once per call; the products below trust it.
        x = as_array(x, "x")
        if x.ndim != 2:
            raise ValueError(f"x must be a matrix (list of rows), got a vector of length {len(x)}")
        if x.shape[1] != len(self.params["W1"]):
            raise ValueError(f"x must be a batch of shape (N, {len(self.params['W1'])}) "
                             f"(input_size), got {x.shape}")
        return x

    def _forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # The forward pass, shared by predict, accuracy and loss_and_gradient.
        # Returns z1 (backward needs it) and the scores a2, softmax's input.
        # Each @ is the whole matmul of the pure version in one call.
        W1, b1, W2, b2 = (self.params[k] for k in PARAM_KEYS)
        a1 = x @ W1 + b1  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = z1 @ W2 + b2  # (N, H) @ (H, C) + (C,) -> (N, C)
        return z1, a2


def _check_size(name: str, size: object) -> None:
    if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {type(size).__name__} {size!r}")
    if size <= 0:
        raise ValueError(f"{name} must be a positive int, got {size}")


def _check_std(std: object) -> None:
    if isinstance(std, (bool, np.bool_)) or not isinstance(std, (int, float, np.number)):
        raise TypeError(f"weight_init_std must be a number, got {type(std).__name__}")
    if not (np.isfinite(std) and std > 0):
        raise ValueError(f"weight_init_std must be positive and finite, got {std!r}")


def _check_seed(seed: object) -> int | None:
    # Only None or an int (any int type): both packages refuse 1.5 or "1" alike,
    # though random.Random would hash them into some seed without a word.
    if seed is None:
        return None
    try:
        value = operator.index(seed)  # type: ignore[arg-type]
    except TypeError:
        value = None
    if value is None or isinstance(seed, bool):
        raise TypeError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
    if value < 0:
        raise ValueError(f"seed must be >= 0, got {value}")
    return value


def _to_floats(a: np.ndarray, name: str) -> np.ndarray:
    # Float arrays keep their dtype, others become float64; NaN and infinity are refused.
    if a.dtype.kind != "f":
        try:
            a = a.astype(np.float64)
        except OverflowError:  # an int past float's range, e.g. 400 digits in a JSON file
            raise ValueError(f"{name} holds an int too large for a float: "
                             f"weights must be finite numbers") from None
    bad = a[~np.isfinite(a)]
    if bad.size:
        raise ValueError(f"{name} holds {float(bad[0])}: weights must be finite numbers "
                         f"(no NaN or infinity)")
    return a


# np.lib.format reads the .npy format that purenet writes by hand; allow_pickle=False
# refuses object arrays, which would run code on load. The zip around the .npy
# members is walked by purenet.weights_file.read_npz, shared by both packages.
def _parse_npy(data: bytes, key: str) -> np.ndarray:
    # The header is read here, not by np.load, to refuse what purenet refuses:
    # np.load would return a member that is not .npy as raw bytes, and would
    # quietly accept Fortran order, which purenet's reader does not.
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{key!r} is not a .npy array (bad magic)")
    if len(data) < 12:  # magic, version and header length come first
        raise ValueError(f"{key!r} is a truncated .npy array")
    buffer = io.BytesIO(data)
    version = np.lib.format.read_magic(buffer)
    if version[0] not in (1, 2, 3):
        raise ValueError(f"{key!r} has unknown .npy version {version[0]}")
    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                   else np.lib.format.read_array_header_2_0)
    try:
        dims, fortran_order, dtype = read_header(buffer)
    except Exception:  # NumPy lets SyntaxError, tokenize.TokenError and others out
        raise ValueError(f"{key!r} has a malformed .npy header") from None
    if dtype.str not in ("<f8", "<f4"):
        raise ValueError(f"{key!r} holds {dtype.str!r} numbers, expected float ('<f8' or '<f4')")
    if fortran_order:
        raise ValueError(f"{key!r} is stored in Fortran order, expected C order")
    body, needed = len(data) - buffer.tell(), math.prod(dims) * dtype.itemsize
    if body != needed:
        raise ValueError(f"{key!r} has {body} data bytes, shape {dims} needs {needed}")
    buffer.seek(0)
    array = np.lib.format.read_array(buffer, allow_pickle=False)
    return array
