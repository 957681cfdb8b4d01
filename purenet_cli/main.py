"""The purenet command: train the network of chapter 4.5, and the chapter's small demos.

The commands and examples are in ``cli``'s help below (what a bare ``purenet`` prints).

Both implementations run the one loop of purenet/train.py. This file declares
the commands and their options; each command body calls named steps from
purenet_cli/ (data loading, the preflight check, progress, the --explain
printer, reports, output files, plots). NumPy (and matplotlib, for --plot) are
imported inside the commands that need them, so ``--impl pure`` never loads NumPy.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import click

from purenet.train import accuracy_in_chunks
from purenet_cli import report
from purenet_cli.arrays import shape_of
from purenet_cli.blas import BLAS_THREAD_VARIABLES, limit_blas_threads
from purenet_cli.check import check_command
from purenet_cli.data import load_data
from purenet_cli.descent import print_descent
from purenet_cli.errors import run_command
from purenet_cli.gradcheck import verdict
from purenet_cli.impls import INPUT_SIZE, OUTPUT_SIZE, load_impl
from purenet_cli.install import print_version
from purenet_cli.network import start_network
from purenet_cli.options import (
    MAX_SIZE,
    MAX_STD,
    MAX_STEPS,
    check_gradcheck_size,
    check_train_options,
    data_directory,
    finite,
    new_directory,
    positive,
    start_point,
)
from purenet_cli.outputs import check_outputs, write_one
from purenet_cli.plots import plot_descent, require_matplotlib
from purenet_cli.stops import signals_stop_the_run
from purenet_cli.training import (
    DEFAULT_JOBS,
    TrainOptions,
    finish_run,
    prepare_run,
    run_training,
)
from purenet_cli.watch import plural

__all__ = ["BLAS_THREAD_VARIABLES", "cli", "limit_blas_threads", "main"]


# every option shows its default; a bare `purenet` prints this help (exit 0)
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "show_default": True}
DATA_DIR_HELP = ("Directory of the data set's four .gz files.  [default: the cache "
                 "~/.cache/purenet, downloading what is missing]")


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=print_version, help="Print purenet's version and exit.")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Chapter 4 of "Deep Learning from Scratch", in plain Python and in NumPy.

    \b
      purenet train --impl numpy          the book's run, ~0.95 test accuracy
      purenet train --impl pure           the same loop in plain Python
      purenet evaluate params.npz         the test accuracy of saved weights
      purenet descent --plot d.png        gradient descent on x0^2 + x1^2
      purenet gradcheck --impl pure       backprop against the numerical gradient
      purenet check my_ch4.py             check your own chapter-4 functions
      purenet figures docs/figures --force   every figure of the chapter-4 guide
      purenet data --data-dir ~/mnist     fetch and verify MNIST ahead of time

    `purenet COMMAND --help` tells more; `python -m purenet` runs the same.
    """
    if ctx.invoked_subcommand is None:  # a bare `purenet`: what is there, as --help says it
        click.echo(ctx.get_help())


@cli.command("train", short_help="Train the two-layer net of chapter 4.5 with SGD.")
@click.option("--impl", type=click.Choice(["numpy", "pure"]), default="numpy",
              help="numpy (reference package) or pure Python (purenet).")
@click.option("--grad", type=click.Choice(["backprop", "numerical"]), default="backprop",
              help="How step 2 computes the gradient.")
@click.option("--iters", type=click.IntRange(min=1), default=None,
              help="Iterations (mini-batches).  [default: 10000; pure 1000]")
@click.option("--batch-size", type=click.IntRange(min=1), default=100,
              help="Images per mini-batch (the book's batch_size).")
@click.option("--lr", type=float, default=0.1, callback=positive,
              help="Learning rate (the book's eta).")
@click.option("--hidden", type=click.IntRange(1, MAX_SIZE), default=50,
              help="Hidden layer size.")
@click.option("--weight-init-std", type=click.FloatRange(0, MAX_STD, min_open=True),
              default=0.01, callback=positive,
              help="Standard deviation of the random start weights.")
@click.option("--seed", type=click.IntRange(min=0), default=0,
              help="Seeds the one random.Random that draws the weights and every batch.")
@click.option("--sampling", type=click.Choice(["replacement", "shuffle"]),
              default="replacement",
              help="replacement: the book's independent draws; shuffle: every image once "
                   "per epoch.")
