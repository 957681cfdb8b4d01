"""Input checks and their messages, for every lesson module of both packages.

A learner can skip this file. Each lesson function makes at most one call into
it, right after its docstring, and then reads like the book. What is checked
here is what the book leaves to chance: shapes that NumPy would broadcast
without a word, ints where a float step is needed, scores where probabilities
belong, typos in parameter names. Checks that only make sense for NumPy
arrays live in ``reference/checks.py``, which builds on this one.
"""

from __future__ import annotations

import math
import numbers
import operator
import random
from typing import Any

from purenet.functions import to_labels
from purenet.matrix import Matrix, check_matrix, shape
from purenet.weights_file import PARAM_KEYS, check_param_shapes

# ---------------------------------------------------------------------------
# functions.py: sigmoid, softmax, the losses


# ---------------------------------------------------------------------------
# gradient.py: numerical_gradient, gradient_descent


# ---------------------------------------------------------------------------
# optimizer.py: SGD


# ---------------------------------------------------------------------------
# two_layer_net.py: sizes, seeds, inputs, parameters

# Past this many weights (D*H + H*C) a network cannot be held: 10**8 float64
# weights are 800 MB as a NumPy array and about 3 GB as Python floats in lists.
MAX_WEIGHTS = 10**8


def check_sizes(input_size: object, hidden_size: object, output_size: object,
                weight_init_std: object) -> float:
    """Raise unless the sizes are positive ints whose weights fit; return the std as a float."""
    sizes = {}
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size),
                       ("output_size", output_size)):
        sizes[name] = _positive_int(name, size)
    weights = (sizes["input_size"] + sizes["output_size"]) * sizes["hidden_size"]
    if weights > MAX_WEIGHTS:
        raise ValueError(f"a {input_size}-{hidden_size}-{output_size} network has {weights:,} "
                         f"weights, more than the {MAX_WEIGHTS:,} that fit in memory: "
                         f"choose smaller sizes")
    std = weight_init_std
    if isinstance(std, bool) or not isinstance(std, numbers.Real):
        raise TypeError(f"weight_init_std must be a number, got {type(std).__name__}")
    if not (math.isfinite(std) and float(std) > 0):
        raise ValueError(f"weight_init_std must be positive and finite, got {std!r}")
    return float(std)


