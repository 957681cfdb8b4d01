"""Tests of purenet_cli/figures.py: every figure is written, and the data behind it is right.

What can be checked without eyes is checked: each file is a PNG of the size
FIGURES gives it, the same data draws the same bytes, and each figure's data
holds what its title claims (the tangent's slope is numerical_diff's value, the
eta = 10 path is the frozen one the README quotes, the digits shown as wrong
really are). The MNIST figures need the real files: set PURENET_DATA.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
import re
import struct
import sys

import numpy as np
import pytest
from click.testing import CliRunner, Result

import purenet_support.mnist
import reference.two_layer_net
from purenet_cli import figures as F
from purenet_cli import main as cli
from purenet_support import networks
from reference import gradient

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def data_dir() -> str | None:
    value = os.environ.get("PURENET_DATA")
    if value and os.path.isfile(os.path.join(value, "t10k-labels-idx1-ubyte.gz")):
        return value
    return None


needs_mnist = pytest.mark.skipif(
    data_dir() is None, reason="real MNIST needed: set PURENET_DATA to a directory holding the "
    "four MNIST files")


def png_size(path: str) -> tuple[int, int]:
    """The (width, height) in a PNG's IHDR chunk; fails unless the file starts as a PNG does."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def figure(name: str) -> F.Figure:
    return next(f for f in F.FIGURES if f.name == name)


# --- the data, no matplotlib needed -----------------------------------------------------


def test_each_tangent_has_numerical_diffs_slope_and_touches_f():
    data = F.tangent_data()
    assert [x0 for x0, _, _ in data["tangents"]] == [5.0, 10.0]
    for x0, y0, slope in data["tangents"]:
        assert slope == gradient.numerical_diff(F.parabola, x0)  # the very value drawn
        assert slope == pytest.approx(0.02 * x0 + 0.1, abs=1e-9)  # the exact derivative
        assert y0 == F.parabola(x0)
        for d in (-1.0, 1.0):  # f lies above its tangent by 0.01 d^2: tangent, not secant
            gap = F.parabola(x0 + d) - (y0 + slope * d)
            assert gap == pytest.approx(0.01 * d * d, abs=1e-9)


def test_loss_functions_hold_the_books_numbers():
    data = F.loss_functions_data()
    (_, y1, sse1, cee1), (_, y2, sse2, cee2) = data["examples"]
    assert (sse1, sse2) == (pytest.approx(0.0975), pytest.approx(0.5975))
    assert (cee1, cee2) == (pytest.approx(0.510825, abs=1e-6), pytest.approx(2.302584, abs=1e-6))
    assert np.allclose(data["minus_log_y"], -np.log(data["y"]))
    assert data["y"].min() > 0 and data["y"].max() == 1.0


def test_the_gradient_field_is_minus_2x():
    data = F.gradient_field_data()
    assert data["points"].shape == data["arrows"].shape == (81, 2)
    assert np.abs(data["arrows"] - (-2 * data["points"])).max() < 1e-6


def test_function_2_surface_is_gradient_function_2_at_every_point():
    data = F.function_2_data()
    assert np.allclose(data["f"], data["x0"] ** 2 + data["x1"] ** 2)
    assert data["f"].min() == 0.0
    for (i, j), value in np.ndenumerate(data["f"][::7, ::7]):  # the grid helper's formula
        point = np.array([data["x0"][7 * i, 7 * j], data["x1"][7 * i, 7 * j]])
        assert value == gradient.function_2(point)  # is the package's, bit for bit


def test_descent_with_eta_0_1_meets_its_closed_form():
    data = F.descent_data(0.1)
    assert data["path"].shape == (101, 2)
    assert data["path"][0].tolist() == [-3.0, 4.0]
    exact = 0.8 ** 100 * np.array([-3.0, 4.0])  # x_k = (1 - 2 eta)^k x_0
    assert np.abs(data["path"][-1] - exact).max() < 1e-12
    assert data["frozen_at"] is None


