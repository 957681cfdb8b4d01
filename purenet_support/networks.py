"""A TwoLayerNet to and from a weights file, in either package.

The lesson's networks know nothing of files: ``params`` is all they hold. These
two functions pick the weights module that fits the network's package
(weights_file for purenet's lists, weights_numpy for reference's arrays).
"""

from __future__ import annotations

from typing import Any

from purenet_support import weights_file
from purenet_support.weights_file import FileName


def _weights_of(cls: type) -> Any:
    if cls.__module__.split(".")[0] == "reference":
        from purenet_support import weights_numpy

        return weights_numpy
    return weights_file


def save(network: Any, path: FileName) -> None:
    """Write network.params to path, a .npz (NumPy's format) or .json file, atomically."""
    _weights_of(type(network)).save(path, network.params)


def load(cls: type, path: FileName) -> Any:
    """Return a cls (a TwoLayerNet of either package) holding the weights stored at path.

    A problem with the file is a ValueError or TypeError whose message starts
    with the file's name.
    """
    with weights_file.errors_name(path):
        return cls.from_params(_weights_of(cls).load(path))  # type: ignore[attr-defined]
