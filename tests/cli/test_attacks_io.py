"""Attacks on what the command writes and prints: files not the user's, readers that stop early.

Each test is an attack a careless or hostile user made (issue 20), written
so that it failed before the fix. Runs of train here use a small synthetic
data set in place of MNIST, in process (CliRunner) or, where the attack is on
the real stdout and stderr, in a subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
import numpy as np
import pytest
from click.testing import CliRunner, Result

from purenet_cli import main as cli

ROOT = Path(__file__).resolve().parents[2]

# the command on random images in place of MNIST (a subprocess: the real stdout and stderr)
SCRIPT = """
import sys
import numpy as np
import purenet_support.mnist_numpy

def load_mnist(normalize=True, one_hot_label=False, **kwargs):
    rng = np.random.default_rng(0)
    parts = []
    for n in (200, 50):
        x = rng.integers(0, 256, size=(n, 784), dtype=np.uint8)
        parts.append((x / 255.0, rng.integers(0, 10, size=n)))
    return tuple(parts)

purenet_support.mnist_numpy.load_mnist = load_mnist
from purenet_cli.main import main
main(sys.argv[1:])
"""


def script_command(*args: str) -> list[str]:
    return [sys.executable, "-c", SCRIPT, "train", "--no-check", "--batch-size", "10", *args]


def environment() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PURENET_DATA", None)
    return env


@pytest.fixture
def synthetic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace MNIST by 60 training and 20 test random images."""
    def load_mnist(normalize: bool = True, one_hot_label: bool = False, **kwargs: Any) -> Any:
        rng = np.random.default_rng(0)
        parts = []
        for n in (60, 20):
            x = rng.integers(0, 256, size=(n, 784), dtype=np.uint8)
            parts.append((x / 255.0, rng.integers(0, 10, size=n)))
        return tuple(parts)

    monkeypatch.setattr("purenet_support.mnist_numpy.load_mnist", load_mnist)


def train(*args: str) -> Result:
    return CliRunner().invoke(cli.cli, ["train", "--no-check", "--iters", "3", "--batch-size",
                                        "10", *args])


# --- 1. --force replaces regular files only ------------------------------------------------

@pytest.mark.parametrize("option, name", [("--history", "h.json"), ("--save", "w.npz"),
                                          ("--plot", "f.png")])
def test_force_refuses_a_fifo_for_every_output(tmp_path: Path, synthetic: None, option: str,
                                               name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    result = train(option, str(fifo), "--force")
    assert result.exit_code == 2, result.output
    assert "is a FIFO, not a regular file" in result.output
    assert fifo.is_fifo()  # still the FIFO, not a file of JSON


def test_force_refuses_a_device_node(tmp_path: Path, synthetic: None) -> None:
    node = tmp_path / "null.json"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("making a device node needs root; the FIFO tests cover the rest")
    result = train("--history", str(node), "--force")
    assert result.exit_code == 2, result.output
    assert "is a character device, not a regular file" in result.output
    assert node.is_char_device()
    # --history /dev/null is refused by its name before anything is looked at
    result = train("--history", "/dev/null", "--force")
    assert result.exit_code == 2 and "must end in .json" in result.output


def test_history_needs_the_json_extension(tmp_path: Path, synthetic: None) -> None:
    result = train("--history", str(tmp_path / "h.txt"))
    assert result.exit_code == 2
    assert "h.txt must end in .json" in result.output
    assert list(tmp_path.iterdir()) == []


def test_descent_plot_force_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "d.png"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli.cli, ["descent", "--plot", str(fifo), "--force"])
    assert result.exit_code == 2 and "is a FIFO" in result.output
    assert fifo.is_fifo()


# --- 1. figures DIR replaces nothing without --force ----------------------------------------

pytest.importorskip("matplotlib")  # the figures module draws; the plot extra is installed


