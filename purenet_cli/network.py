"""The start network of a command: the same seeded weights in both implementations.

One random.Random draws the start weights (in purenet, the pure Python package),
then every batch. NumPy starts from the very same weights, handed over as lists,
so a pure run and a NumPy run with one seed are one run.
"""

from __future__ import annotations

import random
from typing import Any

from purenet_cli.impls import Impl


def start_network(impl: Impl, input_size: int, hidden: int, output_size: int,
                  weight_init_std: float, rng: random.Random, dtype: str = "float64") -> Any:
    """Return impl's TwoLayerNet with purenet's start weights drawn from rng, in dtype."""
    from purenet.two_layer_net import TwoLayerNet as PureNet

    network: Any = PureNet(input_size, hidden, output_size, weight_init_std=weight_init_std,
                           rng=rng)
    if impl.name == "numpy":
        network = impl.two_layer_net.TwoLayerNet.from_params(network.get_params())
        if dtype == "float32":
            for key, value in network.params.items():
                network.params[key] = value.astype("float32")
    return network
