"""Tests of the command's output files: purenet_cli/outputs.py and the one atomic_write.

Runs of the train command here use a small synthetic data set in place of
MNIST (random images and labels, loaded in no time), so every test is fast
and needs no PURENET_DATA.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

import purenet_cli.outputs
import purenet_support.weights_file
import reference.two_layer_net
from purenet_cli import main as cli
from purenet_cli.outputs import write_json
from purenet_support.weights_file import atomic_write, temporary_name

PNG = b"\x89PNG\r\n\x1a\n"


def test_write_json_writes_what_json_dump_writes(tmp_path: Path) -> None:
    data = {"loss": [2.5, 0.1], "message": "é", "final": None}
    write_json(str(tmp_path / "h.json"), data)
    assert (tmp_path / "h.json").read_text(encoding="utf-8") == json.dumps(data, indent=1) + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["h.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "w.npz"
    target.write_bytes(b"old")

    def half(f: IO[bytes]) -> None:
        f.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(str(target), half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]


def test_the_temporary_name_is_short_whatever_the_names_length(tmp_path: Path) -> None:
    name = temporary_name(str(tmp_path / ("w" * 250 + ".npz")))
    assert os.path.dirname(name) == str(tmp_path) and len(os.path.basename(name)) <= 30


def test_without_replace_a_file_that_appeared_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "h.json"
    target.write_text("the other run's")
    with pytest.raises(FileExistsError):
        atomic_write(str(target), lambda f: f.write(b"mine"), replace=False)
    assert target.read_text() == "the other run's"
    assert [p.name for p in tmp_path.iterdir()] == ["h.json"]


# ---------------------------------------------------------------------------
# the train command on a synthetic data set


@pytest.fixture
def synthetic(monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], None]]:
    """Replace MNIST by 60 training and 20 test random images; returns hooks run while loading.

    A hook runs after the output check and before training: where a test makes
    something happen "during the run".
    """
    during: list[Callable[[], None]] = []

    def load_mnist(normalize: bool = True, one_hot_label: bool = False, **kwargs: Any) -> Any:
        for hook in during:
            hook()
        rng = np.random.default_rng(0)
        parts = []
        for n in (60, 20):
            x = rng.integers(0, 256, size=(n, 784), dtype=np.uint8)
            t = rng.integers(0, 10, size=n)
            parts.append((x / 255.0 if normalize else x, np.eye(10)[t] if one_hot_label else t))
        return tuple(parts)

    monkeypatch.setattr("purenet_support.mnist_numpy.load_mnist", load_mnist)
    return during


def train(*args: str) -> Result:
    return CliRunner().invoke(cli.cli, ["train", "--no-check", "--iters", "3", "--batch-size",
                                        "10", *args], catch_exceptions=False)


def outputs(directory: Path, names: tuple[str, ...] = ("p.npz", "h.json", "f.png")) -> list[str]:
    """The --save, --history, --plot options naming files in directory."""
    return [x for option, name in zip(("--save", "--history", "--plot"), names)
            for x in (option, str(directory / name))]


def test_a_valid_240_character_name_is_written(tmp_path: Path, synthetic: list) -> None:
    pytest.importorskip("matplotlib")
    names = tuple("x" * 236 + ext for ext in (".npz", ".json", ".png"))
    result = train(*outputs(tmp_path, names))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_a_name_too_long_is_refused_before_training(tmp_path: Path, synthetic: list) -> None:
    synthetic.append(lambda: pytest.fail("the data was loaded"))
    result = train("--history", str(tmp_path / ("x" * 300 + ".json")))
    assert result.exit_code == 2
    assert "the file name is too long (305 bytes; this file system allows at most 255)" in \
        result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="a Linux /proc is needed")
def test_save_into_proc_is_refused_before_training(synthetic: list) -> None:
    synthetic.append(lambda: pytest.fail("the data was loaded"))
    result = train("--save", "/proc/x.npz")
    assert result.exit_code == 2
    assert "--save /proc/x.npz: cannot write in /proc: No such file or directory" in \
        result.output


def test_a_path_through_a_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("some").mkdir()
    Path("some/file.py").write_text("")
    result = train("--save", "some/file.py/x.npz")
    assert result.exit_code == 2
    assert f"--save some/file.py/x.npz: {tmp_path}/some/file.py is a file, not a directory" in \
        result.output
    assert "does not exist" not in result.output


@pytest.mark.parametrize("path, words", [("", "--history needs a file name, got ''"),
                                         ("out/", "--history out/ names a directory")])
def test_a_name_that_is_no_file_name_says_so(path: str, words: str) -> None:
    result = train("--history", path)
    assert result.exit_code == 2 and words in result.output
    assert "is a directory" not in result.output


def written_in_order(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the names files are moved to, in order (every output passes there)."""
    order: list[str] = []
    real = purenet_support.weights_file.move_into_place

    def recording(tmp: str, path: str, replace: bool) -> None:
        real(tmp, path, replace)
        order.append(os.path.basename(path))

    monkeypatch.setattr(purenet_support.weights_file, "move_into_place", recording)
    monkeypatch.setattr(purenet_cli.outputs, "move_into_place", recording)
    return order


