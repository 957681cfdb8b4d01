"""Tests of cli.py: usage errors, missing data, output files, and short real runs.

Most tests call the click commands in-process (CliRunner); one runs
``python cli.py`` as a user would. Tests that train on real MNIST read
PURENET_DATA and are skipped, with the reason, when it names no directory
holding the files. Downloads are made impossible: no test waits on a network.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

import purenet_cli.training
import purenet_support.mnist
import reference.two_layer_net
from purenet_cli import main as cli
from purenet_support import networks

ROOT = Path(__file__).resolve().parents[2]
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def mnist_dir() -> str | None:
    """The directory PURENET_DATA names, if it holds the four MNIST files."""
    value = os.environ.get("PURENET_DATA")
    if not value:
        return None
    path = os.path.abspath(value)
    ok = all(os.path.isfile(os.path.join(path, name)) or
             os.path.isfile(os.path.join(path, name + ".gz")) for name in MNIST_FILES)
    return path if ok else None


DATA = mnist_dir()
needs_mnist = pytest.mark.skipif(
    DATA is None, reason="real MNIST needed: set PURENET_DATA to a directory holding the four "
                         "MNIST files (CI uses ../shared/mnist)")


@pytest.fixture(autouse=True)
def no_download(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A cache in tmp_path and no mirrors at all: a missing file fails at once."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name, info in list(purenet_support.mnist.DATASETS.items()):
        monkeypatch.setitem(purenet_support.mnist.DATASETS, name,
                            dataclasses.replace(info, mirrors=()))


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)


def train(*args: str) -> Result:
    return invoke("train", *(("--data-dir", DATA) if DATA else ()), *args)


@dataclasses.dataclass
class Exited:
    code: int
    out: str
    err: str


@pytest.fixture
def main(capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> Callable[..., Exited]:
    """Run cli.main(args) as the `purenet` command does: its error handling, its exit."""
    for name in cli.BLAS_THREAD_VARIABLES:  # restored afterwards: main sets them if unset
        monkeypatch.setenv(name, os.environ.get(name) or "1")

    def run(*args: str) -> Exited:
        with pytest.raises(SystemExit) as exited:
            cli.main(list(args))
        out, err = capsys.readouterr()
        return Exited(exited.value.code, out, err)

    return run


# ---------------------------------------------------------------------------
# usage errors: exit 2 before any work, with a message naming the option


@pytest.mark.parametrize("args, words", [
    (["--one-hot-labe"], ["No such option '--one-hot-labe'", "Did you mean '--one-hot-label'"]),
    (["--lr", "0"], ["--lr", "positive"]),
    (["--lr", "-0.1"], ["--lr", "positive"]),
    (["--lr", "nan"], ["--lr", "positive"]),
    (["--batch-size", "0"], ["--batch-size", "0"]),
    (["--batch-size", "101", "--train-size", "100"], ["--batch-size", "101", "100 training"]),
    (["--impl", "torch"], ["--impl", "torch"]),
    (["--dtype", "float32", "--impl", "pure"], ["--dtype float32", "--impl numpy"]),
    (["--dtype", "float32", "--grad", "numerical"], ["--grad numerical needs float64"]),
    (["--save", "weights.pkl"], ["--save", ".npz or .json"]),
    (["--iters", "0"], ["--iters"]),
    # a slip of the finger: 1e308 would start from infinite weights, 1e8 units from
    # gigabytes of them
    (["--weight-init-std", "1e308"], ["--weight-init-std", "0<x<=1000"]),
    (["--hidden", "100000000"], ["--hidden", "1<=x<=10000"]),
])
def test_usage_errors_exit_2_with_a_clear_message(args: list[str], words: list[str],
                                                   main: Callable[..., Exited]) -> None:
    result = main("train", *args)
    assert result.code == 2 and result.out == "", result
    assert result.err.count("\n") == 1 and result.err.startswith("Error: "), result.err
    assert re.search(r" \(see '[^']+ train --help'\)\n$", result.err), result.err
    for word in words:
        assert word in result.err


@pytest.mark.parametrize("args, words", [
    (["trian"], "No such command 'trian'. Did you mean 'train'?"),
    (["descent", "--x0", "inf"], "'--x0': must be a finite number"),
    (["evaluate", "run.sh"], "'PARAMS': run.sh must end in .npz or .json"),
    (["evaluate", "missing.npz"], "'missing.npz' does not exist"),
    (["gradcheck", "--hidden", "0"], "'--hidden'"),
])
def test_every_command_gives_usage_errors_in_one_line(
        args: list[str], words: str, main: Callable[..., Exited], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.sh").write_text("echo hi\n")
    result = main(*args)
    assert result.code == 2 and result.err.count("\n") == 1 and words in result.err, result


def test_other_errors_exit_1_in_one_line(main: Callable[..., Exited], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PURENET_DATA", raising=False)
    result = main("train", "--impl", "pure", "--data-dir", str(tmp_path))
    assert result.code == 1, result
    assert result.err.startswith("Error: MNIST files not found") and \
        result.err.count("\n") == 1, result.err


def test_ctrl_c_while_loading_says_interrupted_and_exits_130(
        main: Callable[..., Exited], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(**kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("purenet_support.mnist_numpy.load_mnist", interrupted)
    result = main("train", "--no-check")
    assert result.code == 130, result
    # click ends the terminal's "^C" with a newline first
    assert result.err.strip() == "interrupted" and "Traceback" not in result.err


def test_help_and_success_exit_0(main: Callable[..., Exited]) -> None:
    assert main("--help").code == 0
    result = main("descent", "--steps", "1")
    assert result.code == 0 and result.err == "" and "closed form" in result.out


@pytest.mark.parametrize("args", [["train", "--one-hot-labe"], ["evaluate", "run.sh"]])
def test_python_cli_py_prints_a_usage_error_in_one_line(args: list[str],
                                                        tmp_path: Path) -> None:
    (tmp_path / "run.sh").write_text("echo hi\n")
    args = [str(tmp_path / a) if a == "run.sh" else a for a in args]
    result = subprocess.run([sys.executable, "cli.py", *args], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 2 and result.stdout == "", result
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Error: ") and \
        result.stderr.endswith(f" (see 'cli.py {args[0]} --help')\n")
    if args[0] == "train":
        assert "Did you mean '--one-hot-label'?" in result.stderr


def test_a_batch_larger_than_the_data_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def small(**kwargs: Any) -> Any:
        x, t = np.zeros((50, 784)), np.zeros(50, dtype=np.int64)
        return (x, t), (x, t)

    monkeypatch.setattr("purenet_support.mnist_numpy.load_mnist", small)
    result = invoke("train", "--batch-size", "60")
    assert result.exit_code == 2
    assert "--batch-size" in result.output and "50 training images" in result.output
    assert "check:" not in result.output  # refused before any work, the preflight included


# ---------------------------------------------------------------------------
# missing data: the loader's one-line message, exit 1, no traceback


@pytest.mark.parametrize("impl", ["pure", "numpy"])
def test_missing_data_exits_1_with_the_loaders_message(
        impl: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PURENET_DATA", raising=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli.cli, ["train", "--impl", impl, "--data-dir", str(empty)])
    assert result.exit_code == 1
    assert "Error: MNIST files not found" in result.output
    assert "--data-dir or PURENET_DATA" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, purenet_support.mnist.DataError)


def test_evaluate_with_missing_data_exits_1(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv("PURENET_DATA", raising=False)
    params = tmp_path / "p.json"
    networks.save(reference.two_layer_net.TwoLayerNet(784, 3, 10, seed=0), params)
    result = invoke("evaluate", str(params), "--data-dir", str(tmp_path))
    assert result.exit_code == 1 and "MNIST files not found" in result.output


# ---------------------------------------------------------------------------
# output files: checked before training, never silently overwritten


@pytest.mark.parametrize("option, name", [("--history", "h.json"), ("--save", "p.npz"),
                                          ("--plot", "f.png")])
def test_an_existing_output_needs_force(option: str, name: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / name
    target.write_text("precious")
    result = invoke("train", "--impl", "pure", option, str(target))
    assert result.exit_code == 2
    assert f"{option} {target} exists; pass --force to overwrite it" in result.output
    assert target.read_text() == "precious"


def test_force_lets_the_run_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the output check the run needs data: an empty directory shows it got there.
    monkeypatch.delenv("PURENET_DATA", raising=False)
    target = tmp_path / "h.json"
    target.write_text("old")
    result = invoke("train", "--impl", "pure", "--history", str(target), "--force",
                    "--data-dir", str(tmp_path))
    assert result.exit_code == 1 and "MNIST files not found" in result.output
    assert target.read_text() == "old"  # nothing trained, nothing written


def test_a_missing_directory_is_refused_before_training(tmp_path: Path) -> None:
    result = invoke("train", "--save", str(tmp_path / "nope" / "p.npz"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "nope" in result.output


def test_two_outputs_cannot_share_a_file(tmp_path: Path) -> None:
    path = str(tmp_path / "x.json")
    result = invoke("train", "--save", path, "--history", path)
    assert result.exit_code == 2 and "same file" in result.output


def test_written_files_get_the_users_usual_permissions(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # 0o666 & ~umask, as any program's new files: not mkstemp's private 0o600
    pytest.importorskip("matplotlib")

    def small(**kwargs: Any) -> Any:
        x, t = np.zeros((50, 784)), np.arange(50) % 10
        return (x, t), (x, t)

    monkeypatch.setattr("purenet_support.mnist_numpy.load_mnist", small)
    names = ("p.npz", "h.json", "f.png")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    (tmp_path / "h.json").write_text("old")
    (tmp_path / "h.json").chmod(0o600)  # an overwritten file gets the usual mode too
    old = os.umask(0o027)
    try:
        result = invoke("train", "--no-check", "--iters", "2", "--batch-size", "10", "--force",
                        *(x for option, name in zip(("--save", "--history", "--plot"), names)
                          for x in (option, str(tmp_path / name))))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert {name: oct((tmp_path / name).stat().st_mode & 0o777) for name in names} == \
        dict.fromkeys(names, oct(0o640))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temporary left


def test_plot_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    result = invoke("descent", "--plot", str(tmp_path / "d.png"))
    assert result.exit_code == 1
    assert "pip install -e '.[plot]'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "d.png").exists()


# ---------------------------------------------------------------------------
# descent and gradcheck need no data


def test_descent_follows_the_closed_form() -> None:
    result = invoke("descent", "--x0", "-3.0", "--x1", "4.0", "--lr", "0.1", "--steps", "20",
                    "--every", "1")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()
            if re.match(r"^\s*\d+\s", line)]
    assert [int(r[0]) for r in rows] == list(range(21))
    for k, x0, x1, f in rows:
        exact = 0.8 ** int(k)  # x_k = (1 - 2 lr)^k x_0
        assert math.isclose(float(x0), -3.0 * exact, rel_tol=1e-5)
        assert math.isclose(float(x1), 4.0 * exact, rel_tol=1e-5)
        assert math.isclose(float(f), 25.0 * exact ** 2, rel_tol=1e-5)
    gap = float(re.search(r"the path ends (\S+) from it", result.output).group(1))
    assert gap < 1e-9


def test_descent_start_option_and_the_books_endpoint() -> None:
    result = invoke("descent", "--start=-3,4")
    assert result.exit_code == 0
    last = [line for line in result.output.splitlines() if line.strip().startswith("100 ")]
    x0, x1 = map(float, last[0].split()[1:3])
    assert abs(x0) < 1e-9 and abs(x1) < 1e-9  # the book: (-6.1e-10, 8.1e-10)
    assert invoke("descent", "--start", "-3", "--x0", "1").exit_code == 2
    assert invoke("descent", "--start", "a,b").exit_code == 2


def test_descent_with_too_large_a_step_says_so() -> None:
    result = invoke("descent", "--lr", "1.5", "--steps", "5")
    assert result.exit_code == 0 and "overshoots" in result.output


def test_descent_far_out_freezes_and_says_why_without_overshoot_noise() -> None:
    result = invoke("descent", "--lr", "10", "--steps", "1000", "--every", "1000")
    assert result.exit_code == 0, result.output  # (1 - 2 lr)^1000 overflows: no traceback
    assert "closed form (1 - 2*lr)^1000 * start = (-inf, inf)" in result.output
    assert "lr 10 >= 1 overshoots" in result.output
    assert re.search(r"x1 stops moving at step 10, at -1\.29525e\+12: floats near it are "
                     r"0\.00024 apart, so x1 \+ h \(h = 0\.0001\) rounds back to x1 and the "
                     r"numerical gradient is 0$", result.output, re.M)


def test_descent_with_a_tiny_lr_does_not_claim_to_overshoot() -> None:
    # 1 - 2 * 1e-320 rounds to 1: the old test |1 - 2 lr| >= 1 said "overshoots"
    result = invoke("descent", "--lr", "1e-320", "--steps", "3")
    assert result.exit_code == 0, result.output
    assert "overshoots" not in result.output
    assert "x0 - lr * gradient rounds back to x0" in result.output


def test_descent_from_a_start_whose_square_overflows() -> None:
    result = invoke("descent", "--start=1e200,1", "--steps", "3")
    assert result.exit_code == 0, result.output  # x ** 2 raised OverflowError
    assert "from step 0 f(x) = x0^2 + x1^2 overflows past 1.8e308" in result.output


def test_descent_that_settles_says_nothing_more() -> None:
    for args in (["--steps", "100000", "--every", "100000"], ["--lr", "0.5", "--steps", "3"]):
        out = invoke("descent", *args).output
        assert out.splitlines()[-1].startswith("closed form"), out


@pytest.mark.parametrize("args, words", [
    (["--start=nan,4"], "'--start': expected two finite numbers, got 'nan,4'"),
    (["--start=1,inf"], "--start"),
    (["--x0", "inf"], "'--x0': must be a finite number, got inf"),
    (["--x1", "nan"], "'--x1'"),
    (["--lr", "inf"], "'--lr'"),
    (["--steps", "100001"], "'--steps': 100001 is not in the range 0<=x<=100000"),
])
def test_descent_refuses_non_finite_starts_and_unbounded_steps(args: list[str],
                                                               words: str) -> None:
    result = invoke("descent", *args)
    assert result.exit_code == 2 and words in result.output, result.output


def test_descent_plot_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "descent.png"
    result = invoke("descent", "--steps", "20", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert invoke("descent", "--plot", str(target)).exit_code == 2  # exists, no --force


@pytest.mark.parametrize("impl", ["pure", "numpy"])
@pytest.mark.parametrize("sizes, shapes", [((784, 5, 3), "W1 (784, 5), W2 (5, 3)"),
                                           ((700, 5, 10), "W1 (700, 5), W2 (5, 10)")])
def test_evaluate_refuses_a_net_that_is_not_784_in_10_out(
        impl: str, sizes: tuple[int, int, int], shapes: str, tmp_path: Path) -> None:
    params = tmp_path / "p.json"
    networks.save(reference.two_layer_net.TwoLayerNet(*sizes, seed=0), params)
    result = invoke("evaluate", str(params), "--impl", impl)  # before any data is read
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"Error: {params} holds a {'-'.join(map(str, sizes))} net ({shapes}); evaluate needs "
        f"W1 (784, H) and W2 (H, 10): the 784 pixels of an MNIST image in, its 10 classes "
        f"out\n")


@pytest.mark.parametrize("impl", ["pure", "numpy"])
@pytest.mark.parametrize("name, content", [("p.json", b'{"W1": 3}'), ("p.npz", b"junk"),
                                           ("p.json", b"[1, 2")])
def test_evaluate_on_a_broken_file_prints_the_loaders_message(
        impl: str, name: str, content: bytes, tmp_path: Path) -> None:
    params = tmp_path / name
    params.write_bytes(content)
    result = invoke("evaluate", str(params), "--impl", impl)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {params}") and result.output.count("\n") == 1


@pytest.mark.parametrize("impl", ["pure", "numpy"])
def test_gradcheck_agrees_in_both_packages(impl: str) -> None:
    result = invoke("gradcheck", "--impl", impl)
    assert result.exit_code == 0, result.output
    errors = re.findall(r"^\s+(W1|b1|W2|b2)\s.*\s(\S+e[-+]\d+)$", result.output, re.M)
    assert [k for k, _ in errors] == ["W1", "b1", "W2", "b2"]
    assert all(float(e) < 1e-6 for _, e in errors)
    assert "OK: backprop agrees with the numerical gradient" in result.output


def test_gradcheck_fails_when_backprop_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    original = reference.two_layer_net.TwoLayerNet.gradient

    def wrong(self: Any, x: Any, t: Any) -> dict:
        grads = original(self, x, t)
        grads["b1"] = grads["b1"] * 1.01
        return grads

    monkeypatch.setattr(reference.two_layer_net.TwoLayerNet, "gradient", wrong)
    result = CliRunner().invoke(cli.cli, ["gradcheck", "--impl", "numpy"])
    assert result.exit_code == 1 and "FAIL: largest error" in result.output
    assert "backprop (or the numerical gradient) is wrong" in result.output


@pytest.mark.parametrize("impl", ["pure", "numpy"])
def test_gradcheck_on_a_saturated_net_blames_the_guard_not_backprop(impl: str) -> None:
    result = invoke("gradcheck", "--impl", impl, "--weight-init-std", "100")
    assert result.exit_code == 1, result.output
    assert "FAIL" not in result.output and "backprop (or the" not in result.output
    assert re.search(r"INCONCLUSIVE: largest error 1\.0e\+00 > 1e-06, but the net is saturated: "
                     r"it gives a sample's label probability \S+ < 1e-05, where the loss's "
                     r"1e-7 guard .* Try a smaller --weight-init-std \(now 100\)$",
                     result.output, re.M)


def test_gradcheck_names_an_error_the_guard_explains() -> None:
    # std 3: the smallest label probability is 8.5e-4, so 1e-7 / y = 1.2e-4 > 3.9e-5
    result = invoke("gradcheck", "--weight-init-std", "3")
    assert result.exit_code == 1, result.output
    assert "INCONCLUSIVE: largest error 3.9e-05 > 1e-06, but within the 1e-7 / y = 1.2e-04" \
        in result.output
    assert "--tolerance 1.2e-04" in result.output
    assert invoke("gradcheck", "--weight-init-std", "3", "--tolerance", "1.2e-4").exit_code == 0


def test_python_cli_py_runs_as_a_script() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "descent", "--steps", "3"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "closed form" in result.stdout


# ---------------------------------------------------------------------------
# real MNIST


def history_of(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@needs_mnist
def test_pure_and_numpy_train_alike_end_to_end(tmp_path: Path) -> None:
    common = ["--train-size", "1000", "--test-size", "200", "--hidden", "20", "--iters", "100",
              "--batch-size", "50", "--lr", "0.5", "--seed", "3"]
    runs = {}
    for impl in ("pure", "numpy"):
        path = tmp_path / f"{impl}.json"
        result = train("--impl", impl, *common, "--history", str(path))
        assert result.exit_code == 0, result.output
        runs[impl] = history_of(path)
    pure, numpy = runs["pure"], runs["numpy"]
    assert len(pure["train_loss"]) == len(numpy["train_loss"]) == 100
    for i, (a, b) in enumerate(zip(pure["train_loss"], numpy["train_loss"])):
        assert abs(a - b) <= 1e-6, f"iteration {i}: pure {a!r}, numpy {b!r}"
    assert [(e["iteration"], e["train_acc"], e["test_acc"]) for e in pure["epochs"]] == \
        [(e["iteration"], e["train_acc"], e["test_acc"]) for e in numpy["epochs"]]
    assert len(pure["epochs"]) == 5  # iterations 0, 20, 40, 60, 80 of 1000 // 50 = 20
    assert pure["epochs"][-1]["test_acc"] > 0.5  # it did learn


@needs_mnist
def test_a_numpy_run_saves_params_that_evaluate_alike_in_both_packages(tmp_path: Path) -> None:
    params, history = tmp_path / "params.npz", tmp_path / "history.json"
    result = train("--impl", "numpy", "--iters", "300", "--train-size", "5000",
                   "--test-size", "1000", "--lr", "0.5", "--save", str(params),
                   "--history", str(history))
    assert result.exit_code == 0, result.output
    assert "check: purenet and reference agree" in result.output
    assert re.search(r"epoch\s+0\s+iter\s+0\s+mean loss", result.output)
    assert f"wrote {params}, {history}" in result.output

    h = history_of(history)
    assert {"impl", "seed", "hyperparameters", "train_loss", "epochs", "seconds"} <= set(h)
    assert h["impl"] == "numpy" and h["seed"] == 0 and h["dtype"] == "float64"
    assert h["hyperparameters"] == {
        "iters": 300, "batch_size": 100, "lr": 0.5, "sampling": "replacement",
        "hidden_size": 50, "weight_init_std": 0.01, "train_size": 5000, "test_size": 1000,
        "one_hot_label": False}
    assert len(h["train_loss"]) == 300 and all(isinstance(v, float) for v in h["train_loss"])
    assert [e["iteration"] for e in h["epochs"]] == [0, 50, 100, 150, 200, 250]
    assert all(set(e) >= {"iteration", "train_acc", "test_acc"} for e in h["epochs"])
    assert h["stopped"] is None and h["seconds"] > 0
    # the weights end at iteration 299, measured after the loop: what --save wrote
    final = h["final"]
    assert final["iteration"] == 299 and final["test_acc"] != h["epochs"][-1]["test_acc"]
    assert result.output.splitlines()[-1] == (
        f"final weights (after 300 iterations): train acc {final['train_acc']:.4f}, "
        f"test acc {final['test_acc']:.4f}")
    result = invoke("evaluate", str(params), "--test-size", "1000",
                    *(("--data-dir", DATA) if DATA else ()))
    assert result.exit_code == 0, result.output
    assert float(re.search(r"test accuracy (\S+)", result.output).group(1)) == \
        round(final["test_acc"], 4)
    assert f"({round(final['test_acc'] * 1000)} of 1000 " in result.output

    accuracies = []
    for impl in ("numpy", "pure"):
        result = invoke("evaluate", str(params), "--impl", impl, "--test-size", "500",
                        *(("--data-dir", DATA) if DATA else ()))
        assert result.exit_code == 0, result.output
        accuracies.append(float(re.search(r"test accuracy (\S+)", result.output).group(1)))
    assert accuracies[0] == accuracies[1] > 0.8


@needs_mnist
def test_a_diverging_run_stops_naming_the_iteration_and_keeps_its_history(
        tmp_path: Path) -> None:
    # No NaN comes at --lr 1e5 (stable sigmoid and softmax, 1e-7 inside the log):
    # the loss jumps from 2.3 to about 15, near its ceiling -log(1e-7) = 16.1.
    history = tmp_path / "h.json"
    result = train("--impl", "numpy", "--no-check", "--lr", "1e5", "--train-size", "500",
                   "--test-size", "100", "--iters", "50", "--history", str(history))
    assert result.exit_code == 1, result.output
    assert re.search(r"stopped: the loss reached 1[45]\.\d+ at iteration 1, within 10% of its "
                     r"ceiling -log\(1e-07\) = 16\.12", result.output)
    assert "smaller learning rate, e.g. --lr 10000 (now 100000)" in result.output
    h = history_of(history)
    assert h["stopped"] == "diverged" and h["train_loss"] == [pytest.approx(2.3, abs=0.05)]
    assert h["final"]["iteration"] == 0  # measured at iteration 0, not again


@needs_mnist
def test_ctrl_c_writes_what_was_gathered_and_exits_130(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = reference.two_layer_net.TwoLayerNet.loss_and_gradient
    calls = []

    def interrupted_at_7(self: Any, x: Any, t: Any) -> Any:
        calls.append(1)
        if len(calls) == 8:
            raise KeyboardInterrupt
        return original(self, x, t)

    monkeypatch.setattr(reference.two_layer_net.TwoLayerNet, "loss_and_gradient",
                        interrupted_at_7)
    history, params = tmp_path / "h.json", tmp_path / "p.json"
    result = train("--impl", "numpy", "--no-check", "--train-size", "500", "--test-size",
                   "100", "--iters", "50", "--history", str(history), "--save", str(params))
    assert result.exit_code == 130
    assert "interrupted (Ctrl-C) in iteration 7, after 7 finished iterations" in result.output
    assert len(history_of(history)["train_loss"]) == 7
    network = networks.load(reference.two_layer_net.TwoLayerNet, params)
    assert network.params["W1"].shape == (784, 50)


@needs_mnist
@pytest.mark.parametrize("iters, cost", [
    (3, r"numerical gradient: the first step took \S+ s, so all 3 iterations would take "
        r"about \S+ s \(--grad backprop: one backward pass per step\)"),
    (1, r"numerical gradient: the one step took \S+ s"),
])
def test_numerical_gradient_says_its_cost_once_from_the_first_step(iters: int,
                                                                   cost: str) -> None:
    result = train("--impl", "numpy", "--no-check", "--grad", "numerical", "--hidden", "2",
                   "--train-size", "100", "--test-size", "10", "--batch-size", "10",
                   "--iters", str(iters))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "numerical (3,200 loss evaluations per step: 2 per parameter)" in lines[0]
    assert [line for line in lines if re.search(r"\d s\b", line) and "took" in line] == \
        [next(line for line in lines if re.fullmatch(cost, line))]
    assert f"done: {iters} iteration{'s' if iters > 1 else ''} in" in result.output


def test_counts_say_1_in_the_singular() -> None:
    assert "lr 0.1, 1 step\n" in invoke("descent", "--steps", "1").output
    assert ", 0 steps\n" in invoke("descent", "--steps", "0").output


@needs_mnist
def test_explain_prints_the_four_steps(tmp_path: Path) -> None:
    result = train("--impl", "numpy", "--no-check", "--train-size", "1000", "--test-size",
                   "100", "--iters", "2", "--explain")
    assert result.exit_code == 0, result.output
    out = result.output
    for words in ("1) mini-batch: 100 of the 1000", "first indices:",
                  "x (100, 784) @ W1 (784, 50) + b1 (50,) -> a1 (100, 50)",
                  "softmax(a2) -> y (100, 10)", "dL/dW1 (784, 50)", "3) update with SGD",
                  "loss on the same batch after the step", "4) repeat"):
        assert words in out


@needs_mnist
def test_pure_defaults_are_announced(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_train(network: Any, optimizer: Any, data: Any, hp: Any, rng: Any,
                   **kwargs: Any) -> Any:
        seen["sizes"] = (len(data[0][0]), len(data[1][0]), hp.iters)
        from purenet_cli.watch import History
        return History(iter_per_epoch=1)

    monkeypatch.setattr(purenet_cli.training, "train", fake_train)
    result = train("--impl", "pure", "--test-size", "300")
    assert result.exit_code == 0, result.output
    assert "using --train-size 5000 --iters 1000" in result.output
    assert "--test-size" not in result.output.splitlines()[0]  # given, so not a default
    assert seen["sizes"] == (5000, 300, 1000)


@needs_mnist
def test_float32_runs_and_plot_is_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "training.png"
    result = train("--impl", "numpy", "--dtype", "float32", "--no-check", "--train-size", "2000",
                   "--test-size", "500", "--iters", "60", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    assert "numpy (float32)" in result.output
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_mnist
def test_an_epoch_lines_mean_loss_is_the_mean_of_that_epochs_history_losses(
        tmp_path: Path) -> None:
    """Each line's mean loss is the mean of --history's losses since the previous line; its
    batch loss is the one loss at its own iteration."""
    path = tmp_path / "history.json"
    result = train("--impl", "numpy", "--iters", "35", "--train-size", "1000",
                   "--test-size", "200", "--history", str(path))
    assert result.exit_code == 0, result.output
    losses = history_of(path)["train_loss"]
    lines = re.findall(r"^epoch\s+(\d+)\s+iter\s+(\d+)\s+mean loss (\S+)\s+batch loss (\S+)",
                       result.output, flags=re.M)
    assert [(int(k), int(i)) for k, i, _, _ in lines] == [(0, 0), (1, 10), (2, 20), (3, 30)]
    previous = -1
    for (_, i, mean, batch), epoch in zip(lines, history_of(path)["epochs"]):
        window = losses[previous + 1:int(i) + 1]  # iteration 0 alone, then 10 per epoch
        assert len(window) == (1 if previous < 0 else 10)
        assert abs(float(mean) - sum(window) / len(window)) <= 5e-5 + 1e-12
        assert abs(epoch["mean_loss"] - sum(window) / len(window)) <= 1e-12
        assert float(batch) == round(losses[int(i)], 4) == round(epoch["loss"], 4)
        previous = int(i)
    means = [float(mean) for _, _, mean, _ in lines]
    assert means[0] == float(lines[0][3]) and means[1] != float(lines[1][3])
    assert "mean loss: over the iterations since the previous line (10; iteration 0" in \
        result.output
