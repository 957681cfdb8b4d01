"""The figures the commands draw into PNG files: a run's loss and accuracies, a descent path.

The drawing lives in purenet_cli/figures.py, beside the other figures of the
guide, so `train --plot`, `descent --plot` and `figures` draw the same picture.
It is imported only when a plot is asked for: it brings NumPy and matplotlib
(the optional ``plot`` extra, on its Agg backend: files only, never a window),
and `train --impl pure` without --plot needs neither.
"""

from __future__ import annotations

from typing import Any

import click

PLOT_HINT = "pip install -e '.[plot]'"


def require_matplotlib(what: str = "--plot") -> None:
    """Exit 1 with the install command when the plot extra is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise click.ClickException(f"{what} needs matplotlib: {PLOT_HINT}") from None


def plot_history(record: dict[str, Any], path: str, replace: bool = True) -> None:
    """Draw a run's record (what --history writes) into a PNG: figures.plot_history.

    replace=False refuses (FileExistsError) a file that appeared at path meanwhile.
    """
    from purenet_cli import figures

    figures.plot_history(record, path, replace=replace)


def plot_descent(path: list, file: str, lr: float | None = None, replace: bool = True) -> None:
    """Draw a descent path over the contours of x0^2 + x1^2 into a PNG: figures.plot_descent.

    replace=False refuses (FileExistsError) a file that appeared at file meanwhile.
    """
    from purenet_cli import figures

    figures.plot_descent(path, file, lr=lr, replace=replace)