def test_eta_10_is_the_frozen_path_the_readme_quotes():
    runs = {run["lr"]: run for run in F.learning_rates_data()}
    assert list(runs) == [10.0, 1e-10, 0.1]
    big = runs[10.0]
    end = big["path"][-1]
    assert end.tolist() == [pytest.approx(-2.58983747e13), pytest.approx(-1.29524862e12)]
    k = big["frozen_at"]
    assert k is not None and 0 < k < 100
    assert (big["path"][k:] == end).all() and (big["path"][k - 1] != end).any()
    # why it froze: x + h rounds back to x, so the numerical gradient is exactly 0 there
    assert (end + gradient.H == end).all()
    assert gradient.numerical_gradient(gradient.function_2, end.copy()).tolist() == [0.0, 0.0]
    # before freezing it grew by |1 - 2 eta| = 19 per step, as the closed form says
    assert abs(big["path"][1][0]) == pytest.approx(19 * 3)


def test_eta_1e_10_barely_moves_and_0_1_arrives():
    runs = {run["lr"]: run for run in F.learning_rates_data()}
    small = runs[1e-10]["path"]
    assert 0 < np.abs(small[-1] - small[0]).max() < 1e-6  # it moves, by less than 1e-6
    assert np.hypot(*runs[0.1]["path"][-1]) < 1e-8


def test_weight_gradient_reads_as_0_14_h():
    data = F.weight_gradient_data()
    assert data["slope"] == pytest.approx(0.1436, abs=1e-4)
    assert data["dW"][0, 1] == data["slope"]
    small = np.abs(data["h"]) <= 0.1
    assert np.abs(data["actual"] - data["predicted"])[small].max() < 0.01 * 0.1
    assert np.allclose(data["predicted"], data["slope"] * data["h"])


def test_figure_sizes_are_small_and_names_unique():
    names = [f.name for f in F.FIGURES]
    assert len(set(names)) == len(names) and all(n.endswith(".png") for n in names)
    for f in F.FIGURES:
        width, height = f.pixels()
        assert 800 <= width <= 2250 and 600 <= height <= 950, f.name  # DPI 150


# --- drawing --------------------------------------------------------------------------


DRAWN_WITHOUT_MNIST = {
    "loss_functions.png": lambda: F.draw_loss_functions(F.loss_functions_data()),
    "numerical_diff.png": lambda: F.draw_numerical_diff(F.tangent_data()),
    "function_2.png": lambda: F.draw_function_2(F.function_2_data()),
    "gradient_field.png": lambda: F.draw_gradient_field(F.gradient_field_data()),
    "descent.png": lambda: F.draw_descent(F.descent_data(0.1)["path"], lr=0.1),
    "learning_rates.png": lambda: F.draw_learning_rates(F.learning_rates_data()),
    "weight_gradient.png": lambda: F.draw_weight_gradient(F.weight_gradient_data()),
}


def check_readable(fig, name: str) -> None:
    """fig is drawn at DPI, no text under 10 points, and no legend over any axes' data area."""
    import matplotlib.text
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    assert fig.dpi == F.DPI == 150, name
    FigureCanvasAgg(fig).draw()  # lays it out and makes the tick labels, as saving does
    small = [(t.get_text(), t.get_fontsize()) for t in fig.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 10]
    assert small == [], f"{name}: text under 10 points: {small}"
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        for other in fig.axes:
            assert not box.overlaps(other.get_window_extent(renderer)), (
                f"{name}: the legend covers the axes titled {other.get_title()!r}")


@pytest.mark.parametrize("name", sorted(DRAWN_WITHOUT_MNIST))
def test_each_figure_without_mnist_is_a_readable_png_of_its_size(name, tmp_path):
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra: pip install -e "
                        "'.[plot]'")
    path = str(tmp_path / name)
    fig = DRAWN_WITHOUT_MNIST[name]()
    check_readable(fig, name)
    F.save(fig, path)
    assert png_size(path) == figure(name).pixels()


def test_the_same_data_draws_the_same_bytes(tmp_path):
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    a, b = str(tmp_path / "a.png"), str(tmp_path / "b.png")
    for path in (a, b):
        F.save(F.draw_descent(F.descent_data(0.1)["path"], lr=0.1), path)
    with open(a, "rb") as fa, open(b, "rb") as fb:
        assert fa.read() == fb.read()


def test_drawing_chooses_no_backend_and_keeps_no_figure_open():
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    import matplotlib
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    fig = F.draw_gradient_field(F.gradient_field_data())
    assert plt.get_fignums() == [] and matplotlib.get_backend() == before
    assert type(fig).__name__ == "Figure" and len(fig.axes) == 1  # the caller's to save or show


