"""The purenet command: train the network of chapter 4.5, and the chapter's small demos.

    purenet train --impl numpy            the book's run: 10000 iterations, ~0.95 test accuracy
    purenet train --impl pure             the same loop in plain Python, on a subset
    purenet evaluate params.npz           the test accuracy of saved weights
    purenet descent --plot descent.png    gradient descent on x0^2 + x1^2 (chapter 4.4)
    purenet gradcheck --impl pure         backprop against the numerical gradient

Both implementations run the one loop of purenet/train.py; this file only wires
up data, network and output. NumPy (and matplotlib, for --plot) are imported
inside the commands that need them, so ``--impl pure`` never loads NumPy.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import click

from purenet.functions import DELTA
from purenet.mnist import DataError
from purenet.train import (
    Hyperparameters,
    Step,
    Take,
    accuracy_in_chunks,
    plural,
    take_array,
    take_rows,
    train,
)
from purenet_cli.flags import with_flags

# What --impl pure uses unless told otherwise: a plain Python step of 100 images
# costs 0.2 to 0.3 s and evaluating 6000 images about 6 s, so the book's full run
# would take most of a day. These take about 7 minutes (7 to 7.3 measured on a
# shared 2-core machine) and reach 0.86 test accuracy (1300 iterations are needed:
# the first 1000 test images are harder than the average, at 1000 iterations they
# give 0.839, all 10000 0.856).
PURE_DEFAULTS = {"train_size": 5000, "test_size": 1000, "iters": 1300}
INPUT_SIZE, OUTPUT_SIZE = 784, 10
# Bounds that catch a slip of the finger (an extra zero or three) before it costs
# minutes or memory; a std of 1e308 would start from infinite weights.
MAX_SIZE, MAX_STD = 10_000, 1000.0
CHECK_TOLERANCE = 1e-10
# gradcheck: below this probability for a label, 1e-7 / y (the loss's guard, which
# backprop leaves out) reaches 1e-2, the size of a wrong derivative
SATURATED = 1e-5
MAX_STEPS = 100_000  # descent: 0.3 s or so; a bound, so a typo cannot run for hours
PLOT_HINT = "pip install -e '.[plot]'"


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
    """Import purenet's or reference's modules (only reference imports NumPy)."""
    if name == "pure":
        from purenet import gradient_check, mnist, optimizer, two_layer_net

        return Impl(name, mnist, two_layer_net, optimizer, gradient_check, take_rows, 500)
    from reference import gradient_check, mnist, optimizer, two_layer_net  # type: ignore[no-redef]

    return Impl(name, mnist, two_layer_net, optimizer, gradient_check, take_array, 10000)


# ---------------------------------------------------------------------------
# small utilities


def flat(v: Any) -> list[float]:
    """Return a parameter or gradient (array or nested lists) as one flat list of floats."""
    if hasattr(v, "ravel"):
        return v.ravel().tolist()
    return [e for row in v for e in row] if v and isinstance(v[0], list) else list(v)


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


class FirstRows(Sequence):
    """The first n rows of a (lazy) sequence, read on demand like the sequence itself."""

    def __init__(self, rows: Sequence, n: int) -> None:
        self.rows, self.n = rows, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if not -self.n <= i < self.n:
            raise IndexError(f"row {i} is out of range for {self.n} rows")
        return self.rows[i % self.n]


def first(x: Any, n: int | None) -> Any:
    """Return the first n rows of x (all of them when n is None): an array view or a lazy view."""
    if n is None or n >= len(x):
        return x
    if hasattr(x, "ndim") or isinstance(x, list):
        return x[:n]
    return FirstRows(x, n)


def atomic_write(path: str, write: Callable[[str], object]) -> None:
    """Call write(tmp) on a temporary file beside path, then rename it to path in one step.

    A crash or Ctrl-C leaves the old file (or none), never half a file.
    """
    directory = os.path.dirname(os.path.abspath(path))
    base, ext = os.path.splitext(os.path.basename(path))
    # A fresh name, not mkstemp: mkstemp's file is private (0600); write() creates
    # this one with the user's usual permissions. The extension stays last for savefig.
    tmp = os.path.join(directory, f".{base}.{uuid.uuid4().hex}.tmp{ext}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def write_json(path: str, data: object) -> None:
    """Write data to path as indented JSON, atomically."""
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
            f.write("\n")

    atomic_write(path, write)


def check_outputs(outputs: dict[str, str | None], force: bool) -> None:
    """Refuse, before any work, output paths that would be lost or fail at the end.

    A run of minutes must not end in "file exists" or "no such directory".
    """
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        full = os.path.abspath(path)
        if full in seen:
            raise click.UsageError(f"{option} and {seen[full]} name the same file {path}")
        seen[full] = option
        if os.path.isdir(full):
            raise click.UsageError(f"{option} {path} is a directory; name a file")
        parent = os.path.dirname(full)
        if not os.path.isdir(parent):
            raise click.UsageError(f"{option} {path}: directory {parent} does not exist; "
                                   f"create it first")
        if not os.access(parent, os.W_OK):
            raise click.UsageError(f"{option} {path}: directory {parent} is not writable")
        if os.path.exists(full) and not force:
            raise click.UsageError(f"{option} {path} exists; pass --force to overwrite it")


def require_matplotlib() -> None:
    """Exit 1 with the install command when the plot extra is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise click.ClickException(f"--plot needs matplotlib: {PLOT_HINT}") from None


