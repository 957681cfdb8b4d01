"""The figures of the chapter-4 guide (docs/chapter4.md), each drawn from data a test can check.

Every figure is two functions: ``*_data`` computes what is drawn, with NumPy and
the ``reference`` package and no matplotlib, and ``draw_*`` draws that data into
a matplotlib Figure, which it returns: the caller saves it (``save``) or shows
it (the notebook edition of the guide displays it inline). ``write_figures(directory)``
(the command ``purenet figures DIR``) regenerates them all as PNGs, seeded, in
well under a minute: it trains a 784-50-10 network briefly (the CLI's run, seed
0) and draws the MNIST figures from it, or from saved weights when given; each
MNIST figure names that network and run. ``train --plot`` and ``descent --plot``
draw with ``draw_history`` and ``draw_descent`` below. matplotlib is imported
only when something is drawn, and no backend is chosen: the figures are not
pyplot's, so writing a PNG needs no display and opens no window.
"""

from __future__ import annotations

import functools
import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click
import numpy as np

from purenet_cli.install import extra_hint
from purenet_cli.options import MAX_SIZE
from purenet_cli.outputs import special_kind
from purenet_support.weights_file import atomic_write
from reference import gradient, simple_net
from reference.functions import cross_entropy_error, sum_squared_error

DPI = 150  # sharp on a laptop and on a high-density screen: 825 to 2,250 pixels wide
# No text under 10 points (about 21 pixels at DPI): tick labels, legends, contour labels.
MIN_POINTS = 10
STYLE: dict[Any, Any] = {
    "font.size": MIN_POINTS, "legend.fontsize": MIN_POINTS, "xtick.labelsize": MIN_POINTS,
    "ytick.labelsize": MIN_POINTS, "axes.labelsize": MIN_POINTS, "axes.titlesize": 12,
    "figure.titlesize": 12}
LOG10 = math.log(10)  # the loss of a uniform guess over 10 classes: where every run starts
# The training run behind the MNIST figures: the CLI's defaults (seed 0, lr 0.1,
# batches of 100), cut to 5 epochs: about 0.92 test accuracy, a few seconds.
TRAIN_ITERS = 3000
HIDDEN = 50


def function_2_on_grid(x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """Return x0^2 + x1^2 at every point of a grid: gradient.function_2's formula, elementwise.

    gradient.function_2 takes one point (x0, x1) and checks that it is one; a
    surface or contour plot needs thousands of points at once, so the same
    formula is applied here to two arrays of the grid's shape (a test checks
    that both give the same values).
    """
    return x0 * x0 + x1 * x1


def parabola(x: Any) -> Any:
    """Return the book's example f(x) = 0.01 x^2 + 0.1 x (section 4.3.2)."""
    return 0.01 * x * x + 0.1 * x


# ---------------------------------------------------------------------------
# the data behind each figure (no matplotlib here)


def tangent_data() -> dict[str, Any]:
    """f(x) = 0.01x^2 + 0.1x on [0, 20], and its tangent at 5 and at 10.

    Each tangent is (x0, f(x0), slope) with slope = numerical_diff(f, x0): 0.2 and 0.3,
    the exact derivative 0.02 x0 + 0.1 up to rounding.
    """
    x = np.linspace(0.0, 20.0, 201)
    tangents = [(x0, parabola(x0), gradient.numerical_diff(parabola, x0)) for x0 in (5.0, 10.0)]
    return {"x": x, "y": parabola(x), "tangents": tangents}


BOOK_T = np.eye(10)[2]  # the answer is class 2
BOOK_Y1 = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])  # 0.6 on class 2
BOOK_Y2 = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])  # 0.6 on class 7


def loss_functions_data() -> dict[str, Any]:
    """-log y on (0, 1], and both losses of the book's two outputs for the answer 2 (4.2.1-2)."""
    y = np.linspace(0.005, 1.0, 200)
    examples = [(name, yk, sum_squared_error(yk, BOOK_T), cross_entropy_error(yk, BOOK_T))
                for name, yk in (("y1: 0.6 on class 2 (right)", BOOK_Y1),
                                 ("y2: 0.6 on class 7 (wrong)", BOOK_Y2))]
    return {"y": y, "minus_log_y": -np.log(y), "examples": examples}


def loss_vs_accuracy_data(network: Any, x: np.ndarray, t: np.ndarray) -> dict[str, Any]:
    """Loss and accuracy of network on (x, t) as one weight of W2 is swept from -3 to +3.

    The weight is the one the loss is most sensitive to on this batch (largest |dL/dw|).
    """
    grads = network.gradient(x, t)
    i, j = np.unravel_index(np.argmax(np.abs(grads["W2"])), grads["W2"].shape)
    deltas = np.linspace(-3.0, 3.0, 241)
    rows = simple_net.loss_and_accuracy_along(network, x, t, "W2", int(i), int(j),
                                              deltas.tolist())
    table = np.array(rows)
    return {"key": "W2", "index": (int(i), int(j)), "w": float(network.params["W2"][i, j]),
            "delta": table[:, 0], "loss": table[:, 1], "accuracy": table[:, 2], "n": len(x)}


