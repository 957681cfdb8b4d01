"""Loading a data set for a command: normalized, in the working dtype, cut to the rows asked for.

The pure package keeps images as bytes and decodes rows on demand, so a cut
keeps bytes too: the first images' own, not a list of decoded rows.
"""

from __future__ import annotations

from typing import Any

import click

from purenet_cli.impls import Impl
from purenet_cli.watch import plural
from purenet_support.mnist import DataError, ImageRows


def first(x: Any, n: int | None) -> Any:
    """Return the first n rows of x (all of them when n is None).

    An array gives a view, a list a shorter list, and the pure package's
    ImageRows a smaller ImageRows holding only those images' bytes: still
    decoded on demand, and all a --jobs worker needs to be sent.
    """
    if n is None or n >= len(x):
        return x
    if isinstance(x, ImageRows):
        return x.part(0, n)
    return x[:n]


def load_data(impl: Impl, dtype: str, data_dir: str | None, dataset: str, one_hot: bool,
              train_size: int | None, test_size: int | None) -> tuple[tuple[Any, Any],
                                                                      tuple[Any, Any]]:
    """Load the data set for impl, normalized to [0, 1], cut to the first rows asked for.

    NumPy's images are converted once to the working dtype here, so no batch and
    no evaluation converts them again; pure keeps bytes and decodes rows on demand.
    """
    try:
        if impl.name == "numpy" and dtype == "float32":
            import numpy as np

            (x_train, t_train), (x_test, t_test) = impl.mnist.load_mnist(
                normalize=False, one_hot_label=one_hot, data_dir=data_dir, dataset=dataset)
            scale = np.float32(255.0)
            x_train = x_train.astype(np.float32) / scale  # (N, 784) uint8 -> float32
            x_test = x_test.astype(np.float32) / scale
            if one_hot:
                t_train, t_test = t_train.astype(np.float32), t_test.astype(np.float32)
        else:  # byte / 255.0 in float64: the same doubles in both packages
            (x_train, t_train), (x_test, t_test) = impl.mnist.load_mnist(
                normalize=True, one_hot_label=one_hot, data_dir=data_dir, dataset=dataset)
    except DataError as err:
        raise click.ClickException(str(err)) from None
    for option, size, have in (("--train-size", train_size, len(x_train)),
                               ("--test-size", test_size, len(x_test))):
        if size is not None and size > have:
            raise click.BadParameter(f"{size} is more than the {plural(have, 'image')} of "
                                     f"{dataset}",
                                     param_hint=f"'{option}'")
    return ((first(x_train, train_size), first(t_train, train_size)),
            (first(x_test, test_size), first(t_test, test_size)))