def _positive_int(name: str, size: Any) -> int:
    # operator.index takes any int type (a NumPy int too), not 3.0 and not NumPy's bool.
    try:
        value = operator.index(size)
    except TypeError:
        value = None
    if value is None or isinstance(size, bool):
        raise TypeError(f"{name} must be a positive int, got {type(size).__name__} {size!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return value


def check_seed(seed: Any) -> int | None:
    """Return seed as an int, or None; raise for anything else (1.5, "1", True, -1).

    random.Random would hash 1.5 or "1" into some seed without a word; NumPy's
    default_rng refuses them; both packages refuse them alike.
    """
    if seed is None:
        return None
    try:
        value = operator.index(seed)
    except TypeError:
        value = None
    if value is None or isinstance(seed, bool):
        raise TypeError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
    if value < 0:
        raise ValueError(f"seed must be >= 0, got {value}")
    return value


def check_init(input_size: object, hidden_size: object, output_size: object,
               weight_init_std: object, seed: object, rng: object) -> tuple[float, random.Random]:
    """Check TwoLayerNet's arguments; return (weight_init_std, the random.Random to draw from)."""
    std = check_sizes(input_size, hidden_size, output_size, weight_init_std)
    if rng is None:
        return std, random.Random(check_seed(seed))
    if seed is not None:
        raise ValueError("pass seed or rng, not both")
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    return std, rng


def check_x(x: Any, params: dict[str, Any]) -> Matrix:
    """Return x as a list of rows after checking it is a batch (N, D) for W1 (D, H)."""
    if not isinstance(x, list):
        x = list(x)  # e.g. a lazy sequence of rows from the MNIST loader
    n, d = check_matrix(x, "x")
    if d != len(params["W1"]):
        raise ValueError(f"x must be a batch of shape (N, {len(params['W1'])}) "
                         f"(input_size), got {(n, d)}")
    return x


def check_t(t: Any, y: Matrix) -> Matrix:
    """Return t as one-hot rows in the shape (N, C) of the predictions y: the book's t.

    t may be one-hot already (returned as it is) or N label indices, each
    becoming a row of zeros with a 1 at the label. Anything else raises: the
    book's (y - t) / N would broadcast a (N,) t against (N, C) without a word.
    """
    return _one_hot(t, len(y), len(y[0]))


def check_batch(x: Any, t: Any, params: dict[str, Any]) -> tuple[Matrix, Matrix]:
    """Return (x, t): x a checked batch (N, D) for W1, t one-hot rows (N, C) (see check_t)."""
    x = check_x(x, params)
    return x, _one_hot(t, len(x), len(params["b2"]))


def _one_hot(t: Any, n: int, classes: int) -> Matrix:
    labels = to_labels(t, (n, classes))  # raises on a t of the wrong shape
    if labels is None:
        return t  # already one-hot, in the shape (N, C)
    return [[1.0 if k == label else 0.0 for k in range(classes)] for label in labels]


def check_params(params: object) -> dict[str, Any]:
    """Return a float copy of params (nested lists, or anything with tolist) after checking it.

    params must be a dict with exactly the keys 'W1', 'b1', 'W2', 'b2', of shapes
    (D, H), (H,), (H, C), (C,), of finite numbers; anything else raises naming
    the key (NaN or infinity would make every prediction NaN without a word).
    """
    params = check_param_dict(params)
    values = {}
    for key in PARAM_KEYS:
        if key in params:
            v = params[key]
            values[key] = v.tolist() if hasattr(v, "tolist") else v
    shapes = {key: shape(v, f"params[{key!r}]") for key, v in values.items()}
    check_param_shapes(shapes, set(params), "params")
    return {key: _to_floats(values[key], f"params[{key!r}]") for key in PARAM_KEYS}


def check_param_dict(params: object) -> dict[str, Any]:
    """Return params if it is a dict; raise TypeError naming its type if not."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    return params


def _to_floats(v: Any, name: str) -> list:
    # A float copy of a checked vector or matrix, refusing NaN and infinity.
    rows = v if isinstance(v[0], list) else [v]
    try:
        floats = [[float(e) for e in row] for row in rows]
    except OverflowError:  # an int past float's range, e.g. 400 digits in a JSON file
        raise ValueError(f"{name} holds an int too large for a float: "
                         f"weights must be finite numbers") from None
    for row in floats:
        if not all(map(math.isfinite, row)):
            bad = next(e for e in row if not math.isfinite(e))
            raise ValueError(f"{name} holds {bad}: weights must be finite numbers "
                             f"(no NaN or infinity)")
    return floats if isinstance(v[0], list) else floats[0]


# ---------------------------------------------------------------------------
# gradient_check.py: two gradients of one network, compared


def check_gradients(a: Any, b: Any) -> tuple[list[float], list[float]]:
    """Return two gradients (vectors or matrices) as flat lists; raise unless they match in size."""
    flat_a, flat_b = _flatten(a), _flatten(b)
    if len(flat_a) != len(flat_b):
        raise ValueError(f"the gradients differ in size: {len(flat_a)} and {len(flat_b)} entries")
    return flat_a, flat_b


def _flatten(v: Any) -> list[float]:
    return [e for row in v for e in row] if isinstance(v[0], list) else list(v)


# ---------------------------------------------------------------------------
# train.py: hyperparameters


def check_hyperparameters(iters: int, batch_size: int, lr: float, sampling: str,
                          train_size: int, samplings: tuple[str, ...]) -> None:
    """Raise ValueError naming the first setting that cannot work with train_size images."""
    if iters < 1:
        raise ValueError(f"iters must be at least 1, got {iters}")
    if not 1 <= batch_size <= train_size:
        raise ValueError(f"batch_size must be between 1 and the training size "
                         f"{train_size}, got {batch_size}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be a positive number, got {lr}")
    check_sampling(sampling, samplings)


def check_sampling(sampling: str, samplings: tuple[str, ...]) -> None:
    """Raise ValueError unless sampling is one of samplings."""
    if sampling not in samplings:
        raise ValueError(f"sampling must be one of {', '.join(samplings)}, got {sampling!r}")