def minibatch_data(network: Any, x: np.ndarray, t: np.ndarray, batches: int = 300,
                   batch_size: int = 100, seed: int = 0) -> dict[str, Any]:
    """The loss of `batches` random mini-batches of 100, and the loss of all of x at once."""
    rng = np.random.default_rng(seed)
    losses = np.array([network.loss(x[idx], t[idx])
                       for idx in (rng.choice(len(x), batch_size) for _ in range(batches))])
    return {"batch_losses": losses, "full_loss": network.loss(x, t), "n": len(x),
            "batch_size": batch_size}


def function_2_data() -> dict[str, Any]:
    """x0^2 + x1^2 on a grid over [-3, 3]^2 (the book's figure 4-8)."""
    g = np.linspace(-3.0, 3.0, 61)
    x0, x1 = np.meshgrid(g, g)
    return {"x0": x0, "x1": x1, "f": function_2_on_grid(x0, x1)}


def gradient_field_data() -> dict[str, Any]:
    """numerical_gradient of x0^2 + x1^2 at the points of a grid over [-2, 2]^2 (figure 4-9).

    Returns the points (P, 2) and the arrows -grad f (P, 2): downhill, (-2 x0, -2 x1).
    """
    g = np.linspace(-2.0, 2.0, 9)
    points = np.array([(a, b) for a in g for b in g])
    arrows = -np.array([gradient.numerical_gradient(gradient.function_2, p.copy())
                        for p in points])
    return {"points": points, "arrows": arrows}


def descent_data(lr: float, steps: int = 100, start: tuple[float, float] = (-3.0, 4.0),
                 ) -> dict[str, Any]:
    """gradient_descent on x0^2 + x1^2 from start: the path (steps + 1, 2) and where it stalls.

    ``frozen_at`` is the first step after which the point never moved again (None if it
    moved at every step): far out, x + h rounds back to x and the numerical gradient is 0.
    """
    _, path_list = gradient.gradient_descent(gradient.function_2, np.array(start), lr=lr,
                                             step_num=steps)
    path = np.array(path_list)
    moved = np.any(path[1:] != path[:-1], axis=1)
    frozen_at = None
    if not moved[-1]:
        frozen_at = int(np.flatnonzero(moved)[-1]) + 1 if moved.any() else 0
    return {"lr": lr, "steps": steps, "path": path, "frozen_at": frozen_at}


LEARNING_RATES = (10.0, 1e-10, 0.1)  # too large, too small, about right (the book's 4.4.1)


def learning_rates_data() -> list[dict[str, Any]]:
    """descent_data for each of LEARNING_RATES, 100 steps from (-3, 4)."""
    return [descent_data(lr) for lr in LEARNING_RATES]


def weight_gradient_data() -> dict[str, Any]:
    """The book's simpleNet: W, dL/dW, and L(w12 + h) - L(w12) against dL/dw12 * h."""
    net = simple_net.SimpleNet(simple_net.BOOK_W)
    x, t = simple_net.BOOK_X, simple_net.BOOK_T
    hs = np.linspace(-2.0, 2.0, 81)
    nudges = [simple_net.nudge(net, x, t, 0, 1, float(h)) for h in hs]
    return {"W": net.W.copy(), "dW": net.numerical_gradient(x, t), "h": hs,
            "actual": np.array([n.actual for n in nudges]),
            "predicted": np.array([n.predicted for n in nudges]), "slope": nudges[0].slope}


def sgd_steps_data(x: np.ndarray, t: np.ndarray, steps: int = 40, seed: int = 0,
                   lr: float = 0.1) -> dict[str, Any]:
    """The first SGD steps of a fresh 784-50-10 net: each batch's loss before and after its update.

    The four steps, one line each below: draw a batch, compute its gradient,
    update, repeat. ``before`` and ``after`` are measured on the same batch.
    """
    from reference.optimizer import SGD

    network = fresh_network(seed)
    optimizer = SGD(lr)
    rng = np.random.default_rng(seed)
    before, after = [], []
    for _ in range(steps):  # 4) repeat
        idx = rng.choice(len(x), 100)  # 1) a mini-batch of 100
        loss, grads = network.loss_and_gradient(x[idx], t[idx])  # 2) its gradient
        optimizer.update(network.params, grads)  # 3) W <- W - lr * dL/dW
        before.append(loss)
        after.append(network.loss(x[idx], t[idx]))  # the same batch, after its update
    return {"before": np.array(before), "after": np.array(after), "lr": lr}


def fresh_network(seed: int = 0, hidden: int = HIDDEN) -> Any:
    """The CLI's start weights for seed: drawn by purenet from random.Random(seed), in NumPy."""
    from purenet.two_layer_net import TwoLayerNet as PureNet
    from reference.two_layer_net import TwoLayerNet

    return TwoLayerNet.from_params(PureNet(784, hidden, 10, rng=random.Random(seed)).get_params())


