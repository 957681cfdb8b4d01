"""``train --jobs N``: each accuracy measurement shared among N workers, for the same counts.

An evaluation only reads the weights, so its rows can be counted in parts at
once and the counts added: the same result as counting them in one go. NumPy
releases Python's lock inside its products, so its parts go to N threads, a
chunk at a time (``NumpyJobs``). Plain Python runs one thread at a time, so
its parts go to N - 1 helper processes (``python -m purenet_cli.jobs``), each
sent the weights and its rows through a pipe (``PureJobs``). A helper runs in
a session of its own (a Ctrl-C at the terminal is the run's to handle, not the
helper's) and ends when its pipe closes, however the run ended. The run waits
for a helper at most WAIT seconds, then counts that part itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from purenet.train import accuracy_in_chunks

# Helpers are kept out of the terminal's Ctrl-C (the run stops them itself): a session of
# their own on POSIX; on Windows, which has no sessions, a process group with Ctrl-C off.
APART: dict[str, Any] = (
    {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)} if os.name == "nt"
    else {"start_new_session": True})
WAIT = 600.0  # seconds: a part of the book's evaluation takes about 20 in plain Python


class NumpyJobs:
    """Counts the chunks of rows on ``jobs`` threads: the chunks one thread would count.

    Each thread takes the next chunk when it is done with one, so a thread on a
    core another program keeps busy counts fewer chunks instead of holding up
    the rest.
    """

    def __init__(self, jobs: int, chunk: int, take: Any) -> None:
        self.pool, self.chunk, self.take = ThreadPoolExecutor(jobs), chunk, take

    def accuracy(self, network: Any, x: Any, t: Any) -> float:
        def count(start: int) -> int:
            rows = range(start, min(start + self.chunk, len(x)))
            return round(network.accuracy(self.take(x, rows), self.take(t, rows)) * len(rows))

        return sum(self.pool.map(count, range(0, len(x), self.chunk))) / len(x)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)  # a chunk takes milliseconds


class PureJobs:
    """Counts one part of the rows here and the others in jobs - 1 helper processes."""

    def __init__(self, jobs: int, chunk: int, take: Any) -> None:
        self.chunk, self.take = chunk, take
        self.helpers = [subprocess.Popen([sys.executable, "-m", "purenet_cli.jobs"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         **APART) for _ in range(jobs - 1)]

    def accuracy(self, network: Any, x: Any, t: Any) -> float:
        n, parts = len(x), len(self.helpers) + 1
        cuts = [n * k // parts for k in range(parts + 1)]
        answers = [self._ask(helper, network.params, part(x, a, b), part(t, a, b))
                   for helper, a, b in zip(self.helpers, cuts[1:], cuts[2:])]
        here = x if parts == 1 else part(x, 0, cuts[1])
        counts = [round(accuracy_in_chunks(network, here, part(t, 0, cuts[1]), self.take,
                                           self.chunk) * cuts[1])]
        for answer, a, b in zip(answers, cuts[1:], cuts[2:]):
            answer.join(WAIT)
            if not answer.result:  # the helper is gone or stuck: count its part here
                answer.helper.kill()  # and never ask it again
                with contextlib.suppress(subprocess.TimeoutExpired):
                    answer.helper.wait(timeout=5)  # reaped, not left a zombie (bounded)
                self.helpers.remove(answer.helper)
                rows = part(x, a, b)
                answer.result.append(round(accuracy_in_chunks(
                    network, rows, part(t, a, b), self.take, self.chunk) * (b - a)))
            counts.append(answer.result[0])
        return sum(counts) / n

    def _ask(self, helper: subprocess.Popen, *task: Any) -> Answer:
        answer = Answer(helper, task)
        answer.start()
        return answer

    def close(self) -> None:
        for helper in self.helpers:
            if helper.stdin is not None:
                helper.stdin.close()  # the helper's end of the pipe: it leaves
            try:
                helper.wait(timeout=5)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait(timeout=5)


class Answer(threading.Thread):
    """Sends one task to a helper and reads its count back into ``result`` (empty if none)."""

    def __init__(self, helper: subprocess.Popen, task: tuple) -> None:
        super().__init__(daemon=True)
        self.helper, self.task = helper, task
        self.result: list[int] = []

    def run(self) -> None:
        stdin, stdout = self.helper.stdin, self.helper.stdout
        assert stdin is not None and stdout is not None  # Popen'd with both pipes
        try:
            pickle.dump(self.task, stdin)
            stdin.flush()
            self.result.append(pickle.load(stdout))
        except (OSError, EOFError, pickle.UnpicklingError):  # the helper is gone
            pass


def part(x: Any, start: int, stop: int) -> Any:
    """Rows start..stop - 1 of x: MNIST images keep their bytes, lists are sliced."""
    return x.part(start, stop) if hasattr(x, "part") else x[start:stop]


def serve() -> None:
    """A helper: count each (params, x, t) read from stdin, write the count to stdout."""
    from purenet.two_layer_net import TwoLayerNet
    from purenet_cli.impls import take_rows as take

    while True:
        try:
            params, x, t = pickle.load(sys.stdin.buffer)
        except (EOFError, KeyboardInterrupt):  # the run closed the pipe (or is gone)
            return
        network = TwoLayerNet.from_params(params)
        pickle.dump(round(accuracy_in_chunks(network, x, t, take) * len(x)), sys.stdout.buffer)
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve()
