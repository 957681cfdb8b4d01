"""A two-layer network and its gradient (book section 4.5, backprop from 5.7).

Two layers carry weights: input -> (W1, b1) -> sigmoid -> (W2, b2) -> softmax.
Learning means nudging those four parameters against the gradient of the loss.
The gradient comes two ways: numerical_gradient, the book's chapter-4 method
(two forward passes per weight, slow and obviously right), and gradient,
backpropagation (one forward and one backward pass, the "성능 개선판").

Batches are rows, as in the book's NumPy code: x is (N, D) and the first layer
is x @ W1, not W1 @ x as in texts that stack samples in columns.
"""

from __future__ import annotations

import json
import math
import operator
import os
import random
import struct
import zipfile
from collections.abc import Sequence
from typing import Any, cast

from purenet import gradient
from purenet.functions import cross_entropy_error, sigmoid, softmax, to_labels
from purenet.matrix import (
    Matrix,
    Vector,
    add_row,
    argmax_rows,
    check_matrix,
    matmul,
    shape,
    sum_rows,
    transpose,
)
from purenet.weights_file import (
    PARAM_KEYS,
    atomic_write,
    check_extension,
    check_param_shapes,
    read_npz,
    write_npz,
)


class TwoLayerNet:
    """input_size -> hidden_size (sigmoid) -> output_size (softmax), with weights in ``params``.

    params['W1'] is (D, H), params['b1'] (H,), params['W2'] (H, C), params['b2'] (C,),
    where D, H, C are input_size, hidden_size, output_size. Weights start as
    weight_init_std * N(0, 1) draws from ``rng`` (a random.Random) or from a new
    random.Random(seed); the module-level random state is never touched. Biases start at 0.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        weight_init_std: float = 0.01,
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        for name, size in (("input_size", input_size), ("hidden_size", hidden_size),
                           ("output_size", output_size)):
            _check_size(name, size)
        _check_std(weight_init_std)
        if rng is None:
            rng = random.Random(_check_seed(seed))
        elif seed is not None:
            raise ValueError("pass seed or rng, not both")
        elif not isinstance(rng, random.Random):
            raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
        std = float(weight_init_std)
        self.params: dict[str, Vector | Matrix] = {
            "W1": [[std * rng.gauss(0.0, 1.0) for _ in range(hidden_size)]
                   for _ in range(input_size)],  # (D, H)
            "b1": [0.0] * hidden_size,  # (H,)
            "W2": [[std * rng.gauss(0.0, 1.0) for _ in range(output_size)]
                   for _ in range(hidden_size)],  # (H, C)
            "b2": [0.0] * output_size,  # (C,)
        }

    def predict(self, x: Matrix) -> Matrix:
        """Return y = softmax(sigmoid(x @ W1 + b1) @ W2 + b2): (N, D) -> (N, C) probabilities."""
        return cast(Matrix, softmax(self._forward(self._check_x(x))[1]))  # a batch in, a batch out

    def loss(self, x: Matrix, t: Matrix | list[int]) -> float:
        """Return cross_entropy_error(predict(x), t): the mean loss over the batch, a number.

        t is one-hot (N, C) or N label indices.
        """
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x: Matrix, t: Matrix | list[int]) -> float:
        """Return the fraction of rows of x whose highest score is the answer in t, in [0, 1].

        t is one-hot (N, C) or N label indices (the book's version takes one-hot only).
        """
        x = self._check_x(x)
        # softmax keeps the order of a row's entries (exp is increasing and every
        # entry is divided by the same sum), so the argmax of the scores a2 is
        # the argmax of y: skipping softmax saves an exp per entry.
        a2 = self._forward(x)[1]  # (N, C)
        labels = to_labels(t, (len(a2), len(a2[0])))
        if labels is None:
            labels = argmax_rows(cast(Matrix, t))  # one-hot (N, C) -> (N,)
        hits = sum(p == k for p, k in zip(argmax_rows(a2), labels))
        return hits / len(x)

    def numerical_gradient(self, x: Matrix, t: Matrix | list[int]) -> dict[str, Vector | Matrix]:
        """Return dL/dparam for each key, by central differences; each in its param's shape.

        Costs two loss evaluations per weight: fine for checking, far too slow to train.
        The params are nudged one entry at a time and put back exactly.
        """
        x = self._check_x(x)
        # W is never read, yet the loss moves: gradient.numerical_gradient nudges
        # the entries of the list it is given in place, and that list *is*
        # self.params[key], the very object self.loss reads. W is there because
        # numerical_gradient calls f(W).
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's own line)

        grads = {}
        for key in PARAM_KEYS:
            grads[key] = gradient.numerical_gradient(loss_W, self.params[key])
        return grads

    def gradient(self, x: Matrix, t: Matrix | list[int]) -> dict[str, Vector | Matrix]:
        """Return dL/dparam for each key by backpropagation; each in its param's shape."""
        return self.loss_and_gradient(x, t)[1]

    def loss_and_gradient(
        self, x: Matrix, t: Matrix | list[int]
    ) -> tuple[float, dict[str, Vector | Matrix]]:
        """Return (L, grads): the loss of the batch and dL/dparam from one forward pass.

        L = cross_entropy_error(y, t), exactly as loss() computes it. t is one-hot
        (N, C) or N label indices; any other shape raises (never broadcast).
        """
        x = self._check_x(x)
        W2 = cast(Matrix, self.params["W2"])  # (H, C)
        n = len(x)

        # forward: the same code as predict's (see _forward); z1 is kept for backward.
        z1, a2 = self._forward(x)  # (N, H), (N, C)
        y = cast(Matrix, softmax(a2))  # (N, C)
        labels = to_labels(t, (n, len(y[0])))  # raises on a t of the wrong shape
        loss = cross_entropy_error(y, t)

        # backward. d(loss)/d(a2) of softmax + cross entropy is (y - t) / N.
        if labels is None:
            dy = [[(yk - tk) / n for yk, tk in zip(ry, rt)]
                  for ry, rt in zip(y, cast(Matrix, t))]  # (N, C), t one-hot
        else:
            dy = [[yk / n for yk in ry] for ry in y]  # (N, C)
            for row, ry, k in zip(dy, y, labels):
                row[k] = (ry[k] - 1.0) / n  # the label's entry of a one-hot t is 1
        grad_W2 = matmul(transpose(z1), dy)  # (H, N) @ (N, C) -> (H, C)
        grad_b2 = sum_rows(dy)  # (C,)
        dz1 = matmul(dy, transpose(W2))  # (N, C) @ (C, H) -> (N, H)
        # sigmoid'(a1) = z1 * (1 - z1), from the forward value: no second exp.
        da1 = [[d * (1.0 - z) * z for d, z in zip(dr, zr)] for dr, zr in zip(dz1, z1)]  # (N, H)
        grad_W1 = matmul(transpose(x), da1)  # (D, N) @ (N, H) -> (D, H)
        grad_b1 = sum_rows(da1)  # (H,)
        return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}

    def get_params(self) -> dict[str, Vector | Matrix]:
        """Return a copy of params as plain nested lists: W (rows of floats), b (flat lists)."""
        return {k: _copy(self.params[k]) for k in PARAM_KEYS}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> TwoLayerNet:
        """Return a network holding a float copy of params (nested lists, or anything with tolist).

        params must have exactly the keys 'W1', 'b1', 'W2', 'b2' with shapes
        (D, H), (H,), (H, C), (C,) of finite numbers; anything else raises naming
        the key (NaN or infinity would make every prediction NaN without a word).
        """
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict, got {type(params).__name__}")
        values: dict[str, Any] = {}  # whatever came, shape() checks it below
        for key in PARAM_KEYS:
            if key in params:
                v = params[key]
                values[key] = v.tolist() if hasattr(v, "tolist") else v
        shapes = {key: shape(v, f"params[{key!r}]") for key, v in values.items()}
        check_param_shapes(shapes, set(params), "params")
        net = cls.__new__(cls)
        net.params = {k: _to_floats(values[k], f"params[{k!r}]") for k in PARAM_KEYS}
        return net

    def save(self, path: str | os.PathLike) -> None:
        """Write params to path, a .npz (NumPy's format) or .json file, replacing it atomically."""
        path = os.fspath(path)
        ext = check_extension(path)
        params = self.get_params()
        if ext == ".npz":
            atomic_write(path, lambda f: write_npz(f, params))
        else:
            data = json.dumps(params).encode("ascii")
            atomic_write(path, lambda f: f.write(data))

    @classmethod
    def load(cls, path: str | os.PathLike) -> TwoLayerNet:
        """Return the network stored by save() (from either package) at path, .npz or .json."""
        path = os.fspath(path)
        ext = check_extension(path)
        with open(path, "rb") as f:
            try:
                params = read_npz(f) if ext == ".npz" else json.load(f)
            except (ValueError, zipfile.BadZipFile, EOFError, struct.error, RecursionError) as e:
                raise ValueError(f"{path} is not a valid {ext} weights file: {e}") from None
        try:
            return cls.from_params(params)
        except (ValueError, TypeError) as e:
            raise type(e)(f"{path}: {e}") from None

    def _check_x(self, x: Sequence[Sequence[float]]) -> Matrix:
        # Checked once per call; the products below trust it.
        if not isinstance(x, list):
            x = list(x)  # e.g. a lazy sequence of rows from the MNIST loader
        n, d = check_matrix(x, "x")
        if d != len(self.params["W1"]):
            raise ValueError(f"x must be a batch of shape (N, {len(self.params['W1'])}) "
                             f"(input_size), got {(n, d)}")
        return cast(Matrix, x)  # check_matrix found a list of rows of numbers

    def _forward(self, x: Matrix) -> tuple[Matrix, Matrix]:
        # The forward pass, shared by predict, accuracy and loss_and_gradient.
        # Returns z1 (backward needs it) and the scores a2, softmax's input.
        W1, b1, W2, b2 = cast("tuple[Matrix, Vector, Matrix, Vector]",
                              tuple(self.params[k] for k in PARAM_KEYS))
        a1 = add_row(matmul(x, W1), b1)  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = cast(Matrix, sigmoid(a1))  # (N, H)
        a2 = add_row(matmul(z1, W2), b2)  # (N, H) @ (H, C) + (C,) -> (N, C)
        return z1, a2