def one_figure(monkeypatch: pytest.MonkeyPatch, during: Any = None) -> None:
    """Make figures draw numerical_diff.png alone, with no MNIST and no training."""
    from purenet_cli import figures as F

    monkeypatch.setattr(F, "FIGURES", tuple(f for f in F.FIGURES
                                            if f.name == "numerical_diff.png"))
    monkeypatch.setattr(F, "mnist", lambda data_dir: ((None, None), (None, None)))
    monkeypatch.setattr(F, "train_briefly", lambda data, iters: (None, {}))
    if during is not None:
        real = F.tangent_data

        def tangent_data() -> Any:
            during()
            return real()

        monkeypatch.setattr(F, "tangent_data", tangent_data)


def figures(*args: str) -> Result:
    return CliRunner().invoke(cli.cli, ["figures", *args])


def test_figures_refuses_a_dangling_link_in_dir(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    one_figure(monkeypatch)
    (tmp_path / "numerical_diff.png").symlink_to(tmp_path / "nowhere")
    result = figures(str(tmp_path))
    assert result.exit_code == 2 and "already holds numerical_diff.png" in result.output
    assert (tmp_path / "numerical_diff.png").is_symlink()
    assert not (tmp_path / "nowhere").exists()


def test_figures_keeps_a_file_that_appeared_during_the_run(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "numerical_diff.png"
    one_figure(monkeypatch, during=lambda: target.write_text("the other run's"))
    result = figures(str(tmp_path))
    assert result.exit_code == 1
    assert "appeared during the run" in result.output
    assert target.read_text() == "the other run's"
    assert [p.name for p in tmp_path.iterdir()] == ["numerical_diff.png"]  # no temporary


def test_a_second_figures_run_into_the_same_dir_is_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    one_figure(monkeypatch)
    assert figures(str(tmp_path)).exit_code == 0
    first = (tmp_path / "numerical_diff.png").stat()
    result = figures(str(tmp_path))
    assert result.exit_code == 2 and "pass --force" in result.output
    assert (tmp_path / "numerical_diff.png").stat().st_ino == first.st_ino


def test_figures_force_replaces_and_without_it_nothing_is(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # the blind spot "figures --force ignored": with --force the old file goes, without it stays
    one_figure(monkeypatch)
    target = tmp_path / "numerical_diff.png"
    target.write_bytes(b"old")
    assert figures(str(tmp_path)).exit_code == 2
    assert target.read_bytes() == b"old"
    assert figures(str(tmp_path), "--force").exit_code == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_figures_force_refuses_a_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one_figure(monkeypatch)
    os.mkfifo(tmp_path / "numerical_diff.png")
    result = figures(str(tmp_path), "--force")
    assert result.exit_code == 2 and "is a FIFO" in result.output
    assert (tmp_path / "numerical_diff.png").is_fifo()


# --- 3. one file under two names ---------------------------------------------------------------

@pytest.mark.parametrize("force", [(), ("--force",)])
def test_one_file_under_two_names_is_refused_before_work(tmp_path: Path, synthetic: None,
                                                         force: tuple[str, ...]) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "dl").symlink_to(tmp_path / "d")
    result = train("--save", str(tmp_path / "d" / "w.json"),
                   "--history", str(tmp_path / "dl" / "w.json"), *force)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "--save and --history name the same file" in errors[0]
    assert list((tmp_path / "d").iterdir()) == []


# --- 2. a reader that stops early, a full stdout, a closed stderr -------------------------------

def run_shell(tmp_path: Path, shell_tail: str, iters: str = "200") -> subprocess.CompletedProcess:
    command = " ".join(f"'{a}'" for a in script_command(
        "--iters", iters, "--save", "w.npz", "--history", "h.json"))
    return subprocess.run(["bash", "-c", f"set -o pipefail; {command} {shell_tail}"],
                          cwd=tmp_path, env=environment(), capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_a_reader_that_stops_early_costs_no_file(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "| head -1")
    assert result.returncode == 141, result.stderr  # 128 + SIGPIPE, as pipefail shows it
    assert "Traceback" not in result.stderr
    assert len(json.loads((tmp_path / "h.json").read_text())["train_loss"]) == 200
    assert (tmp_path / "w.npz").stat().st_size > 0


def test_stdout_on_a_full_device_costs_no_file(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "> /dev/full", iters="20")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: could not write to stdout (No space left on device); the run went on and "
        "wrote its files"]
    assert len(json.loads((tmp_path / "h.json").read_text())["train_loss"]) == 20


def test_a_closed_stderr_costs_no_file(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "2>&-", iters="20")
    assert result.returncode == 0
    assert "wrote w.npz, h.json" in result.stdout
    assert len(json.loads((tmp_path / "h.json").read_text())["train_loss"]) == 20


def test_a_usage_error_with_stderr_on_a_full_device_exits_2(tmp_path: Path) -> None:
    result = run_shell(tmp_path, "--bogus 2>/dev/full", iters="1")
    assert result.returncode == 2


def test_a_name_a_strict_stdout_cannot_encode_is_printed_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"h\xff.json")  # not UTF-8: a surrogate escape in Python
    env = dict(environment(), PYTHONIOENCODING="utf-8:strict")
    result = subprocess.run(script_command("--iters", "2", "--history", name), cwd=tmp_path,
                            env=env, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert b"UnicodeEncodeError" not in result.stderr
    assert b"wrote h\\udcff.json" in result.stdout
    assert os.path.exists(tmp_path / os.fsdecode(b"h\xff.json"))


# --- 6. a blown-up run says what its weights are, and saves none it could not read ---------

MNIST = os.environ.get("PURENET_DATA", "")
needs_mnist = pytest.mark.skipif(
    not os.path.isfile(os.path.join(MNIST, "t10k-labels-idx1-ubyte.gz")),
    reason="real MNIST needed (the attack's numbers are MNIST's): set PURENET_DATA to a "
           "directory holding the four MNIST files")


@needs_mnist
@pytest.mark.parametrize("impl", ["numpy", "pure"])
def test_a_blown_up_run_saves_no_weights_and_gives_them_no_accuracy(tmp_path: Path,
                                                                   impl: str) -> None:
    """--lr 1e308 --weight-init-std 1000: inf weights were saved (evaluate then refused them),
    and accuracies measured on them were printed and kept in --history."""
    weights, history = tmp_path / "w.npz", tmp_path / "h.json"
    result = CliRunner().invoke(cli.cli, [
        "train", "--no-check", "--impl", impl, "--train-size", "500", "--test-size", "200",
        "--iters", "20", "--lr", "1e308", "--weight-init-std", "1000", "--save", str(weights),
        "--history", str(history)])
    assert result.exit_code == 1, result.output
    assert f"Error: --save {weights} not written: params['W1'] holds -inf: weights that are " \
        "not finite numbers are not saved" in result.stderr
    record = json.loads(history.read_text())
    assert not weights.exists() and record["stopped"] == "diverged"
    assert result.stdout.splitlines()[-1] == (
        "final weights (after 1 iteration): not finite numbers (the run blew up), so they "
        "have no accuracy and cannot be saved")
    # epoch 0 was measured after its update, on the inf weights: no number there either
    epoch_line = next(line for line in result.stdout.splitlines() if line.startswith("epoch"))
    assert epoch_line.endswith("no accuracy: the weights are not finite numbers (the run blew up)")
    assert [(e["train_acc"], e["test_acc"]) for e in record["epochs"]] == [(None, None)]
    assert (record["final"]["train_acc"], record["final"]["test_acc"]) == (None, None)


# --- 7. python -m purenet runs the installed program ------------------------------------------

def test_python_m_purenet_ignores_a_cli_py_and_a_purenet_cli_here(tmp_path: Path) -> None:
    (tmp_path / "cli.py").write_text('print("DECOY")\n')
    (tmp_path / "purenet_cli").mkdir()
    for name in ("__init__.py", "main.py"):
        (tmp_path / "purenet_cli" / name).write_text('print("DECOY")\n')
    result = subprocess.run([sys.executable, "-m", "purenet", "--version"], cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "DECOY" not in result.stdout + result.stderr
    assert result.stdout.startswith("purenet ")


# --- 10. SIGTERM while figures or descent --plot writes leaves no temporary file --------------

DRAW_SLOWLY = """
import sys, time
import purenet_support.weights_file as W
real = W.atomic_write
def slow(path, write, **kw):
    def slowly(f):
        print("writing", flush=True)
        time.sleep(10)
        write(f)
    real(path, slowly, **kw)
W.atomic_write = slow
import purenet_cli.figures as F
F.atomic_write = slow
from purenet_cli.main import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_descent_plot_writes_leaves_no_temporary(tmp_path: Path,
                                                                signum: int) -> None:
    with subprocess.Popen([sys.executable, "-u", "-c", DRAW_SLOWLY, "descent", "--plot",
                           "d.png"], cwd=tmp_path, env=environment(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True) as proc:
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 60
            while proc.stdout.readline().strip() != "writing":
                assert time.monotonic() < deadline and proc.poll() is None
            proc.send_signal(signum)
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_figures_writes_leaves_no_temporary(tmp_path: Path, signum: int) -> None:
    # the figures that need no MNIST come first; a signal while the first is written
    with subprocess.Popen([sys.executable, "-u", "-c", DRAW_SLOWLY.replace(
            "from purenet_cli.main", "F.mnist = lambda d: ((None, None), (None, None))\n"
            "F.train_briefly = lambda data, iters: (None, {})\n"
            "F.FIGURES = tuple(f for f in F.FIGURES if not f.needs_mnist)\n"
            "from purenet_cli.main"), "figures", "out"], cwd=tmp_path, env=environment(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            text=True) as proc:
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 60
            while proc.stdout.readline().strip() != "writing":
                assert time.monotonic() < deadline and proc.poll() is None
            proc.send_signal(signum)
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert list((tmp_path / "out").iterdir()) == []


# --- 9. no unbounded wait: a helper stopped with SIGSTOP -----------------------------------

def small_pure_task() -> tuple[Any, list[list[float]], list[int], float]:
    """A 784-5-10 purenet net, 40 random rows and labels, and its accuracy counted row by row."""
    import random as random_module

    from purenet.two_layer_net import TwoLayerNet

    rng = random_module.Random(0)
    network = TwoLayerNet(784, 5, 10, rng=rng)
    x = [[rng.random() for _ in range(784)] for _ in range(40)]
    t = [rng.randrange(10) for _ in range(40)]
    scores = [network.predict([row])[0] for row in x]
    expected = sum(s.index(max(s)) == label for s, label in zip(scores, t)) / 40
    return network, x, t, expected


def test_a_stopped_measuring_helper_does_not_stall_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A -j 2 helper stopped with SIGSTOP: the run waited for it forever after its last step."""
    import threading

    from purenet_cli import jobs
    from purenet_cli.impls import take_rows

    monkeypatch.setattr(jobs, "WAIT", 1.0)  # seconds; the run's own is 600
    network, x, t, expected = small_pure_task()
    pool = jobs.PureJobs(2, 100, take_rows)
    helper = pool.helpers[0]
    got: list[float] = []
    measuring = threading.Thread(target=lambda: got.append(pool.accuracy(network, x, t)),
                                 daemon=True)
    try:
        os.kill(helper.pid, signal.SIGSTOP)
        measuring.start()
        measuring.join(60)  # far past WAIT: alive now means it waits without end
        stalled = measuring.is_alive()
        stuck_helper_left = helper.poll() is None
    finally:
        # killed first: a measurement still writing to the stopped helper's pipe ends then,
        # and close() does not wait on that pipe (SIGKILL ends a stopped process too)
        helper.kill()
        helper.wait(timeout=10)
        measuring.join(10)
        pool.close()
    assert not stalled, "the measurement still waits for the stopped helper"
    assert got == [pytest.approx(expected)]  # its part was counted here instead
    assert not stuck_helper_left  # the stuck helper was killed, not left behind


# --- 11. messages that mislead ----------------------------------------------------------------

def test_gradcheck_names_a_tolerance_too_fine_not_a_gradient_too_small() -> None:
    result = CliRunner().invoke(cli.cli, ["gradcheck", "--tolerance", "1e-12"])
    assert result.exit_code == 1
    last = result.output.splitlines()[-1]
    assert "--tolerance 1e-12 is finer than the numerical gradient can resolve" in last
    assert "below what the numerical gradient can see" not in last


def test_gradcheck_still_names_a_gradient_too_small_to_see() -> None:
    result = CliRunner().invoke(cli.cli, ["gradcheck", "--weight-init-std", "1e-300"])
    assert result.exit_code == 1
    assert "below what the numerical gradient can see" in result.output.splitlines()[-1]


def test_save_with_a_trailing_slash_says_it_names_a_directory(tmp_path: Path,
                                                              synthetic: None) -> None:
    result = train("--save", str(tmp_path / "w.npz") + "/")
    assert result.exit_code == 2
    assert "ends in '/', so it names a directory" in result.output
    assert "must end in .npz or .json" not in result.output


@pytest.mark.parametrize("command", [["descent", "--plot", "d.png"],
                                     ["train", "--no-check", "--plot", "p.png"],
                                     ["figures", "out"]], ids=["descent", "train", "figures"])
def test_a_bogus_mplbackend_is_one_line(tmp_path: Path, command: list[str]) -> None:
    """MPLBACKEND=bogus with --plot or figures: a matplotlib traceback."""
    result = subprocess.run([sys.executable, "-m", "purenet", *command], cwd=tmp_path,
                            env=dict(environment(), MPLBACKEND="bogus"), capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line for line in result.stderr.splitlines()
                                          if line.startswith("Error: MPLBACKEND=bogus")]
    assert len(result.stderr.splitlines()) == 1 and list(tmp_path.iterdir()) == []


# --- blind spots: planted bugs the suite let through -----------------------------------------

def test_the_default_lr_is_the_books_0_1(tmp_path: Path, synthetic: None) -> None:
    default = train("--seed", "3", "--history", str(tmp_path / "a.json"))
    explicit = train("--seed", "3", "--lr", "0.1", "--history", str(tmp_path / "b.json"))
    assert default.exit_code == 0 and explicit.exit_code == 0
    assert "lr 0.1," in default.output.splitlines()[0]
    a = json.loads((tmp_path / "a.json").read_text())["train_loss"]
    b = json.loads((tmp_path / "b.json").read_text())["train_loss"]
    assert a == b  # the same run, number for number (the same code path and seed)


def test_gradcheck_seed_changes_the_network() -> None:
    def errors(seed: str) -> list[str]:
        out = CliRunner().invoke(cli.cli, ["gradcheck", "--seed", seed]).output
        return [line for line in out.splitlines() if line.startswith("  ")]

    assert errors("0") != errors("1")
    assert errors("1") == errors("1")


@pytest.mark.parametrize("impl", ["numpy", "pure"])
def test_the_epoch_line_puts_train_and_test_where_they_belong(monkeypatch: pytest.MonkeyPatch,
                                                              impl: str) -> None:
    # weights of std 1e-300 make every score 0, so every image is guessed class 0 (the first
    # of equal scores): with every training label 0 and every test label 1, the train
    # accuracy is 1 and the test accuracy 0, whatever the images
    def load_numpy(normalize: bool = True, one_hot_label: bool = False, **kwargs: Any) -> Any:
        rng = np.random.default_rng(0)
        x = rng.integers(0, 256, size=(80, 784), dtype=np.uint8) / 255.0
        return (x[:60], np.zeros(60, dtype=int)), (x[60:], np.ones(20, dtype=int))

    monkeypatch.setattr("purenet_support.mnist_numpy.load_mnist", load_numpy)
    if impl == "pure":
        import purenet_support.mnist

        def load_pure(normalize: bool = True, one_hot_label: bool = False, **kw: Any) -> Any:
            (x, t), (xt, tt) = load_numpy()
            return (x.tolist(), t.tolist()), (xt.tolist(), tt.tolist())

        monkeypatch.setattr(purenet_support.mnist, "load_mnist", load_pure)
    result = train("--impl", impl, "--weight-init-std", "1e-300", "--train-size", "60",
                   "--test-size", "20")
    lines = [line for line in result.output.splitlines() if line.startswith("epoch   0")]
    assert len(lines) == 1, result.output
    assert "train acc 1.0000" in lines[0] and "test acc 0.0000" in lines[0]


def test_descent_prints_the_last_point_off_the_every_grid() -> None:
    result = CliRunner().invoke(cli.cli, ["descent", "--steps", "15", "--every", "10"])
    assert result.exit_code == 0
    rows = [line.split() for line in result.output.splitlines() if line.strip()[:1].isdigit()]
    assert [row[0] for row in rows] == ["0", "10", "15"]
    x0, x1 = float(rows[-1][1]), float(rows[-1][2])  # oracle: (1 - 2 lr)^k x_start
    assert x0 == pytest.approx(0.8 ** 15 * -3, rel=1e-5)
    assert x1 == pytest.approx(0.8 ** 15 * 4, rel=1e-5)


def test_an_unreadable_data_directory_is_not_called_missing(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import purenet_cli.options

    real = os.access
    # as root every directory is readable: the test makes this one not (what chmod 000 does)
    monkeypatch.setattr(purenet_cli.options.os, "access",
                        lambda p, mode: False if str(p) == str(tmp_path) else real(p, mode))
    monkeypatch.setenv("PURENET_DATA", str(tmp_path))
    result = train()
    assert result.exit_code == 2
    assert "is not readable" in result.output and "PURENET_DATA" in result.output


@pytest.mark.parametrize("impl", ["numpy", "pure"])
def test_evaluate_runs_the_impl_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          impl: str) -> None:
    # which package loads the weights and counts: the one --impl names (pure never imports NumPy)
    import purenet_cli.main

    asked: list[str] = []

    def load_impl(name: str) -> Any:
        asked.append(name)
        raise click.ClickException("stop here")

    monkeypatch.setattr(purenet_cli.main, "load_impl", load_impl)
    (tmp_path / "w.json").write_text("{}")
    result = CliRunner().invoke(cli.cli, ["evaluate", str(tmp_path / "w.json"), "--impl", impl])
    assert result.exit_code == 1 and asked == [impl]


def test_explain_prints_what_the_first_iteration_did(tmp_path: Path, synthetic: None) -> None:
    import math
    import re

    history = tmp_path / "h.json"
    result = train("--explain", "--hidden", "20", "--iters", "7", "--lr", "0.5",
                   "--history", str(history))
    assert result.exit_code == 0, result.output
    out = result.output
    # the uniform guess is over the 10 classes, whatever the hidden size
    assert f"(log(10) = {math.log(10):.6f} is a uniform guess)" in out
    assert "4) repeat: 6 more iterations" in out  # 7 in all, the first one explained
    first = json.loads(history.read_text())["train_loss"][0]
    loss = float(re.search(r"loss = cross_entropy_error\(y, t\) = ([0-9.]+)", out).group(1))
    assert loss == pytest.approx(first, abs=1e-6)
    changes = re.findall(r"(W1|b1|W2|b2) changed by (\S+) \(norm of the change = lr \* (\S+)\)",
                         out)
    assert [key for key, _, _ in changes] == ["W1", "b1", "W2", "b2"]
    for _, change, norm in changes:  # the before snapshot is taken before the update
        assert float(change) > 0
        assert float(change) == pytest.approx(0.5 * float(norm), rel=1e-4)


def unwritable_directory(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Make directory unwritable: chmod 555, or for root (who may write anyway) what it does."""
    import errno
    import tempfile

    import purenet_support.mnist

    directory.mkdir(parents=True)
    directory.chmod(0o555)
    if os.geteuid() == 0:
        real = tempfile.mkstemp

        def mkstemp(*args: Any, dir: Any = None, **kwargs: Any) -> Any:  # noqa: A002
            if dir is not None and os.path.abspath(dir) == str(directory):
                raise PermissionError(errno.EACCES, "Permission denied", dir)
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(purenet_support.mnist.tempfile, "mkstemp", mkstemp)


def test_train_with_an_unwritable_cache_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                offline: Path) -> None:
    """No MNIST and a cache the user cannot write: it read as every mirror's Permission denied."""
    cache = tmp_path / "cache" / "purenet" / "mnist"
    unwritable_directory(monkeypatch, cache)
    result = train()
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("Error: MNIST files not found: ")
    assert f"No download was tried: cannot write into {cache} (Permission denied). Make " \
        "that directory writable (chmod u+w)" in errors[0]
    assert "127.0.0.1" not in errors[0]


def test_data_into_an_unwritable_directory_says_so(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   offline: Path) -> None:
    """purenet data --data-dir DIR, DIR not writable: the line names DIR, not the mirrors."""
    target = tmp_path / "mnist"
    unwritable_directory(monkeypatch, target)
    result = CliRunner().invoke(cli.cli, ["data", "--data-dir", str(target)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: MNIST cannot be fetched: cannot write into {target} (Permission denied). "
        f"Make that directory writable (chmod u+w), or name one you can write with --data-dir"]


# --- blind spots: the measuring helpers, the progress hook, a stop after a measurement -----

@pytest.fixture
def synthetic_pure(monkeypatch: pytest.MonkeyPatch, synthetic: None) -> None:
    """The synthetic images for --impl pure too, as the pure loader's lists."""
    import purenet_support.mnist
    import purenet_support.mnist_numpy

    numpy_loader = purenet_support.mnist_numpy.load_mnist

    def load_pure(normalize: bool = True, one_hot_label: bool = False, **kwargs: Any) -> Any:
        (x, t), (xt, tt) = numpy_loader()
        return (x.tolist(), t.tolist()), (xt.tolist(), tt.tolist())

    monkeypatch.setattr(purenet_support.mnist, "load_mnist", load_pure)


@pytest.mark.parametrize("stop", [False, True])
def test_the_runs_helpers_are_closed_when_it_ends(monkeypatch: pytest.MonkeyPatch,
                                                  synthetic_pure: None, stop: bool) -> None:
    """train --impl pure -j 2: its helper process must end with the run, finished or stopped."""
    from purenet_cli import jobs
    from purenet_cli.watch import Watch

    pools: list[jobs.PureJobs] = []

    class Recorded(jobs.PureJobs):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            pools.append(self)

    monkeypatch.setattr(jobs, "PureJobs", Recorded)
    if stop:  # a Ctrl-C after iteration 1
        after = Watch.after_iteration

        def stopping(self: Watch, i: int, history: Any) -> None:
            after(self, i, history)
            if i == 1:
                raise KeyboardInterrupt

        monkeypatch.setattr(Watch, "after_iteration", stopping)
    try:
        result = train("--impl", "pure", "--jobs", "2", "--hidden", "5", "--train-size", "60",
                       "--test-size", "20")
        assert len(pools) == 1 and len(pools[0].helpers) == 1, result.output
        helper = pools[0].helpers[0]
        left_running = helper.poll() is None
    finally:
        for pool in pools:
            for process in pool.helpers:
                process.kill()
                process.wait(timeout=10)
    assert result.exit_code == (130 if stop else 0), result.output
    assert not left_running  # closed by the run, not by the end of this process
    assert helper.returncode == 0  # it left when its pipe closed: not killed


def test_the_progress_bar_is_handed_each_iterations_own_loss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, synthetic: None) -> None:
    """The bar's "loss" once showed the first iteration's loss at every iteration."""
    from purenet_cli.progress import Progress

    seen: list[tuple[int, float]] = []
    monkeypatch.setattr(Progress, "update", lambda self, i, loss: seen.append((i, loss)))
    result = train("--iters", "12", "--lr", "0.5", "--history", str(tmp_path / "h.json"))
    assert result.exit_code == 0, result.output
    losses = json.loads((tmp_path / "h.json").read_text())["train_loss"]
    assert len(set(losses)) == 12  # each batch its own loss, so a mix-up shows
    assert seen == list(enumerate(losses))


@pytest.mark.parametrize("where", ["after the measurement", "in the next step"])
def test_a_stop_keeps_the_measurements_that_finished(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     synthetic: None, where: str) -> None:
    """A Ctrl-C just after iteration 12 was measured: those accuracies are the final weights'."""
    from purenet_cli.watch import Watch

    if where == "after the measurement":  # in the hook that follows iteration 12
        after = Watch.after_iteration

        def stopping(self: Watch, i: int, history: Any) -> None:
            after(self, i, history)
            if i == 12:
                raise KeyboardInterrupt

        monkeypatch.setattr(Watch, "after_iteration", stopping)
    else:  # in iteration 13's gradient: the weights are still those measured after 12
        import reference.two_layer_net

        real = reference.two_layer_net.TwoLayerNet.loss_and_gradient
        calls = []

        def gradient(self: Any, x: Any, t: Any) -> Any:
            calls.append(1)
            if len(calls) == 14:
                raise KeyboardInterrupt
            return real(self, x, t)

        monkeypatch.setattr(reference.two_layer_net.TwoLayerNet, "loss_and_gradient", gradient)
    history_file = tmp_path / "h.json"
    # 60 images in batches of 10: an epoch is 6 iterations, measured at 0, 6, 12, 18
    result = train("--iters", "20", "--history", str(history_file))
    assert result.exit_code == 130, result.output
    history = json.loads(history_file.read_text())
    assert [e["iteration"] for e in history["epochs"]] == [0, 6, 12]
    assert len(history["train_loss"]) == 13
    last = history["epochs"][-1]
    assert history["final"] == {"iteration": 12, "train_acc": last["train_acc"],
                                "test_acc": last["test_acc"]}
    assert (f"final weights (after 13 iterations): train acc {last['train_acc']:.4f}, "
            f"test acc {last['test_acc']:.4f}") in result.output


class FixedScores:
    """A stand-in network whose predict gives each image the probabilities set for it."""

    def __init__(self, y: list[list[float]]) -> None:
        self.y = np.array(y)

    def predict(self, x: Any) -> Any:
        return self.y[np.asarray(x)[:, 0].astype(int)]  # pixel 0 says which image it is


def test_misclassified_titles_give_the_guess_probability_and_the_whole_error_rate() -> None:
    """misclassified.png: p of the guess (not of the label); errors over all test images."""
    from purenet_cli import figures as F

    # five images, labels 0..4; images 1, 3 and 4 are guessed wrong
    y = [[0.7, 0.2, 0.1, 0.0, 0.0],   # label 0, guess 0: right
         [0.6, 0.3, 0.1, 0.0, 0.0],   # label 1, guess 0 (p 0.6; the label's p is 0.3)
         [0.0, 0.1, 0.9, 0.0, 0.0],   # label 2, guess 2: right
         [0.0, 0.0, 0.8, 0.15, 0.05],  # label 3, guess 2 (p 0.8)
         [0.0, 0.55, 0.0, 0.0, 0.45]]  # label 4, guess 1 (p 0.55)
    x = np.zeros((5, 784))
    x[:, 0] = range(5)
    t = np.arange(5)
    data = F.misclassified_data(FixedScores(y), x, t, count=2)  # two shown of three wrong
    assert data["index"].tolist() == [1, 3]
    assert data["guess"].tolist() == [0, 2] and data["label"].tolist() == [1, 3]
    assert data["p_guess"].tolist() == [0.6, 0.8]
    assert data["error_rate"] == 3 / 5  # over all five images, not over the two shown
    fig = F.draw_misclassified(data)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["1 → 0 (0.60)", "3 → 2 (0.80)"]
    assert "60.0% of the test set" in fig._suptitle.get_text()
