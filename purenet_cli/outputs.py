"""The files a run writes: proved writable before any work, written one by one at the end.

A run of minutes must not end in "file exists", "no such directory" or "file
name too long", and one file that cannot be written must not cost the others.
Before any work, check_outputs creates (then removes) a file in each output's
directory under the names the end of the run will use: the file's own, and a
temporary one of the same length as the one it is written under. At the end,
write_outputs writes the history first (the record of the run), then the
weights, then the plot; a failure is one line naming that file, and the
others are still written. Each goes through purenet_support.weights_file's atomic_write:
a crash or Ctrl-C mid-write leaves no half file and no temporary one.

What is already there: without --force nothing at an output's name is touched,
a symbolic link included (even one pointing nowhere), and a file that appears
there during the run (a second run writing the same name) is kept: the new
file is hard-linked into place only if the name is still free. With --force
the name is replaced, and a symbolic link there is replaced by a regular file:
the link goes, what it pointed to is left as it was. Nothing else is replaced,
--force or not: a device node, a FIFO, a socket or a directory at an output's
name is refused. Two outputs are the same file when their names lead to the
same place (``d/w.json`` and ``dl/w.json`` with ``dl`` a link to ``d``): that
is refused too, before any work.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Callable
from typing import Any

import click

from purenet_cli.plots import plot_history
from purenet_support.weights_file import atomic_write, move_into_place, temporary_name

PLOT_EXTENSION = ".png"  # the one format every --plot draws
HISTORY_EXTENSION = ".json"  # --history writes JSON


def check_outputs(outputs: dict[str, str | None], force: bool) -> None:
    """Refuse, before any work, output paths that would be lost or fail at the end.

    Each output's directory gets a file created and removed under the output's
    own name (unless it exists and --force replaces it) and under a temporary
    name like the one it will be written under, so a read-only or full
    directory, a name too long, /proc, or a path through a file is a usage
    error now, not a traceback after the run.
    """
    seen: dict[str, tuple[str, str]] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        full = check_name(option, path)
        place = resolved(full)
        if place in seen:
            other, other_path = seen[place]
            same = path if other_path == path else f"{other_path} and {path} lead to {place}"
            raise click.UsageError(f"{other} and {option} name the same file ({same}); "
                                   f"give each output a file of its own")
        seen[place] = (option, path)
        if os.path.isdir(full):
            raise click.UsageError(f"{option} {path} is a directory; name a file")
        refuse_special(option, path, full)
        if os.path.islink(full) and not force:
            raise click.UsageError(
                f"{option} {path} is a symbolic link (to {os.readlink(full)}); pass --force "
                f"to replace the link itself with the file (what it points to is left as it is)")
        if os.path.lexists(full) and not force:
            raise click.UsageError(f"{option} {path} exists; pass --force to overwrite it")
        probe(option, path, full, create_own=not os.path.lexists(full))


def resolved(full: str) -> str:
    """Return the file full names once its directory's links are followed (the link itself kept).

    An output's own name is never followed: --force replaces a link there with
    the file. Its directory is, so two names through linked folders compare equal.
    """
    directory, base = os.path.split(full)
    return os.path.join(os.path.realpath(directory), base)


def special_kind(full: str) -> str | None:
    """Name what is at full if it is neither missing, a regular file nor a symbolic link."""
    try:
        mode = os.lstat(full).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a regular file"


def refuse_special(option: str, path: str, full: str) -> None:
    """Refuse, --force or not, an output name held by a device, FIFO, socket or directory."""
    kind = special_kind(full)
    if kind is not None:
        raise click.UsageError(f"{option} {path} is {kind}, not a regular file; --force "
                               f"replaces only regular files: name another file")


def check_name(option: str, path: str) -> str:
    """Return path made absolute, after refusing an empty name, a directory's, a wrong --plot."""
    if not path:
        raise click.UsageError(f"{option} needs a file name, got ''")
    if not os.path.basename(path) or os.path.basename(path) in (".", ".."):
        raise click.UsageError(f"{option} {path} names a directory; name a file in it")
    if option == "--plot" and not path.lower().endswith(PLOT_EXTENSION):
        raise click.BadParameter(f"{path} must end in {PLOT_EXTENSION}", param_hint="'--plot'")
    if option == "--history" and not path.lower().endswith(HISTORY_EXTENSION):
        raise click.BadParameter(f"{path} must end in {HISTORY_EXTENSION}",
                                 param_hint="'--history'")
    return os.path.abspath(path)