def test_function_2_titles_the_levels_it_draws_in_dark_labels():
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    import matplotlib.colors

    fig = F.draw_function_2(F.function_2_data())
    contours = fig.axes[1]
    drawn = [float(v) for v in contours.collections[0].levels] if hasattr(
        contours.collections[0], "levels") else None
    title = contours.get_title()
    levels = [float(v) for v in re.findall(r"[\d.]+", title.split("=", 1)[1])]
    assert levels == list(F.FUNCTION_2_LEVELS), title  # 16 is drawn: f reaches 18 at a corner
    assert drawn is None or drawn == levels
    for text in contours.texts:  # the contour labels: dark on white
        r, g, b = matplotlib.colors.to_rgb(text.get_color())
        assert 0.299 * r + 0.587 * g + 0.114 * b < 0.5, (text.get_text(), text.get_color())
    assert {t.get_text() for t in contours.texts} >= {"1", "16"}


def small_record(losses: list[float]) -> dict:
    """A record as `train --history` writes it: 4 iterations of 2 per epoch, pure."""
    return {"impl": "pure", "iter_per_epoch": 2, "train_loss": losses,
            "epochs": [{"iteration": 0, "loss": 2.3, "train_acc": 0.1, "test_acc": 0.2},
                       {"iteration": 2, "loss": 2.0, "train_acc": 0.3, "test_acc": 0.25}],
            "final": {"iteration": 3, "train_acc": 0.4, "test_acc": 0.35},
            "hyperparameters": {"train_size": 20, "batch_size": 10, "lr": 0.1,
                                "hidden_size": 5}}


@pytest.mark.parametrize("losses", [[2.3, 2.2, 2.0, 1.9], [2.3, 50.0, math.inf, math.nan]],
                         ids=["learning", "diverged"])
def test_the_clis_plots_are_the_guides_figures(losses, tmp_path):
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    from purenet_cli import plots

    history, descent = str(tmp_path / "h.png"), str(tmp_path / "d.png")
    plots.plot_history(small_record(losses), history)  # what train --plot calls
    plots.plot_descent([[-3.0, 4.0], [-2.4, 3.2]], descent, lr=0.1)  # what descent --plot calls
    assert png_size(history) == figure("training.png").pixels()
    assert png_size(descent) == figure("descent.png").pixels()
    assert sorted(os.listdir(tmp_path)) == ["d.png", "h.png"]  # atomic: no temporary left


# --- the MNIST figures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def mnist():
    from purenet_support.mnist_numpy import load_mnist

    return load_mnist(normalize=True, data_dir=data_dir())


needs_matplotlib = pytest.mark.skipif(
    importlib.util.find_spec("matplotlib") is None,
    reason="the figures command needs the plot extra: pip install -e '.[plot]'")
TEST_ITERS = 100  # the command trains 3000; the tests check what is drawn, not how well


@pytest.fixture(scope="module")
def trained(mnist):
    """One brief run shared by every test below: (network, record)."""
    return F.train_briefly(mnist, iters=TEST_ITERS)


@pytest.fixture(scope="module")
def written(mnist, trained, tmp_path_factory):
    """`purenet figures DIR` run once, drawing from the shared brief run: (DIR, its output)."""
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    directory = str(tmp_path_factory.mktemp("figures") / "new")  # created by the command
    asked = []
    with pytest.MonkeyPatch.context() as mp:  # MNIST read and trained once for the module
        mp.setattr(F, "mnist", lambda data_dir: asked.append(data_dir) or mnist)
        mp.setattr(F, "train_briefly", lambda data, iters: asked.append(iters) or trained)
        result = invoke("figures", directory, "--data-dir", data_dir())
    assert result.exit_code == 0, result.output
    assert asked == [data_dir(), F.TRAIN_ITERS]
    return directory, result.output


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.cli, list(args))


@needs_mnist
def test_the_figures_command_writes_every_figure_as_a_png_of_its_size(written):
    directory, output = written
    lines = output.splitlines()
    paths = [os.path.join(directory, f.name) for f in F.FIGURES]
    assert lines[:-1] == [f"wrote {path}: {f.teaches}" for f, path in zip(F.FIGURES, paths)]
    assert re.fullmatch(r"14 figures in \d+\.\d s", lines[-1])
    assert sorted(os.listdir(directory)) == sorted(f.name for f in F.FIGURES)  # nothing else
    for f, path in zip(F.FIGURES, paths):
        assert png_size(path) == f.pixels(), f.name
    assert sum(map(os.path.getsize, paths)) < 3_000_000  # docs/figures stays small