def pyplot() -> ModuleType:
    """Return matplotlib.pyplot on the Agg backend: files only, never a window."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


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


def numpy_accuracy(network: Any, x: Any, t: Any, chunk: int = 10000) -> float:
    """Return the accuracy of a reference network on arrays x (N, D) and t, chunk rows at a time.

    What network.accuracy computes (argmax of the scores a2; softmax would not
    change it), in the params' dtype, with two savings for 17 evaluations of
    70,000 images. The sigmoid is the book's 1 / (1 + exp(-a)) done in place:
    an exp overflowing to inf for a < -709 gives exactly 0, so the overflow
    warning is silenced; it differs from the stable sigmoid by at most 2e-16
    and costs a tenth. In float64 the first product is computed transposed,
    W1.T @ x.T: the same sums, in a shape OpenBLAS runs about 20% faster here;
    in float32 the row form x @ W1 is the faster one, so it stays.
    """
    import numpy as np

    W1, b1, W2, b2 = (network.params[k] for k in ("W1", "b1", "W2", "b2"))
    labels = t if t.ndim == 1 else t.argmax(axis=1)  # one-hot (N, C) -> (N,)
    columns = W1.dtype == np.float64
    hits = 0
    for start in range(0, len(x), chunk):
        rows = x[start:start + chunk]  # a view, no copy
        if columns:
            a1 = (W1.T @ rows.T).T  # (H, D) @ (D, n) -> (H, n), viewed as (n, H)
        else:
            a1 = rows @ W1  # (n, D) @ (D, H) -> (n, H)
        a1 += b1
        # exp(-a) overflows to inf for a < -709 (float32: -88), and 1 / (1 + inf) is
        # exactly 0, sigmoid's limit there: the overflow warning would report nothing wrong
        with np.errstate(over="ignore"):
            z1 = np.exp(np.negative(a1, out=a1), out=a1)
        z1 += 1.0
        np.reciprocal(z1, out=z1)  # sigmoid(a1), in a1's memory
        scores = z1 @ W2 + b2  # (n, H) @ (H, C) -> (n, C)
        hits += int(np.count_nonzero(scores.argmax(axis=1) == labels[start:start + chunk]))
    return hits / len(x)


# ---------------------------------------------------------------------------
# what the train command prints while it runs


class Progress:
    """A one-line progress bar with the current loss on stderr, only on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.start = self.last = time.perf_counter()

    def update(self, i: int, loss: float) -> None:
        """Redraw at most ten times a second (redrawing costs more than a NumPy step)."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and i + 1 < self.total:
            return
        self.last = now
        done = (i + 1) / self.total
        bar = "#" * int(30 * done)
        eta = (now - self.start) / done * (1 - done)
        sys.stderr.write(f"\r[{bar:<30}] {i + 1}/{self.total}  loss {loss:.4f}  "
                         f"eta {eta:4.0f} s ")
        sys.stderr.flush()

    def clear(self) -> None:
        """Blank the bar so a line of stdout is not mixed into it."""
        if self.enabled:
            sys.stderr.write("\r" + " " * 72 + "\r")
            sys.stderr.flush()


class Explainer:
    """For --explain: print the four steps of iteration 0 in full, then stay silent."""

    def __init__(self, network: Any, hp: Hyperparameters, train_size: int,
                 grad: str) -> None:
        self.network, self.hp, self.train_size, self.grad = network, hp, train_size, grad
        self.before: dict[str, list[float]] = {}

    def __call__(self, phase: str, step: Step) -> None:
        if step.iteration != 0:
            return
        if phase == "gradient":
            self.before = {k: flat(v) for k, v in self.network.params.items()}
            self.explain_batch_and_gradient(step)
        else:
            self.explain_update(step)

    def explain_batch_and_gradient(self, step: Step) -> None:
        p = {k: shape_of(v) for k, v in self.network.params.items()}
        x, n = shape_of(step.x_batch), len(step.indices)
        labels = [label_of(row) for row in step.t_batch[:10]]
        how = ("with replacement (an image may come twice)" if self.hp.sampling == "replacement"
               else "from a shuffled order (each image once per epoch)")
        echo = click.echo
        echo("\n--explain: iteration 0, step by step")
        echo(f"1) mini-batch: {n} of the {plural(self.train_size, 'training image')}, drawn "
             f"at random {how}")
        echo(f"   first indices: {', '.join(map(str, step.indices[:10]))}, ...")
        echo(f"   their labels:  {', '.join(map(str, labels))}, ...")
        echo(f"2) gradient ({self.grad}); the forward pass (predict) on rows of images:")
        echo(f"   x {x} @ W1 {p['W1']} + b1 {p['b1']} -> a1 {(n, p['W1'][1])}")
        echo(f"   sigmoid(a1) -> z1 {(n, p['W1'][1])}")
        echo(f"   z1 {(n, p['W1'][1])} @ W2 {p['W2']} + b2 {p['b2']} -> a2 {(n, p['W2'][1])}")
        echo(f"   softmax(a2) -> y {(n, p['W2'][1])}: a probability per class and image")
        echo(f"   loss = cross_entropy_error(y, t) = {step.loss:.6f} "
             f"(log({p['W2'][1]}) = {math.log(p['W2'][1]):.6f} is a uniform guess)")
        for key, g in step.grads.items():
            echo(f"   dL/d{key:<2} {str(shape_of(g)):<10} norm {norm(flat(g)):.6g}")

    def explain_update(self, step: Step) -> None:
        echo = click.echo
        echo(f"3) update with SGD: W <- W - lr * dL/dW, lr = {self.hp.lr:g}")
        for key, v in self.network.params.items():
            change = norm([a - b for a, b in zip(flat(v), self.before[key])])
            echo(f"   {key:<2} changed by {change:.6g} (norm of the change = lr * "
                 f"{norm(flat(step.grads[key])):.6g})")
        after = float(self.network.loss(step.x_batch, step.t_batch))
        echo(f"   loss on the same batch after the step: {after:.6f} (was {step.loss:.6f})")
        echo(f"4) repeat: {plural(self.hp.iters - 1, 'more iteration')}\n")


def numerical_cost(first: float, iters: int) -> str:
    """Say what a --grad numerical run costs, from the seconds its first step took."""
    if iters == 1:
        return f"numerical gradient: the one step took {duration(first)}"
    return (f"numerical gradient: the first step took {duration(first)}, so all "
            f"{plural(iters, 'iteration')} would take about {duration(first * iters)} "
            f"(--grad backprop: one backward pass per step)")


def duration(seconds: float) -> str:
    """Say a duration in the unit a person would: 3.2 s, 4.5 min, 2.1 h, 3.0 days."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.3g} s"


