"""Option values that click's types cannot check alone: bounds, combinations, defaults per impl.

Each check raises click's own errors, so a bad value is a one-line usage error
(exit 2) that names the option, before any work is done.
"""

from __future__ import annotations

import math
import os

import click
from click.core import ParameterSource

from purenet_cli.watch import plural

# What --impl pure uses unless told otherwise: a plain Python step of 100 images
# is far slower than in NumPy, and the book's full run takes a quarter of an hour
# or more (README, bench/pure_train.py). These finish in a couple of minutes and
# still learn: a learner waits for a lesson, not for a benchmark.
PURE_DEFAULTS = {"train_size": 5000, "test_size": 1000, "iters": 1000}
# Bounds that catch a slip of the finger (an extra zero or three) before it costs
# minutes or memory; a std of 1e308 would start from infinite weights.
MAX_SIZE, MAX_STD = 10_000, 1000.0
MAX_STEPS = 100_000  # descent: a bound, so a typo cannot run for hours
# gradcheck's numerical gradient costs 2 loss evaluations per parameter, each about
# N * parameters multiply-adds: past this many it runs for minutes in pure Python
# (about 1e7 multiply-adds a second) and holds memory to match
MAX_GRADCHECK_WORK = 5 * 10**8


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A click callback: refuse inf and nan."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"must be a finite number, got {value:g}")
    return value


def positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A click callback: refuse zero, negative and non-finite numbers."""
    if value is not None and not (value > 0 and math.isfinite(value)):
        raise click.BadParameter(f"must be a positive number, got {value:g}")
    return value


def data_directory(ctx: click.Context, param: click.Parameter,
                   value: str | None) -> str | None:
    """A click callback for --data-dir (or $PURENET_DATA): refuse a path that is no directory.

    A mistyped path is a usage error like any other option value (exit 2), before
    any work: it must not fall through to the next directory and load other data.
    """
    path = os.path.expanduser(value) if value is not None else None
    unreadable = path is not None and os.path.isdir(path) and not os.access(
        path, os.R_OK | os.X_OK)
    if path is not None and (unreadable or not os.path.isdir(path)):
        problem = ("is not readable (its permissions do not let you list it)" if unreadable
                   else "is a file" if os.path.exists(path) else "does not exist")
        source = ctx.get_parameter_source(param.name or "")
        # some click releases (8.4.0) tell the source only after this callback: then the value
        # came from the environment if it is what PURENET_DATA holds
        from_env = source is ParameterSource.ENVIRONMENT or (
            source is None and os.environ.get("PURENET_DATA") == value)
        raise click.BadParameter(f"{value} {problem}: name the directory that holds the "
                                 f"data set's four .gz files",
                                 param_hint="PURENET_DATA" if from_env else "'--data-dir'")
    return value


def check_gradcheck_size(input_size: int, hidden: int, output_size: int,
                         batch_size: int) -> None:
    """Refuse a gradcheck whose numerical gradient would run for minutes (or run out of memory)."""
    params = (input_size + 1) * hidden + (hidden + 1) * output_size  # W1, b1, W2, b2
    work = 2 * params * batch_size * params
    if work > MAX_GRADCHECK_WORK:
        raise click.UsageError(
            f"gradcheck is for small nets: a {input_size}-{hidden}-{output_size} net has "
            f"{params:,} parameters, and its numerical gradient on a batch of {batch_size:,} "
            f"takes 2 loss evaluations per parameter of about {batch_size * params:,} "
            f"multiply-adds each ({work:.1e} in all, more than the {MAX_GRADCHECK_WORK:.0e} "
            f"that finish in about a minute); choose smaller sizes or --batch-size")


def check_train_options(impl: str, grad: str, dtype: str | None, save_path: str | None,
                        plot_path: str | None) -> str:
    """Refuse option combinations train cannot run; return the dtype to use."""
    if impl == "pure" and dtype == "float32":
        raise click.UsageError("--dtype float32 is for --impl numpy; pure Python floats are "
                               "always float64")
    if dtype == "float32" and grad == "numerical":
        # (f(x + h) - f(x - h)) / 2h with h = 1e-4: float32 keeps about 7 digits of the
        # loss, so the difference of two losses is mostly rounding (relative errors ~0.7)
        raise click.UsageError("--grad numerical needs float64: in float32 the step "
                               "h = 1e-4 is lost to rounding and the gradient is garbage; "
                               "drop --dtype float32")
    for option, path in (("--save", save_path), ("--plot", plot_path)):
        if path is not None and path.endswith(("/", os.sep)):
            raise click.BadParameter(f"{path} ends in '/', so it names a directory; name a "
                                     f"file (drop the trailing '/')", param_hint=f"'{option}'")
    if save_path is not None and os.path.splitext(save_path)[1].lower() not in (".npz", ".json"):
        raise click.BadParameter(f"{save_path} must end in .npz or .json", param_hint="'--save'")
    if plot_path is not None and not plot_path.lower().endswith(".png"):
        raise click.BadParameter(f"{plot_path} must end in .png", param_hint="'--plot'")
    return dtype or "float64"


def sizes(impl: str, train_size: int | None, test_size: int | None,
          iters: int | None) -> tuple[int | None, int | None, int]:
    """Return (train_size, test_size, iters) with the defaults of impl, announcing pure's."""
    if impl == "pure":
        given = {"train_size": train_size, "test_size": test_size, "iters": iters}
        applied = {k: v for k, v in PURE_DEFAULTS.items() if given[k] is None}
        if applied:
            flags = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in applied.items())
            click.echo(f"pure Python is slow: using {flags} to finish in minutes; "
                       f"pass these options to change them.")
        train_size = train_size if train_size is not None else PURE_DEFAULTS["train_size"]
        test_size = test_size if test_size is not None else PURE_DEFAULTS["test_size"]
        iters = iters if iters is not None else PURE_DEFAULTS["iters"]
    return train_size, test_size, iters if iters is not None else 10000


def check_batch_size(batch_size: int, train_size: int | None) -> None:
    """Refuse a batch larger than the training set (no batch could be drawn)."""
    if train_size is not None and batch_size > train_size:
        raise click.BadParameter(f"{batch_size} is more than the "
                                 f"{plural(train_size, 'training image')}",
                                 param_hint="'--batch-size'")


def start_point(start: str | None, x0: float | None, x1: float | None) -> tuple[float, float]:
    """Return descent's start from --start "X0,X1" or --x0/--x1 (default (-3, 4))."""
    if start is not None:
        if x0 is not None or x1 is not None:
            raise click.UsageError("give --start or --x0/--x1, not both")
        try:
            x0, x1 = (float(v) for v in start.split(","))
        except ValueError:
            raise click.BadParameter(f"expected two numbers like -3,4, got {start!r}",
                                     param_hint="'--start'") from None
        if not (math.isfinite(x0) and math.isfinite(x1)):
            raise click.BadParameter(f"expected two finite numbers, got {start!r}",
                                     param_hint="'--start'")
    return (-3.0 if x0 is None else x0), (4.0 if x1 is None else x1)
