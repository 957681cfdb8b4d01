"""docs/train_neuralnet.py, the notes' training script fixed, runs and prints the book's lines.

It trains on real MNIST, read from PURENET_DATA; where that is not set these tests are
skipped, saying so. A small part of the data keeps them to a few seconds.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "train_neuralnet.py"
LINE = re.compile(r"train acc, test acc \| (\S+), (\S+)")

needs_mnist = pytest.mark.skipif(
    not os.environ.get("PURENET_DATA"),
    reason="needs the MNIST files: set PURENET_DATA to the directory that holds them")


def load_script():
    spec = importlib.util.spec_from_file_location("train_neuralnet", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The script as a learner runs it: its own process, no stdin, bounded in time."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, env=environ,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


@needs_mnist
def test_it_prints_the_books_line_once_per_epoch_and_learns():
    script = load_script()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        losses, train_acc, test_acc = script.main(
            ["--train-size", "2000", "--test-size", "1000", "--iters", "600"])
    lines = out.getvalue().splitlines()
    assert len(lines) == 600 // (2000 // 100)  # an epoch is 20 iterations: 0, 20, ..., 580
    printed = [LINE.fullmatch(line) for line in lines]
    assert all(printed), lines
    # each line is str() of the accuracies the script recorded, as the book prints them
    assert [(m.group(1), m.group(2)) for m in printed if m] == [
        (str(a), str(b)) for a, b in zip(train_acc, test_acc)]
    assert len(losses) == 600
    assert 0.05 < test_acc[0] < 0.2  # a fresh net: about one in ten
    assert test_acc[-1] > 0.6 and train_acc[-1] > 0.6  # it learned
    assert sum(losses[-50:]) < sum(losses[:50])


@needs_mnist
def test_it_runs_as_a_script_and_a_seed_repeats_the_run():
    first = run_script("--train-size", "300", "--test-size", "100", "--iters", "7")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert len(lines) == 3 and all(LINE.fullmatch(line) for line in lines)  # 0, 3 and 6
    assert first.stderr == ""
    again = run_script("--train-size", "300", "--test-size", "100", "--iters", "7")
    assert again.stdout == first.stdout
    other = run_script("--train-size", "300", "--test-size", "100", "--iters", "7",
                       "--seed", "1")
    assert other.returncode == 0 and other.stdout != first.stdout


@pytest.mark.parametrize("args, says", [
    (["--iters", "0"], "--iters: expected a number >= 1, got 0"),
    (["--train-size", "many"], "--train-size: expected a whole number, got 'many'"),
    (["--one-hot-labe"], "unrecognized arguments: --one-hot-labe"),
])
def test_a_bad_option_is_one_line_and_exit_status_2(args, says):
    done = run_script(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and says in done.stderr, done.stderr


def test_missing_data_is_one_line_and_exit_status_1(tmp_path):
    done = run_script("--iters", "1", env={"PURENET_DATA": str(tmp_path / "nowhere")})
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "PURENET_DATA" in done.stderr, done.stderr


def test_the_imports_stand_together_at_the_top():
    """Where load_mnist and TwoLayerNet come from is said in one place, before any code."""
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    imports = [i for i, line in enumerate(lines) if re.match(r"(import|from) \S", line)]
    first_def = next(i for i, line in enumerate(lines) if re.match(r"(def|class) ", line))
    assert imports and max(imports) < first_def
    assert max(imports) - min(imports) < 10
    assert "from purenet_support.mnist_numpy import DataError, load_mnist" in lines
    assert "from reference.two_layer_net import TwoLayerNet" in lines