def _check_size(name: str, size: object) -> None:
    # operator.index takes any int type (a NumPy int too, as the twin does), not 3.0.
    try:
        value = operator.index(size)  # type: ignore[arg-type]
    except TypeError:
        value = None
    if value is None or isinstance(size, bool):
        raise TypeError(f"{name} must be a positive int, got {type(size).__name__} {size!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")


def _check_std(std: object) -> None:
    if isinstance(std, bool) or not isinstance(std, (int, float)):
        raise TypeError(f"weight_init_std must be a number, got {type(std).__name__}")
    if not (math.isfinite(std) and std > 0):
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


def _copy(v: Vector | Matrix) -> Vector | Matrix:
    return [list(r) for r in v] if isinstance(v[0], list) else list(v)


def _to_floats(v: Vector | Matrix, name: str) -> Vector | Matrix:
    # A float copy of a checked vector or matrix, refusing NaN and infinity.
    rows = v if isinstance(v[0], list) else [v]
    try:
        floats = [[float(e) for e in row] for row in rows]
    except OverflowError:  # an int past float's range, e.g. 400 digits in a JSON file
        raise ValueError(f"{name} holds an int too large for a float: "
                         f"weights must be finite numbers") from None
    for row in floats:
        if not all(map(math.isfinite, row)):
            bad = next(e for e in row if not math.isfinite(e))
            raise ValueError(f"{name} holds {bad}: weights must be finite numbers "
                             f"(no NaN or infinity)")
    return floats if isinstance(v[0], list) else floats[0]