# ---------------------------------------------------------------------------
# the commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Chapter 4 of "Deep Learning from Scratch", in plain Python and in NumPy."""


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


@cli.command("train")
@click.option("--impl", type=click.Choice(["numpy", "pure"]), default="numpy", show_default=True,
              help="numpy (reference package) or pure Python (purenet).")
@click.option("--grad", type=click.Choice(["backprop", "numerical"]), default="backprop",
              show_default=True, help="How step 2 computes the gradient.")
@click.option("--iters", type=click.IntRange(min=1), default=None,
              help="Iterations (mini-batches).  [default: 10000; pure 1300]")
@click.option("--batch-size", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--lr", type=float, default=0.1, show_default=True, callback=positive,
              help="Learning rate (the book's eta).")
@click.option("--hidden", type=click.IntRange(1, MAX_SIZE), default=50, show_default=True,
              help="Hidden layer size.")
@click.option("--weight-init-std", type=click.FloatRange(0, MAX_STD, min_open=True),
              default=0.01, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seeds the one random.Random that draws the weights and every batch.")
@click.option("--sampling", type=click.Choice(["replacement", "shuffle"]),
              default="replacement", show_default=True,
              help="replacement: the book's independent draws; shuffle: every image once "
                   "per epoch.")
@click.option("--train-size", type=click.IntRange(min=1), default=None,
              help="Train on the first N images.  [default: all; pure 5000]")
@click.option("--test-size", type=click.IntRange(min=1), default=None,
              help="Test on the first N images.  [default: all; pure 1000]")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Directory of the .gz files (else $PURENET_DATA, then the cache).")
@click.option("--dataset", type=click.Choice(["mnist", "fashion-mnist"]), default="mnist",
              show_default=True)
@click.option("--one-hot-label", is_flag=True,
              help="Train on one-hot targets (the book's way); the loss is the same.")
@click.option("--dtype", type=click.Choice(["float64", "float32"]), default=None,
              help="numpy only.  [default: float64, so numpy and pure agree value for value]")
@click.option("--save", "save_path", metavar="PARAMS", default=None,
              help="Write the trained weights to PARAMS (.npz or .json).")
@click.option("--history", "history_path", metavar="FILE.json", default=None,
              help="Write the losses and accuracies as JSON.")
@click.option("--plot", "plot_path", metavar="FILE.png", default=None,
              help="Draw the loss and the accuracies (needs matplotlib).")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--no-check", is_flag=True, help="Skip the purenet-vs-reference check.")
@click.option("--explain", is_flag=True, help="Print the first iteration's four steps in full.")
@click.pass_context
def train_command(ctx: click.Context, impl: str, grad: str, iters: int | None, batch_size: int,
                  lr: float, hidden: int, weight_init_std: float, seed: int, sampling: str,
                  train_size: int | None, test_size: int | None, data_dir: str | None,
                  dataset: str, one_hot_label: bool, dtype: str | None, save_path: str | None,
                  history_path: str | None, plot_path: str | None, force: bool,
                  no_check: bool, explain: bool) -> None:
    """Train the two-layer net of chapter 4.5 with mini-batch SGD, printing each epoch.

    Same seed, same batches, same start weights in both --impl: their losses
    agree to rounding (about 1e-15). Exit status: 0 done, 1 error or a diverged loss, 2 usage error,
    130 interrupted (Ctrl-C), files written as far as training got.
    """
    started = time.perf_counter()
    if impl == "pure" and dtype == "float32":
        raise click.UsageError("--dtype float32 is for --impl numpy; pure Python floats are "
                               "always float64")
    if dtype == "float32" and grad == "numerical":
        # (f(x + h) - f(x - h)) / 2h with h = 1e-4: float32 keeps about 7 digits of the
        # loss, so the difference of two losses is mostly rounding (relative errors ~0.7)
        raise click.UsageError("--grad numerical needs float64: in float32 the step "
                               "h = 1e-4 is lost to rounding and the gradient is garbage; "
                               "drop --dtype float32")
    dtype = dtype or "float64"
    if save_path is not None and os.path.splitext(save_path)[1].lower() not in (".npz", ".json"):
        raise click.BadParameter(f"{save_path} must end in .npz or .json", param_hint="'--save'")
    if plot_path is not None and not plot_path.lower().endswith(".png"):
        raise click.BadParameter(f"{plot_path} must end in .png", param_hint="'--plot'")
    check_outputs({"--save": save_path, "--history": history_path, "--plot": plot_path}, force)
    if plot_path is not None:
        require_matplotlib()
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
    iters = iters if iters is not None else 10000
    if train_size is not None and batch_size > train_size:
        raise click.BadParameter(f"{batch_size} is more than the "
                                 f"{plural(train_size, 'training image')}",
                                 param_hint="'--batch-size'")

    package = load_impl(impl)
    data = load_data(package, dtype, data_dir, dataset, one_hot_label, train_size, test_size)
    (x_train, t_train), (x_test, t_test) = data
    if batch_size > len(x_train):
        raise click.BadParameter(f"{batch_size} is more than the "
                                 f"{plural(len(x_train), 'training image')}",
                                 param_hint="'--batch-size'")
    if impl == "numpy" and not no_check:
        click.echo(preflight())
    hp = Hyperparameters(iters=iters, batch_size=batch_size, lr=lr, sampling=sampling)

    # One random.Random draws the start weights, then every batch. NumPy starts
    # from the very same weights, handed over as lists, so both runs are one run.
    rng = random.Random(seed)
    from purenet.two_layer_net import TwoLayerNet as PureNet

    network = PureNet(INPUT_SIZE, hidden, OUTPUT_SIZE, weight_init_std=weight_init_std, rng=rng)
    if impl == "numpy":
        network = package.two_layer_net.TwoLayerNet.from_params(network.get_params())
        if dtype == "float32":
            for key, value in network.params.items():
                network.params[key] = value.astype("float32")
    optimizer = package.optimizer.SGD(lr)

    def accuracy(x: Any, t: Any) -> float:
        if impl == "numpy":
            return numpy_accuracy(network, x, t)
        return accuracy_in_chunks(network, x, t, package.take, package.chunk)

    gradient = network.loss_and_gradient
    how = grad
    if grad == "numerical":
        count = sum(len(flat(v)) for v in network.params.values())
        how = f"numerical ({2 * count:,} loss evaluations per step: 2 per parameter)"
        steps_done: list[int] = []

        def gradient(x: Any, t: Any) -> tuple[float, dict[str, Any]]:
            # Only the first real step says what the run costs: a guess from a
            # loss or two timed apart is off by 2x (caches, the nudging itself).
            start = time.perf_counter()
            result = network.loss(x, t), network.numerical_gradient(x, t)
            if not steps_done:
                click.echo(numerical_cost(time.perf_counter() - start, iters))
            steps_done.append(1)
            return result

    size = f"{INPUT_SIZE}-{hidden}-{OUTPUT_SIZE}"
    click.echo(f"train: {impl} ({dtype}), {size} net, {len(x_train)} training and "
               f"{plural(len(x_test), 'test image')} of {dataset}; "
               f"{plural(iters, 'iteration')} of {batch_size} ({sampling}), lr {lr:g}, {how}, "
               f"seed {seed}")
    ipe = max(len(x_train) // batch_size, 1)
    click.echo(f"one epoch = {len(x_train)} // {batch_size} = {plural(ipe, 'iteration')}; "
               f"accuracy is measured at iteration 0 and every {ipe}")
    progress = Progress(iters, enabled=sys.stderr.isatty())

    def on_epoch(record: dict[str, float]) -> None:
        progress.clear()
        i = int(record["iteration"])
        click.echo(f"epoch {i // ipe:3d}  iter {i:6d}  loss {record['loss']:.4f}  "
                   f"train acc {record['train_acc']:.4f}  test acc {record['test_acc']:.4f}")

    def on_iteration(i: int, loss: float) -> None:
        progress.update(i, loss)

    explainer = Explainer(network, hp, len(x_train), grad) if explain else None
    loop_start = time.perf_counter()
    history = train(network, optimizer, data, hp, rng, take=package.take, gradient=gradient,
                    accuracy=accuracy, on_iteration=on_iteration, on_epoch=on_epoch,
                    on_step=explainer)
    progress.clear()
    loop_seconds = time.perf_counter() - loop_start
    if history.stopped:
        history.message = with_flags(history.message)  # the library's words as our options
        click.echo(f"stopped: {history.message}", err=True)

    record = {
        "impl": impl, "dtype": dtype, "dataset": dataset, "seed": seed, "grad": grad,
        "hyperparameters": {
            "iters": iters, "batch_size": batch_size, "lr": lr, "sampling": sampling,
            "hidden_size": hidden, "weight_init_std": weight_init_std,
            "train_size": len(x_train), "test_size": len(x_test),
            "one_hot_label": one_hot_label,
        },
        **history.to_dict(),
        "seconds": round(time.perf_counter() - started, 3),
    }
    written = []
    if save_path is not None:
        network.save(save_path)
        written.append(save_path)
    if history_path is not None:
        write_json(history_path, record)
        written.append(history_path)
    if plot_path is not None and history.train_loss:
        plot_history(record, plot_path)
        written.append(plot_path)

    t = history.timings
    click.echo(f"done: {plural(len(history.train_loss), 'iteration')} in {loop_seconds:.1f} s "
               f"(sampling {t['sampling']:.1f} s, gradient {t['gradient']:.1f} s, update "
               f"{t['update']:.1f} s, evaluation {t['evaluation']:.1f} s); "
               f"{time.perf_counter() - started:.1f} s in all")
    if written:
        click.echo(f"wrote {', '.join(written)}")
    final = history.final
    if final is not None:
        # The weights --save wrote: `purenet evaluate` on them prints this test accuracy.
        done = len(history.train_loss)
        if final["test_acc"] is None:
            click.echo(f"final weights (after {plural(done, 'iteration')}): not measured "
                       f"(interrupted)")
        else:
            click.echo(f"final weights (after {plural(done, 'iteration')}): train acc "
                       f"{final['train_acc']:.4f}, test acc {final['test_acc']:.4f}")
    if history.stopped == "interrupted":
        ctx.exit(130)
    if history.stopped:
        ctx.exit(1)


def plot_history(record: dict[str, Any], path: str) -> None:
    """Draw the loss per iteration and the accuracies per epoch side by side into a PNG."""
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    loss = record["train_loss"]
    left.plot(range(len(loss)), loss, linewidth=0.6)
    left.set(xlabel="iteration", ylabel="loss (cross entropy)", title="training loss")
    ipe = record["iter_per_epoch"]
    epochs = [e["iteration"] / ipe for e in record["epochs"]]
    right.plot(epochs, [e["train_acc"] for e in record["epochs"]], "o-", label="train")
    right.plot(epochs, [e["test_acc"] for e in record["epochs"]], "s--", label="test")
    final = record["final"]
    measured = final is not None and final["test_acc"] is not None
    if measured and final["iteration"] is not None and not (
            record["epochs"] and record["epochs"][-1]["iteration"] == final["iteration"]):
        # the final weights, measured after the loop, off the epoch grid
        right.plot([final["iteration"] / ipe], [final["test_acc"]], "s", color="tab:orange",
                   fillstyle="none", label="test, final weights")
    right.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1), title="accuracy")
    right.legend(loc="lower right")
    hp = record["hyperparameters"]
    fig.suptitle(f"{record['impl']}: {hp['train_size']} training images, batch "
                 f"{hp['batch_size']}, lr {hp['lr']:g}, hidden {hp['hidden_size']}; "
                 f"final test accuracy {final['test_acc'] if measured else math.nan:.4f}")
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=100))
    plt.close(fig)


