"""A two-layer network and its gradient (book section 4.5, backprop from 5.7).

Two layers carry weights: input -> (W1, b1) -> sigmoid -> (W2, b2) -> softmax.
Learning means nudging those four parameters against the gradient of the loss.
The gradient comes two ways: numerical_gradient, the book's chapter-4 method
(two forward passes per weight, slow and obviously right), and gradient,
backpropagation (one forward and one backward pass, the "성능 개선판").

Batches are rows, as in the book's NumPy code: x is (N, D) and the first layer
is x @ W1, not W1 @ x as in texts that stack samples in columns. Each method
opens with one call into ``purenet.checks`` (shapes, types, sizes), then the math.
"""

import copy
import random

from purenet import gradient
from purenet.checks import check_batch, check_init, check_params, check_x
from purenet.functions import cross_entropy_error, one_hot, sigmoid, softmax
from purenet.matrix import Matrix, add_row, argmax_rows, matmul, sum_rows, transpose


class TwoLayerNet:
    """input_size -> hidden_size (sigmoid) -> output_size (softmax), with weights in ``params``.

    params['W1'] is (D, H), params['b1'] (H,), params['W2'] (H, C), params['b2'] (C,),
    where D, H, C are input_size, hidden_size, output_size. Weights start as
    weight_init_std * N(0, 1) draws from ``rng`` (a random.Random) or from a new
    random.Random(seed); the module-level random state is never touched. Biases start at 0.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01, seed: int | None = None,
                 rng: random.Random | None = None) -> None:
        weight_init_std, rng = check_init(input_size, hidden_size, output_size,
                                          weight_init_std, seed, rng)
        # A W is a Matrix, a b a Vector: both lists, which is all one dict can say.
        self.params: dict[str, list] = {}
        self.params["W1"] = [[weight_init_std * rng.gauss(0.0, 1.0) for _ in range(hidden_size)]
                             for _ in range(input_size)]  # (D, H)
        self.params["b1"] = [0.0] * hidden_size  # (H,)
        self.params["W2"] = [[weight_init_std * rng.gauss(0.0, 1.0) for _ in range(output_size)]
                             for _ in range(hidden_size)]  # (H, C)
        self.params["b2"] = [0.0] * output_size  # (C,)

    def predict(self, x: Matrix) -> Matrix:
        """Return y = softmax(sigmoid(x @ W1 + b1) @ W2 + b2): (N, D) -> (N, C) probabilities.

        >>> net = TwoLayerNet(4, 5, 3, seed=0)  # small random weights: no class preferred yet
        >>> [round(p, 2) for p in net.predict([[0.1, 0.2, 0.3, 0.4]])[0]]  # one row, about 1/3 each
        [0.33, 0.34, 0.34]
        """
        x = check_x(x, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]

        a1 = add_row(matmul(x, W1), b1)  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = add_row(matmul(z1, W2), b2)  # (N, H) @ (H, C) + (C,) -> (N, C)
        y = softmax(a2)  # (N, C)
        return y

    def loss(self, x: Matrix, t: Matrix | list[int]) -> float:
        """Return cross_entropy_error(predict(x), t): the mean loss over the batch, a number.

        t is one-hot (N, C) or N label indices.

        >>> net = TwoLayerNet(4, 5, 3, seed=0)
        >>> x, t = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [0, 2]
        >>> round(net.loss(x, t), 2)  # a fresh net: about log 3 = 1.0986, a uniform guess
        1.1
        """
        y = self.predict(x)
        return cross_entropy_error(y, t)

    def accuracy(self, x: Matrix, t: Matrix | list[int]) -> float:
        """Return the fraction of rows of x whose highest score is the answer in t, in [0, 1].

        t is one-hot (N, C) or N label indices (the book's version takes one-hot only).

        >>> net = TwoLayerNet(4, 5, 3, seed=0)
        >>> x = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]]
        >>> net.accuracy(x, [2, 2]), net.accuracy(x, [0, 0])  # both rows guess class 2
        (1.0, 0.0)
        """
        x, t = check_batch(x, t, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]

        # predict() without its softmax: softmax keeps the order of each row's
        # scores (exp grows, and one sum divides them all), so the largest score
        # a2 is the largest probability y, found without an exp per class.
        a1 = add_row(matmul(x, W1), b1)  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = add_row(matmul(z1, W2), b2)  # (N, H) @ (H, C) + (C,) -> (N, C)
        y = argmax_rows(a2)  # (N, C) -> (N,)
        if isinstance(t[0], list):  # one-hot rows: the label is where the 1 is
            t = argmax_rows(t)
        hits = sum(p == k for p, k in zip(y, t))
        return hits / len(x)

    def numerical_gradient(self, x: Matrix, t: Matrix | list[int]) -> dict[str, list]:
        """Return dL/dparam for each key, by central differences; each in its param's shape.

        Costs two loss evaluations per weight: fine for checking, far too slow to train.
        The params are nudged one entry at a time and put back exactly.
        """
        # W is never read, yet the loss moves: gradient.numerical_gradient nudges
        # the entries of the list it is given in place, and that list *is*
        # self.params[key], the very object self.loss reads. W is there because
        # numerical_gradient calls f(W).
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's own line)

        grads = {}
        grads["W1"] = gradient.numerical_gradient(loss_W, self.params["W1"])
        grads["b1"] = gradient.numerical_gradient(loss_W, self.params["b1"])
        grads["W2"] = gradient.numerical_gradient(loss_W, self.params["W2"])
        grads["b2"] = gradient.numerical_gradient(loss_W, self.params["b2"])
        return grads

    def gradient(self, x: Matrix, t: Matrix | list[int]) -> dict[str, list]:
        """Return dL/dparam for each key by backpropagation; each in its param's shape."""
        loss, grads = self.loss_and_gradient(x, t)
        return grads

    def loss_and_gradient(
        self, x: Matrix, t: Matrix | list[int]
    ) -> tuple[float, dict[str, list]]:
        """Return (L, grads): the loss of the batch and dL/dparam from one forward pass.

        The book's gradient() computes L on the way and drops it; training wants
        it too, so this returns both. L = cross_entropy_error(y, t), exactly as
        loss() computes it. t is one-hot (N, C) or N label indices; any other
        shape raises (never broadcast).

        >>> from purenet.matrix import shape
        >>> net = TwoLayerNet(4, 5, 3, seed=0)
        >>> x, t = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [0, 2]
        >>> loss, grads = net.loss_and_gradient(x, t)
        >>> loss == net.loss(x, t), {key: shape(g) for key, g in grads.items()}  # a param's shape
        (True, {'W1': (4, 5), 'b1': (5,), 'W2': (5, 3), 'b2': (3,)})
        """
        x, t = check_batch(x, t, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        batch_num = len(x)

        # forward: predict's four lines, keeping z1 for backward
        a1 = add_row(matmul(x, W1), b1)  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = add_row(matmul(z1, W2), b2)  # (N, H) @ (H, C) + (C,) -> (N, C)
        y = softmax(a2)  # (N, C)
        loss = cross_entropy_error(y, t)

        # backward. d(loss)/d(a2) of softmax + cross entropy is (y - t) / N, t one-hot.
        dy = [[(yk - tk) / batch_num for yk, tk in zip(ry, rt)]
              for ry, rt in zip(y, one_hot(t, len(b2)))]  # (N, C)
        grad_W2 = matmul(transpose(z1), dy)  # (H, N) @ (N, C) -> (H, C)
        grad_b2 = sum_rows(dy)  # (C,)
        dz1 = matmul(dy, transpose(W2))  # (N, C) @ (C, H) -> (N, H)
        # sigmoid'(a1) = z1 * (1 - z1), from the forward value: no second exp.
        da1 = [[d * (1.0 - z) * z for d, z in zip(dr, zr)] for dr, zr in zip(dz1, z1)]  # (N, H)
        grad_W1 = matmul(transpose(x), da1)  # (D, N) @ (N, H) -> (D, H)
        grad_b1 = sum_rows(da1)  # (H,)
        return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}

    # A network from weights someone else made: the weights files of
    # purenet_support, or a NumPy network's params.

    def get_params(self) -> dict[str, list]:
        """Return a copy of params as plain nested lists: W (rows of floats), b (flat lists)."""
        return copy.deepcopy(self.params)

    @classmethod
    def from_params(cls, params: dict) -> "TwoLayerNet":
        """Return a network holding a float copy of params (nested lists, or anything with tolist).

        params must have exactly the keys 'W1', 'b1', 'W2', 'b2' with shapes
        (D, H), (H,), (H, C), (C,) of finite numbers; anything else raises naming
        the key (NaN or infinity would make every prediction NaN without a word).
        """
        network = cls.__new__(cls)
        network.params = check_params(params)
        return network
