"""The data command: fetch a data set's four files ahead of time, verify them, say where they are.

Files missing from the directory (the cache, or --data-dir) are downloaded there;
files present are never replaced. Every file is then read and checked against the
SHA-256 of its content, as train does before it trains.
"""

from __future__ import annotations

import os
import sys

import click

from purenet_support.mnist import (
    DATASETS,
    ENV_VAR,
    FILES,
    DataError,
    UnwritableDirectory,
    cache_dir,
    download,
    find_file,
    load_idx_files,
)


def fetch_dataset(dataset: str, data_dir: str | None, no_download: bool) -> None:
    """Fetch what is missing of dataset into data_dir (or the cache), verify the four files
    and print where they are; a DataError becomes one line (exit 1)."""
    info = DATASETS[dataset]
    directory = os.path.abspath(os.path.expanduser(data_dir or cache_dir(dataset)))
    for name in FILES.values():
        if find_file(name, [directory]) is not None:
            continue
        if no_download:
            raise click.ClickException(
                f"{info.title}: {name}.gz is not in {directory} (--no-download): copy the "
                f"four .gz files there, or run without --no-download to fetch them")
        status(f"fetching {name}.gz into {directory} ...")
        try:
            download(name, directory, info.sha256[name], info.mirrors, progress=False)
        except UnwritableDirectory as err:  # the directory's fault, not the mirrors'
            status("")
            raise click.ClickException(
                f"{info.title} cannot be fetched: {err}. Make that directory writable "
                f"(chmod u+w), or name one you can write with --data-dir") from None
        except DataError as err:
            status("")
            raise click.ClickException(
                f"{info.title} could not be fetched into {directory}: {name}.gz: {err}. "
                f"Copy the four .gz files there, or point --data-dir or {ENV_VAR} at a copy "
                f"you have") from None
        status("")
        click.echo(f"fetched {name}.gz")
    try:
        files = load_idx_files(dataset, directory)
    except DataError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{info.title} in {directory}:")
    for key, name in FILES.items():
        dims = files[key][0]
        what = (f"{dims[0]} images of {dims[1]}x{dims[2]}" if key.endswith("_img")
                else f"{dims[0]} labels")
        found = os.path.basename(find_file(name, [directory]) or name)
        click.echo(f"  {found:<28} {what:<24} SHA-256 {info.sha256[name][:12]}... verified")
    if data_dir is None:
        click.echo("train, evaluate and figures find them there with no option")
    else:
        click.echo(f"train, evaluate and figures read them with --data-dir {directory} "
                   f"(or {ENV_VAR}={directory})")


def status(line: str) -> None:
    """Show (or with "" wipe) one line on stderr while a file downloads, only on a terminal."""
    if sys.stderr.isatty():
        sys.stderr.write("\r" + line if line else "\r" + " " * 79 + "\r")
        sys.stderr.flush()