@cli.command("evaluate")
@click.argument("params", type=click.Path(exists=True, dir_okay=False))
@click.option("--impl", type=click.Choice(["numpy", "pure"]), default="numpy", show_default=True)
@click.option("--test-size", type=click.IntRange(min=1), default=None,
              help="Test on the first N images.  [default: all]")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None)
@click.option("--dataset", type=click.Choice(["mnist", "fashion-mnist"]), default="mnist",
              show_default=True)
def evaluate_command(params: str, impl: str, test_size: int | None, data_dir: str | None,
                     dataset: str) -> None:
    """Print the test accuracy of weights saved by `train --save` (by either --impl)."""
    if os.path.splitext(params)[1].lower() not in (".npz", ".json"):
        raise click.BadParameter(f"{params} must end in .npz or .json", param_hint="'PARAMS'")
    package = load_impl(impl)
    try:
        network = package.two_layer_net.TwoLayerNet.load(params)
    except (ValueError, TypeError, OSError) as err:
        raise click.ClickException(str(err)) from None
    w1, w2 = shape_of(network.params["W1"]), shape_of(network.params["W2"])
    if w1[0] != INPUT_SIZE or w2[1] != OUTPUT_SIZE:
        raise click.ClickException(
            f"{params} holds a {w1[0]}-{w1[1]}-{w2[1]} net (W1 {w1}, W2 {w2}); evaluate needs "
            f"W1 ({INPUT_SIZE}, H) and W2 (H, {OUTPUT_SIZE}): the {INPUT_SIZE} pixels of an "
            f"MNIST image in, its {OUTPUT_SIZE} classes out")
    _, (x_test, t_test) = load_data(package, "float64", data_dir, dataset, False, None,
                                    test_size)
    acc = accuracy_in_chunks(network, x_test, t_test, package.take, package.chunk)
    size = f"{w1[0]}-{w1[1]}-{w2[1]}"
    click.echo(f"test accuracy {acc:.4f} ({round(acc * len(x_test))} of "
               f"{plural(len(x_test), f'{dataset} test image')}), {size} net from {params}, "
               f"{impl}")


