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
from purenet_cli.arrays import finite_weights, flat
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

# train --jobs when not given: numpy's threads cost nothing to start and give back most of
# the time its measurements take; a pure helper is a second Python process, asked for.
DEFAULT_JOBS = {"numpy": 2, "pure": 1}


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
    impl: Impl
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
    if options.plot_path is not None:
        require_matplotlib()
    batch_size = options.batch_size
    train_size, test_size, iters = sizes(options.impl, options.train_size, options.test_size,
                                         options.iters)
    check_batch_size(batch_size, train_size)
    impl = load_impl(options.impl)
    quiet_overflow_warnings()  # a blown-up run is reported in one line, "stopped: ..."
    data = load_data(impl, dtype, options.data_dir, options.dataset, options.one_hot_label,
                     train_size, test_size)
    (x_train, _), (x_test, _) = data
    check_batch_size(batch_size, len(x_train))
    if impl.name == "numpy" and not options.no_check:
        click.echo(preflight())
    hp = Hyperparameters(iters=iters, batch_size=batch_size, lr=options.lr,
                         sampling=options.sampling)
    rng = random.Random(options.seed)  # the start weights, then every batch
    network = start_network(impl, INPUT_SIZE, options.hidden, OUTPUT_SIZE,
                            options.weight_init_std, rng, dtype)
    gradient, how = network.loss_and_gradient, options.grad
    if options.grad == "numerical":
        count = sum(len(flat(v)) for v in network.params.values())
        how = f"numerical ({2 * count:,} loss evaluations per step: 2 per parameter)"
        gradient = timed_numerical_gradient(network, iters)
    iter_per_epoch = report.announce(
        impl.name, dtype, f"{INPUT_SIZE}-{options.hidden}-{OUTPUT_SIZE}", len(x_train),
        len(x_test), options.dataset, iters, batch_size, options.sampling, options.lr, how,
        options.seed)
    progress = Progress(iters, iter_per_epoch, enabled=sys.stderr.isatty())
    return Run(options, dtype, impl, data, network, hp, rng, gradient, iter_per_epoch, progress)


def run_training(run: Run) -> History:
    """Run purenet/train.py's loop: progress on stderr, a line per epoch, --explain's steps.

    A Ctrl-C (or a signal turned into one) stops it where it lands; the History
    gathered so far is returned, marked "interrupted".
    """
    options, network, impl, progress = run.options, run.network, run.impl, run.progress
    x_train = run.data[0][0]
    history = History()
    watch = Watch(history, run.hp.iters, on_iteration=progress.update,
                  on_epoch=report.epoch_printer(progress, run.iter_per_epoch, history),
                  on_step=Explainer(network, run.hp, len(x_train), options.grad) if options.explain
                  else None)
    jobs = start_jobs(impl, options.jobs)
    run.loop_start = time.perf_counter()
    try:
        train(network, watch.optimizer(impl.optimizer.SGD(options.lr)), run.data, run.hp, run.rng,
              take=watch.take(impl.take), gradient=watch.gradient(run.gradient),
              accuracy=watch.accuracy(lambda x, t: measure(jobs, network, x, t)),
              history=history, after_iteration=watch.after_iteration)
    except KeyboardInterrupt as stop:
        watch.interrupted(stop)
    finally:
        jobs.close()
    run.timings = watch.timings
    if history.stopped == "diverged":  # the same message, in the options' words
        history.message = watch.diverged_message(options.lr)
    return history


def measure(jobs: Any, network: Any, x: Any, t: Any) -> float | None:
    """Return the accuracy of network on (x, t), or None when its weights are not finite.

    Weights blown up to inf or NaN have no accuracy: every row's scores are NaN,
    and the argmax of NaN rows is class 0, so a number here would only be the
    share of zeros in t.
    """
    if not finite_weights(network):
        return None
    return jobs.accuracy(network, x, t)


def start_jobs(impl: Impl, jobs: int) -> Any:
    """Return what measures the accuracies: this process alone, threads, or helper processes.

    With --jobs N, NumPy counts the chunks of each measurement on N threads and
    plain Python shares it between this process and N - 1 helpers; the counts,
    and so the printed accuracies, are the same as one worker's.
    """
    if jobs > 1 and impl.name == "numpy":
        from purenet_cli.jobs import NumpyJobs

        return NumpyJobs(jobs, impl.chunk, impl.take)
    if jobs > 1:
        from purenet_cli.jobs import PureJobs

        return PureJobs(jobs, impl.chunk, impl.take)
    return Inline(impl)


class Inline:
    """The accuracy measured here, in chunks: purenet.train.accuracy_in_chunks."""

    def __init__(self, impl: Impl) -> None:
        self.impl = impl

    def accuracy(self, network: Any, x: Any, t: Any) -> float:
        return accuracy_in_chunks(network, x, t, self.impl.take, self.impl.chunk)

    def close(self) -> None:
        pass


def finish_run(run: Run, history: History, started: float) -> bool:
    """Say why the run stopped, write the record and the output files, print the summary.

    Return True if a file could not be written.
    """
    options = run.options
    run.progress.clear()
    loop_seconds = time.perf_counter() - run.loop_start
    report.stop_reason(history)
    (x_train, _), (x_test, _) = run.data
    record = report.run_record(
        {"impl": run.impl.name, "dtype": run.dtype, "dataset": options.dataset,
         "seed": options.seed, "grad": options.grad},
        {"iters": run.hp.iters, "batch_size": options.batch_size, "lr": options.lr,
         "sampling": options.sampling,
         "hidden_size": options.hidden, "weight_init_std": options.weight_init_std,
         "train_size": len(x_train), "test_size": len(x_test),
         "one_hot_label": options.one_hot_label}, history, run.timings, started)
    written, failed = write_outputs(run.network, run.impl.weights, record, options.save_path,
                                    options.history_path, options.plot_path, options.force)
    report.summary(history, run.timings, loop_seconds, started, written,
                   finite_weights(run.network))
    return failed
