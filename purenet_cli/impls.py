"""The two implementations a command can run: purenet (plain Python) or reference (NumPy).

Each is its package's modules plus how it gathers rows; only ``reference``
imports NumPy, so ``--impl pure`` never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from purenet.evaluation import Take, take_array, take_rows

INPUT_SIZE, OUTPUT_SIZE = 784, 10  # an MNIST image's pixels in, its classes out


@dataclass
class Impl:
    """One implementation: its package's modules and how it gathers rows."""

    name: str
    mnist: ModuleType
    two_layer_net: ModuleType
    optimizer: ModuleType
    gradient_check: ModuleType
    take: Take
    chunk: int  # rows per accuracy() call: bounds the memory of one evaluation


def load_impl(name: str) -> Impl:
    """Import purenet's ("pure") or reference's ("numpy") modules."""
    if name == "pure":
        import purenet.gradient_check
        import purenet.mnist
        import purenet.optimizer
        import purenet.two_layer_net

        return Impl(name, purenet.mnist, purenet.two_layer_net, purenet.optimizer,
                    purenet.gradient_check, take_rows, 500)
    import reference.gradient_check
    import reference.mnist
    import reference.optimizer
    import reference.two_layer_net

    return Impl(name, reference.mnist, reference.two_layer_net, reference.optimizer,
                reference.gradient_check, take_array, 10000)
