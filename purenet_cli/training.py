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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import click

from purenet import measuring
from purenet.evaluation import accuracy_beside, accuracy_in_chunks
from purenet.measuring import MeasuringProcess
from purenet.monitor import History
from purenet.train import Hyperparameters, train
from purenet_cli import report
from purenet_cli.arrays import flat
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
    ipe: int  # iterations per epoch
    progress: Progress
    loop_start: float = 0.0  # when the loop started, once it has


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
    ipe = report.announce(o.impl, dtype, f"{INPUT_SIZE}-{o.hidden}-{OUTPUT_SIZE}",
                          len(x_train), len(x_test), o.dataset, iters, o.batch_size, o.sampling,
                          o.lr, how, o.seed)
    progress = Progress(iters, ipe, enabled=sys.stderr.isatty())
    return Run(o, dtype, package, data, network, hp, rng, gradient, ipe, progress)


def run_training(run: Run) -> History:
    """Run purenet/train.py's loop: progress on stderr, a line per epoch, --explain's steps."""
    o, network, package, progress = run.options, run.network, run.package, run.progress
    x_train = run.data[0][0]
    run.loop_start = time.perf_counter()
    # One measurement at a time, in order: NumPy's on a thread (it lets go of the
    # interpreter in its products), plain Python's in a second process.
    worker = ThreadPoolExecutor(max_workers=1) if o.impl == "numpy" else MeasuringProcess()
    try:
        return train(network, package.optimizer.SGD(o.lr), run.data, run.hp, run.rng,
                     take=package.take, gradient=run.gradient,
                     accuracy=evaluator(o.impl, network, package, worker),
                     on_iteration=progress.update,
                     on_epoch=report.epoch_printer(progress, run.ipe),
                     on_step=Explainer(network, run.hp, len(x_train), o.grad) if o.explain
                     else None)
    finally:  # one a Ctrl-C left behind is not recorded: no need to finish it
        if isinstance(worker, ThreadPoolExecutor):
            worker.shutdown(wait=True, cancel_futures=True)
        else:
            worker.close()


def evaluator(impl: str, network: Any, package: Impl, worker: Any,
              ) -> Callable[[Any, Any], float | Future[float]]:
    """Return accuracy(x, t) for the run: NumPy's fast twin, or purenet's in chunks.

    With a core idle, the count runs on worker (a thread for NumPy, a process
    for plain Python, started on first use), on a copy of the weights, beside
    the training (its Future is what the Monitor waits for); on a busy machine
    it runs here.
    """
    own = measuring.OwnLoad()  # the load the worker adds is no reason to stop
    if impl == "numpy":
        from reference import evaluation

        def numpy_accuracy(x: Any, t: Any) -> float | Future[float]:
            if evaluation.second_core_free(own.now()):
                return own.track(evaluation.accuracy_beside(worker, network, x, t))
            return evaluation.accuracy_in_chunks(network, x, t)

        return numpy_accuracy

    def pure_accuracy(x: Any, t: Any) -> float | Future[float]:
        if measuring.second_core_free(own.now()):
            return own.track(accuracy_beside(worker, network, x, t, package.take, package.chunk))
        return accuracy_in_chunks(network, x, t, package.take, package.chunk)

    return pure_accuracy


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
         "one_hot_label": o.one_hot_label}, history, started)
    written, failed = write_outputs(run.network, record, o.save_path, o.history_path,
                                    o.plot_path, o.force)
    report.summary(history, loop_seconds, started, written)
    return failed
