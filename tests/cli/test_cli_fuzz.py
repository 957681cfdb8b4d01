"""Random option values for every command: exit 0, 1 or 2 with at most one line on stderr.

For each option of each command, hypothesis draws command lines that give it a
value (NaN, inf, huge, negative, not a number at all, a word, an empty string,
a file name), alone half the time, else beside one or two other options, and
runs cli.main as the `purenet` script does, in a scratch directory. Any
exception that escapes main (a traceback for the user) fails the test. To keep
an example cheap the data set is never read (loading it is an error of its own,
exit 1) and gradcheck's size bound is lowered to nets that check in milliseconds.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import purenet_cli.training
from purenet.two_layer_net import TwoLayerNet
from purenet_cli import main as cli
from purenet_support import networks

NOT_FINITE = st.sampled_from(["nan", "-nan", "NaN", "inf", "-inf", "+Infinity", "1e400"])
SPECIAL = st.sampled_from(["0", "-0", "-1", "1e308", "-1e308", "1e-300", "5e-324", "100000000",
                           "99999999999999999999", "0x10", "1_000", " 3", "3.", ".5", "1e",
                           "--"])
NUMBERS = st.one_of(NOT_FINITE, SPECIAL, st.integers(-5, 40).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr))
# file and directory names, all relative to the scratch directory: nothing outside it
# can be written, whatever --force says
NAMES = st.sampled_from(["a.png", "b.PNG", "x.npz", "x.json", "h.json", "out.svg", "w.npz",
                         "w.json", "bad.npz", "mnist", "mnist/", "empty", "nope",
                         "nope/x.npz", "w.npz/x.png", ".", "..", "-3,4", "a,b", "1,2,3",
                         "nan,1", "1e308,1e308", "0,0", "/nonexistent/x.png"])
WORDS = st.text(alphabet="abcnpxyz.,-_0123456789 ", max_size=8)  # no "/": nothing absolute
ANYTHING = st.one_of(NUMBERS, NAMES, WORDS, st.just(""))


def values(param: click.Option) -> st.SearchStrategy[str] | None:
    """What to give an option: mostly what its type expects, bent; anything at all too.

    None for a flag, which takes no value.
    """
    if param.is_flag:
        return None
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from([str(c) for c in kind.choices]), ANYTHING)
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        # mostly the edge cases, where types let values through that they should not
        return st.integers(0, 9).flatmap(lambda k: NOT_FINITE if k < 3 else SPECIAL if k < 6
                                         else NUMBERS if k < 8 else ANYTHING)
    return st.one_of(NAMES, WORDS, ANYTHING)


def options_of(name: str) -> dict[str, click.Option]:
    command = cli.cli.commands[name]
    return {p.opts[0]: p for p in command.params
            if isinstance(p, click.Option) and p.name != "help"}


@st.composite
def command_lines(draw: st.DrawFn, name: str, option: str) -> list[str]:
    """Draw `name` with option, and zero to two others, each given a value its type may refuse.

    Alone half the time: a value a check lets through must not hide behind
    another option's usage error.
    """
    options = options_of(name)
    args = [name]
    if name == "evaluate":
        args.append(draw(st.one_of(st.sampled_from(["w.npz", "w.json", "bad.npz"]), NAMES,
                                   WORDS)))
    others = draw(st.lists(st.sampled_from(sorted(options)),
                           max_size=draw(st.sampled_from([0, 0, 1, 2]))))
    for each in [option, *others]:
        strategy = values(options[each])
        if strategy is None:
            args.append(each)
            continue
        value = draw(strategy)
        args += [f"{each}={value}"] if draw(st.booleans()) else [each, value]
    return args


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A directory to run in, holding a few files the names above point at."""
    before, cwd = dict(os.environ), os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "mnist").mkdir()
        (root / "empty").mkdir()
        (root / "bad.npz").write_bytes(b"PK\x03\x04 not a zip")
        net = TwoLayerNet(784, 2, 10)
        networks.save(net, str(root / "w.npz"))
        networks.save(net, str(root / "w.json"))
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(before)


def no_data(*args: object, **kwargs: object) -> None:
    raise click.ClickException("no data set in this test")


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args)
            code: object = 0
        except SystemExit as exited:
            code = exited.code
    return (code if isinstance(code, int) else 0 if code is None else 1), out.getvalue(), \
        err.getvalue()


EVERY_OPTION = [(name, option) for name in sorted(cli.cli.commands)
                for option in sorted(options_of(name))]


@pytest.mark.parametrize("name, option", EVERY_OPTION)
def test_random_option_values_end_in_one_line(name: str, option: str) -> None:
    with scratch(), mock.patch.object(cli, "load_data", no_data), \
            mock.patch.object(purenet_cli.training, "load_data", no_data), \
            mock.patch("purenet_cli.options.MAX_GRADCHECK_WORK", 10**5):
        os.environ.pop("PURENET_DATA", None)

        @settings(max_examples=25, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(command_lines(name, option))
        def check(args: list[str]) -> None:
            code, _, err = run(args)
            assert code in (0, 1, 2), (args, code, err)
            assert err.count("\n") <= 1 and "Traceback" not in err, (args, err)

        check()
