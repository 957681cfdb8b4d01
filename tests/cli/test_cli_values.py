"""Option values that once ended in tracebacks or misleading words, each now one clear line.

Each case runs cli.main as the `purenet` command does (its one-line errors, its
exit status) and checks the line a user reads.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import purenet.checks
from purenet_cli import main as cli
from purenet_cli import options

ROOT = Path(__file__).resolve().parents[2]
DATA = os.environ.get("PURENET_DATA")
HAS_DATA = bool(DATA) and os.path.isfile(os.path.join(DATA or "", "train-images-idx3-ubyte.gz"))


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.mark.parametrize("command", ["train", "gradcheck"])
@pytest.mark.parametrize("value", ["nan", "-nan", "inf"])
def test_a_weight_std_that_is_not_a_number_is_a_usage_error(
        command: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, command, "--weight-init-std", value)
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert "Invalid value for '--weight-init-std'" in err


def test_gradcheck_on_a_net_whose_probabilities_underflow_to_0_says_saturated(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "gradcheck", "--weight-init-std", "1000")
    assert (code, err) == (1, "")
    assert "INCONCLUSIVE" in out and "saturated" in out and "probability 0.0e+00" in out


@pytest.mark.parametrize("impl", ["pure", "numpy"])
def test_gradcheck_on_gradients_too_small_to_see_does_not_blame_backprop(
        impl: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "gradcheck", "--impl", impl, "--weight-init-std", "1e-300")
    assert (code, err) == (1, "")
    verdict = out.splitlines()[-1]
    assert verdict.startswith("INCONCLUSIVE") and "below what the numerical gradient" in verdict
    assert "backprop (or the numerical gradient) is wrong" not in verdict


def test_a_backprop_that_gives_zeros_where_the_slope_is_real_still_fails(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Tiny backprop values alone are no excuse: the numerical gradient must be tiny too."""
    from purenet.two_layer_net import TwoLayerNet

    right = TwoLayerNet.gradient

    def zero_b1(self: TwoLayerNet, x: Any, t: Any) -> dict:
        grads = right(self, x, t)
        return {**grads, "b1": [0.0] * len(grads["b1"])}

    monkeypatch.setattr(TwoLayerNet, "gradient", zero_b1)
    code, out, _ = run_main(capsys, "gradcheck")
    assert code == 1 and out.splitlines()[-1].startswith("FAIL"), out


@pytest.mark.parametrize("args", [
    ["--batch-size", "100000000"],
    ["--input-size", "10000", "--hidden", "10000", "--output-size", "10000"],
    ["--input-size", "10000", "--hidden", "10000", "--output-size", "2"],  # past MAX_WEIGHTS
    ["--input-size", "300", "--hidden", "300"],
])
def test_gradcheck_refuses_nets_too_large_to_check_before_any_work(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "gradcheck", *args)
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert "gradcheck is for small nets" in err


def test_the_gradcheck_bound_lies_well_below_the_library_bound() -> None:
    """Sizes within the bound never reach check_sizes' ValueError (a traceback before)."""
    largest = int((options.MAX_GRADCHECK_WORK / 2) ** 0.5)  # parameters with a batch of 1
    assert largest < purenet.checks.MAX_WEIGHTS


def test_gradcheck_under_a_memory_limit_ends_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "cli.py", "gradcheck", "--input-size", "10000", "--hidden", "10000",
         "--output-size", "10000"], capture_output=True, text=True, timeout=60, cwd=ROOT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (500 << 20, 500 << 20)))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done


@pytest.mark.skipif(not HAS_DATA, reason="real MNIST needed: set PURENET_DATA")
def test_running_out_of_memory_is_one_line_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "cli.py", "train", "--impl", "pure", "--hidden", "10000",
         "--train-size", "100", "--test-size", "100", "--iters", "1"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (150 << 20, 150 << 20)))
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done
    assert done.stderr.startswith("Error: out of memory")


def test_a_memory_error_anywhere_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(cli, "start_network", no_memory)
    code, out, err = run_main(capsys, "gradcheck")
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith("Error: out of memory")


@pytest.mark.parametrize("args, drawable, note", [
    (["--x0", "1e308", "--x1", "1e308"], False, None),  # the start itself cannot be drawn
    (["--lr", "1e308", "--steps", "3"], True, "from step 1 the path overflows: not drawn"),
    (["--x0", "1e150", "--x1", "1e150", "--steps", "3"], True, None),  # the largest drawn
])
def test_descent_plots_of_paths_that_overflow(args: list[str], drawable: bool, note: str | None,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    titles: list[str] = []
    from purenet_cli import figures
    real = figures.draw_descent

    def draw_descent(*a: Any, **k: Any) -> Any:  # the figure --plot saves, noting its title
        fig = real(*a, **k)
        titles.append(fig.axes[0].get_title())
        return fig

    monkeypatch.setattr(figures, "draw_descent", draw_descent)
    png = tmp_path / "d.png"
    code, out, err = run_main(capsys, "descent", *args, "--plot", str(png))
    if not drawable:
        assert code == 1 and err.count("\n") == 1 and "cannot draw the path" in err, err
        assert not png.exists()
    else:
        assert (code, err) == (0, ""), err
        assert png.read_bytes().startswith(b"\x89PNG")
        assert titles[-1].startswith("Gradient descent, η = "), titles
        assert (note in titles[-1]) if note else ("\n" not in titles[-1]), titles


@pytest.mark.skipif(not HAS_DATA, reason="real MNIST needed: set PURENET_DATA")
def test_a_run_blown_up_by_lr_says_so_in_one_line_without_numpy_warnings(
        capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # as a user's Python shows them
        code, out, err = run_main(capsys, "train", "--lr", "1e308", "--dtype", "float32",
                                  "--iters", "5", "--train-size", "500", "--test-size", "100",
                                  "--no-check")
    assert code == 1
    assert [str(w.message) for w in caught] == []
    assert err.startswith("stopped: the loss became nan") and err.count("\n") == 1, err