def train_briefly(data: tuple, iters: int = TRAIN_ITERS, seed: int = 0) -> tuple[Any, dict]:
    """Train the CLI's network (seed 0, lr 0.1, batches of 100) for iters; return it and its record.

    The record has the keys the CLI's --history file has, so draw_history reads either.
    """
    from purenet.train import Hyperparameters, train
    from purenet.two_layer_net import TwoLayerNet as PureNet
    from purenet_cli.impls import take_array
    from reference.optimizer import SGD
    from reference.two_layer_net import TwoLayerNet

    rng = random.Random(seed)  # the start weights, then every batch: the CLI's run
    network = TwoLayerNet.from_params(PureNet(784, HIDDEN, 10, rng=rng).get_params())
    hp = Hyperparameters(iters=iters, batch_size=100, lr=0.1)
    history = train(network, SGD(hp.lr), data, hp, rng, take=take_array)
    (x_train, _), (x_test, _) = data
    record = {"impl": "numpy", "seed": seed,
              "hyperparameters": {"iters": iters, "batch_size": hp.batch_size, "lr": hp.lr,
                                  "hidden_size": HIDDEN, "train_size": len(x_train),
                                  "test_size": len(x_test)},
              **history.to_dict()}
    return network, record


class InputError(ValueError):
    """A weights file or the MNIST files cannot be used; the message is one line naming the file."""


def saved_network(params: str) -> Any:
    """Load the 784-H-10 network saved in params (.npz or .json, as `train --save` writes)."""
    from purenet_cli.impls import load_impl

    try:
        network = load_impl("numpy").load_network(params)
    except (ValueError, TypeError, OSError) as err:
        raise InputError(str(err)) from None
    w1, w2 = network.params["W1"].shape, network.params["W2"].shape
    if w1[0] != 784 or w2[1] != 10:
        raise InputError(f"{params} holds a {w1[0]}-{w1[1]}-{w2[1]} net; the figures need a "
                         f"784-H-10 net: MNIST's 784 pixels in, its 10 classes out")
    if w1[1] > MAX_SIZE:
        raise InputError(f"{params} holds {w1[1]} hidden units, more than the {MAX_SIZE} "
                         f"train --hidden allows")
    return network


def mnist(data_dir: str | None) -> tuple:
    """Load MNIST normalized to [0, 1] from data_dir (or where load_mnist looks)."""
    from purenet_support.mnist import DataError
    from purenet_support.mnist_numpy import load_mnist

    try:
        return load_mnist(normalize=True, data_dir=data_dir)
    except DataError as err:
        raise InputError(str(err)) from None


def hidden_units_data(network: Any) -> np.ndarray:
    """W1's columns as images: (784, H) -> (H, 28, 28), what each hidden unit weighs a pixel by."""
    return network.params["W1"].T.reshape(-1, 28, 28)


def misclassified_data(network: Any, x: np.ndarray, t: np.ndarray, count: int = 12,
                       ) -> dict[str, Any]:
    """The first `count` images of x the network gets wrong: indices, labels, guesses, p(guess)."""
    y = network.predict(x)  # (N, 10)
    guess = y.argmax(axis=1)
    wrong = np.flatnonzero(guess != t)
    picked = wrong[:count]
    return {"index": picked, "images": x[picked].reshape(-1, 28, 28), "label": t[picked],
            "guess": guess[picked], "p_guess": y[picked, guess[picked]],
            "error_rate": len(wrong) / len(x)}


# ---------------------------------------------------------------------------
# drawing: each draw_* returns a matplotlib Figure and leaves saving or showing it to the caller


def new_figure(size: tuple[float, float]) -> Any:
    """A matplotlib Figure of size inches at DPI, laid out to fit its legends and titles.

    It is not one of pyplot's figures: no backend is chosen, no window opens and nothing is
    kept open, so the caller saves it (``save``, for `figures` and --plot) or shows it (a
    notebook displays it inline).
    """
    try:
        from matplotlib.figure import Figure as MatplotlibFigure
    except ImportError:
        raise ImportError(f"drawing the figures needs matplotlib: {extra_hint('plot')}"
                          ) from None
    return MatplotlibFigure(figsize=size, dpi=DPI, layout="constrained")


def styled(draw: Callable[..., Any]) -> Callable[..., Any]:
    """Run draw under STYLE, whatever the reader's matplotlibrc says: text of at least 10 points."""
    @functools.wraps(draw)
    def drawn(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return drawn


def png_bytes(fig: Any) -> bytes:
    """The PNG of fig as `figures` writes it: DPI, no "Software" stamp (the same data, the same
    bytes on any machine), and 256 colours at most, which keeps docs/figures small."""
    import io

    import matplotlib
    from PIL import Image

    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):  # the tick labels are made while drawing
        fig.savefig(buffer, format="png", dpi=DPI)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    # an adaptive palette, no dithering: the few colours of a chart come out exact
    palette: dict[str, Any] = {"colors": 256, "method": 0, "dither": 0}  # median cut, no dither
    reduced = image.quantize(**palette)
    out = io.BytesIO()
    reduced.save(out, format="png", optimize=True)
    return out.getvalue()


def save(fig: Any, path: str, replace: bool = True) -> None:
    """Write fig as a PNG (png_bytes) to path.

    atomic_write: a crash or Ctrl-C mid-draw leaves the old file, never half a PNG;
    replace=False refuses (FileExistsError) a file that appeared at path meanwhile.
    """
    data = png_bytes(fig)
    atomic_write(path, lambda f: f.write(data), replace=replace)


