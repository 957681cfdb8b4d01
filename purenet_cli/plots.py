"""The figures the commands draw into PNG files: a run's loss and accuracies, a descent path.

matplotlib is optional (the ``plot`` extra) and runs on the Agg backend: files
only, never a window.
"""

from __future__ import annotations

import math
from itertools import takewhile
from types import ModuleType
from typing import Any

import click

from purenet.weights_file import atomic_write
from purenet_cli.install import extra_hint


def require_matplotlib() -> None:
    """Exit 1 with the install command when the plot extra is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise click.ClickException(f"--plot needs matplotlib: {extra_hint('plot')}") from None


def pyplot() -> ModuleType:
    """Return matplotlib.pyplot on the Agg backend: files only, never a window."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


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
    atomic_write(path, lambda f: fig.savefig(f, format="png", dpi=100))
    plt.close(fig)


# matplotlib squares coordinates on the way to pixels (quiver's arrow lengths): past
# about 1e154 that overflows, and NaN or inf stops it with an error
DRAWABLE = 1e150


def plot_descent(path: list, file: str) -> None:
    """Draw -grad f as arrows on a grid with the descent path on top (the book's figure 4-9).

    A path that overflows (NaN, inf, or past 1e150) is drawn up to its last
    drawable point, and the title says from which step it is left out.
    """
    shown = list(takewhile(lambda p: all(abs(v) <= DRAWABLE for v in p), path))  # NaN: False
    if not shown:
        raise click.ClickException(
            f"cannot draw the path: its start ({path[0][0]:g}, {path[0][1]:g}) is past the "
            f"{DRAWABLE:g} a plot can show; start nearer (0, 0) or drop --plot")
    title = "gradient descent on x0² + x1²"
    if len(shown) < len(path):
        title += f"\n(from step {len(shown)} the path overflows: not drawn)"
    path = shown
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
    ax.set(xlabel="x0", ylabel="x1", title=title, aspect="equal",
           xlim=(-reach, reach), ylim=(-reach, reach))
    fig.tight_layout()
    atomic_write(file, lambda f: fig.savefig(f, format="png", dpi=100))
    plt.close(fig)