@cli.command("descent")
@click.option("--x0", type=float, default=None, callback=finite,
              help="Start x0.  [default: -3.0]")
@click.option("--x1", type=float, default=None, callback=finite,
              help="Start x1.  [default: 4.0]")
@click.option("--start", default=None, metavar="X0,X1", help="Start point, e.g. --start=-3,4.")
@click.option("--lr", type=float, default=0.1, show_default=True, callback=positive)
@click.option("--steps", type=click.IntRange(0, MAX_STEPS), default=100, show_default=True)
@click.option("--every", type=click.IntRange(min=1), default=10, show_default=True,
              help="Print every N-th point of the path (and the last).")
@click.option("--plot", "plot_path", metavar="FILE.png", default=None,
              help="Draw the gradient field (arrows of -grad) and the path.")
@click.option("--force", is_flag=True, help="Overwrite an existing plot.")
def descent_command(x0: float | None, x1: float | None, start: str | None, lr: float,
                    steps: int, every: int, plot_path: str | None, force: bool) -> None:
    """Gradient descent on f(x0, x1) = x0^2 + x1^2 (chapter 4.4), with numerical gradients.

    The gradient (2 x0, 2 x1) points uphill; each step moves against it:
    x <- x - lr * grad f(x) = (1 - 2 lr) x, so after k steps x = (1 - 2 lr)^k x_start.
    """
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
    x0 = -3.0 if x0 is None else x0
    x1 = 4.0 if x1 is None else x1
    if plot_path is not None:
        check_outputs({"--plot": plot_path}, force)
        require_matplotlib()
    from purenet.gradient import gradient_descent

    def f(x: Any) -> float:
        # x * x, not x ** 2: a float power raises OverflowError past 1e308, a product gives inf
        return x[0] * x[0] + x[1] * x[1]  # f(x0, x1) = x0^2 + x1^2

    final, path = gradient_descent(f, [x0, x1], lr=lr, step_num=steps)
    click.echo(f"gradient descent on f(x0, x1) = x0^2 + x1^2 from ({x0:g}, {x1:g}), "
               f"lr {lr:g}, {plural(steps, 'step')}")
    click.echo(f"{'step':>6}  {'x0':>13}  {'x1':>13}  {'f(x)':>13}")
    for k, point in enumerate(path):
        if k % every == 0 or k == steps:
            click.echo(f"{k:6d}  {point[0]:13.6g}  {point[1]:13.6g}  {f(point):13.6g}")
    try:
        factor = (1 - 2 * lr) ** steps
    except OverflowError:  # |1 - 2 lr| > 1 to a high power: past 1e308
        factor = math.inf if steps % 2 == 0 else -math.inf
    exact = (factor * x0, factor * x1)
    gap = max(abs(float(a) - b) for a, b in zip(final, exact))  # type: ignore[arg-type]
    click.echo(f"closed form (1 - 2*lr)^{steps} * start = ({exact[0]:.6g}, {exact[1]:.6g}); "
               f"the path ends {gap:.2g} from it")
    # lr >= 1 itself, not |1 - 2 lr| >= 1: for lr below 1e-16, 1 - 2 lr rounds to 1
    if lr >= 1:
        click.echo(f"lr {lr:g} >= 1 overshoots: each step lands at least as far out on the "
                   f"other side, so the path cannot settle at the minimum (0, 0)")
    trouble = descent_trouble(f, path, lr)
    if trouble:
        click.echo(trouble)
    if plot_path is not None:
        plot_descent(path, plot_path)
        click.echo(f"wrote {plot_path}")


