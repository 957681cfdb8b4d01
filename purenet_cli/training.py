"""The train command's steps: get a run ready, train it, then write and report what it gathered.

cli.py calls them in this order, with the signals that stop a run handled
around them. prepare_run fills in the sizes, loads the data, runs the preflight
check, builds the network and the gradient of step 2, and prints what will run;
run_training runs the one loop of purenet/train.py with progress and a line per
epoch; finish_run says why the run stopped, writes the output files and prints
the summary.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from purenet.train import History, Hyperparameters, accuracy_in_chunks, train
from purenet_cli import report
from purenet_cli.arrays import all_finite, flat
from purenet_cli.data import load_data
from purenet_cli.errors import quiet_overflow_warnings
from purenet_cli.explain import Explainer
from purenet_cli.impls import INPUT_SIZE, OUTPUT_SIZE, Impl, load_impl
from purenet_cli.network import start_network
from purenet_cli.numerical import timed_numerical_gradient
from purenet_cli.options import check_batch_size, sizes
from purenet_cli.outputs import write_outputs
from purenet_cli.plots import require_matplotlib
from purenet_cli.preflight import preflight
from purenet_cli.progress import Progress
from purenet_cli.watch import Watch


@dataclass
class TrainOptions:
    """The train command's options as click passes them (cli.py declares them, with help)."""

    impl: str
    grad: str
    iters: int | None
    batch_size: int
    lr: float
    hidden: int
    weight_init_std: float
    seed: int
    sampling: str
    train_size: int | None
    test_size: int | None
    data_dir: str | None
    dataset: str
    one_hot_label: bool
    dtype: str | None
    save_path: str | None
    history_path: str | None
    plot_path: str | None
    force: bool
    no_check: bool
    explain: bool
    jobs: int

    def outputs(self) -> dict[str, str | None]:
        """Return the output files by the option that names them."""
        return {"--save": self.save_path, "--history": self.history_path,
                "--plot": self.plot_path}


@dataclass
class Run:
    """A run ready to train: its options, data, network, hyperparameters and step 2."""

    options: TrainOptions
    dtype: str
    package: Impl
    data: Any  # ((x_train, t_train), (x_test, t_test))
    network: Any
    hp: Hyperparameters
    rng: random.Random  # drew the start weights; draws every batch next
    gradient: Callable[[Any, Any], Any]
    iter_per_epoch: int
    progress: Progress
    loop_start: float = 0.0  # when the loop started, once it has
    timings: dict[str, float] = field(default_factory=dict)  # seconds in each step


def prepare_run(options: TrainOptions, dtype: str) -> Run:
    """Check the sizes, load the data and build the network; print what the run will do."""
    o = options
    if o.plot_path is not None:
        require_matplotlib()
    train_size, test_size, iters = sizes(o.impl, o.train_size, o.test_size, o.iters)
    check_batch_size(o.batch_size, train_size)
    package = load_impl(o.impl)
    quiet_overflow_warnings()  # a blown-up run is reported in one line, "stopped: ..."
    data = load_data(package, dtype, o.data_dir, o.dataset, o.one_hot_label, train_size,
                     test_size)
    (x_train, _), (x_test, _) = data
    check_batch_size(o.batch_size, len(x_train))
    if o.impl == "numpy" and not o.no_check:
        click.echo(preflight())
    hp = Hyperparameters(iters=iters, batch_size=o.batch_size, lr=o.lr, sampling=o.sampling)
    rng = random.Random(o.seed)  # the start weights, then every batch
    network = start_network(package, INPUT_SIZE, o.hidden, OUTPUT_SIZE, o.weight_init_std,
                            rng, dtype)
    gradient, how = network.loss_and_gradient, o.grad
    if o.grad == "numerical":
        count = sum(len(flat(v)) for v in network.params.values())
        how = f"numerical ({2 * count:,} loss evaluations per step: 2 per parameter)"
        gradient = timed_numerical_gradient(network, iters)
    iter_per_epoch = report.announce(o.impl, dtype, f"{INPUT_SIZE}-{o.hidden}-{OUTPUT_SIZE}",
                          len(x_train), len(x_test), o.dataset, iters, o.batch_size, o.sampling,
                          o.lr, how, o.seed)
    progress = Progress(iters, iter_per_epoch, enabled=sys.stderr.isatty())
    return Run(o, dtype, package, data, network, hp, rng, gradient, iter_per_epoch, progress)


