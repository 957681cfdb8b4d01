"""The figures the commands draw into PNG files: a run's loss and accuracies, a descent path.

The drawing lives in purenet_cli/figures.py, beside the other figures of the
guide, so `train --plot`, `descent --plot` and `figures` draw the same picture.
It is imported only when a plot is asked for: it brings NumPy and matplotlib
(the optional ``plot`` extra), and `train --impl pure` without --plot needs
neither. Its figures are not pyplot's: writing the file picks matplotlib's PNG
renderer itself, so --plot needs no display and never opens a window, whatever
MPLBACKEND says.
"""

from __future__ import annotations

import os
from itertools import takewhile
from typing import Any

import click

from purenet_cli.install import extra_hint

# matplotlib squares coordinates on the way to pixels (contour levels, arrow lengths):
# past about 1e154 that overflows, and NaN or inf stops it with an error
DRAWABLE = 1e150


def require_matplotlib(what: str = "--plot") -> None:
    """Exit 1 with the install command when the plot extra is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise click.ClickException(f"{what} needs matplotlib: {extra_hint('plot')}") from None
    except ValueError as err:  # MPLBACKEND=bogus: matplotlib refuses its own import
        backend = os.environ.get("MPLBACKEND")
        if backend is None:
            raise
        raise click.UsageError(
            f"MPLBACKEND={backend} is not a matplotlib backend ({str(err).split(';')[0]}); "
            f"unset MPLBACKEND: {what} draws files with Agg whatever it says") from None


def plot_history(record: dict[str, Any], path: str, replace: bool = True) -> None:
    """Draw a run's record (what --history writes) into a PNG: figures.draw_history.

    replace=False refuses (FileExistsError) a file that appeared at path meanwhile.
    """
    from purenet_cli import figures

    figures.save(figures.draw_history(record), path, replace=replace)


def plot_descent(path: list, file: str, lr: float | None = None, replace: bool = True) -> None:
    """Draw a descent path over the contours of x0^2 + x1^2 into a PNG: figures.draw_descent.

    A path that overflows (NaN, inf, or past 1e150) is drawn up to its last
    drawable point, and the title says from which step it is left out.
    replace=False refuses (FileExistsError) a file that appeared at file meanwhile.
    """
    shown = list(takewhile(lambda p: all(abs(v) <= DRAWABLE for v in p), path))  # NaN: False
    if not shown:
        raise click.ClickException(
            f"cannot draw the path: its start ({path[0][0]:g}, {path[0][1]:g}) is past the "
            f"{DRAWABLE:g} a plot can show; start nearer (0, 0) or drop --plot")
    note = "" if len(shown) == len(path) else \
        f"(from step {len(shown)} the path overflows: not drawn)"
    from purenet_cli import figures

    figures.save(figures.draw_descent(shown, lr=lr, note=note), file, replace=replace)