@click.option("--train-size", type=click.IntRange(min=1), default=None,
              help="Train on the first N images.  [default: all; pure 5000]")
@click.option("--test-size", type=click.IntRange(min=1), default=None,
              help="Test on the first N images.  [default: all; pure 1000]")
@click.option("--data-dir", metavar="DIR", envvar="PURENET_DATA", show_envvar=True,
              callback=data_directory, help=DATA_DIR_HELP)
@click.option("--dataset", type=click.Choice(["mnist", "fashion-mnist"]), default="mnist",
              help="MNIST digits, or Fashion-MNIST clothes (the same sizes).")
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
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
              show_default=", ".join(f"{impl} {n}" for impl, n in DEFAULT_JOBS.items()),
              help="Share each accuracy measurement among N workers, for the same numbers: "
                   "threads with numpy, helper processes with pure.")
@click.pass_context
def train_command(ctx: click.Context, **given: Any) -> None:
    """Train the two-layer net of chapter 4.5 with mini-batch SGD, printing each epoch.

    Same seed, same batches, same start weights in both --impl: their losses
    agree to rounding (about 1e-15). Exit status: 0 done, 1 error, a diverged loss or a file
    not written (or stdout lost: a full device), 2 usage error, 130 interrupted (Ctrl-C;
    143 SIGTERM, 129 SIGHUP), files written as far as training got; 141 when the reader of
    stdout stopped early (`| head`): the printing stops, the run and its files do not.
    """
    started = time.perf_counter()
    given["jobs"] = given["jobs"] or DEFAULT_JOBS[given["impl"]]
    options = TrainOptions(**given)
    with signals_stop_the_run() as stops:  # Ctrl-C, SIGTERM, SIGHUP: stop, keep what was gathered
        dtype = check_train_options(options.impl, options.grad, options.dtype,
                                    options.save_path, options.plot_path)
        # a signal during this check is only noted, so no probe file is left behind
        check_outputs(options.outputs(), options.force)
        with stops.stopping():  # from here until training stops, the first signal stops it
            run = prepare_run(options, dtype)
            history = run_training(run)
        # stopped: from here a signal is only noted, and every file is written
        failed = finish_run(run, history, started)
    ctx.exit(report.exit_status(history, failed, stops.status()))


@cli.command("evaluate", short_help="Print the test accuracy of saved weights.")
@click.argument("params", type=click.Path(exists=True, dir_okay=False))
@click.option("--impl", "impl_name", type=click.Choice(["numpy", "pure"]), default="numpy",
              help="numpy (reference package) or pure Python (purenet): the same accuracy.")
@click.option("--test-size", type=click.IntRange(min=1), default=None,
              help="Test on the first N images.  [default: all]")
@click.option("--data-dir", metavar="DIR", envvar="PURENET_DATA", show_envvar=True,
              callback=data_directory, help=DATA_DIR_HELP)
@click.option("--dataset", type=click.Choice(["mnist", "fashion-mnist"]), default="mnist",
              help="The data set the weights were trained on.")
def evaluate_command(params: str, impl_name: str, test_size: int | None, data_dir: str | None,
                     dataset: str) -> None:
    """Print the test accuracy of weights saved by `train --save` (by either --impl)."""
    if os.path.splitext(params)[1].lower() not in (".npz", ".json"):
        raise click.BadParameter(f"{params} must end in .npz or .json", param_hint="'PARAMS'")
    impl = load_impl(impl_name)
    try:
        network = impl.load_network(params)
    except (ValueError, TypeError, OSError) as err:
        raise click.ClickException(str(err)) from None
    w1, w2 = shape_of(network.params["W1"]), shape_of(network.params["W2"])
    if w1[0] != INPUT_SIZE or w2[1] != OUTPUT_SIZE:
        raise click.ClickException(
            f"{params} holds a {w1[0]}-{w1[1]}-{w2[1]} net (W1 {w1}, W2 {w2}); evaluate needs "
            f"W1 ({INPUT_SIZE}, H) and W2 (H, {OUTPUT_SIZE}): the {INPUT_SIZE} pixels of an "
            f"MNIST image in, its {OUTPUT_SIZE} classes out")
    if w1[1] > MAX_SIZE:
        raise click.ClickException(f"{params} holds {w1[1]} hidden units, more than the "
                                   f"{MAX_SIZE} train --hidden allows")
    _, (x_test, t_test) = load_data(impl, "float64", data_dir, dataset, False, None,
                                    test_size)
    acc = accuracy_in_chunks(network, x_test, t_test, impl.take, impl.chunk)
    size = f"{w1[0]}-{w1[1]}-{w2[1]}"
    click.echo(f"test accuracy {acc:.4f} ({round(acc * len(x_test))} of "
               f"{plural(len(x_test), f'{dataset} test image')}), {size} net from {params}, "
               f"{impl.name}")