def test_the_history_is_written_first_then_the_weights_then_the_plot(
        tmp_path: Path, synthetic: list, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    order = written_in_order(monkeypatch)
    result = train(*outputs(tmp_path))
    assert result.exit_code == 0, result.output
    assert [name for name in order if not name.startswith(".")] == ["h.json", "p.npz", "f.png"]
    assert f"wrote {tmp_path / 'p.npz'}, {tmp_path / 'h.json'}, {tmp_path / 'f.png'}" in \
        result.output


def test_a_directory_gone_during_the_run_costs_only_its_file(
        tmp_path: Path, synthetic: list) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    synthetic.append(gone.rmdir)
    result = train("--save", str(gone / "p.npz"), "--history", str(tmp_path / "h.json"))
    assert result.exit_code == 1
    assert f"Error: --save {gone / 'p.npz'} not written: directory {gone} does not exist" in \
        result.output
    # the hidden temporary name (.p.npz.<8 hex>.tmp) is never shown, only the name asked for
    assert not re.search(r"\.p\.npz\.[0-9a-f]{8}\.tmp", result.output)
    assert "Traceback" not in result.output
    assert len(json.loads((tmp_path / "h.json").read_text())["train_loss"]) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["h.json"]


def test_a_file_that_appeared_during_the_run_is_kept(tmp_path: Path, synthetic: list) -> None:
    # a second run with the same --history finished first: its file stays
    history = tmp_path / "h.json"
    synthetic.append(lambda: history.write_text("the other run's"))
    result = train("--history", str(history), "--save", str(tmp_path / "p.npz"))
    assert result.exit_code == 1
    assert (f"Error: --history {history} not written: a file appeared at that name during the "
            f"run (another run writing it?); it is left as it is") in result.output
    assert history.read_text() == "the other run's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.json", "p.npz"]


def test_force_replaces_a_file_that_appeared_during_the_run(tmp_path: Path,
                                                            synthetic: list) -> None:
    history = tmp_path / "h.json"
    synthetic.append(lambda: history.write_text("the other run's"))
    result = train("--history", str(history), "--force")
    assert result.exit_code == 0, result.output
    assert len(json.loads(history.read_text())["train_loss"]) == 3


@pytest.mark.parametrize("points_to", ["nowhere.json", "real.json"])
def test_a_symbolic_link_is_replaced_only_with_force_and_only_itself(
        tmp_path: Path, synthetic: list, points_to: str) -> None:
    link = tmp_path / "h.json"
    link.symlink_to(points_to)
    if points_to == "real.json":
        (tmp_path / "real.json").write_text("untouched")
    result = train("--history", str(link))
    assert result.exit_code == 2
    assert f"--history {link} is a symbolic link (to {points_to}); pass --force" in \
        result.output
    assert link.is_symlink()
    result = train("--history", str(link), "--force")
    assert result.exit_code == 0, result.output
    assert not link.is_symlink() and "train_loss" in json.loads(link.read_text())
    assert not (tmp_path / "nowhere.json").exists()
    if points_to == "real.json":
        assert (tmp_path / "real.json").read_text() == "untouched"


