"""How the command ends: errors as one line on stderr, and an exit status that says why.

click prints four lines for a usage error (Usage, Try, a blank line, Error);
here every error is one line: usage errors exit 2 and name the --help to read,
other errors exit 1 (running out of memory too), Ctrl-C outside the training
loop (which saves its own work) exits 130.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

import click


def run_command(group: click.Group, args: Sequence[str] | None) -> None:
    """Run the click group on args, then exit with its status; every error is one line."""
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
    sys.exit(status if isinstance(status, int) else 0)


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
