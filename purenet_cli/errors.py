"""How the command ends: errors as one line on stderr, and an exit status that says why.

click prints four lines for a usage error (Usage, Try, a blank line, Error);
here every error is one line: usage errors exit 2 and name the --help to read,
other errors exit 1 (running out of memory too), Ctrl-C outside the training
loop (which saves its own work) exits 130.

A run's results do not depend on anyone reading what it prints: stdout and
stderr are wrapped (Lossless) so that a reader that stops early (``| head -1``),
a full device (``> /dev/full``) or a closed stream (``2>&-``) only stops the
printing. The run goes on, writes its files, and then exits 141 after a
broken pipe (128 + SIGPIPE, as a shell shows a program the pipe stopped) or 1
after any other lost output (with one line on stderr if stderr still works),
unless it already had a status of its own. A name the stream's encoding
cannot show (a non-UTF-8 file name) is printed with backslash escapes.
"""

from __future__ import annotations

import errno
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any, TextIO

import click


class Lossless:
    """A text stream that stops writing, never raises, when what is under it fails or is gone."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.lost: OSError | None = None if stream is not None else OSError(
            errno.EBADF, "closed")
        self.dropped = False  # whether any text was not written
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self.errors = getattr(stream, "errors", None) or "strict"

    def write(self, text: str) -> int:
        """Write and flush text, or note why it could not be written and drop it."""
        if self.lost is not None or self.stream is None:
            self.dropped = self.dropped or bool(text)
        else:
            try:
                try:
                    self.stream.write(text)
                except UnicodeEncodeError:  # a file name the encoding cannot show
                    self.stream.write(text.encode(self.encoding, "backslashreplace")
                                      .decode(self.encoding, "replace"))
                self.stream.flush()
            except (OSError, ValueError) as err:  # ValueError: the stream was closed
                self.lose(err if isinstance(err, OSError) else OSError(errno.EBADF, str(err)))
                self.dropped = True
        return len(text)

    def lose(self, err: OSError) -> None:
        """Stop writing; point the file descriptor at /dev/null so exit's flush cannot fail."""
        self.lost = err
        stream, self.stream = self.stream, None
        try:
            fd = stream.fileno() if stream is not None else -1
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
        except (OSError, ValueError, AttributeError):
            pass

    def flush(self) -> None:
        """Flush what is under, noting a failure instead of raising it."""
        if self.lost is None and self.stream is not None:
            try:
                self.stream.flush()
            except (OSError, ValueError) as err:
                self.lose(err if isinstance(err, OSError) else OSError(errno.EBADF, str(err)))

    def isatty(self) -> bool:
        """Whether output goes to a terminal (False once lost)."""
        try:
            return self.lost is None and self.stream is not None and self.stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        """The file descriptor under (OSError once lost)."""
        if self.stream is None:
            raise OSError(errno.EBADF, "stream lost")
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def lost_output_status(status: int, out: Lossless, err: Lossless) -> int:
    """The exit status once output was lost: 141 after a broken pipe, 1 after stdout's, or status.

    Lines lost from stderr alone keep the status (those lines were errors with
    a status of their own, or notes).
    """
    if out.dropped and out.lost is not None:
        if out.lost.errno == errno.EPIPE:
            return status or 141
        one_line(f"Error: could not write to stdout ({out.lost.strerror or out.lost}); the "
                 f"run went on and wrote its files")
        return status or 1
    if err.dropped and err.lost is not None and err.lost.errno == errno.EPIPE:
        return status or 141
    return status


def run_command(group: click.Group, args: Sequence[str] | None) -> None:
    """Run the click group on args, then exit with its status; every error is one line."""
    out, err = Lossless(sys.stdout), Lossless(sys.stderr)
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    status = 1
    try:
        status = run_group(group, args)
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    sys.exit(lost_output_status(status, out, err))


def run_group(group: click.Group, args: Sequence[str] | None) -> int:
    """Run the click group on args; return its exit status (sys.exit for errors)."""
    try:
        status = group.main(args, standalone_mode=False)
    except click.UsageError as err:  # NoSuchOption, BadParameter...: the user's to fix
        hint = f" (see '{err.ctx.command_path} --help')" if err.ctx is not None else ""
        one_line(f"Error: {err.format_message()}{hint}")
        sys.exit(err.exit_code)
    except click.ClickException as err:
        one_line(f"Error: {err.format_message()}")
        sys.exit(err.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl-C while loading, say
        one_line("interrupted")
        sys.exit(130)
    except MemoryError:  # sizes within every bound can still exceed this machine (ulimit -v)
        one_line("Error: out of memory: the sizes asked for need more memory than this "
                 "machine allows; choose smaller ones (--hidden, --batch-size, --train-size)")
        sys.exit(1)
    return status if isinstance(status, int) else 0


def one_line(message: str) -> None:
    """Print message to stderr as one line."""
    click.echo(" ".join(message.splitlines()), err=True)


def quiet_overflow_warnings() -> None:
    """Silence NumPy's overflow warnings from reference/ for the rest of the command.

    A run whose weights blow up overflows in the update and then in every
    product; the train command already stops it and says so in one line
    ("stopped: the loss became nan ..."), so the several lines of RuntimeWarning
    before it would only bury that line.
    """
    warnings.filterwarnings("ignore", r"(overflow|invalid value|divide by zero) encountered",
                            RuntimeWarning, r"reference(\.|$)")
