"""The train command's progress bar: its ETA keeps step time and measurement time apart.

A fake clock stands in for time.perf_counter, so every number below is exact.
"""

from __future__ import annotations

import io

import pytest

from purenet_cli.progress import (
    Progress,
    clock_time,
    measurements_left,
    rate_text,
    terminal_width,
)


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
    progress = Progress(100, 10, enabled=True, clock=clock, stream=stream, columns=lambda: 200)
    run(progress, clock, range(1), step=0.5, measurement=5.0)
    assert stream.getvalue().endswith("  1/100  loss 2.3000  elapsed 0:06  eta -:--  5.5 s/it")
    run(progress, clock, range(1, 2), step=0.5, measurement=5.0)
    # 98 steps of 0.5 s; 10 measurements of 5 s: at 10, 20, ..., 90 and the final weights
    assert stream.getvalue().endswith("  2/100  loss 2.3000  elapsed 0:06  eta 1:39  "
                                      "3.0 s/it")
    run(progress, clock, range(2, 100), step=0.5, measurement=5.0)
    assert stream.getvalue().endswith("100/100  loss 2.3000  elapsed 1:40  eta 0:00  "
                                      "1.0 it/s")
    drawn = stream.getvalue().rsplit("\r", 1)[1]
    assert drawn.startswith("[" + "#" * 30 + "] ")
    progress.clear()
    assert stream.getvalue().endswith("\r" + " " * len(drawn) + "\r")


@pytest.mark.parametrize("seconds, shown", [(0, "0:00"), (0.4, "0:00"), (59.6, "1:00"),
                                            (75, "1:15"), (3599, "59:59"), (3600, "1:00:00"),
                                            (3725, "1:02:05"), (36000 + 61, "10:01:01")])
def test_times_read_as_m_ss_and_past_an_hour_h_mm_ss(seconds: float, shown: str) -> None:
    assert clock_time(seconds) == shown


@pytest.mark.parametrize("iterations, seconds, shown", [(1800, 4.3, "419 it/s"),
                                                       (30, 8.0, "3.8 it/s"),
                                                       (3, 12.0, "4.0 s/it")])
def test_the_rate_is_iterations_per_second_or_seconds_per_iteration(
        iterations: int, seconds: float, shown: str) -> None:
    assert rate_text(iterations, seconds) == shown


@pytest.mark.parametrize("width", [200, 80, 60, 40, 20, 12, 1])
def test_every_line_fits_the_terminal(width: int) -> None:
    """No line, the bar's or clear()'s blank, fills the last column (a terminal would wrap)."""
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(10000, 600, enabled=True, clock=clock, stream=stream,
                        columns=lambda: width)
    run(progress, clock, range(2000), step=2.0, measurement=20.0)  # an ETA past an hour
    progress.clear()
    lines = stream.getvalue().split("\r")
    assert len(lines) > 100 and max(map(len, lines)) <= max(width - 1, 1)
    last = lines[-3].rstrip()  # then clear()'s blank, then nothing
    # 2000 iterations: 2000 steps of 2 s and 4 measurements of 20 s (1:08:00); 8000 steps and
    # 14 measurements left: 2400, ..., 9600 and the final weights (4:31:20)
    if width >= 80:
        assert last.endswith("]  2000/10000  loss 2.3000  elapsed 1:08:00  eta 4:31:20  "
                             "2.0 s/it")
    elif width == 40:
        assert last == "2000/10000  loss 2.3000  eta 4:31:20"
    elif width == 20:
        assert last == "2000/10000"
    elif width == 12:
        assert last == "2000/10000"


def test_the_width_is_the_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    assert terminal_width(io.StringIO()) == 20
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(1800, 600, enabled=True, clock=clock, stream=stream)
    run(progress, clock, range(1800), step=0.01, measurement=0.5)
    assert max(map(len, stream.getvalue().split("\r"))) <= 19


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