def _legend_below(ax: Any, columns: int = 1) -> None:
    # under the axes, never over what they show
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=columns, frameon=False)


@styled
def draw_numerical_diff(data: dict[str, Any]) -> Any:
    """f(x) and its tangent lines, each labelled with the slope numerical_diff gave."""
    fig = new_figure((6, 5))
    ax = fig.subplots()
    ax.plot(data["x"], data["y"], color="black", label="f(x) = 0.01x² + 0.1x")
    for (x0, y0, slope), color in zip(data["tangents"], ("tab:blue", "tab:orange")):
        ax.plot(data["x"], y0 + slope * (data["x"] - x0), "--", color=color,
                label=f"tangent at x = {x0:g}: slope {slope:.4f}")
        ax.plot([x0], [y0], "o", color=color)
    ax.set(xlabel="x", ylabel="f(x)", ylim=(-1, 6),
           title="Numerical differentiation:\nslope = (f(x+h) − f(x−h)) / 2h")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), frameon=False)
    return fig


@styled
def draw_loss_functions(data: dict[str, Any]) -> Any:
    """-log y beside the SSE and CEE of the book's two examples."""
    fig = new_figure((10, 4.5))
    left, right = fig.subplots(1, 2)
    left.plot(data["y"], data["minus_log_y"], color="black")
    for (_, yk, _, cee), color in zip(data["examples"], ("tab:green", "tab:red")):
        left.plot([yk[2]], [cee], "o", color=color)
        left.annotate(f"y = {yk[2]:g}: −log y = {cee:.2f}", (yk[2], cee),
                      textcoords="offset points", xytext=(10, 5), color=color)
    left.set(xlabel="y, the probability given to the right answer", ylabel="−log y",
             title="Cross-entropy: −log y", ylim=(0, 5.5))
    left.grid(alpha=0.3)
    names = ["y1: 0.6 on the answer", "y2: 0.6 elsewhere"]
    width = 0.38
    for k, (label, color) in enumerate((("sum of squares (SSE)", "tab:gray"),
                                        ("cross-entropy (CEE)", "tab:blue"))):
        values = [ex[2 + k] for ex in data["examples"]]
        bars = right.bar(np.arange(2) + (k - 0.5) * width, values, width, label=label,
                         color=color)
        right.bar_label(bars, fmt="%.4f")
    right.set_xticks(np.arange(2), names)
    right.set(ylabel="loss", ylim=(0, 2.8), title="The answer is 2: both losses prefer y1")
    _legend_below(right, columns=2)
    return fig


@styled
def draw_loss_vs_accuracy(data: dict[str, Any], run: str = "") -> Any:
    """The loss (smooth) and the accuracy (flat, then a jump) along one weight."""
    fig = new_figure((10, 4.2))
    left, right = fig.subplots(1, 2)
    i, j = data["index"]
    w = data["w"] + data["delta"]
    left.plot(w, data["loss"], color="tab:blue")
    left.set(ylabel="loss", title="Loss: moves with every nudge")
    right.plot(w, data["accuracy"], color="tab:red", drawstyle="steps-mid")
    right.set(ylabel="accuracy", title=f"Accuracy: flat, then jumps of 1/{data['n']}")
    for ax in (left, right):
        ax.axvline(data["w"], color="0.5", linestyle=":")
        ax.set_xlabel(f"W2[{i}, {j}]  (dotted: its trained value, {data['w']:.2f})")
        ax.grid(alpha=0.3)
    fig.suptitle(f"One weight of a trained net swept, {data['n']} test images" + _run(run))
    return fig


def _run(run: str) -> str:
    # the network and the run a figure shows, as its own line under the title
    return f"\n{run}" if run else ""


@styled
def draw_minibatch(data: dict[str, Any], run: str = "") -> Any:
    """The spread of mini-batch losses around the loss of the whole training set."""
    fig = new_figure((6.5, 5))
    ax = fig.subplots()
    ax.hist(data["batch_losses"], bins=30, color="tab:blue", alpha=0.7,
            label=f"{len(data['batch_losses'])} random batches of {data['batch_size']}")
    ax.axvline(data["full_loss"], color="black", linewidth=2,
               label=f"all {data['n']:,} images: {data['full_loss']:.3f}")
    ax.set(xlabel="loss", ylabel="number of batches",
           title="A mini-batch's loss estimates\nthe loss of all the data" + _run(run))
    _legend_below(ax)
    return fig