@needs_mnist
def test_each_mnist_figure_is_readable_and_names_its_network_and_run(mnist, trained):
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    network, record = trained
    run = F.history_run(record)
    assert run == f"784-50-10, seed 0, {TEST_ITERS} iterations"
    draws = F.drawings(mnist, network, record, run)
    assert sorted(draws) == sorted(f.name for f in F.FIGURES)
    for f in F.FIGURES:
        if not f.needs_mnist:
            continue
        fig = draws[f.name]()
        check_readable(fig, f.name)
        suptitle = fig._suptitle.get_text() if fig._suptitle else ""  # get_suptitle: 3.8
        words = " ".join([suptitle] + [ax.get_title() for ax in fig.axes])
        named = "784-50-10" in words or f.name == "mnist_digits.png"  # the data, no network
        assert named, f"{f.name} does not name its network: {words!r}"
        if f.name not in ("mnist_digits.png", "sgd_steps.png"):  # sgd_steps: a fresh net
            assert run in words, f.name
    hidden = draws["hidden_units.png"]()
    scales = {im.get_clim() for ax in hidden.axes for im in ax.get_images()}
    assert len(scales) == 1  # one colour scale for every tile, as its colour bar says
    assert "one scale" in hidden.axes[-1].get_ylabel()


@needs_mnist
def test_figures_are_not_overwritten_without_force(written):
    directory, _ = written
    def stamps():
        return {n: os.path.getmtime(os.path.join(directory, n)) for n in os.listdir(directory)}

    before = stamps()
    result = invoke("figures", directory)
    assert result.exit_code == 2
    assert (f"{directory} already holds loss_functions.png and 13 more; pass --force to "
            f"overwrite them") in result.output
    assert stamps() == before