def descent_trouble(f: Callable[[Any], float], path: list, lr: float) -> str | None:
    """Say, in one line, why a descent path overflowed or stopped short of (0, 0); else None.

    Floats are spaced: near |x| the next float is math.ulp(x) away. Far out,
    x + h rounds back to x (h = 1e-4), the numerical gradient is 0 and the point
    freezes; for a tiny lr, x - lr * grad rounds back to x instead. Next to the
    minimum the gradient rounds to 0 too, but there the path has arrived.
    """
    from purenet.gradient import H, numerical_gradient

    for k, point in enumerate(path):
        if not math.isfinite(f(point)):
            return (f"from step {k} f(x) = x0^2 + x1^2 overflows past 1.8e308 (|x| above "
                    f"1.3e154): the numerical gradient is inf - inf = nan there")
    for k in range(1, len(path)):
        for j in (0, 1):
            v = path[k][j]
            if v != path[k - 1][j] or v == 0:
                continue
            if v + H == v:
                return (f"x{j} stops moving at step {k}, at {v:.6g}: floats near it are "
                        f"{math.ulp(v):.2g} apart, so x{j} + h (h = {H:g}) rounds back to "
                        f"x{j} and the numerical gradient is 0")
            step = lr * numerical_gradient(f, list(path[k]))[j]  # type: ignore[operator]
            if step != 0:
                return (f"x{j} stops moving at step {k}, at {v:.6g}: lr * gradient = "
                        f"{abs(step):.2g} is below half the {math.ulp(v):.2g} between floats "
                        f"near it, so x{j} - lr * gradient rounds back to x{j}")
            # else: next to (0, 0), where 4 h x is below f's rounding: settled, nothing to say
    return None


