"""A two-layer network and its gradient (book section 4.5, backprop from 5.7), in NumPy.

The twin of ``purenet/two_layer_net.py``: the same class, the same methods in
the same order, each list comprehension over rows and columns replaced by one
array expression. The arithmetic runs in the float dtype of params (float64
unless they were cast), so float32 params and float32 x stay float32.

Batches are rows, as in the book's code: x is (N, D) and the first layer is
x @ W1, not W1 @ x as in texts that stack samples in columns. Each method
opens with one call into ``reference.checks`` (shapes, dtypes, sizes), then the math.
"""


import numpy as np

from reference import gradient
from reference.checks import check_batch, check_init, check_params, check_x
from reference.functions import cross_entropy_error, one_hot, sigmoid, softmax


class TwoLayerNet:
    """input_size -> hidden_size (sigmoid) -> output_size (softmax), with weights in ``params``.

    params['W1'] is (D, H), params['b1'] (H,), params['W2'] (H, C), params['b2'] (C,),
    where D, H, C are input_size, hidden_size, output_size. Weights start as
    weight_init_std * N(0, 1) draws from ``rng`` (a numpy.random.Generator) or from
    numpy.random.default_rng(seed); np.random's global state is never touched. Biases start at 0.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01, seed: int | None = None,
                 rng: np.random.Generator | None = None) -> None:
        weight_init_std, rng = check_init(input_size, hidden_size, output_size,
                                          weight_init_std, seed, rng)
        # Each W and b is an array: its shape is what tells them apart.
        self.params: dict[str, np.ndarray] = {}
        self.params["W1"] = weight_init_std * rng.standard_normal(
            (input_size, hidden_size))  # (D, H)
        self.params["b1"] = np.zeros(hidden_size)  # (H,)
        self.params["W2"] = weight_init_std * rng.standard_normal(
            (hidden_size, output_size))  # (H, C)
        self.params["b2"] = np.zeros(output_size)  # (C,)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return y = softmax(sigmoid(x @ W1 + b1) @ W2 + b2): (N, D) -> (N, C) probabilities.

        >>> net = TwoLayerNet(4, 5, 3, seed=0)  # small random weights: no class preferred yet
        >>> net.predict(np.array([[0.1, 0.2, 0.3, 0.4]])).round(2)  # one row, about 1/3 each
        array([[0.33, 0.34, 0.33]])
        """
        x = check_x(x, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]

        a1 = x @ W1 + b1  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = z1 @ W2 + b2  # (N, H) @ (H, C) + (C,) -> (N, C)
        y = softmax(a2)  # (N, C)
        return y

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Return cross_entropy_error(predict(x), t): the mean loss over the batch, a number.

        t is one-hot (N, C) or N label indices.

        >>> net = TwoLayerNet(4, 5, 3, seed=0)
        >>> x, t = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]]), np.array([0, 2])
        >>> round(net.loss(x, t), 2)  # a fresh net: about log 3 = 1.0986, a uniform guess
        1.1
        """
        y = self.predict(x)
        return cross_entropy_error(y, t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Return the fraction of rows of x whose highest score is the answer in t, in [0, 1].

        t is one-hot (N, C) or N label indices (the book's version takes one-hot only).

        >>> net = TwoLayerNet(4, 5, 3, seed=0)
        >>> x = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]])
        >>> net.accuracy(x, np.array([1, 1])), net.accuracy(x, np.array([0, 0]))
        (1.0, 0.0)
        """
        x, t = check_batch(x, t, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]

        # predict() without its softmax: softmax keeps the order of each row's
        # scores (exp grows, and one sum divides them all), so the largest score
        # a2 is the largest probability y, found without an exp per class.
        # (W1.T @ x.T).T is x @ W1, entry for entry the same dot product: BLAS
        # computes it a third faster in this layout when x has a thousand rows.
        a1 = (W1.T @ x.T).T + b1  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = z1 @ W2 + b2  # (N, H) @ (H, C) + (C,) -> (N, C)
        y = np.argmax(a2, axis=1)  # (N, C) -> (N,)
        if t.ndim != 1:  # one-hot rows: the label is where the 1 is
            t = np.argmax(t, axis=1)
        return float(np.sum(y == t) / len(x))

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Return dL/dparam for each key, by central differences; each in its param's shape.

        Costs two loss evaluations per weight: fine for checking, far too slow to train.
        The params are nudged one entry at a time and put back exactly.
        """
        # W is never read, yet the loss moves: gradient.numerical_gradient nudges
        # the entries of the array it is given in place, and that array *is*
        # self.params[key], the very object self.loss reads. W is there because
        # numerical_gradient calls f(W).
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's own line)

        grads = {}
        grads["W1"] = gradient.numerical_gradient(loss_W, self.params["W1"])
        grads["b1"] = gradient.numerical_gradient(loss_W, self.params["b1"])
        grads["W2"] = gradient.numerical_gradient(loss_W, self.params["W2"])
        grads["b2"] = gradient.numerical_gradient(loss_W, self.params["b2"])
        return grads

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Return dL/dparam for each key by backpropagation; each in its param's shape."""
        loss, grads = self.loss_and_gradient(x, t)
        return grads

    def loss_and_gradient(
        self, x: np.ndarray, t: np.ndarray
    ) -> tuple[float, dict[str, np.ndarray]]:
        """Return (L, grads): the loss of the batch and dL/dparam from one forward pass.

        The book's gradient() computes L on the way and drops it; training wants
        it too, so this returns both. L = cross_entropy_error(y, t), exactly as
        loss() computes it. t is one-hot (N, C) or N label indices; any other
        shape raises (never broadcast).

        >>> net = TwoLayerNet(4, 5, 3, seed=0)
        >>> x, t = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]]), np.array([0, 2])
        >>> loss, grads = net.loss_and_gradient(x, t)
        >>> loss == net.loss(x, t), {key: g.shape for key, g in grads.items()}  # a param's shape
        (True, {'W1': (4, 5), 'b1': (5,), 'W2': (5, 3), 'b2': (3,)})
        """
        x, t = check_batch(x, t, self.params)
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        batch_num = len(x)

        # forward: predict's four lines, keeping z1 for backward
        a1 = x @ W1 + b1  # (N, D) @ (D, H) + (H,) -> (N, H)
        z1 = sigmoid(a1)  # (N, H)
        a2 = z1 @ W2 + b2  # (N, H) @ (H, C) + (C,) -> (N, C)
        y = softmax(a2)  # (N, C)
        loss = cross_entropy_error(y, t)

        # backward. d(loss)/d(a2) of softmax + cross entropy is (y - t) / N, t one-hot.
        dy = (y - one_hot(t, len(b2), y.dtype)) / batch_num  # (N, C)
        grad_W2 = z1.T @ dy  # (H, N) @ (N, C) -> (H, C)
        grad_b2 = dy.sum(axis=0)  # (C,)
        dz1 = dy @ W2.T  # (N, C) @ (C, H) -> (N, H)
        # sigmoid'(a1) = z1 * (1 - z1), from the forward value: no second exp.
        da1 = dz1 * (1.0 - z1) * z1  # (N, H)
        grad_W1 = x.T @ da1  # (D, N) @ (N, H) -> (D, H)
        grad_b1 = da1.sum(axis=0)  # (H,)
        return loss, {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}

    # A network from weights someone else made: the weights files of
    # purenet_support, or a pure network's params.

    def get_params(self) -> dict[str, list]:
        """Return a copy of params as plain nested lists: W (rows of floats), b (flat lists)."""
        return {key: value.tolist() for key, value in self.params.items()}

    @classmethod
    def from_params(cls, params: dict) -> "TwoLayerNet":
        """Return a network holding a float copy of params (nested lists or arrays).

        params must have exactly the keys 'W1', 'b1', 'W2', 'b2' with shapes
        (D, H), (H,), (H, C), (C,) of finite numbers; anything else raises naming
        the key (NaN or infinity would make every prediction NaN without a word).
        float32 and float64 arrays keep their dtype; lists and int arrays become
        float64; float16 and longdouble are refused (no weights file holds them).
        """
        network = cls.__new__(cls)
        network.params = check_params(params)
        return network
