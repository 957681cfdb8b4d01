"""Stochastic gradient descent, the update rule of learning (book sections 4.4 and 6.1).

After each mini-batch, every parameter takes a small step against its
gradient: W <- W - lr * dL/dW (확률적 경사 하강법, SGD). The step is made in
place, so a network holding the same lists sees its new weights at once.
"""

from purenet.checks import learning_rate, update_inputs
from purenet.matrix import Array, as_rows


class SGD:
    """Plain SGD with learning rate lr (the book's eta): params[key] -= lr * grads[key]."""

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = learning_rate(lr)

    def update(self, params: dict[str, Array], grads: dict[str, Array]) -> None:
        """Set params[key] to params[key] - lr * grads[key] for every key, in place; return None.

        grads must have exactly the keys of params, each of its param's shape
        (nothing is broadcast), in floats. The rows of params are refilled, not
        replaced, so lists held elsewhere (a network's params) change too.

        >>> params, grads = {"W": [[1.0, 2.0]]}, {"W": [[0.5, -1.0]]}
        >>> W = params["W"]
        >>> SGD(lr=0.1).update(params, grads)  # one step: W - 0.1 * dL/dW
        >>> params["W"], W is params["W"]  # changed in place: W sees the step too
        ([[0.95, 2.1]], True)
        """
        update_inputs(params, grads)
        for key in params:
            for row, grad_row in zip(as_rows(params[key]), as_rows(grads[key])):
                row[:] = [w - self.lr * g for w, g in zip(row, grad_row)]
