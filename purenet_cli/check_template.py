"""The starting file `purenet check --new FILE.py` writes: the book's chapter-4 names.

Each body raises NotImplementedError, which the check reports as "not written yet", so a
learner fills the functions in one by one and re-runs `purenet check FILE.py`.
"""

TEMPLATE = '''"""My chapter 4 of "Deep Learning from Scratch": `purenet check` this file."""

import numpy as np


def sigmoid(x):
    """Return 1 / (1 + exp(-x)), entry by entry, in x's shape."""
    raise NotImplementedError


def sigmoid_grad(x):
    """Return the derivative of sigmoid at the input x: (1 - sigmoid(x)) * sigmoid(x)."""
    raise NotImplementedError


def softmax(x):
    """Return exp(x) / sum(exp(x)) for one sample (C,), or row by row for a batch (N, C).

    Subtract the maximum first: softmax([1010, 1000, 990]) must not overflow.
    """
    raise NotImplementedError


def sum_squared_error(y, t):
    """Return 0.5 * sum((y - t) ** 2), a number; y and t have the same shape."""
    raise NotImplementedError


def cross_entropy_error(y, t):
    """Return -sum(t * log(y + 1e-7)) / N, a number: the mean over a batch y (N, C).

    One sample y (C,) counts as a batch of 1; t is one-hot, in the shape of y.
    """
    raise NotImplementedError


def numerical_diff(f, x):
    """Return df/dx at the number x by the central difference, h = 1e-4."""
    raise NotImplementedError


def function_2(x):
    """Return x[0] ** 2 + x[1] ** 2, a number."""
    raise NotImplementedError


def numerical_gradient(f, x):
    """Return the gradient of f at x, in x's shape (a vector, or a matrix for section 8).

    Nudge each entry by +h and -h (h = 1e-4), and put it back before the next.
    """
    raise NotImplementedError


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Return the point reached after step_num steps x <- x - lr * grad f(x) from init_x."""
    raise NotImplementedError


class simpleNet:
    """The book's 4.4.2 net: one weight matrix W (2, 3), softmax and cross-entropy."""

    def __init__(self):
        """Set self.W = np.random.randn(2, 3)."""
        raise NotImplementedError

    def predict(self, x):
        """Return x @ W, shape (3,) for x of shape (2,)."""
        raise NotImplementedError

    def loss(self, x, t):
        """Return cross_entropy_error(softmax(predict(x)), t), a number; t one-hot (3,)."""
        raise NotImplementedError


class TwoLayerNet:
    """The book's 4.5.1 net: affine, sigmoid, affine, softmax."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        """Set self.params: W1 (input, hidden), b1 (hidden,), W2 (hidden, output), b2 (output,)."""
        raise NotImplementedError

    def predict(self, x):
        """Return softmax(sigmoid(x @ W1 + b1) @ W2 + b2), shape (N, output) for x (N, input)."""
        raise NotImplementedError

    def loss(self, x, t):
        """Return cross_entropy_error(predict(x), t), a number; t one-hot (N, output)."""
        raise NotImplementedError

    def accuracy(self, x, t):
        """Return the fraction of rows whose largest prediction is t's class, a number."""
        raise NotImplementedError

    def numerical_gradient(self, x, t):
        """Return {'W1': ..., 'b1': ..., 'W2': ..., 'b2': ...}: numerical_gradient of the loss."""
        raise NotImplementedError

    def gradient(self, x, t):
        """The same dict by backpropagation (chapter 5): dy = (y - t) / batch_num, ..."""
        raise NotImplementedError
'''
