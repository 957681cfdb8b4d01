"""The command line's conventions: help for every option, --version, a bare command, -m.

What a user finds before running anything: `purenet` alone prints the full help,
every command's summary fits its line, every option says what it does and its
default, and `python -m purenet` is the same program.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from purenet_cli import install
from purenet_cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(cli.cli.commands)
# the commands that read a data set, and so must name PURENET_DATA in their help
READS_DATA = ["evaluate", "train"]


def run_main(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_the_commands_are_all_walked() -> None:
    assert COMMANDS == ["check", "descent", "evaluate", "figures", "gradcheck", "train"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_of_every_command_has_help(name: str) -> None:
    command = cli.cli.commands[name]
    options = [p for p in command.params if isinstance(p, click.Option)]
    assert len(options) >= 3
    missing = [p.opts[0] for p in options if not (p.help or "").strip()]
    assert missing == []


@pytest.mark.parametrize("name", COMMANDS)
def test_every_default_is_shown(name: str) -> None:
    """An option with a default shows it; one whose default depends (None) says it in words.

    Output files (--save, --history, --plot) are written only when given.
    """
    command = cli.cli.commands[name]
    ctx = click.Context(command, info_name=name, parent=click.Context(cli.cli, **cli.CONTEXT))
    for param in command.params:
        if not isinstance(param, click.Option) or param.is_flag or param.name == "help" or \
                (param.name or "").endswith("_path"):
            continue
        record = param.get_help_record(ctx)
        assert record is not None and "[default: " in record[1], record


def test_the_group_options_have_help_too() -> None:
    options = [p for p in cli.cli.params if isinstance(p, click.Option)]
    assert {p.opts[0] for p in options} == {"--version"}
    assert all(p.help for p in options)


@pytest.mark.parametrize("name", READS_DATA)
def test_commands_that_read_data_name_purenet_data(name: str) -> None:
    text = CliRunner().invoke(cli.cli, [name, "--help"]).output
    assert "PURENET_DATA" in text


def test_purenet_help_shows_every_summary_whole() -> None:
    """click cuts a summary with "..." when it does not fit; each must fit on its line."""
    text = CliRunner().invoke(cli.cli, ["--help"]).output
    assert "..." not in text.split("Commands:")[1]
    for name in COMMANDS:
        summary = cli.cli.commands[name].get_short_help_str(limit=1000)
        assert f"{name}  " in text and summary in text, (name, summary)
        assert not summary.endswith("...")
    assert all(len(line) <= 80 for line in text.splitlines())


def test_purenet_help_shows_an_example_of_every_command() -> None:
    examples = CliRunner().invoke(cli.cli, ["--help"]).output.split("Options:")[0]
    assert [name for name in COMMANDS if f"  purenet {name} " not in examples] == []


def test_a_bare_purenet_prints_the_full_help_on_stdout_and_exits_0(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys=capsys)
    assert (code, err) == (0, "")
    assert (0, out, "") == run_main("--help", capsys=capsys)
    assert out.startswith("Usage: ") and "Commands:" in out and "\n\nOptions:\n" in out


def test_python_cli_py_without_a_command_prints_the_help() -> None:
    done = subprocess.run([sys.executable, "cli.py"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, "")
    # click 8.4 writes "COMMAND", later releases "[COMMAND]" (it may be left out here)
    assert re.match(r"Usage: cli\.py \[OPTIONS\] \[?COMMAND\]? \[ARGS\]\.\.\.\n", done.stdout)
    assert done.stdout.count("\n") > 10


def test_version_is_the_installed_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main("--version", capsys=capsys)
    assert (code, out, err) == (0, f"purenet {metadata.version('purenet')}\n", "")


def test_version_in_an_uninstalled_checkout_is_pyprojects(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(install.metadata, "version", not_installed)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    expected = next(line.split('"')[1] for line in text.splitlines()
                    if line.startswith("version = "))
    assert install.version() == expected
    assert install.checkout_root() == ROOT


def test_plot_hint_for_a_checkout_and_for_an_installed_package(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    assert install.extra_hint("plot") == "pip install -e '.[plot]'"
    monkeypatch.chdir(tmp_path)
    assert install.extra_hint("plot") == f"pip install -e '{ROOT}[plot]'"
    monkeypatch.setattr(install, "ROOT", tmp_path / "site-packages")  # no pyproject.toml there
    assert install.checkout_root() is None
    assert install.extra_hint("plot") == "pip install 'purenet[plot]'"


def test_python_m_purenet_is_the_same_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "purenet", "descent", "--steps", "2"],
                          capture_output=True, text=True, timeout=60, env=env, cwd=ROOT.parent)
    assert done.returncode == 0 and done.stderr == "", done
    assert "closed form" in done.stdout
    done = subprocess.run([sys.executable, "-m", "purenet", "train", "--one-hot-labe"],
                          capture_output=True, text=True, timeout=60, env=env, cwd=ROOT.parent)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done
    assert "(see 'python -m purenet train --help')" in done.stderr


def test_import_purenet_loads_neither_numpy_nor_click() -> None:
    code = ("import sys, purenet\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'click', 'cli'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("where", ["--data-dir", "PURENET_DATA"])
@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_data_directory_that_is_none_is_a_usage_error(
        where: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A missing directory and a file are the same mistake: both exit 2, naming the source."""
    path = tmp_path / "mnist"
    if kind == "file":
        path.write_text("not a directory")
    monkeypatch.delenv("PURENET_DATA", raising=False)
    args = ["train", "--impl", "pure"]
    if where == "--data-dir":
        args += ["--data-dir", str(path)]
    else:
        monkeypatch.setenv("PURENET_DATA", str(path))
    code, out, err = run_main(*args, capsys=capsys)
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    problem = "is a file" if kind == "file" else "does not exist"
    hint = "'--data-dir'" if where == "--data-dir" else "PURENET_DATA"
    assert f"Invalid value for {hint}: {path} {problem}" in err


@pytest.mark.parametrize("words, cword, expected", [
    ("purenet tr", "1", "plain,train\n"),
    ("purenet train --dat", "2", "plain,--data-dir\nplain,--dataset\n"),
])
def test_shell_completion_as_contributing_shows_it(
        words: str, cword: str, expected: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`_PURENET_COMPLETE=bash_source purenet` installs a function that asks this."""
    monkeypatch.setenv("_PURENET_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", cword)
    with pytest.raises(SystemExit) as exited:
        cli.cli.main([], prog_name="purenet")  # the name the installed script runs under
    assert exited.value.code == 0
    assert capsys.readouterr() == (expected, "")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_PURENET_COMPLETE={shell}_source purenet" in contributing
