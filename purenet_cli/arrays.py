"""Parameters and gradients read alike from NumPy arrays and from nested lists.

The commands print shapes and norms of either package's values; these helpers
let them do it without caring which package made them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain
from typing import Any


def flat(v: Any) -> list[float]:
    """Return a parameter or gradient (array or nested lists) as one flat list of floats."""
    if hasattr(v, "ravel"):
        return v.ravel().tolist()
    return [e for row in v for e in row] if v and isinstance(v[0], list) else list(v)


def all_finite(v: Any) -> bool:
    """Return whether a parameter (array or nested lists) holds finite numbers only."""
    if hasattr(v, "dtype"):
        import numpy as np  # an array's own module, loaded already

        return bool(np.isfinite(v).all())
    rows = v if v and isinstance(v[0], list) else [v]
    return all(map(math.isfinite, chain.from_iterable(rows)))


def finite_weights(network: Any) -> bool:
    """Return whether every parameter of network holds finite numbers only (no inf, no NaN)."""
    return all(map(all_finite, network.params.values()))


def shape_of(v: Any) -> tuple[int, ...]:
    """Return the shape of an array or of nested lists: (rows, cols) or (n,)."""
    if hasattr(v, "shape"):
        return tuple(v.shape)
    return (len(v), len(v[0])) if v and isinstance(v[0], list) else (len(v),)


def label_of(t_row: Any) -> int:
    """Return a label as an int, from an int or from a one-hot row."""
    if hasattr(t_row, "__len__"):
        values = flat(t_row)
        return values.index(max(values))
    return int(t_row)


def norm(values: Sequence[float]) -> float:
    """Return the Euclidean norm sqrt(sum v^2) of a flat list."""
    return math.sqrt(math.fsum(v * v for v in values))
