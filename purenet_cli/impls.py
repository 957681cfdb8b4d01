"""The two implementations a command can run: purenet (plain Python) or reference (NumPy).

Each is its package's lesson modules, its support modules (the MNIST loader, the
weights files) and how it gathers rows; only ``reference`` and the ``_numpy``
support modules import NumPy, so ``--impl pure`` never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from purenet.matrix import Rows
from purenet.train import Take
from purenet_support.mnist import ImageRows

INPUT_SIZE, OUTPUT_SIZE = 784, 10  # an MNIST image's pixels in, its classes out


@dataclass
class Impl:
    """One implementation: its package's modules and how it gathers rows."""

    name: str
    mnist: ModuleType
    weights: ModuleType
    two_layer_net: ModuleType
    optimizer: ModuleType
    gradient_check: ModuleType
    take: Take
    chunk: int  # rows per accuracy() call: bounds the memory of one evaluation

    def load_network(self, path: str) -> Any:
        """Return the TwoLayerNet stored at path (.npz or .json, written by either package)."""
        with self.weights.errors_name(path):
            return self.two_layer_net.TwoLayerNet.from_params(self.weights.load(path))


def take_rows(x: Any, indices: Sequence[int]) -> list:
    """purenet.train.take_rows, with the MNIST loader's rows decoded straight from their bytes.

    Rows decoded from bytes are numbers of one length: a batch the network need
    not check entry by entry (see matrix.Rows).
    """
    if isinstance(x, ImageRows) and x.flatten:
        return Rows(x.take(indices))
    return [x[i] for i in indices]


def take_array(x: Any, indices: Sequence[int]) -> Any:
    """Return x[indices] for a NumPy array: (N, D) -> (B, D); labels (N,) -> (B,).

    NumPy's fancy indexing copies the B rows; a range of consecutive rows, as
    accuracy_in_chunks asks for, becomes a slice: a view, no copy.
    """
    if isinstance(indices, range):
        return x[indices.start:indices.stop]
    return x[indices]


def load_impl(name: str) -> Impl:
    """Import purenet's ("pure") or reference's ("numpy") modules."""
    if name == "pure":
        import purenet.gradient_check
        import purenet.optimizer
        import purenet.two_layer_net
        import purenet_support.mnist
        import purenet_support.weights_file

        return Impl(name, purenet_support.mnist, purenet_support.weights_file,
                    purenet.two_layer_net, purenet.optimizer, purenet.gradient_check,
                    take_rows, 500)
    import purenet_support.mnist_numpy
    import purenet_support.weights_numpy
    import reference.gradient_check
    import reference.optimizer
    import reference.two_layer_net

    return Impl(name, purenet_support.mnist_numpy, purenet_support.weights_numpy,
                reference.two_layer_net, reference.optimizer, reference.gradient_check,
                take_array, 1000)