@cli.command("descent", short_help="Gradient descent on x0^2 + x1^2 (chapter 4.4).")
@click.option("--x0", type=float, default=None, callback=finite,
              help="Start x0.  [default: -3.0]")
@click.option("--x1", type=float, default=None, callback=finite,
              help="Start x1.  [default: 4.0]")
@click.option("--start", default=None, metavar="X0,X1",
              help="Start point, e.g. --start=-3,4.  [default: -3,4]")
@click.option("--lr", type=float, default=0.1, callback=positive,
              help="Learning rate: each step is x <- x - lr * grad f(x).")
@click.option("--steps", type=click.IntRange(0, MAX_STEPS), default=100,
              help="How many steps to take.")
@click.option("--every", type=click.IntRange(min=1), default=10,
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
    x0, x1 = start_point(start, x0, x1)
    if plot_path is not None:
        check_outputs({"--plot": plot_path}, force)
        require_matplotlib()
    from purenet.gradient import function_2, gradient_descent

    # function_2 takes a point (a Vector); gradient_descent's f is typed for any Array
    f: Callable[[Any], float] = function_2
    final, path = gradient_descent(f, [x0, x1], lr=lr, step_num=steps)
    print_descent(f, x0, x1, lr, steps, every, path, final)
    if plot_path is not None:
        # SIGTERM or SIGHUP mid-draw stops as Ctrl-C does: no temporary file is left
        with signals_stop_the_run() as stops, stops.stopping():
            problem = write_one(plot_path,
                                lambda file: plot_descent(path, file, lr=lr, replace=force))
        if problem is not None:
            raise click.ClickException(f"--plot {plot_path} not written: {problem}")
        click.echo(f"wrote {plot_path}")


@cli.command("figures", short_help="Draw every figure of the chapter-4 guide into DIR.")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--params", metavar="PARAMS", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Draw the MNIST figures with these weights (.npz or .json of "
              "a 784-H-10 net, as train --save writes).  [default: a brief numpy run's]")
@click.option("--data-dir", metavar="DIR", envvar="PURENET_DATA", show_envvar=True,
              callback=data_directory, help=DATA_DIR_HELP)
@click.option("--force", is_flag=True, help="Overwrite figures already in DIR.")
def figures_command(directory: str, params: str | None, data_dir: str | None,
                    force: bool) -> None:
    """Draw every figure of docs/chapter4.md and the README into DIR, as PNG files.

    Seeded: the same files on every run (docs/figures holds them). The MNIST
    figures come from a brief numpy run (train's network, seed 0, 3000
    iterations), or from --params; training.png always shows the brief run.
    """
    started = time.perf_counter()
    require_matplotlib("figures")
    from purenet_cli import figures  # NumPy and matplotlib: for this command only

    figures.check_directory(directory, force)
    # SIGTERM or SIGHUP stops as Ctrl-C does: no temporary file is left behind
    with signals_stop_the_run() as stops, stops.stopping():
        try:
            written = figures.write_figures(directory, params, data_dir, force=force)
        except figures.InputError as err:
            raise click.ClickException(str(err)) from None
    for figure, path in zip(figures.FIGURES, written):
        click.echo(f"wrote {path}: {figure.teaches}")
    click.echo(f"{len(written)} figures in {time.perf_counter() - started:.1f} s")


@cli.command("data", short_help="Fetch and verify a data set ahead of time.")
@click.option("--dataset", type=click.Choice(["mnist", "fashion-mnist"]), default="mnist",
              help="MNIST digits, or Fashion-MNIST clothes.")
@click.option("--data-dir", metavar="DIR", envvar="PURENET_DATA", show_envvar=True,
              callback=new_directory,
              help="Fetch into DIR (made if missing) and verify what is there.  [default: the "
                   "cache ~/.cache/purenet]")