@pytest.mark.parametrize("command", [["train", "--no-check"], ["descent"]])
def test_every_command_takes_the_same_plot_extension(tmp_path: Path, command: list) -> None:
    result = CliRunner().invoke(cli.cli, [*command, "--plot", str(tmp_path / "x.svg")])
    assert result.exit_code == 2 and "x.svg must end in .png" in result.output
    assert list(tmp_path.iterdir()) == []


def test_descent_plot_that_cannot_be_drawn_is_one_line(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")

    def refuse(path: list, file: str, lr: float | None = None, replace: bool = True) -> None:
        raise ValueError("Axis limits cannot be NaN or Inf")

    monkeypatch.setattr(cli, "plot_descent", refuse)
    result = CliRunner().invoke(cli.cli, ["descent", "--plot", str(tmp_path / "d.png")])
    assert result.exit_code == 1
    assert f"Error: --plot {tmp_path / 'd.png'} not written: Axis limits cannot be NaN or Inf" \
        in result.output


def test_a_run_diverged_at_iteration_0_says_why_there_is_no_plot(
        tmp_path: Path, synthetic: list, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    real = reference.two_layer_net.TwoLayerNet.loss_and_gradient

    def nan_loss(self: Any, x: Any, t: Any) -> Any:
        return float("nan"), real(self, x, t)[1]

    monkeypatch.setattr(reference.two_layer_net.TwoLayerNet, "loss_and_gradient", nan_loss)
    result = train(*outputs(tmp_path))
    assert result.exit_code == 1
    assert "stopped: the loss became nan at iteration 0" in result.output
    assert (f"--plot {tmp_path / 'f.png'} not written: no iteration finished, so there is "
            f"nothing to draw") in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.json", "p.npz"]


# ---------------------------------------------------------------------------
# what the written files hold


def test_sampling_shuffle_reaches_the_run(tmp_path: Path, synthetic: list) -> None:
    runs = {}
    for sampling in ("replacement", "shuffle"):
        path = tmp_path / f"{sampling}.json"
        result = train("--sampling", sampling, "--history", str(path))
        assert result.exit_code == 0, result.output
        runs[sampling] = json.loads(path.read_text())
        assert runs[sampling]["hyperparameters"]["sampling"] == sampling
    # the same seed and start weights: only the batches differ, so the losses do
    assert runs["replacement"]["train_loss"][0] != runs["shuffle"]["train_loss"][0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_saved_weights_keep_the_runs_dtype(tmp_path: Path, synthetic: list, dtype: str) -> None:
    params = tmp_path / "p.npz"
    result = train("--dtype", dtype, "--save", str(params))
    assert result.exit_code == 0, result.output
    with np.load(params) as saved:
        assert {key: str(saved[key].dtype) for key in saved} == \
            dict.fromkeys(("W1", "b1", "W2", "b2"), dtype)


def test_a_nan_loss_stops_the_run_as_diverged_and_keeps_its_history(
        tmp_path: Path, synthetic: list) -> None:
    # at lr 1e308 the weights overflow to inf, the scores to NaN: cross_entropy_error
    # refuses them, and the run stops as for any blown-up loss
    history = tmp_path / "h.json"
    result = train("--lr", "1e308", "--iters", "20", "--history", str(history))
    assert result.exit_code == 1
    assert "stopped: the loss became nan at iteration " in result.output
    assert "Try a smaller learning rate, e.g. --lr 1e+307" in result.output
    h = json.loads(history.read_text())
    assert h["stopped"] == "diverged" and 1 <= len(h["train_loss"]) < 20
