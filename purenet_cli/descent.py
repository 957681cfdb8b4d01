"""What the descent command prints: the path, the closed form, and why a path went wrong.

On f(x0, x1) = x0^2 + x1^2 each step is x <- (1 - 2 lr) x, so the path has a
closed form to compare with; where floats make the path overflow or freeze,
say why in one line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import click

from purenet_cli.arrays import flat
from purenet_cli.watch import plural


def print_descent(f: Callable[[Any], float], x0: float, x1: float, lr: float, steps: int,
                  every: int, path: list, final: Any) -> None:
    """Print every `every`-th point of the path (and the last), the closed form, any trouble."""
    click.echo(f"gradient descent on f(x0, x1) = x0^2 + x1^2 from ({x0:g}, {x1:g}), "
               f"lr {lr:g}, {plural(steps, 'step')}")
    click.echo(f"{'step':>6}  {'x0':>13}  {'x1':>13}  {'f(x)':>13}")
    for k, point in enumerate(path):
        if k % every == 0 or k == steps:
            click.echo(f"{k:6d}  {point[0]:13.6g}  {point[1]:13.6g}  {f(point):13.6g}")
    for line in closed_form(x0, x1, lr, steps, final):
        click.echo(line)
    trouble = descent_trouble(f, path, lr)
    if trouble:
        click.echo(trouble)


def closed_form(x0: float, x1: float, lr: float, steps: int, final: Any) -> list[str]:
    """Say where (1 - 2 lr)^steps * start lands, how far the path ends from it, and overshoot."""
    try:
        factor = (1 - 2 * lr) ** steps
    except OverflowError:  # |1 - 2 lr| > 1 to a high power: past 1e308
        factor = math.inf if steps % 2 == 0 else -math.inf
    exact = (factor * x0, factor * x1)
    gap = max(abs(float(a) - b) for a, b in zip(final, exact))
    lines = [f"closed form (1 - 2*lr)^{steps} * start = ({exact[0]:.6g}, {exact[1]:.6g}); "
             f"the path ends {gap:.2g} from it"]
    # lr >= 1 itself, not |1 - 2 lr| >= 1: for lr below 1e-16, 1 - 2 lr rounds to 1
    if lr >= 1:
        lines.append(f"lr {lr:g} >= 1 overshoots: each step lands at least as far out on the "
                     f"other side, so the path cannot settle at the minimum (0, 0)")
    return lines


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
            step = lr * flat(numerical_gradient(f, list(path[k])))[j]  # a point: (2,)
            if step != 0:
                return (f"x{j} stops moving at step {k}, at {v:.6g}: lr * gradient = "
                        f"{abs(step):.2g} is below half the {math.ulp(v):.2g} between floats "
                        f"near it, so x{j} - lr * gradient rounds back to x{j}")
            # else: next to (0, 0), where 4 h x is below f's rounding: settled, nothing to say
    return None
