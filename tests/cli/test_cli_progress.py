"""The train command's progress bar: its ETA keeps step time and measurement time apart.

A fake clock stands in for time.perf_counter, so every number below is exact.
"""

from __future__ import annotations

import io

import pytest

from purenet_cli.progress import Progress, measurements_left


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run(progress: Progress, clock: FakeClock, iterations: range, step: float,
        measurement: float) -> None:
    """Advance the clock as train() would: a step, plus a measurement at i % every == 0."""
    for i in iterations:
        clock.now += step + (measurement if i % progress.every == 0 else 0.0)
        progress.update(i, 2.3)


@pytest.mark.parametrize("i, total, every, left", [
    (0, 10000, 600, 17),  # 600, 1200, ..., 9600, then the final weights (9999)
    (9600, 10000, 600, 1),  # only the final weights
    (9999, 10000, 600, 0),
    (0, 10, 3, 3),  # 3, 6, 9: the last iteration is measured anyway, no final one
    (8, 10, 3, 1),
    (9, 10, 3, 0),
    (0, 1, 1, 0),
])
def test_measurements_left(i: int, total: int, every: int, left: int) -> None:
    assert measurements_left(i, total, every) == left


def test_the_first_eta_does_not_count_the_first_measurement_as_step_time() -> None:
    """Steps of 0.01 s and measurements of 2 s: the book's run (10000 of 600) takes
    100 s of steps and 18 measurements, 36 s; after iteration 0 the old bar said 20000 s."""
    clock = FakeClock()
    progress = Progress(10000, 600, enabled=True, clock=clock, stream=io.StringIO())
    run(progress, clock, range(1), step=0.01, measurement=2.0)
    assert progress.eta(0) is None  # no plain step timed yet: no guess
    run(progress, clock, range(1, 2), step=0.01, measurement=2.0)
    assert progress.eta(1) == pytest.approx(9998 * 0.01 + 17 * 2.0)
    run(progress, clock, range(2, 1300), step=0.01, measurement=2.0)
    assert progress.eta(1299) == pytest.approx(8700 * 0.01 + 15 * 2.0)


def test_the_bar_shows_the_eta_and_stays_on_its_stream() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(100, 10, enabled=True, clock=clock, stream=stream)
    run(progress, clock, range(1), step=0.5, measurement=5.0)
    assert stream.getvalue().endswith("1/100  loss 2.3000  eta    ? s ")
    run(progress, clock, range(1, 2), step=0.5, measurement=5.0)
    # 98 steps of 0.5 s; 10 measurements of 5 s: at 10, 20, ..., 90 and the final weights
    assert stream.getvalue().endswith("2/100  loss 2.3000  eta   99 s ")
    run(progress, clock, range(2, 100), step=0.5, measurement=5.0)
    assert stream.getvalue().endswith("100/100  loss 2.3000  eta    0 s ")
    progress.clear()
    assert stream.getvalue().endswith("\r" + " " * 72 + "\r")


def test_redraws_at_most_ten_times_a_second() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(1000, 1000, enabled=True, clock=clock, stream=stream)
    run(progress, clock, range(1000), step=0.001, measurement=0.0)
    assert 9 <= stream.getvalue().count("\r[") <= 11  # one second: ~10 redraws and the last


def test_a_disabled_bar_writes_nothing() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(10, 3, enabled=False, clock=clock, stream=stream)
    run(progress, clock, range(10), step=1.0, measurement=1.0)
    progress.clear()
    assert stream.getvalue() == ""
