"""Where this copy of purenet comes from: its version, and whether it runs from a source checkout.

The version is the installed distribution's; a checkout that was never
installed (``python cli.py``) reads it from its own pyproject.toml. The same
check tells the two apart for install hints: a checkout installs an extra with
``pip install -e '.[plot]'``, an installed package with ``pip install 'purenet[plot]'``.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import click

DISTRIBUTION = "purenet"
# the directory above purenet_cli/: a checkout holds pyproject.toml there, an installed
# copy (site-packages) does not
ROOT = Path(__file__).resolve().parent.parent


def checkout_root() -> Path | None:
    """Return the source checkout this code runs from, or None for an installed copy."""
    pyproject = ROOT / "pyproject.toml"
    if pyproject.is_file() and _project_field(pyproject, "name") == DISTRIBUTION:
        return ROOT
    return None


def version() -> str:
    """Return purenet's version: the installed metadata's, else the checkout's pyproject."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        root = checkout_root()
        found = _project_field(root / "pyproject.toml", "version") if root else None
        return found or "unknown"


def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """A click callback for --version: print "purenet VERSION" and stop."""
    if value and not ctx.resilient_parsing:
        click.echo(f"{DISTRIBUTION} {version()}")
        ctx.exit(0)


def extra_hint(extra: str) -> str:
    """Return the pip command that installs an extra, for a checkout or an installed copy."""
    root = checkout_root()
    if root is None:
        return f"pip install '{DISTRIBUTION}[{extra}]'"
    if Path.cwd().resolve() == root:
        return f"pip install -e '.[{extra}]'"
    return f"pip install -e '{root}[{extra}]'"


def _project_field(pyproject: Path, key: str) -> str | None:
    # One "key = "value"" line of the [project] table; tomllib is Python 3.11+ only.
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    table = re.search(r"^\[project\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    field = table and re.search(rf'^{key}\s*=\s*"([^"]+)"', table.group(1), re.M)
    return field.group(1) if field else None