@styled
def draw_mnist_digits(x: np.ndarray, t: np.ndarray, count: int = 24) -> Any:
    """The first `count` images of x, each titled with its label."""
    fig = new_figure((8, 4))
    axes = fig.subplots(3, count // 3)
    for ax, image, label in zip(axes.flat, x[:count], t[:count]):
        ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{label}")
        ax.axis("off")
    fig.suptitle(f"MNIST's first {count} training images: 28 x 28 grey images\n"
                 f"(784 numbers in [0, 1]) and their labels")
    return fig


FUNCTION_2_LEVELS = (1, 2, 4, 8, 12, 16)


@styled
def draw_function_2(data: dict[str, Any]) -> Any:
    """x0^2 + x1^2 as a surface and as contour lines, each line labelled with its value."""
    fig = new_figure((10, 4.8))
    surface = fig.add_subplot(1, 2, 1, projection="3d")
    surface.plot_surface(data["x0"], data["x1"], data["f"], cmap="viridis", linewidth=0)
    surface.set(xlabel="x0", ylabel="x1", zlabel="f", title="f(x0, x1) = x0² + x1²")
    flat = fig.add_subplot(1, 2, 2)
    top = float(data["f"].max())
    levels = [v for v in FUNCTION_2_LEVELS if v < top]  # the ones the grid reaches
    # the dark end of viridis only: every line and its label stay readable on white
    lines = flat.contour(data["x0"], data["x1"], data["f"], levels=levels, cmap="viridis",
                         vmin=0, vmax=1.6 * max(levels))
    flat.clabel(lines, fontsize=10, colors="black")
    flat.plot([0], [0], "k+", markersize=12)
    shown = ", ".join(f"{v:g}" for v in lines.levels)
    flat.set(xlabel="x0", ylabel="x1", aspect="equal", title=f"Contours: f = {shown}")
    return fig


def _contours(ax: Any, reach: float) -> None:
    g = np.linspace(-reach, reach, 101)
    x0, x1 = np.meshgrid(g, g)
    ax.contour(x0, x1, function_2_on_grid(x0, x1), levels=[0.25, 1, 4, 9, 16, 25],
               colors="0.75", linewidths=0.8)
    ax.plot([0], [0], "k+", markersize=12)
    ax.set(xlabel="x0", ylabel="x1", aspect="equal", xlim=(-reach, reach), ylim=(-reach, reach))


@styled
def draw_gradient_field(data: dict[str, Any]) -> Any:
    """-grad f as arrows over the contours: every arrow points downhill, to (0, 0)."""
    fig = new_figure((5.5, 5.5))
    ax = fig.subplots()
    _contours(ax, 2.3)
    p, a = data["points"], data["arrows"]
    ax.quiver(p[:, 0], p[:, 1], a[:, 0], a[:, 1], angles="xy", color="tab:blue")
    ax.set_title("−gradient of x0² + x1²:\ndownhill, longer where steeper")
    return fig


@styled
def draw_descent(path: Any, lr: float | None = None, note: str = "") -> Any:
    """A descent path on x0^2 + x1^2 over contours, start and end marked, η in the title.

    path is the list of points gradient_descent returned; the window is fixed to
    the start's neighbourhood, so a path that runs away leaves it instead of
    stretching the axes to 1e13. note, if any, goes under the title.
    """
    points = np.asarray(path, dtype=float)
    fig = new_figure((5.5, 6.2))
    ax = fig.subplots()
    _draw_path(ax, points, lr, note)
    return fig


def _draw_path(ax: Any, points: np.ndarray, lr: float | None, note: str = "") -> None:
    reach = 1.15 * max(1.0, float(np.abs(points[0]).max()))
    _contours(ax, reach)
    ax.plot(points[:, 0], points[:, 1], "o-", color="tab:blue", markersize=3, linewidth=1)
    for k, p in enumerate(points[1:4], start=1):  # the first steps numbered: a zigzag shows
        ax.annotate(str(k), p, textcoords="offset points", xytext=(5, 5))
    ax.plot(*points[0], "s", color="tab:green", markersize=9, label=f"start {_pt(points[0])}")
    ax.plot(*points[-1], "*", color="tab:red", markersize=13, label=f"end {_pt(points[-1])}")
    steps = len(points) - 1
    eta = f"η = {lr:g}, " if lr is not None else ""
    ax.set_title(f"Gradient descent, {eta}{steps} steps" + (f"\n{note}" if note else ""))
    _legend_below(ax, columns=2)


def _pt(p: np.ndarray) -> str:
    return f"({p[0]:.3g}, {p[1]:.3g})"


@styled
def draw_learning_rates(runs: list[dict[str, Any]]) -> Any:
    """The learning rates side by side in one fixed window, and |x| per step on a log scale."""
    fig = new_figure((15, 4.8))
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 1.3]})
    verdict = {10.0: "too large", 1e-10: "too small", 0.1: "about right"}
    for ax, run in zip(axes, runs):
        p = run["path"]
        _contours(ax, 5.0)
        end = p[-1]
        inside = bool(np.all(np.abs(end) <= 5.0))
        # a path that runs away is drawn up to its first step outside: the lines
        # between far-off points would cross the window and mean nothing
        shown = p if inside else p[:2]
        ax.plot(shown[:, 0], shown[:, 1], "o-", color="tab:blue", markersize=3, linewidth=1)
        ax.plot(*p[0], "s", color="tab:green", markersize=9)
        ax.set_title(f"η = {run['lr']:g} ({verdict.get(run['lr'], '')}), {run['steps']} steps")
        if inside:
            ax.plot(*end, "*", color="tab:red", markersize=13)
        note = f"ends at {_pt(end)}"
        if not inside:
            note = f"leaves the window at step 1,\n{note}"
        if run["frozen_at"] is not None and run["lr"] >= 1:
            note += f",\nfrozen from step {run['frozen_at']}"
        ax.set_xlabel(f"x0\n{note}")  # under the window: the path is drawn in full
    dist = axes[3]
    for run in runs:
        d = np.hypot(run["path"][:, 0], run["path"][:, 1])
        dist.semilogy(range(len(d)), d, label=f"η = {run['lr']:g}")
    dist.set(xlabel="step", ylabel="distance from the minimum (0, 0)",
             title="|x| per step (log scale)")
    dist.grid(alpha=0.3)
    _legend_below(dist, columns=3)
    return fig