def probe(option: str, path: str, full: str, create_own: bool) -> None:
    """Create and remove the files the end of the run will create in full's directory."""
    directory = os.path.dirname(full)
    trouble = directory_trouble(directory)
    if trouble is not None:
        raise click.UsageError(f"{option} {path}: {trouble}")
    for name in (temporary_name(full), full) if create_own else (temporary_name(full),):
        try:
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            os.remove(name)
        except OSError as err:
            raise click.UsageError(f"{option} {path}: {why(err, directory, full)}") from None


def directory_trouble(directory: str) -> str | None:
    """Say why files cannot be made in directory if it is not one: missing, or a file on the way."""
    if os.path.isdir(directory):
        return None
    part = directory
    while not os.path.lexists(part) and os.path.dirname(part) != part:
        part = os.path.dirname(part)
    if os.path.isdir(part):
        return f"directory {directory} does not exist; create it first"
    if os.path.isfile(part):
        return f"{part} is a file, not a directory"
    return f"{part} is not a directory"


def why(err: OSError, directory: str, full: str) -> str:
    """Say in a few words why a file could not be created in directory (never the temp name)."""
    if err.errno == errno.ENAMETOOLONG:
        name = os.fsencode(os.path.basename(full))
        with contextlib.suppress(OSError, ValueError):
            limit = os.pathconf(directory, "PC_NAME_MAX")
            return (f"the file name is too long ({len(name)} bytes; this file system allows "
                    f"at most {limit})")
        return f"the file name is too long ({len(name)} bytes)"
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"directory {directory} is not writable"
    if err.errno == errno.EROFS:
        return f"directory {directory} is on a read-only file system"
    if err.errno in (errno.ENOENT, errno.ENOTDIR):
        trouble = directory_trouble(directory)
        if trouble is not None:
            return trouble
    return f"cannot write in {directory}: {err.strerror}"


def write_json(path: str, data: object, replace: bool = True) -> None:
    """Write data to path as indented JSON, atomically."""
    text = json.dumps(data, indent=1) + "\n"
    atomic_write(path, lambda f: f.write(text.encode("utf-8")), replace=replace)


def save_weights(weights: Any, params: dict[str, Any], path: str, replace: bool) -> None:
    """Write weights.save's file of params under a temporary name, then move it to path.

    weights is the weights module of the run's package (purenet_support's
    weights_file or weights_numpy).
    """
    tmp = temporary_name(path) + os.path.splitext(path)[1]  # save() checks the extension
    try:
        weights.save(tmp, params)
        move_into_place(tmp, path, replace)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def write_outputs(network: Any, weights: Any, record: dict[str, Any], save_path: str | None,
                  history_path: str | None, plot_path: str | None,
                  force: bool = False) -> tuple[list[str], bool]:
    """Write the history (record), the weights and the plot where asked, each on its own.

    Returns the paths written (in the options' order: --save, --history, --plot)
    and whether any failed; each failure is one line on stderr naming the file.
    """
    steps: list[tuple[str, str | None, Callable[[str], None]]] = [
        ("--history", history_path, lambda path: write_json(path, record, replace=force)),
        ("--save", save_path,
         lambda path: save_weights(weights, network.params, path, replace=force)),
        ("--plot", plot_path, lambda path: plot_history(record, path, replace=force))]
    written, failed = [], False
    for option, path, write in steps:
        if path is None:
            continue
        if option == "--plot" and not record["train_loss"]:
            click.echo(f"{option} {path} not written: no iteration finished, so there is "
                       f"nothing to draw", err=True)
            continue
        problem = write_one(path, write)
        if problem is None:
            written.append(path)
        else:
            click.echo(f"Error: {option} {path} not written: {problem}", err=True)
            failed = True
    order = [p for p in (save_path, history_path, plot_path) if p is not None]
    return sorted(written, key=order.index), failed


def write_one(path: str, write: Callable[[str], None]) -> str | None:
    """Call write(path); return None if it worked, else why not in a few words."""
    kind = special_kind(os.path.abspath(path))
    if kind is not None:  # appeared during the run: never replaced
        return f"{kind} appeared at that name during the run; it is left as it is"
    try:
        write(path)
    except FileExistsError:
        return ("a file appeared at that name during the run (another run writing it?); it "
                "is left as it is (pass --force to replace it)")
    except OSError as err:
        return why(err, os.path.dirname(os.path.abspath(path)), os.path.abspath(path))
    except ValueError as err:  # matplotlib refusing what it was given, say
        return " ".join(str(err).splitlines())
    return None