@click.option("--no-download", is_flag=True,
              help="Only verify: a missing file is an error, nothing is fetched.")
def data_command(dataset: str, data_dir: str | None, no_download: bool) -> None:
    """Fetch the data set's four .gz files into the cache (or --data-dir) and verify them.

    Files already there are kept, never replaced; each is checked against the
    SHA-256 of its content. A copy you already have (the Korean edition's
    dataset/ folder holds the same MNIST files) needs only --data-dir or
    PURENET_DATA, here and for train.
    """
    from purenet_cli.fetch import fetch_dataset

    fetch_dataset(dataset, data_dir, no_download)


@cli.command("gradcheck", short_help="Check backprop against the numerical gradient.")
@click.option("--impl", "impl_name", type=click.Choice(["numpy", "pure"]), default="pure",
              help="numpy (reference package) or pure Python (purenet).")
@click.option("--input-size", type=click.IntRange(1, MAX_SIZE), default=8,
              help="Inputs per sample (D).")
@click.option("--hidden", type=click.IntRange(1, MAX_SIZE), default=5,
              help="Hidden layer size (H).")
@click.option("--output-size", type=click.IntRange(2, MAX_SIZE), default=3,
              help="Classes (C).")
@click.option("--batch-size", type=click.IntRange(min=1), default=4,
              help="Random samples in the batch (N).")
@click.option("--weight-init-std", type=click.FloatRange(0, MAX_STD, min_open=True),
              default=0.5, callback=positive,
              help="Standard deviation of the random start weights.")
@click.option("--seed", type=click.IntRange(min=0), default=0,
              help="Seeds the weights, the inputs and the labels.")
@click.option("--tolerance", type=float, default=1e-6, callback=positive,
              help="The largest relative error that passes.")
def gradcheck_command(impl_name: str, input_size: int, hidden: int, output_size: int,
                      batch_size: int, weight_init_std: float, seed: int,
                      tolerance: float) -> None:
    """Compare backprop with the numerical gradient, parameter by parameter, on a small net.

    Random inputs in [0, 1) and random labels; exit 1 if any relative error is
    above the tolerance. Expect about 1e-7, not 1e-12: the loss is log(y + 1e-7)
    (the book's guard against log 0), and backprop's (y - t) / N leaves that 1e-7
    out, a difference of about 1e-7 / y. A wrong derivative shows as 1e-2 or more,
    and so does a saturated net (a label given y < 1e-5, e.g. with a weight std of
    100), where the 1e-7 dominates: errors the 1e-7 / y explains are named, not
    blamed on backprop, and so are gradients too small for the numerical
    gradient to see (a weight std of 1e-300). Sizes are kept small enough to
    finish in about a minute.
    """
    check_gradcheck_size(input_size, hidden, output_size, batch_size)
    impl = load_impl(impl_name)
    rng = random.Random(seed)
    network = start_network(impl, input_size, hidden, output_size, weight_init_std, rng)
    x: Any = [[rng.random() for _ in range(input_size)] for _ in range(batch_size)]
    t: Any = [rng.randrange(output_size) for _ in range(batch_size)]
    if impl.name == "numpy":
        import numpy as np

        x, t = np.array(x), np.array(t)
    errors = impl.gradient_check.gradient_check(network, x, t)
    click.echo(f"gradcheck: {impl.name}, {input_size}-{hidden}-{output_size} net, batch "
               f"{batch_size}, seed {seed}")
    click.echo("relative error = max |numerical - backprop| / (max |numerical| + max |backprop|)")
    for key, err in errors.items():
        click.echo(f"  {key:<3} {str(shape_of(network.params[key])):<8} {err:.2e}")
    click.echo("(about 1e-7 is expected: the loss's log(y + 1e-7) is not in backprop's y - t)")
    passed, line = verdict(network, x, t, errors, tolerance, weight_init_std)
    click.echo(line)
    if not passed:
        sys.exit(1)


cli.add_command(check_command)


def main(args: Sequence[str] | None = None) -> None:
    """Entry point of the `purenet` command: run it, then exit with its status.

    Errors are one line on stderr (purenet_cli/errors.py): usage errors exit 2,
    other errors exit 1, Ctrl-C outside the training loop exits 130.
    """
    limit_blas_threads()
    run_command(cli, args)


if __name__ == "__main__":
    main()