@styled
def draw_weight_gradient(data: dict[str, Any]) -> Any:
    """simpleNet's W and dL/dW as annotated tables, and the 0.14h reading of dL/dW[0, 1]."""
    fig = new_figure((13, 4.4))
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 1.3]})
    for ax, name, m in ((axes[0], "W", data["W"]), (axes[1], "dL/dW", data["dW"])):
        limit = 2 * float(np.abs(m).max())  # pale colours: the numbers stay readable
        ax.imshow(m, cmap="coolwarm", vmin=-limit, vmax=limit)
        for (r, c), v in np.ndenumerate(m):
            ax.text(c, r, f"{v:.2f}", ha="center", va="center", fontsize=12,
                    fontweight="bold" if (r, c) == (0, 1) else "normal")
        # indices from 0, row first, as in the guide: W[0, 1] is row 0, column 1
        ax.set_xticks(range(3), [f"column {c}" for c in range(3)])
        ax.set_yticks(range(2), [f"row {r}" for r in range(2)])
        ax.set_title(f"{name} (2 x 3); [0, 1] in bold")
    right = axes[2]
    right.plot(data["h"], data["actual"], color="black", label="L(W[0, 1] + h) − L(W[0, 1])")
    right.plot(data["h"], data["predicted"], "--", color="tab:blue",
               label=f"{data['slope']:.2f} · h  (dL/dW[0, 1] = {data['slope']:.2f})")
    right.set(xlabel="h, the change of W[0, 1]", ylabel="change of the loss",
              title="Raise W[0, 1] by h: L rises by about 0.14h")
    right.grid(alpha=0.3)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    return fig


@styled
def draw_sgd_steps(data: dict[str, Any], run: str = "") -> Any:
    """Each step's batch loss before and after its own update."""
    fig = new_figure((7.5, 5.4))
    ax = fig.subplots()
    k = np.arange(len(data["before"]))
    ax.vlines(k, data["after"], data["before"], color="0.7")
    ax.plot(k, data["before"], "o", color="tab:red", markersize=4,
            label="batch loss before the update (steps 1-2)")
    ax.plot(k, data["after"], "v", color="tab:green", markersize=4,
            label="same batch after the update (step 3)")
    ax.axhline(LOG10, color="0.5", linestyle=":", label="log 10 = 2.30 (a uniform guess)")
    ax.set(xlabel="iteration (step 4: repeat with a new batch)", ylabel="loss",
           title=f"SGD's first {len(k)} steps, η = {data['lr']:g}, batches of 100" + _run(run))
    _legend_below(ax)
    return fig


def history_run(record: dict[str, Any]) -> str:
    """The network and the run a record comes from: '784-50-10, seed 0, 3000 iterations'.

    "" for a record that does not say (no hyperparameters).
    """
    hp = record.get("hyperparameters")
    if not hp:
        return ""
    words = [f"784-{hp['hidden_size']}-10"]
    if record.get("seed") is not None:
        words.append(f"seed {record['seed']}")
    words.append(f"{len(record['train_loss'])} iterations")
    return ", ".join(words)


@styled
def draw_history(record: dict[str, Any]) -> Any:
    """The loss per iteration (log 10 marked) and the accuracies per epoch (both lines visible)."""
    fig = new_figure((11, 5))
    left, right = fig.subplots(1, 2)
    loss = record["train_loss"]
    iter_per_epoch = record["iter_per_epoch"]
    left.plot(range(len(loss)), loss, linewidth=0.5, color="tab:blue", label="batch loss")
    left.axhline(LOG10, color="tab:red", linestyle=":",
                 label="log 10 = 2.30: a uniform guess, the start")
    left.set(xlabel="iteration", ylabel="loss (cross-entropy)", title="Loss of each mini-batch",
             ylim=(0, max(2.6, max(filter(math.isfinite, loss), default=0) * 1.05)))
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, ncol=2)
    epochs = [e["iteration"] / iter_per_epoch for e in record["epochs"]]
    # train first, thick and pale; test on top, thin and dashed: both stay visible where equal
    right.plot(epochs, [e["train_acc"] for e in record["epochs"]], "o-", color="tab:blue",
               linewidth=5, alpha=0.4, markersize=8, label="train")
    right.plot(epochs, [e["test_acc"] for e in record["epochs"]], "s--", color="tab:orange",
               linewidth=1.5, markersize=4, label="test")
    final = record.get("final") or {}
    if final.get("test_acc") is not None and final.get("iteration") is not None and not (
            record["epochs"] and record["epochs"][-1]["iteration"] == final["iteration"]):
        # the final weights, measured after the loop, off the epoch grid (placed as the
        # epochs are: iteration i is the accuracy after its update)
        right.plot([final["iteration"] / iter_per_epoch], [final["test_acc"]], "s",
                   color="tab:orange", fillstyle="none", label="test, final weights")
    last = max(epochs + [len(loss) / iter_per_epoch])
    right.set_xticks(range(0, math.floor(last) + 1, max(1, math.ceil(last / 10))))
    right.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1), title="Accuracy once per epoch")
    right.grid(alpha=0.3)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, ncol=3)
    hp = record["hyperparameters"]
    test = final.get("test_acc")
    impl = f" ({record['impl']})" if record.get("impl") else ""  # pure or numpy, as run
    fig.suptitle(f"Training{impl}: {history_run(record)}; {hp['train_size']} images, batches "
                 f"of {hp['batch_size']}, η = {hp['lr']:g}; final test accuracy "
                 f"{test if test is not None else math.nan:.4f}")
    return fig