def run_training(run: Run) -> History:
    """Run purenet/train.py's loop: progress on stderr, a line per epoch, --explain's steps.

    A Ctrl-C (or a signal turned into one) stops it where it lands; the History
    gathered so far is returned, marked "interrupted".
    """
    o, network, package, progress = run.options, run.network, run.package, run.progress
    x_train = run.data[0][0]
    history = History()
    watch = Watch(history, run.hp.iters, on_iteration=progress.update,
                  on_epoch=report.epoch_printer(progress, run.iter_per_epoch, history),
                  on_step=Explainer(network, run.hp, len(x_train), o.grad) if o.explain
                  else None)
    jobs = start_jobs(o.impl, o.jobs, package)
    run.loop_start = time.perf_counter()
    try:
        train(network, watch.optimizer(package.optimizer.SGD(o.lr)), run.data, run.hp, run.rng,
              take=watch.take(package.take), gradient=watch.gradient(run.gradient),
              accuracy=watch.accuracy(lambda x, t: jobs.accuracy(network, x, t)),
              history=history, after_iteration=watch.after_iteration)
    except KeyboardInterrupt as stop:
        watch.interrupted(stop)
    finally:
        jobs.close()
    run.timings = watch.timings
    if history.stopped == "diverged":  # the same message, in the options' words
        history.message = watch.diverged_message(o.lr)
    return history


def start_jobs(impl: str, jobs: int, package: Impl) -> Any:
    """Return what measures the accuracies: this process alone, or with helper processes.

    Plain Python with --jobs N shares each measurement between this process and
    N - 1 helpers; the counts, and so the printed accuracies, are the same.
    NumPy measures here: its --jobs are BLAS threads inside every product.
    """
    if impl == "pure" and jobs > 1:
        from purenet_cli.jobs import PureJobs

        return PureJobs(jobs, package.chunk, package.take)
    return Inline(package)


class Inline:
    """The accuracy measured here, in chunks: purenet.train.accuracy_in_chunks."""

    def __init__(self, package: Impl) -> None:
        self.package = package

    def accuracy(self, network: Any, x: Any, t: Any) -> float:
        return accuracy_in_chunks(network, x, t, self.package.take, self.package.chunk)

    def close(self) -> None:
        pass


def finish_run(run: Run, history: History, started: float) -> bool:
    """Say why the run stopped, write the record and the output files, print the summary.

    Return True if a file could not be written.
    """
    o = run.options
    run.progress.clear()
    loop_seconds = time.perf_counter() - run.loop_start
    report.stop_reason(history)
    (x_train, _), (x_test, _) = run.data
    record = report.run_record(
        {"impl": o.impl, "dtype": run.dtype, "dataset": o.dataset, "seed": o.seed,
         "grad": o.grad},
        {"iters": run.hp.iters, "batch_size": o.batch_size, "lr": o.lr, "sampling": o.sampling,
         "hidden_size": o.hidden, "weight_init_std": o.weight_init_std,
         "train_size": len(x_train), "test_size": len(x_test),
         "one_hot_label": o.one_hot_label}, history, run.timings, started)
    written, failed = write_outputs(run.network, run.package.weights, record, o.save_path,
                                    o.history_path, o.plot_path, o.force)
    finite = all(map(all_finite, run.network.params.values()))
    report.summary(history, run.timings, loop_seconds, started, written, finite)
    return failed
