"""The second process that measures beside a pure training: when it is used, and how it ends.

It must never outlive, outshout or outwait the training: started with the stop
signals held and ignoring them, started without the program's __main__, gone
when its parent is, and a count it cannot deliver is made by the training.
"""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import Future
from multiprocessing.connection import wait
from pathlib import Path

import pytest

import purenet.measuring as measuring
from purenet.monitor import History
from purenet.optimizer import SGD
from purenet.train import Hyperparameters, train
from purenet.two_layer_net import TwoLayerNet

ROOT = Path(__file__).resolve().parent.parent
POSIX = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX signals and process ids")


def test_second_core_free_answers_from_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from reference import evaluation
    monkeypatch.setattr(measuring.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(measuring.os, "getloadavg", lambda: (1.0, 1.0, 1.0), raising=False)
    assert measuring.second_core_free()  # only this process running on 2 cores
    monkeypatch.setattr(measuring.os, "getloadavg", lambda: (2.0, 1.0, 1.0), raising=False)
    assert not measuring.second_core_free()  # another process on the second core
    assert evaluation.second_core_free is measuring.second_core_free  # one gate for both
    # 1.9: a process of ours measured beside this one for most of the last minute
    monkeypatch.setattr(measuring.os, "getloadavg", lambda: (1.9, 1.0, 1.0), raising=False)
    assert not measuring.second_core_free()
    assert measuring.second_core_free(own=0.5)


def test_own_load_weighs_each_measurement_as_the_load_average_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    own = measuring.OwnLoad()
    clock = [0.0]
    monkeypatch.setattr(measuring.time, "monotonic", lambda: clock[0])
    first: Future[float] = Future()
    assert own.track(first) is first and own.now() == 0.0
    clock[0] = 30.0
    first.set_result(0.9)  # ran from 0 to 30 s
    second: Future[float] = Future()
    own.track(second)  # queued at 30 s, still running at 50 s
    clock[0] = 50.0
    assert own.now() == pytest.approx(1 - math.exp(-50 / 60))  # one worker busy from 0 to 50 s
    second.set_result(0.9)
    clock[0] = 110.0  # a minute later: weighed down by exp(-1)
    assert own.now() == pytest.approx(math.exp(-1) - math.exp(-110 / 60))
    queued = measuring.OwnLoad()
    queued.spans = [[0.0, 30.0], [10.0, 50.0]]  # the second waited for the first
    assert queued.now() == pytest.approx(own.now())


def worker_of(process: measuring.MeasuringProcess) -> int:
    assert process.pool is not None
    return next(iter(process.pool._processes))


@POSIX
def test_a_ctrl_c_at_the_workers_start_is_held_then_ignored() -> None:
    process = measuring.MeasuringProcess()
    try:
        process.submit(int)  # starts the worker
        worker = worker_of(process)
        os.kill(worker, signal.SIGINT)  # while it is still starting up
        time.sleep(0.5)
        # Its process id, not this one's: the same worker answered, it was not counted here.
        assert process.submit(os.getpid).result() == worker
        os.kill(worker, signal.SIGINT)  # started: ignored too
        assert process.submit(os.getpid).result() == worker
    finally:
        process.close()


def test_a_count_the_worker_cannot_deliver_is_made_here() -> None:
    process = measuring.MeasuringProcess()
    try:
        busy = process.submit(time.sleep, 0.3)  # queued or under way: the worker dies either way
        os.kill(worker_of(process), signal.SIGKILL if hasattr(signal, "SIGKILL") else 9)
        start = time.monotonic()
        assert busy.result() is None and time.monotonic() - start < 10  # time.sleep, here
        assert process.submit(sum, [1.5, 2.5]).result() == 4.0  # the pool is broken: here too
    finally:
        process.close()


def test_closing_ends_a_worker_still_at_work() -> None:
    process = measuring.MeasuringProcess()
    process.submit(int).result()  # the worker is up and idle
    assert process.pool is not None
    at_work = process.pool.submit(time.sleep, 60)  # a count nobody will wait for
    worker = process.pool._processes[worker_of(process)]
    deadline = time.monotonic() + 30
    while not at_work.running():  # handed to the worker: past cancelling
        assert not at_work.done() and time.monotonic() < deadline
        time.sleep(0.01)
    start = time.monotonic()
    process.close()
    # Ended: its sentinel is ready. (is_alive() would collect its exit status: the pool's to do.)
    assert time.monotonic() - start < 10 and worker.sentinel in wait([worker.sentinel], 0)
    measuring.MeasuringProcess().close()  # one never used: nothing to do


def run_script(tmp_path: Path, body: str, timeout: float = 120) -> subprocess.CompletedProcess:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=tmp_path)


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path: Path) -> None:
    # spawn would run this script again in the worker, training a second time
    done = run_script(tmp_path, """
        import random
        import purenet.measuring
        purenet.measuring.second_core_free = lambda own=0.0: True
        from purenet.evaluation import accuracy_beside
        from purenet.measuring import MeasuringProcess
        from purenet.two_layer_net import TwoLayerNet
        print("script started")
        rng = random.Random(0)
        x = [[rng.random() for _ in range(6)] for _ in range(40)]
        t = [rng.randrange(3) for _ in range(40)]
        net = TwoLayerNet(6, 4, 3, seed=0)
        worker = MeasuringProcess()
        print(accuracy_beside(worker, net, x, t, chunk=7).result() == net.accuracy(x, t))
        worker.close()
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["script", "started", "True"] and done.stderr == ""


@POSIX
def test_the_worker_ends_when_its_training_dies(tmp_path: Path) -> None:
    done = run_script(tmp_path, """
        import os
        from purenet.measuring import MeasuringProcess
        worker = MeasuringProcess()
        worker.submit(int).result()
        print(next(iter(worker.pool._processes)), flush=True)
        os._exit(0)  # no close, no clean-up: as if killed
    """)
    pid = int(done.stdout)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the worker outlived its parent by 15 s")


@POSIX
def test_ctrl_c_while_waiting_for_the_final_measurement_stops_the_run() -> None:
    rng = random.Random(0)
    x = [[rng.random() for _ in range(6)] for _ in range(20)]
    t = [rng.randrange(3) for _ in range(20)]
    net = TwoLayerNet(6, 4, 3, seed=0)
    never: list[Future[float]] = []

    def accuracy(xs: object, ts: object) -> Future[float]:
        never.append(Future())  # a measurement that never ends
        return never[-1]

    # Ctrl-C once the loop is over (a real signal: it wakes the wait, as a terminal's does)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        history: History = train(net, SGD(0.1), ((x, t), (x, t)),
                                 Hyperparameters(iters=3, batch_size=10), rng, accuracy=accuracy)
    finally:
        timer.cancel()
    assert history.stopped == "interrupted" and history.epochs == []
    assert all(future.cancelled() for future in never)
    assert history.final == {"iteration": 2, "train_acc": None, "test_acc": None}
