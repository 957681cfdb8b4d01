"""The files a run writes: checked before any work, written atomically at the end.

A run of minutes must not end in "file exists" or "no such directory", and a
crash or Ctrl-C mid-write must not leave half a file (purenet.weights_file's
atomic_write).
"""

from __future__ import annotations

import json
import os
from typing import Any

import click

from purenet.weights_file import atomic_write
from purenet_cli.plots import plot_history


def write_json(path: str, data: object) -> None:
    """Write data to path as indented JSON, atomically."""
    text = json.dumps(data, indent=1) + "\n"
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def check_outputs(outputs: dict[str, str | None], force: bool) -> None:
    """Refuse, before any work, output paths that would be lost or fail at the end.

    A run of minutes must not end in "file exists" or "no such directory".
    """
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        full = os.path.abspath(path)
        if full in seen:
            raise click.UsageError(f"{option} and {seen[full]} name the same file {path}")
        seen[full] = option
        if os.path.isdir(full):
            raise click.UsageError(f"{option} {path} is a directory; name a file")
        parent = os.path.dirname(full)
        if not os.path.isdir(parent):
            raise click.UsageError(f"{option} {path}: directory {parent} does not exist; "
                                   f"create it first")
        if not os.access(parent, os.W_OK):
            raise click.UsageError(f"{option} {path}: directory {parent} is not writable")
        if os.path.exists(full) and not force:
            raise click.UsageError(f"{option} {path} exists; pass --force to overwrite it")


def write_outputs(network: Any, record: dict[str, Any], save_path: str | None,
                  history_path: str | None, plot_path: str | None) -> list[str]:
    """Write the weights, the history (record) and its plot where asked; return the paths."""
    written = []
    if save_path is not None:
        network.save(save_path)
        written.append(save_path)
    if history_path is not None:
        write_json(history_path, record)
        written.append(history_path)
    if plot_path is not None and record["train_loss"]:
        plot_history(record, plot_path)
        written.append(plot_path)
    return written
