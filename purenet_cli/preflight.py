"""The check before a NumPy run: purenet and reference must compute the same loss and gradients.

On a tiny net both packages start from the same weights; any difference above
CHECK_TOLERANCE means the NumPy run would not be the pure one.
"""

from __future__ import annotations

import random

import click

from purenet_cli.arrays import flat

CHECK_TOLERANCE = 1e-10


def preflight() -> str:
    """Compare purenet and reference on a 6-4-3 net and a batch of 5; return a one-line verdict.

    Both compute the loss and the four gradients from the same weights; any
    difference above 1e-10 means the NumPy run would not be the pure one.
    """
    import numpy as np

    from purenet.two_layer_net import TwoLayerNet as PureNet
    from reference.two_layer_net import TwoLayerNet as NumpyNet

    rng = random.Random(4)
    pure_net = PureNet(6, 4, 3, weight_init_std=1.0, rng=rng)
    numpy_net = NumpyNet.from_params(dict(pure_net.get_params()))
    x = [[rng.random() for _ in range(6)] for _ in range(5)]  # (5, 6)
    t = [rng.randrange(3) for _ in range(5)]  # (5,)
    loss_p, grads_p = pure_net.loss_and_gradient(x, t)
    loss_n, grads_n = numpy_net.loss_and_gradient(np.array(x), np.array(t))
    worst = abs(loss_p - loss_n)
    for key, g in grads_p.items():
        worst = max(worst, max(abs(a - b) for a, b in zip(flat(g), flat(grads_n[key]))))
    if not worst <= CHECK_TOLERANCE:
        raise click.ClickException(
            f"purenet and reference disagree on a 6-4-3 net: the loss or a gradient differs "
            f"by {worst:.3g} > {CHECK_TOLERANCE:g}; the NumPy run would not match the pure "
            f"one (--no-check skips this check)")
    return (f"check: purenet and reference agree on a 6-4-3 net, batch 5 (loss and gradients "
            f"within {worst:.1e} <= {CHECK_TOLERANCE:g})")
