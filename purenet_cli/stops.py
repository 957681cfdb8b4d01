"""Signals during the train command: Ctrl-C, SIGTERM and SIGHUP all stop a run the same way.

The first of them stops the work where it is, as Ctrl-C does (a
KeyboardInterrupt, which train() turns into a History marked "interrupted"), so
what was gathered is still written. Every later one is noted and ignored: a
second Ctrl-C cannot cut the final writes short. While the output names are
proved writable and while the files are written, even the first one is only
noted, so no probe or temporary file is left behind. The exit status says
which signal came, as a shell reports it: 128 + its number (130 for SIGINT,
143 for SIGTERM, 129 for SIGHUP).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

from purenet_cli.watch import StopSignal

STOPPING = ("SIGINT", "SIGTERM", "SIGHUP")  # SIGHUP: the terminal closed; none on Windows


class Stops:
    """The signals a run received: the first one's number, and whether it may stop work now."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.armed = False  # True while a signal should stop the work at once

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The handler: note the first signal, and stop the work with it if armed."""
        if self.signum is not None:
            return  # the run is already stopping: let it write what it gathered
        self.signum = signum
        if self.armed:
            self.armed = False
            raise stop_for(signum)

    @contextmanager
    def stopping(self) -> Iterator[None]:
        """Within this block the first signal stops the work (one noted before stops it now)."""
        if self.signum is not None:
            raise stop_for(self.signum)
        self.armed = True
        try:
            yield
        finally:
            self.armed = False

    def status(self) -> int | None:
        """Return the exit status a signal calls for (128 + its number), None if none came."""
        return None if self.signum is None else 128 + self.signum


def stop_for(signum: int) -> KeyboardInterrupt:
    """Return what a signal raises: Ctrl-C's own KeyboardInterrupt, or a StopSignal naming it."""
    if signum == signal.SIGINT:
        return KeyboardInterrupt()
    return StopSignal(signum, signal.Signals(signum).name)


@contextmanager
def signals_stop_the_run() -> Iterator[Stops]:
    """Handle SIGINT, SIGTERM and SIGHUP within the block; put the old handlers back after.

    After a stop these signals are ignored instead, until the program has
    exited: a second Ctrl-C cannot kill it on its way out. A SIGTERM or SIGHUP
    that stops work outside train() (while loading the data, say) ends the
    command with its exit status and a line saying so.
    """
    stops = Stops()
    installed = {}
    if threading.current_thread() is threading.main_thread():  # signals reach no other
        for name in STOPPING:
            if hasattr(signal, name):
                signum = getattr(signal, name)
                installed[signum] = signal.signal(signum, stops.handle)
    try:
        yield stops
    except StopSignal as stop:
        click.echo(f"stopped ({stop.name})", err=True)
        raise click.exceptions.Exit(128 + stop.signum) from None
    finally:
        for signum, handler in installed.items():
            # after a stop the program is ending: a later signal is ignored, even while
            # Python shuts down (where a handler of its own would be the default again)
            signal.signal(signum, handler if stops.signum is None else signal.SIG_IGN)