MAX_TILES = 100  # hidden units drawn in hidden_units.png: 5 rows of 20


@styled
def draw_hidden_units(images: np.ndarray, run: str = "") -> Any:
    """Each hidden unit's 784 input weights as a 28 x 28 image, all on one colour scale.

    At most MAX_TILES units are drawn (the first ones); the title says so.
    """
    total, images = len(images), images[:MAX_TILES]
    rows = 5
    cols = math.ceil(len(images) / rows)
    fig = new_figure((cols * 0.85 + 1.2, rows * 0.85 + 1.25))
    axes = fig.subplots(rows, cols)
    for ax in axes.flat:
        ax.axis("off")
    # one scale for every tile, so that a pale tile is a unit with small weights
    limit = float(np.abs(images).max())
    for ax, image in zip(axes.flat, images):
        shown = ax.imshow(image, cmap="bwr", vmin=-limit, vmax=limit)
    fig.colorbar(shown, ax=axes, shrink=0.8, label=f"weight (one scale for all {len(images)})")
    which = f"the first {len(images)} of W1's {total}" if total > len(images) else f"W1's {total}"
    fig.suptitle(f"{which} columns as 28 x 28 images (red: +, blue: −)" + _run(run))
    return fig


@styled
def draw_misclassified(data: dict[str, Any], run: str = "") -> Any:
    """The digits the trained net gets wrong, each titled 'label -> guess (p)'."""
    count = len(data["images"])
    cols = 6
    fig = new_figure((8.5, 4.4))
    axes = fig.subplots(math.ceil(count / cols), cols)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, label, guess, p in zip(axes.flat, data["images"], data["label"],
                                          data["guess"], data["p_guess"]):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{label} → {guess} ({p:.2f})")
    fig.suptitle(f"Test digits the net gets wrong: label → its guess (probability);\n"
                 f"{data['error_rate']:.1%} of the test set" + (f"; {run}" if run else ""))
    return fig


# ---------------------------------------------------------------------------
# all of them


@dataclass(frozen=True)
class Figure:
    """One PNG of the guide: its file name, its size in inches, and what it teaches."""

    name: str
    size: tuple[float, float]
    teaches: str
    needs_mnist: bool = False

    def pixels(self) -> tuple[int, int]:
        """The PNG's (width, height) in pixels."""
        return round(self.size[0] * DPI), round(self.size[1] * DPI)


FIGURES = (
    Figure("loss_functions.png", (10, 4.5), "-log y, and SSE against CEE on the book's examples"),
    Figure("loss_vs_accuracy.png", (10, 4.2), "a weight nudged: the loss moves, accuracy stays",
           True),
    Figure("mnist_digits.png", (8, 4), "what MNIST images and labels look like", True),
    Figure("minibatch.png", (6.5, 5), "a batch of 100 estimates the loss of 60,000", True),
    Figure("numerical_diff.png", (6, 5), "tangent lines whose slopes numerical_diff gives"),
    Figure("function_2.png", (10, 4.8), "the bowl x0² + x1² as a surface and as contours"),
    Figure("gradient_field.png", (5.5, 5.5), "-grad f points downhill, to the minimum"),
    Figure("descent.png", (5.5, 6.2), "gradient descent with η = 0.1 from (-3, 4)"),
    Figure("learning_rates.png", (15, 4.8), "η too large (10), too small (1e-10), right (0.1)"),
    Figure("weight_gradient.png", (13, 4.4), "simpleNet's dL/dW; raising W[0, 1] by h adds 0.14h"),
    Figure("sgd_steps.png", (7.5, 5.4), "each SGD step lowers its own batch's loss", True),
    Figure("training.png", (11, 5), "the record of training: loss and accuracies", True),
    Figure("hidden_units.png", (9.7, 5.5), "what the 50 hidden units weigh, after training",
           True),
    Figure("misclassified.png", (8.5, 4.4), "test digits the trained net gets wrong", True),
)


