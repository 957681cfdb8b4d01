"""Stochastic gradient descent, the update rule of learning (book sections 4.4 and 6.1), in NumPy.

The twin of ``purenet/optimizer.py``. Every parameter takes a small step
against its gradient: W <- W - lr * dL/dW (확률적 경사 하강법, SGD). The
step is made in place with ``-=``, so a network holding the same arrays sees
its new weights at once.
"""

from reference.checks import Array, learning_rate, update_inputs


class SGD:
    """Plain SGD with learning rate lr (the book's eta): params[key] -= lr * grads[key]."""

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = learning_rate(lr)

    def update(self, params: dict[str, Array], grads: dict[str, Array]) -> None:
        """Set params[key] to params[key] - lr * grads[key] for every key, in place; return None.

        grads must have exactly the keys of params, each of its param's shape
        (nothing is broadcast), in floats. The arrays of params are changed with
        ``-=``, not replaced, so arrays held elsewhere (a network's params) change too.

        >>> import numpy as np
        >>> params = {"W": np.array([[1.0, 2.0]])}
        >>> grads = {"W": np.array([[0.5, -1.0]])}
        >>> W = params["W"]
        >>> SGD(lr=0.1).update(params, grads)  # one step: W - 0.1 * dL/dW
        >>> params["W"].tolist(), W is params["W"]  # changed in place: W sees the step too
        ([[0.95, 2.1]], True)
        """
        update_inputs(params, grads)
        for key in params:
            params[key] -= self.lr * grads[key]
