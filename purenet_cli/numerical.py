"""What a ``--grad numerical`` run costs: timed from its first step, said in a person's units."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import click

from purenet_cli.watch import plural


def timed_numerical_gradient(network: Any, iters: int,
                             ) -> Callable[[Any, Any], tuple[float, dict[str, Any]]]:
    """Return gradient(x, t) -> (loss, numerical grads) that prints the run's cost once.

    Only the first real step says what the run costs: a guess from a loss or two
    timed apart is off by 2x (caches, the nudging itself).
    """
    steps_done: list[int] = []

    def gradient(x: Any, t: Any) -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        result = network.loss(x, t), network.numerical_gradient(x, t)
        if not steps_done:
            click.echo(numerical_cost(time.perf_counter() - start, iters))
        steps_done.append(1)
        return result

    return gradient


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
