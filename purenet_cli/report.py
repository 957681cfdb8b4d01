"""What the train command prints about a run, and the record of it written by --history.

An epoch line gives two losses: the mean over the epoch's iterations (what Keras and
PyTorch loops print as an epoch's loss) and the loss of the one batch at the line's
iteration (what the book's train_loss_list holds there, and History.epochs' "loss").

Before the loop: what will run, and how long an epoch is. During it: one line
per epoch. After it: where the time went, what was written, and the accuracy of
the weights the run ends with (what ``purenet evaluate`` prints for them).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import click

from purenet.train import History
from purenet_cli.progress import Progress
from purenet_cli.watch import plural


def announce(impl: str, dtype: str, size: str, train_size: int, test_size: int, dataset: str,
             iters: int, batch_size: int, sampling: str, lr: float, how: str,
             seed: int) -> int:
    """Print what the run will do and how long its epoch is; return iterations per epoch."""
    click.echo(f"train: {impl} ({dtype}), {size} net, {train_size} training and "
               f"{plural(test_size, 'test image')} of {dataset}; "
               f"{plural(iters, 'iteration')} of {batch_size} ({sampling}), lr {lr:g}, {how}, "
               f"seed {seed}")
    iter_per_epoch = max(train_size // batch_size, 1)
    click.echo(f"one epoch = {train_size} // {batch_size} = {plural(iter_per_epoch, 'iteration')}; "
               f"accuracy is measured at iteration 0 and every {iter_per_epoch}")
    click.echo(f"mean loss: over the iterations since the previous line ({iter_per_epoch}; "
               "iteration 0 alone on epoch 0's line); "
               "batch loss: the line's own iteration's batch")
    return iter_per_epoch


def epoch_mean_loss(train_loss: list[float], epochs: list[dict[str, float]], k: int) -> float:
    """Return the mean loss of epoch k's iterations: those after epoch k - 1's line, up to and
    including epoch k's own (iteration 0 alone for epoch 0)."""
    start = int(epochs[k - 1]["iteration"]) + 1 if k > 0 else 0
    return statistics.fmean(train_loss[start:int(epochs[k]["iteration"]) + 1])


def epoch_printer(progress: Progress, iter_per_epoch: int, history: History,
                  ) -> Callable[[dict[str, float]], None]:
    """Return the on_epoch hook: one line per evaluation, with the progress bar cleared."""
    def on_epoch(record: dict[str, float]) -> None:
        progress.clear()
        i = int(record["iteration"])
        mean = epoch_mean_loss(history.train_loss, history.epochs, len(history.epochs) - 1)
        accuracies = (f"train acc {record['train_acc']:.4f}  test acc {record['test_acc']:.4f}"
                      if record["test_acc"] is not None
                      else "no accuracy: the weights are not finite numbers (the run blew up)")
        click.echo(f"epoch {i // iter_per_epoch:3d}  iter {i:6d}  mean loss {mean:.4f}  "
                   f"batch loss {record['loss']:.4f}  {accuracies}")

    return on_epoch


def stop_reason(history: History) -> None:
    """Say on stderr why the run stopped early (nothing for a full run)."""
    if history.stopped:
        click.echo(f"stopped: {history.message}", err=True)


def run_record(settings: dict[str, Any], hyperparameters: dict[str, Any], history: History,
               timings: dict[str, float], started: float) -> dict[str, Any]:
    """Return what --history writes: the settings, the History, the seconds in each step
    (timings) and the seconds so far."""
    recorded = history.to_dict()
    for k, epoch in enumerate(recorded["epochs"]):  # "loss" stays the batch's, as train() keeps it
        epoch["mean_loss"] = epoch_mean_loss(history.train_loss, history.epochs, k)
    return {**settings, "hyperparameters": hyperparameters,
            **{key: recorded[key] for key in ("train_loss", "epochs", "final", "iter_per_epoch")},
            "timings": timings, "stopped": history.stopped, "message": history.message,
            "seconds": round(time.perf_counter() - started, 3)}


def summary(history: History, timings: dict[str, float], loop_seconds: float, started: float,
            written: list[str], finite: bool = True) -> None:
    """Print where the time went, the files written and the final weights' accuracy.

    finite says whether the final weights are all finite numbers: a run that blew
    up can hold inf or NaN, whose "accuracy" is only the share of one class.
    """
    t = timings
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
        if not finite:
            click.echo(f"final weights (after {plural(done, 'iteration')}): not finite numbers "
                       f"(the run blew up), so they have no accuracy and cannot be saved")
        elif final["test_acc"] is None:
            click.echo(f"final weights (after {plural(done, 'iteration')}): not measured "
                       f"(interrupted)")
        else:
            click.echo(f"final weights (after {plural(done, 'iteration')}): train acc "
                       f"{final['train_acc']:.4f}, test acc {final['test_acc']:.4f}")


def exit_status(history: History, failed: bool, signalled: int | None) -> int:
    """Return the train command's exit status: 0 done, 1 diverged or a file not written.

    A signal's status (128 + its number: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)
    comes first, so a stopped run says how it was stopped.
    """
    if signalled is not None:
        return signalled
    if history.stopped == "interrupted":  # a KeyboardInterrupt not from a signal
        return 130
    return 1 if history.stopped or failed else 0