def check_directory(directory: str, force: bool) -> None:
    """Refuse, before any work, a directory that cannot be written or holds figures (unless force).

    A missing directory is fine if it can be created: write_figures creates it.
    """
    for f in FIGURES:
        kind = special_kind(os.path.join(directory, f.name))
        if kind is not None:
            raise click.UsageError(f"{os.path.join(directory, f.name)} is {kind}, not a "
                                   f"regular file; --force replaces only regular files: move "
                                   f"it away or choose another DIR")
    # lexists: a symbolic link is there even when it points nowhere
    there = [f.name for f in FIGURES if os.path.lexists(os.path.join(directory, f.name))]
    if there and not force:
        more = f" and {len(there) - 1} more" if len(there) > 1 else ""
        raise click.UsageError(f"{directory} already holds {there[0]}{more}; pass --force to "
                               f"overwrite them")
    existing = os.path.abspath(directory)
    while not os.path.exists(existing):  # the nearest folder that exists, where it is created
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing) or not os.access(existing, os.W_OK):
        raise click.UsageError(f"cannot write figures into {directory}: {existing} is not a "
                               f"writable directory")


def write_figures(directory: str, params: str | None = None, data_dir: str | None = None,
                  iters: int = TRAIN_ITERS, force: bool = True) -> list[str]:
    """Draw every figure of FIGURES into directory (created if missing); return the paths written.

    MNIST is loaded from data_dir (or where load_mnist looks). The trained network
    is the one saved in params (a .npz or .json of a 784-H-10 net) when given;
    force=False replaces no file: one that appeared meanwhile raises InputError.
    otherwise the network of a brief run of ``iters`` iterations, whose record
    training.png draws either way. A bad params file or missing MNIST raise
    InputError before any training. NumPy's BLAS is fastest here on one thread
    (``OPENBLAS_NUM_THREADS=1``, as the CLI sets it): the products are small.
    """
    saved = saved_network(params) if params is not None else None
    data = mnist(data_dir)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create {directory}: {err.strerror}") from None
    network, record = train_briefly(data, iters)
    if saved is None:
        return draw_figures(directory, data, network, record, force, run=history_run(record))
    return draw_figures(directory, data, saved, record, force,
                        run=saved_run(saved, params or ""))


def saved_run(network: Any, params: str) -> str:
    """What the MNIST figures say of a network loaded from params: '784-50-10 from w.npz'."""
    w1, w2 = network.params["W1"].shape, network.params["W2"].shape
    return f"{w1[0]}-{w1[1]}-{w2[1]} from {os.path.basename(params)}"


def drawings(data: tuple, trained: Any, record: dict[str, Any], run: str = ""
             ) -> dict[str, Callable[[], Any]]:
    """For each name of FIGURES, a function that draws it (a matplotlib Figure).

    data is MNIST as mnist() returns it, trained the network the MNIST figures
    show, record the run training.png draws, run the words naming the network
    and its run on each MNIST figure.
    """
    (x_train, t_train), (x_test, t_test) = data
    return {
        "loss_functions.png": lambda: draw_loss_functions(loss_functions_data()),
        "loss_vs_accuracy.png": lambda: draw_loss_vs_accuracy(
            loss_vs_accuracy_data(trained, x_test[:100], t_test[:100]), run),
        "mnist_digits.png": lambda: draw_mnist_digits(x_train, t_train),
        "minibatch.png": lambda: draw_minibatch(minibatch_data(trained, x_train, t_train), run),
        "numerical_diff.png": lambda: draw_numerical_diff(tangent_data()),
        "function_2.png": lambda: draw_function_2(function_2_data()),
        "gradient_field.png": lambda: draw_gradient_field(gradient_field_data()),
        "descent.png": lambda: draw_descent(descent_data(0.1)["path"], lr=0.1),
        "learning_rates.png": lambda: draw_learning_rates(learning_rates_data()),
        "weight_gradient.png": lambda: draw_weight_gradient(weight_gradient_data()),
        "sgd_steps.png": lambda: draw_sgd_steps(
            sgd_steps_data(x_train, t_train), "a fresh 784-50-10 net, seed 0"),
        "training.png": lambda: draw_history(record),
        "hidden_units.png": lambda: draw_hidden_units(hidden_units_data(trained), run),
        "misclassified.png": lambda: draw_misclassified(
            misclassified_data(trained, x_test, t_test), run),
    }


def draw_figures(directory: str, data: tuple, trained: Any, record: dict[str, Any],
                 force: bool = True, run: str = "") -> list[str]:
    """Draw FIGURES into directory from MNIST, a trained network and a run's record; the paths.

    force=False hard-links each file into place, so a file that appeared at its
    name during the run (another figures run, say) is kept: InputError names it.
    run names the network and its run on each MNIST figure.
    """
    draws = drawings(data, trained, record, run)
    written: list[str] = []
    for figure in FIGURES:
        path = os.path.join(directory, figure.name)
        kind = special_kind(path)
        if kind is not None:
            raise InputError(f"{kind} appeared at {path} during the run; it is left as it "
                             f"is ({len(written)} figures written)")
        try:
            save(draws[figure.name](), path, replace=force)
        except FileExistsError:
            raise InputError(f"{path} appeared during the run (another figures run?); it "
                             f"is left as it is ({len(written)} figures written; pass "
                             f"--force to replace them)") from None
        written.append(path)
    return written