@needs_matplotlib
@pytest.mark.parametrize("content, words", [
    (b"not a zip", "w.npz is not a valid .npz weights file"),
    (None, "w.npz holds a 700-5-10 net; the figures need a 784-H-10 net"),
])
def test_bad_params_fail_in_one_line_before_any_data_is_read(content, words, tmp_path,
                                                             monkeypatch):
    params = tmp_path / "w.npz"
    if content is None:
        networks.save(reference.two_layer_net.TwoLayerNet(700, 5, 10, seed=0), str(params))
    else:
        params.write_bytes(content)
    monkeypatch.setattr(F, "mnist", lambda data_dir: pytest.fail("data read first"))
    result = invoke("figures", str(tmp_path / "out"), "--params", str(params))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and words in result.output
    assert len(result.output.splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing made


@needs_matplotlib
def test_missing_mnist_fails_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PURENET_DATA", raising=False)
    for name, info in list(purenet_support.mnist.DATASETS.items()):  # no download: fail at once
        monkeypatch.setitem(purenet_support.mnist.DATASETS, name,
                            dataclasses.replace(info, mirrors=()))
    result = invoke("figures", str(tmp_path / "out"), "--data-dir", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: MNIST files not found: train-images-idx3-ubyte.gz")
    assert len(result.output.splitlines()) == 1


def test_without_matplotlib_the_command_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    result = invoke("figures", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == "Error: figures needs matplotlib: pip install -e '.[plot]'\n"


@needs_matplotlib
def test_a_directory_that_cannot_be_made_is_refused_first(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = invoke("figures", str(blocker / "out"))
    assert result.exit_code == 2
    assert f"{blocker} is not a writable directory" in result.output


@needs_mnist
def test_saved_params_are_the_network_drawn(mnist, trained, tmp_path, monkeypatch):
    network = F.fresh_network(seed=3)
    params = str(tmp_path / "w.npz")
    networks.save(network, params)
    drawn = {}
    monkeypatch.setattr(F, "mnist", lambda data_dir: mnist)
    monkeypatch.setattr(F, "train_briefly", lambda data, iters: trained)
    monkeypatch.setattr(F, "draw_figures", lambda directory, data, net, record, *force, run:
                        drawn.update(net=net, record=record, run=run) or [])
    F.write_figures(str(tmp_path / "out"), params=params)
    for key, value in network.params.items():
        assert np.array_equal(drawn["net"].params[key], value)
    assert drawn["record"] is trained[1]  # training.png: the brief run's record either way
    assert drawn["run"] == "784-50-10 from w.npz"  # what the MNIST figures name


@needs_mnist
def test_the_brief_run_records_what_train_history_writes(trained):
    network, record = trained
    assert record["hyperparameters"] == {"iters": TEST_ITERS, "batch_size": 100, "lr": 0.1,
                                         "hidden_size": 50, "train_size": 60000,
                                         "test_size": 10000}
    assert len(record["train_loss"]) == TEST_ITERS and record["iter_per_epoch"] == 600
    assert record["train_loss"][0] == pytest.approx(math.log(10), abs=0.05)  # a uniform guess
    assert [e["iteration"] for e in record["epochs"]] == [0]
    assert record["final"]["iteration"] == TEST_ITERS - 1
    assert network.params["W1"].shape == (784, 50)


@needs_mnist
def test_the_misclassified_digits_really_are_misclassified(mnist, trained):
    _, (x_test, t_test) = mnist
    network, _ = trained
    data = F.misclassified_data(network, x_test[:2000], t_test[:2000])
    assert len(data["index"]) == 12
    guesses = network.predict(x_test[data["index"]]).argmax(axis=1)
    assert (guesses == data["guess"]).all()
    assert (guesses != t_test[data["index"]]).all()
    assert (data["label"] == t_test[data["index"]]).all()
    assert np.array_equal(data["images"], x_test[data["index"]].reshape(-1, 28, 28))
    # the first twelve mistakes: every image before the last one shown is right or shown
    right = network.predict(x_test[:data["index"][-1]]).argmax(axis=1) == t_test[
        :data["index"][-1]]
    assert (~right).sum() == 11
    hidden = F.hidden_units_data(network)
    assert hidden.shape == (50, 28, 28)
    assert np.array_equal(hidden[7].ravel(), network.params["W1"][:, 7])


@needs_mnist
def test_sgd_steps_lower_their_own_batch_loss(mnist):
    (x_train, t_train), _ = mnist
    data = F.sgd_steps_data(x_train, t_train, steps=20)
    assert (data["after"] < data["before"]).all()
    assert data["before"][0] == pytest.approx(math.log(10), abs=0.05)  # a uniform guess


@needs_mnist
def test_minibatch_losses_scatter_around_the_full_loss(mnist):
    (x_train, t_train), _ = mnist
    network = F.fresh_network()
    data = F.minibatch_data(network, x_train[:5000], t_train[:5000], batches=100)
    assert data["batch_losses"].shape == (100,)
    assert abs(data["batch_losses"].mean() - data["full_loss"]) < 0.01
    assert data["batch_losses"].std() > 0


@needs_mnist
def test_loss_vs_accuracy_sweep(mnist):
    _, (x_test, t_test) = mnist
    network = F.fresh_network()
    data = F.loss_vs_accuracy_data(network, x_test[:100], t_test[:100])
    middle = len(data["delta"]) // 2
    assert data["delta"][middle] == 0.0
    assert data["loss"][middle] == pytest.approx(network.loss(x_test[:100], t_test[:100]))
    near = slice(middle - 2, middle + 3)  # the nearest nudges, +-0.05
    assert len(set(data["loss"][near])) == 5 and len(set(data["accuracy"][near])) == 1


DOCS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs")


@pytest.mark.parametrize("guide", ["chapter4.md", "chapter4.ko.md"])
def test_each_guide_shows_every_figure_and_each_is_committed(guide):
    with open(os.path.join(DOCS, guide), encoding="utf-8") as f:
        shown = re.findall(r"\]\(figures/([\w.]+\.png)\)", f.read())
    assert sorted(shown) == sorted(f.name for f in F.FIGURES)  # each once, none missing
    for name in shown:
        assert png_size(os.path.join(DOCS, "figures", name)) == figure(name).pixels()
    committed = sum(os.path.getsize(os.path.join(DOCS, "figures", n)) for n in shown)
    assert committed < 3_000_000


def test_the_readme_shows_committed_figures_of_the_guide():
    with open(os.path.join(DOCS, os.pardir, "README.md"), encoding="utf-8") as f:
        shown = re.findall(r"\]\((docs/[\w./]+\.png)\)", f.read())
    assert shown, "the README shows the training figure"
    for path in shown:
        assert path.startswith("docs/figures/"), path  # redrawn by `purenet figures`
        name = path.removeprefix("docs/figures/")
        assert png_size(os.path.join(DOCS, "figures", name)) == figure(name).pixels()