def plot_descent(path: list, file: str) -> None:
    """Draw -grad f as arrows on a grid with the descent path on top (the book's figure 4-9)."""
    plt = pyplot()
    reach = max(4.0, *(abs(v) for p in path for v in p)) * 1.15
    ticks = [-reach + 2 * reach * k / 16 for k in range(17)]
    gx = [a for a in ticks for _ in ticks]
    gy = [b for _ in ticks for b in ticks]
    fig, ax = plt.subplots(figsize=(6, 6))
    # -grad f = (-2 x0, -2 x1): every arrow points downhill, toward (0, 0)
    ax.quiver(gx, gy, [-2 * a for a in gx], [-2 * b for b in gy], angles="xy", color="0.6")
    ax.plot([p[0] for p in path], [p[1] for p in path], "o-", color="tab:blue", markersize=3)
    ax.plot([0], [0], "+", color="black", markersize=12)
    ax.set(xlabel="x0", ylabel="x1", title="gradient descent on x0² + x1²", aspect="equal",
           xlim=(-reach, reach), ylim=(-reach, reach))
    fig.tight_layout()
    atomic_write(file, lambda tmp: fig.savefig(tmp, format="png", dpi=100))
    plt.close(fig)


@cli.command("gradcheck")
@click.option("--impl", type=click.Choice(["numpy", "pure"]), default="pure", show_default=True)
@click.option("--input-size", type=click.IntRange(1, MAX_SIZE), default=8, show_default=True)
@click.option("--hidden", type=click.IntRange(1, MAX_SIZE), default=5, show_default=True)
@click.option("--output-size", type=click.IntRange(2, MAX_SIZE), default=3, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--weight-init-std", type=click.FloatRange(0, MAX_STD, min_open=True),
              default=0.5, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--tolerance", type=float, default=1e-6, show_default=True, callback=positive)
def gradcheck_command(impl: str, input_size: int, hidden: int, output_size: int,
                      batch_size: int, weight_init_std: float, seed: int,
                      tolerance: float) -> None:
    """Compare backprop with the numerical gradient, parameter by parameter, on a small net.

    Random inputs in [0, 1) and random labels; exit 1 if any relative error is
    above the tolerance. Expect about 1e-7, not 1e-12: the loss is log(y + 1e-7)
    (the book's guard against log 0), and backprop's (y - t) / N leaves that 1e-7
    out, a difference of about 1e-7 / y. A wrong derivative shows as 1e-2 or more,
    and so does a saturated net (a label given y < 1e-5, e.g. --weight-init-std 100),
    where the 1e-7 dominates: errors the 1e-7 / y explains are named, not blamed
    on backprop.
    """
    package = load_impl(impl)
    rng = random.Random(seed)
    from purenet.two_layer_net import TwoLayerNet as PureNet

    network = PureNet(input_size, hidden, output_size, weight_init_std=weight_init_std, rng=rng)
    x: Any = [[rng.random() for _ in range(input_size)] for _ in range(batch_size)]
    t: Any = [rng.randrange(output_size) for _ in range(batch_size)]
    if impl == "numpy":
        import numpy as np

        network = package.two_layer_net.TwoLayerNet.from_params(network.get_params())
        x, t = np.array(x), np.array(t)
    errors = package.gradient_check.gradient_check(network, x, t)
    click.echo(f"gradcheck: {impl}, {input_size}-{hidden}-{output_size} net, batch "
               f"{batch_size}, seed {seed}")
    click.echo("relative error = max |numerical - backprop| / (max |numerical| + max |backprop|)")
    for key, err in errors.items():
        click.echo(f"  {key:<3} {str(shape_of(network.params[key])):<8} {err:.2e}")
    worst = max(errors.values())
    click.echo("(about 1e-7 is expected: the loss's log(y + 1e-7) is not in backprop's y - t)")
    if worst <= tolerance:
        click.echo(f"OK: backprop agrees with the numerical gradient (largest error "
                   f"{worst:.1e} <= {tolerance:g})")
        return
    y = network.predict(x)  # (N, C) probabilities
    smallest = min(float(y[i][int(k)]) for i, k in enumerate(t))
    guard = DELTA / smallest  # the largest gap the loss's guard explains (measured: <= 0.6x)
    if smallest < SATURATED:
        click.echo(f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but the net is "
                   f"saturated: it gives a sample's label probability {smallest:.1e} < "
                   f"{SATURATED:g}, where the loss's 1e-7 guard in log(y + 1e-7) dominates "
                   f"the gradient. Try a smaller --weight-init-std (now {weight_init_std:g})")
    elif worst <= guard:
        click.echo(f"INCONCLUSIVE: largest error {worst:.1e} > {tolerance:g}, but within the "
                   f"1e-7 / y = {guard:.1e} that the loss's guard log(y + 1e-7) explains for "
                   f"the smallest label probability y = {smallest:.1e}. Try a smaller "
                   f"--weight-init-std (now {weight_init_std:g}) or --tolerance {guard:.1e}")
    else:
        click.echo(f"FAIL: largest error {worst:.1e} > {tolerance:g}: backprop (or the "
                   f"numerical gradient) is wrong")
    sys.exit(1)


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads() -> None:
    """Run NumPy's BLAS on one thread unless the user set a thread count; call before numpy loads.

    Measured on a 2-core machine, whole process, default `train --impl numpy`
    (10000 iterations): 1 thread 11.2 s; 2 threads 2.7 to 14 times slower in
    the training loop when another process was busy (its (100, 784) @ (784, 50)
    products are too small to split, and a BLAS thread that waits for a core
    stalls every call). Only the large evaluation products gained from 2 threads
    (0.09 s instead of 0.16 s per evaluation on an idle machine).
    """
    if not any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        os.environ["OMP_NUM_THREADS"] = "1"


def main(args: Sequence[str] | None = None) -> None:
    """Entry point of the `purenet` command: run it, then exit with its status.

    Errors are one line on stderr, not click's four (Usage, Try, a blank line,
    Error): usage errors exit 2 and name the --help to read, other errors exit 1,
    Ctrl-C outside the training loop (which saves its own work) exits 130.
    """
    limit_blas_threads()
    try:
        status = cli.main(args, standalone_mode=False)
    except click.UsageError as err:  # NoSuchOption, BadParameter...: the user's to fix
        hint = f" (see '{err.ctx.command_path} --help')" if err.ctx is not None else ""
        one_line(f"Error: {err.format_message()}{hint}")
        sys.exit(err.exit_code)
    except click.ClickException as err:
        one_line(f"Error: {err.format_message()}")
        sys.exit(err.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl-C while loading, say
        one_line("interrupted")
        sys.exit(130)
    sys.exit(status if isinstance(status, int) else 0)


def one_line(message: str) -> None:
    """Print message to stderr as one line."""
    click.echo(" ".join(message.splitlines()), err=True)


if __name__ == "__main__":
    main()
