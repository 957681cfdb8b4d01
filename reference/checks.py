"""Input checks for NumPy arrays, used by the lesson modules of ``reference/``.

A learner can skip this file. It adds what only arrays need (dtypes, ndim,
arrays changed in place) to the checks both packages share in
``purenet/checks.py``, so both refuse the same mistakes with the same words.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from purenet.checks import check_param_dict, check_seed, check_sizes
from purenet.weights_file import PARAM_KEYS, check_param_shapes
from reference.functions import as_array, to_labels

# ---------------------------------------------------------------------------
# functions.py: arrays of numbers, probabilities, labels


# ---------------------------------------------------------------------------
# gradient.py: float64 arrays changed in place


# ---------------------------------------------------------------------------
# optimizer.py: float arrays updated with -=


# ---------------------------------------------------------------------------
# two_layer_net.py: sizes, seeds, inputs, parameters
# (sizes and seeds are checked by purenet.checks, as in purenet)


def check_init(input_size: object, hidden_size: object, output_size: object,
               weight_init_std: object, seed: object,
               rng: object) -> tuple[float, np.random.Generator]:
    """Check TwoLayerNet's arguments; return (weight_init_std, the Generator to draw from)."""
    std = check_sizes(input_size, hidden_size, output_size, weight_init_std)
    if rng is None:
        return std, np.random.default_rng(check_seed(seed))
    if seed is not None:
        raise ValueError("pass seed or rng, not both")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return std, rng


def check_x(x: object, params: dict[str, np.ndarray]) -> np.ndarray:
    """Return x as an array after checking it is a batch (N, D) for W1 (D, H)."""
    x = as_array(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be a matrix (list of rows), got a vector of length {len(x)}")
    if x.shape[1] != len(params["W1"]):
        raise ValueError(f"x must be a batch of shape (N, {len(params['W1'])}) "
                         f"(input_size), got {x.shape}")
    return x


def check_t(t: object, y: np.ndarray) -> np.ndarray:
    """Return t as one-hot rows in the shape (N, C) of the predictions y: the book's t.

    t may be one-hot already or N label indices, each becoming a row of zeros
    with a 1 at the label, in y's dtype. Anything else raises: the book's
    (y - t) / N would broadcast a (N,) t against (N, C) without a word.
    """
    return _one_hot(t, y.shape, y.dtype)


def check_batch(x: object, t: object,
                params: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, t): x a checked batch (N, D) for W1, t one-hot rows (N, C) (see check_t).

    t comes in the dtype the forward pass will compute in (x's and the params'),
    so float32 params and a float32 x keep the whole backward pass in float32.
    """
    x = check_x(x, params)
    y_dtype = np.result_type(x, params["W1"], params["b1"], params["W2"], params["b2"])
    return x, _one_hot(t, (len(x), len(params["b2"])), y_dtype)


def _one_hot(t: Any, y_shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    labels = to_labels(t, y_shape)  # raises on a t of the wrong shape
    if labels is None:
        return np.asarray(t, dtype=dtype)  # already one-hot, in the shape (N, C)
    return np.eye(y_shape[1], dtype=dtype)[labels]


def check_params(params: object) -> dict[str, np.ndarray]:
    """Return a copy of params as float arrays (from nested lists or arrays) after checking it.

    params must be a dict with exactly the keys 'W1', 'b1', 'W2', 'b2', of shapes
    (D, H), (H,), (H, C), (C,), of finite numbers; anything else raises naming
    the key (NaN or infinity would make every prediction NaN without a word).
    float32 and float64 arrays keep their dtype; lists and int arrays become
    float64; other floats (float16, longdouble) are refused, as the weights
    files hold float32 or float64 only.
    """
    params = check_param_dict(params)
    values = {}
    for key in PARAM_KEYS:
        if key in params:
            values[key] = as_array(params[key], f"params[{key!r}]")
    check_param_shapes({key: a.shape for key, a in values.items()}, set(params), "params")
    return {key: _to_floats(values[key], f"params[{key!r}]") for key in PARAM_KEYS}


def _to_floats(a: np.ndarray, name: str) -> np.ndarray:
    # A copy in float32 or float64 (native byte order), refusing NaN and infinity.
    if a.dtype.kind == "f" and a.dtype.type not in (np.float32, np.float64):
        raise ValueError(f"{name} holds {a.dtype.name} numbers: weights must be float64 or "
                         f"float32 (ints become float64)")
    try:
        a = np.array(a, dtype=a.dtype.type if a.dtype.kind == "f" else np.float64)  # a copy
    except OverflowError:  # an int past float's range, e.g. 400 digits in a JSON file
        raise ValueError(f"{name} holds an int too large for a float: "
                         f"weights must be finite numbers") from None
    bad = a[~np.isfinite(a)]
    if bad.size:
        raise ValueError(f"{name} holds {float(bad[0])}: weights must be finite numbers "
                         f"(no NaN or infinity)")
    return a


# ---------------------------------------------------------------------------
# gradient_check.py: two gradients of one network, compared


def check_gradients(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    """Return two gradients as flat float64 arrays; raise unless they match in size."""
    flat_a = np.asarray(a, dtype=np.float64).ravel()
    flat_b = np.asarray(b, dtype=np.float64).ravel()
    if flat_a.size != flat_b.size:
        raise ValueError(f"the gradients differ in size: {flat_a.size} and {flat_b.size} entries")
    return flat_a, flat_b
