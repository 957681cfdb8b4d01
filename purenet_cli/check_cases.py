"""The cases `purenet check` runs on each chapter-4 name of a learner's file, and the mistakes.

Each checker takes the learner's object and returns notes (the book's traps, not failures),
or raises Failure (which input, what came back, what was expected, and, for a mistake
learners of this chapter make, the mistake in words and the guide's section to reread) or
NotWritten (the name raises NotImplementedError, as in `purenet check --new`'s file).
Expected values come from both packages, reference (NumPy) and purenet (plain lists), which
must agree; the inputs are the book's worked examples (the values it prints) and small
random cases (seeded, so a run can be repeated). Inputs are NumPy arrays when the file
imported NumPy, plain lists otherwise; results may be either.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np

import purenet.functions as pf
import purenet.gradient as pg
import reference.functions as rf
import reference.gradient as rg
from purenet.two_layer_net import TwoLayerNet as PureNet
from purenet_cli.check_names import NAMES, NET_PARTS, SECTIONS
from reference.two_layer_net import TwoLayerNet as RefNet

TOL = 1e-9        # functions computed in closed form (sigmoid, softmax, the losses)
TOL_NUM = 1e-6    # numerical derivatives, whose own error is about h^2 = 1e-8
RANDOM_CASES = 10
class Failure(Exception):
    def __init__(self, message: str, mistake: str | None = None, section: int | None = None):
        super().__init__(message)
        self.message, self.mistake, self.section = message, mistake, section


class NotWritten(Exception):
    pass


# --- values: what came back, compared with what was expected --------------------------------

def plain(value: Any) -> Any:
    """A result as nested lists of floats (arrays, tuples and NumPy scalars too)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"a {type(value).__name__}, not a number or an array")


def shape(value: Any) -> tuple[int, ...]:
    if isinstance(value, list):
        return (len(value), *(shape(value[0]) if value else ()))
    return ()


def close(got: Any, want: Any, tol: float) -> bool:
    if isinstance(want, list):
        return (isinstance(got, list) and len(got) == len(want)
                and all(close(g, w, tol) for g, w in zip(got, want)))
    if isinstance(got, list) or not math.isfinite(got):
        return False
    return abs(got - want) <= tol * max(1.0, abs(want))


def fmt(value: Any) -> str:
    if isinstance(value, list):
        shown = 2 if value and isinstance(value[0], list) else 4  # rows of a matrix: 2
        inner = ", ".join(fmt(v) for v in value[:shown])
        return "[" + inner + (", ..." if len(value) > shown else "") + "]"
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value)


class Checker:
    """The learner's namespace, in the form (arrays or lists) its code expects."""

    def __init__(self, ns: dict[str, Any], uses_numpy: bool):
        self.ns, self.numpy = ns, uses_numpy
        self.rng = random.Random(4)

    def arg(self, x: Any) -> Any:
        """An input for the learner: a float array, or a copy of the nested list."""
        return np.array(x, dtype=float) if self.numpy else copy.deepcopy(x)

    def call(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except NotImplementedError:
            raise NotWritten() from None
        except Failure:
            raise
        except MemoryError:
            raise Failure(f"{what} asked for more memory than the limit (--memory)") from None
        except Exception as exc:  # the learner's code may raise anything: say what and where
            raise Failure(f"{what} raised {type(exc).__name__}: {exc}") from None

    def result(self, what: str, got: Any) -> Any:
        try:
            return plain(got)
        except TypeError as exc:
            raise Failure(f"{what} returned {exc}") from None

    def expect(self, what: str, got: Any, want: Any, tol: float,
               mistakes: list[tuple[Any, str, int]] = (),  # type: ignore[assignment]
               mistake_tol: float = 1e-12) -> None:
        """Fail unless got is want within tol; name the first mistake whose value got is."""
        got = self.result(what, got)
        if close(got, want, tol):
            return
        message = f"{what} returned {fmt(got)}, expected {fmt(want)} (within {tol:g})"
        if shape(got) != shape(want):
            message += f": shape {shape(got)}, expected {shape(want)}"
        for value, words, section in mistakes:
            if value is not None and close(got, value, max(tol, mistake_tol)):
                raise Failure(message, words, section)
        raise Failure(message)

    def vector(self, n: int, low: float = -3.0, high: float = 3.0) -> list[float]:
        return [self.rng.uniform(low, high) for _ in range(n)]

    def probabilities(self, n: int) -> list[float]:
        return pf.softmax(self.vector(n))

    def one_hot(self, label: int, n: int) -> list[float]:
        return [1.0 if k == label else 0.0 for k in range(n)]


def as_array(a: list) -> np.ndarray:
    """Labels (a list of ints) stay ints; everything else is float64."""
    if all(type(v) is int for v in a):
        return np.array(a)
    return np.array(a, dtype=float)


def both(pure: Callable[..., Any], ref: Callable[..., Any], *args: Any) -> Any:
    """The expected value, from purenet and reference, which must agree."""
    p = plain(pure(*copy.deepcopy(args)))
    r = plain(ref(*(as_array(a) if isinstance(a, list) else a for a in args)))
    assert close(p, r, 1e-12), (p, r)
    return r


# --- the functions ----------------------------------------------------------------------------

BOOK_SIGMOID = [-1.0, 1.0, 2.0]  # the book prints [0.26894142 0.73105858 0.88079708]


def check_sigmoid(c: Checker, fn: Any) -> list[str]:
    cases = [BOOK_SIGMOID] + [c.vector(5, -10, 10) for _ in range(RANDOM_CASES)]
    for x in cases:
        c.expect(f"sigmoid({fmt(x)})", c.call("sigmoid", fn, c.arg(x)),
                 both(pf.sigmoid, rf.sigmoid, x), TOL)
    return []


def check_sigmoid_grad(c: Checker, fn: Any) -> list[str]:
    for x in [[0.0, 1.0, -2.0]] + [c.vector(4, -5, 5) for _ in range(RANDOM_CASES)]:
        of_output = [v * (1 - v) for v in x]
        c.expect(f"sigmoid_grad({fmt(x)})", c.call("sigmoid_grad", fn, c.arg(x)),
                 both(pf.sigmoid_grad, rf.sigmoid_grad, x), TOL,
                 [(of_output, "sigmoid_grad(x) must be (1 - sigmoid(x)) * sigmoid(x) of the "
                   "input x; x * (1 - x) is that formula taken of the output", 9)])
    return []


BOOK_SOFTMAX = [0.3, 2.9, 4.0]       # the book prints [0.01821127 0.24519181 0.73659691]
BOOK_OVERFLOW = [1010.0, 1000.0, 990.0]  # the book's np.exp(a) gives nan, nan, nan


def check_softmax(c: Checker, fn: Any) -> list[str]:
    overflow = ("softmax without subtracting the maximum: exp(1010) overflows (np.exp gives inf, "
                "and inf / inf is nan; math.exp raises): compute exp(a - max(a)), which changes "
                "nothing else", 3)
    for x in [BOOK_SOFTMAX] + [c.vector(5, -8, 8) for _ in range(RANDOM_CASES)] + [BOOK_OVERFLOW]:
        try:
            got = c.call(f"softmax({fmt(x)})", fn, c.arg(x))
        except Failure as failure:
            if "OverflowError" in failure.message:  # math.exp(1010), in plain Python
                raise Failure(failure.message, *overflow) from None
            raise
        want = both(pf.softmax, rf.softmax, x)
        got_plain = c.result("softmax", got)
        nan = isinstance(got_plain, list) and any(
            not math.isfinite(v) for v in got_plain if not isinstance(v, list))
        if nan:
            raise Failure(f"softmax({fmt(x)}) returned {fmt(got_plain)}, expected {fmt(want)}",
                          *overflow)
        c.expect(f"softmax({fmt(x)})", got, want, TOL)
    batch = [c.vector(3), c.vector(3)]
    try:
        c.expect("softmax(a batch of 2 rows)", c.call("softmax", fn, c.arg(batch)),
                 both(pf.softmax, rf.softmax, batch), TOL)
    except Failure:
        return ["softmax takes one sample only (the book's chapter 3 version); a TwoLayerNet's "
                "predict gives it a batch, row by row, as the book's common/functions.py does"]
    return []


BOOK_T = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
BOOK_Y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]   # 0.0975; 0.510825457099338
BOOK_Y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]  # 0.5975; 2.302584092994546


def check_sum_squared_error(c: Checker, fn: Any) -> list[str]:
    cases = [(BOOK_Y, BOOK_T), (BOOK_Y2, BOOK_T)]
    cases += [(c.probabilities(4), c.one_hot(c.rng.randrange(4), 4)) for _ in range(RANDOM_CASES)]
    for y, t in cases:
        what = f"sum_squared_error({fmt(y)}, {fmt(t)})"
        c.expect(what, c.call(what, fn, c.arg(y), c.arg(t)),
                 both(pf.sum_squared_error, rf.sum_squared_error, y, t), TOL)
    return []


def no_delta(y: list, t: list) -> float | None:
    """The cross-entropy without the 1e-7 (None where a log of 0 makes it infinite)."""
    rows = y if isinstance(y[0], list) else [y]
    trows = t if isinstance(t[0], list) else [t]
    try:
        total = sum(tk * math.log(yk) for r, s in zip(rows, trows) for yk, tk in zip(r, s) if tk)
    except ValueError:
        return None
    return -total / len(rows)


LOG = ("np.log(y) without the 1e-7: the book adds delta = 1e-7, -np.sum(t * np.log(y + delta)), "
       "so that a probability of 0 gives a large loss, not -inf", 1)


ONE_SAMPLE = ("it handles one sample only: a batch y is (N, C), and the loss is the sum over "
              "its rows divided by N = y.shape[0] (reshape one sample to (1, C) first, as the "
              "book does)")


def check_cross_entropy_error(c: Checker, fn: Any) -> list[str]:
    notes: list[str] = []
    cases = [(BOOK_Y, BOOK_T), (BOOK_Y2, BOOK_T)]
    for _ in range(RANDOM_CASES):
        n = c.rng.randrange(3, 6)
        cases.append((c.probabilities(n), c.one_hot(c.rng.randrange(n), n)))
    for y, t in cases:
        what = f"cross_entropy_error({fmt(y)}, {fmt(t)})"
        c.expect(what, c.call(what, fn, c.arg(y), c.arg(t)),
                 both(pf.cross_entropy_error, rf.cross_entropy_error, y, t), TOL,
                 [(no_delta(y, t), *LOG)])
    # a probability of 0 on the answer: with the 1e-7, -log(1e-7) = 16.1
    y, t = [0.0, 0.3, 0.7], [1.0, 0.0, 0.0]
    what = f"cross_entropy_error({fmt(y)}, {fmt(t)})"
    got = c.result(what, c.call(what, fn, c.arg(y), c.arg(t)))
    want = both(pf.cross_entropy_error, rf.cross_entropy_error, y, t)
    if not close(got, want, TOL):
        words = LOG if not isinstance(got, list) and not math.isfinite(got) else (None, None)
        raise Failure(f"{what} returned {fmt(got)}, expected {fmt(want)}", *words)
    # a batch, with one-hot rows (the book's 4.2.4)
    batch_n = 3
    labels = [c.rng.randrange(4) for _ in range(batch_n)]
    y = [c.probabilities(4) for _ in range(batch_n)]  # type: ignore[misc]
    t = [c.one_hot(k, 4) for k in labels]  # type: ignore[misc]
    want = both(pf.cross_entropy_error, rf.cross_entropy_error, y, t)
    what = f"cross_entropy_error(a batch of {batch_n} rows, one-hot t)"
    try:
        got = c.call(what, fn, c.arg(y), c.arg(t))
    except Failure as failure:
        raise Failure(failure.message, ONE_SAMPLE, 2) from None
    try:
        c.expect(what, got, want, TOL, [
            (want * batch_n, f"a batch's loss is summed, not averaged (the one-sample formula "
                             f"on a batch does this): divide by the batch size (here {batch_n}, "
                             "y.shape[0]) so batches of any size compare", 2),
            (no_delta(y, t), *LOG)])
    except Failure as failure:
        if failure.mistake is None:
            raise Failure(failure.message, ONE_SAMPLE, 2) from None
        raise
    # the same batch with labels (the book's other version); the book's one-hot code may refuse
    want = both(pf.cross_entropy_error, rf.cross_entropy_error, y, labels)
    what = f"cross_entropy_error(a batch of {batch_n} rows, labels t={labels})"
    try:
        got = c.result(what, c.call(what, fn, c.arg(y),
                                    np.array(labels) if c.numpy else list(labels)))
    except Failure as failure:
        if "axis 1" in failure.message or "argmax" in failure.message:
            raise Failure(failure.message, "one-hot and label targets mixed up: "
                          "np.argmax(t, axis=1) turns one-hot rows into labels; labels are "
                          "class numbers already (t.size == y.size tells one-hot apart)",
                          2) from None
        notes.append("cross_entropy_error takes one-hot t only (the book's first batch "
                     "version); section 2 of the guide also reads labels")
        return notes
    if not close(got, want, TOL):
        raise Failure(f"{what} returned {fmt(got)}, expected {fmt(want)}",
                      "one-hot and label targets mixed up: with labels t, only y[n, t[n]] "
                      "counts: -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size",
                      2)
    return notes


# --- derivatives ------------------------------------------------------------------------------

def function_1(x: float) -> float:
    return 0.01 * x ** 2 + 0.1 * x  # the book's 4.3.2


def cube(x: float) -> float:
    return x ** 3 - 2 * x


def check_numerical_diff(c: Checker, fn: Any) -> list[str]:
    forward = ("a forward difference (f(x + h) - f(x)) / h: its error shrinks like h, the "
               "central difference (f(x + h) - f(x - h)) / (2 * h) like h * h", 4)
    tiny = ("h too small: with h = 1e-50, x + h == x in floats and the difference is 0; the "
            "book uses h = 1e-4", 4)
    cases = [(function_1, "function_1", 5.0), (function_1, "function_1", 10.0)]
    cases += [(cube, "x**3 - 2*x", round(c.rng.uniform(-3, 3), 3)) for _ in range(RANDOM_CASES)]
    for f, name, x in cases:
        what = f"numerical_diff({name}, {x:g})"
        want = both(pg.numerical_diff, rg.numerical_diff, f, x)
        c.expect(what, c.call(what, fn, f, x), want, TOL_NUM,
                 [((f(x + 1e-4) - f(x)) / 1e-4, *forward), (0.0 if want else None, *tiny)])
    return []


def function_2_plain(x: Any) -> float:
    return sum(float(v) ** 2 for v in x)


def check_function_2(c: Checker, fn: Any) -> list[str]:
    for x in [[3.0, 4.0], [0.0, 2.0]] + [c.vector(2) for _ in range(RANDOM_CASES)]:
        what = f"function_2({fmt(x)})"
        c.expect(what, c.call(what, fn, c.arg(x)), both(pg.function_2, rg.function_2, x), TOL)
    return []


def bowl(x: Any) -> float:
    """A function whose entries interact, so an entry left nudged changes the next ones."""
    v = plain(x)
    flat = [a for row in v for a in row] if isinstance(v[0], list) else v
    return sum(a * a for a in flat) + sum(a * b for a, b in zip(flat, flat[1:]))


def variants(f: Callable[[Any], float], x: list[float]) -> dict[str, list[float]]:
    """What the three mistakes give on a vector x: forward, h = 1e-50, entry not restored."""
    h = 1e-4
    forward, kept, not_restored = [], list(x), []
    for i, v in enumerate(x):
        up = list(x)
        up[i] = v + h
        forward.append((f(up) - f(x)) / h)
        kept[i] = v + h
        fxh1 = f(kept)
        kept[i] = v - h  # and left there: the next entries see a shifted x
        not_restored.append((fxh1 - f(kept)) / (2 * h))
    return {"forward": forward, "tiny": [0.0] * len(x), "not_restored": not_restored}


def gradient_mistakes(f: Callable[[Any], float], x: list[float]) -> list[tuple[Any, str, int]]:
    v = variants(f, x)
    return [
        (v["forward"], "a forward difference (f(x + h) - f(x)) / h; the book's is central: "
                       "(f(x + h) - f(x - h)) / (2 * h)", 5),
        (v["tiny"], "h too small: with h = 1e-50 every x + h == x and the gradient is all 0; "
                    "the book uses h = 1e-4", 5),
        (v["not_restored"], "the entry is not restored after nudging: after f(x - h), put "
                            "x[idx] = tmp_val back, or every later entry is computed at a "
                            "shifted point", 5)]


def check_numerical_gradient(c: Checker, fn: Any) -> list[str]:
    notes: list[str] = []
    not_restored = ("the entry is not restored after nudging: x is changed when the call "
                    "returns; put x[idx] = tmp_val back after computing f(x - h)", 5)
    cases = [([3.0, 4.0], function_2_plain, "function_2"), ([0.0, 2.0], function_2_plain,
                                                            "function_2"),
             ([3.0, 0.0], function_2_plain, "function_2")]
    cases += [(c.vector(3), bowl, "sum(x*x) + sum(x[i]*x[i+1])") for _ in range(RANDOM_CASES)]
    for x, f, name in cases:
        what = f"numerical_gradient({name}, {fmt(x)})"
        arg = c.arg(x)
        got = c.call(what, fn, f, arg)
        if plain(arg) != x:
            got_plain = c.result(what, got)
            raise Failure(f"{what} returned {fmt(got_plain)} and left x at {fmt(plain(arg))}",
                          *not_restored)
        c.expect(what, got, both(pg.numerical_gradient, rg.numerical_gradient, f, x), TOL_NUM,
                 gradient_mistakes(f, x))
    # a matrix (section 8): the book's 4.4 version takes vectors only
    m = [c.vector(3), c.vector(3)]
    try:
        c.expect("numerical_gradient(f, a 2x3 matrix)", c.call("numerical_gradient", fn, bowl,
                 c.arg(m)), both(pg.numerical_gradient, rg.numerical_gradient, bowl, m), TOL_NUM)
    except Failure:
        notes.append("numerical_gradient takes vectors only; section 8's simpleNet and "
                     "TwoLayerNet need it on matrices (the book's np.nditer version)")
    # the traps the book leaves: a raising f, an integer array
    x = c.arg([1.0, 2.0])
    calls = [0]

    def raising(v: Any) -> float:
        calls[0] += 1
        if calls[0] == 2:
            raise ArithmeticError("raised on purpose")
        return function_2_plain(v)
    try:
        fn(raising, x)
    except Exception:
        pass
    if plain(x) != [1.0, 2.0]:
        notes.append("numerical_gradient restores the entry only when f returns: when f raises, "
                     f"x is left at {fmt(plain(x))} (purenet puts it back in a finally:)")
    if c.numpy:
        ints = np.array([3, 4])
        try:
            got = plain(fn(function_2_plain, ints))
        except Exception:
            got = None
        if got is not None and not close(got, [6.0, 8.0], TOL_NUM):
            notes.append(f"numerical_gradient(function_2, np.array([3, 4])) gives {fmt(got)}, "
                         "not [6, 8]: an integer array cannot hold x + h (the book's trap; "
                         "purenet refuses ints)")
    return notes


def check_gradient_descent(c: Checker, fn: Any) -> list[str]:
    notes: list[str] = []
    ascent = ("it steps with the gradient, x += lr * grad, which climbs: gradient descent "
              "steps against it, x -= lr * grad", 7)
    cases = [([-3.0, 4.0], 0.1, 100), ([-3.0, 4.0], 0.01, 100)]
    cases += [(c.vector(2), round(c.rng.uniform(0.01, 0.3), 3), c.rng.randrange(1, 20))
              for _ in range(RANDOM_CASES)]
    for x, lr, steps in cases:
        what = f"gradient_descent(function_2, {fmt(x)}, lr={lr:g}, step_num={steps})"
        arg = c.arg(x)
        got = c.call(what, fn, function_2_plain, arg, lr=lr, step_num=steps)
        if isinstance(got, tuple) and len(got) == 2:  # (x, history), as gradient_method.py
            got = got[0]
        want = plain(rg.gradient_descent(function_2_plain, np.array(x), lr=lr,
                                         step_num=steps)[0])
        up = [v * (1 + 2 * lr) ** steps for v in x]
        # far from 0, the numerical gradient of x * x loses digits: the climb matches to 1e-2
        c.expect(what, got, want, TOL_NUM, [(up, *ascent)], mistake_tol=1e-2)
        if plain(arg) != x and not notes:
            notes.append("gradient_descent changes the caller's init_x in place (x = init_x "
                         "is the same array): copy it first if you need it after")
    return notes


# --- the networks -----------------------------------------------------------------------------

BOOK_W = [[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]]
BOOK_X = [0.6, 0.9]   # predict -> [1.05414809 0.63071653 1.1328074], loss 0.92806853663411326
BOOK_LABEL = [0.0, 0.0, 1.0]


def check_simple_net(c: Checker, cls: Any) -> list[str]:
    import reference.simple_net as rs
    net = c.call("simpleNet()", cls)
    if not hasattr(net, "W"):
        raise Failure("simpleNet() has no W: the book's __init__ sets self.W = "
                      "np.random.randn(2, 3)", None, 8)
    cases = [(BOOK_W, BOOK_X, BOOK_LABEL)]
    for _ in range(RANDOM_CASES // 2):
        cases.append(([c.vector(3), c.vector(3)], c.vector(2), c.one_hot(c.rng.randrange(3), 3)))
    for W, x, t in cases:
        ref = rs.SimpleNet(W=np.array(W))
        net.W = c.arg(W)
        c.expect(f"predict({fmt(x)}) with W = {fmt(W)}", c.call("predict", net.predict, c.arg(x)),
                 plain(ref.predict(np.array(x))), TOL)
        c.expect(f"loss({fmt(x)}, {fmt(t)})", c.call("loss", net.loss, c.arg(x), c.arg(t)),
                 float(ref.loss(np.array(x), np.array(t))), TOL)
        ng = c.ns.get("numerical_gradient")
        if callable(ng):
            xs, ts = c.arg(x), c.arg(t)
            dW = c.call("numerical_gradient(lambda w: net.loss(x, t), net.W)", ng,
                        lambda w, xs=xs, ts=ts: net.loss(xs, ts), net.W)
            c.expect("numerical_gradient(lambda w: net.loss(x, t), net.W)", dW,
                     plain(ref.numerical_gradient(np.array(x), np.array(t))), TOL_NUM)
    return []


SIZES = (4, 5, 3)   # input, hidden, output: no two equal, so a missing transpose cannot fit


def net_case(c: Checker, batch: int) -> tuple[dict[str, list], list, list]:
    d, h, k = SIZES
    params: dict[str, list] = {"W1": [c.vector(h, -1, 1) for _ in range(d)],
                               "b1": c.vector(h, -1, 1),
              "W2": [c.vector(k, -1, 1) for _ in range(h)], "b2": c.vector(k, -1, 1)}
    x = [c.vector(d, -1, 1) for _ in range(batch)]
    t = [c.one_hot(c.rng.randrange(k), k) for _ in range(batch)]
    return params, x, t


def sigmoid_of_output(params: dict[str, list], x: list, t: list) -> dict[str, Any]:
    """The gradient with sigmoid_grad(z1) in place of sigmoid_grad(a1)."""
    W1, b1, W2, b2 = (np.array(params[k]) for k in ("W1", "b1", "W2", "b2"))
    xa, ta = np.array(x), np.array(t)
    z1 = rf.sigmoid(xa @ W1 + b1)
    dy = (rf.softmax(z1 @ W2 + b2) - ta) / len(x)
    dz1 = rf.sigmoid_grad(z1) * (dy @ W2.T)
    return {"W1": plain(xa.T @ dz1), "b1": plain(dz1.sum(axis=0)),
            "W2": plain(z1.T @ dy), "b2": plain(dy.sum(axis=0))}


def check_two_layer_net(c: Checker, cls: Any, report: Callable[..., None]) -> None:
    """Report each part of TwoLayerNet by itself: 'TwoLayerNet.predict' and so on."""
    d, h, k = SIZES
    what = f"TwoLayerNet(input_size={d}, hidden_size={h}, output_size={k})"
    try:
        net = c.call(what, cls, input_size=d, hidden_size=h, output_size=k)
    except NotWritten:
        for part in NET_PARTS:
            report(f"TwoLayerNet.{part}", "missing")
        return
    except Failure as failure:
        for part in NET_PARTS:
            report(f"TwoLayerNet.{part}", "fail", failure)
        return

    def part_params() -> list[str]:
        params = getattr(net, "params", None)
        if not isinstance(params, dict):
            raise Failure(f"{what}.params is {type(params).__name__}, not a dict of "
                          "W1, b1, W2, b2", None, 9)
        want = {"W1": (d, h), "b1": (h,), "W2": (h, k), "b2": (k,)}
        got = {key: shape(c.result(f"params['{key}']", value)) for key, value in params.items()}
        if got != want:
            raise Failure(f"{what}.params has shapes {got}, expected {want}", None, 9)
        return []

    case = net_case(c, batch=6)

    def load(params: dict[str, list]) -> None:
        for key, value in params.items():
            net.params[key] = c.arg(value)

    def expected(params: dict[str, list]) -> tuple[Any, Any]:
        pure = PureNet.from_params(copy.deepcopy(params))
        ref = RefNet.from_params(params)
        return pure, ref

    def part_predict() -> list[str]:
        params, x, _ = case
        load(params)
        pure, ref = expected(params)
        want = plain(ref.predict(np.array(x)))
        assert close(plain(pure.predict(x)), want, 1e-12)
        c.expect("predict(x) on a batch of 6", c.call("predict", net.predict, c.arg(x)), want, TOL)
        return []

    def part_loss() -> list[str]:
        params, x, t = case
        load(params)
        pure, ref = expected(params)
        want = float(ref.loss(np.array(x), np.array(t)))
        assert close(pure.loss(x, t), want, 1e-12)
        c.expect("loss(x, t) on a batch of 6, t one-hot",
                 c.call("loss", net.loss, c.arg(x), c.arg(t)), want, TOL,
                 [(want * 6, "the batch's loss is summed, not averaged: divide by the batch "
                             "size", 2)])
        return []

    def part_accuracy() -> list[str]:
        params, x, t = net_case(c, batch=40)
        load(params)
        pure, ref = expected(params)
        want = float(ref.accuracy(np.array(x), np.array(t)))
        assert close(pure.accuracy(x, t), want, 1e-12)
        c.expect("accuracy(x, t) on a batch of 40, t one-hot",
                 c.call("accuracy", net.accuracy, c.arg(x), c.arg(t)), want, TOL)
        return []

    def check_grads(name: str, method: Any, tol: float, extra: list) -> list[str]:
        backprop = name == "gradient"
        params, x, t = case
        load(params)
        _, ref = expected(params)
        want = {key: plain(v) for key, v in ref.gradient(np.array(x), np.array(t)).items()}
        got = c.call(f"{name}(x, t)", method, c.arg(x), c.arg(t))
        if not isinstance(got, dict) or sorted(got) != ["W1", "W2", "b1", "b2"]:
            raise Failure(f"{name}(x, t) returned {type(got).__name__} "
                          f"{sorted(got) if isinstance(got, dict) else ''}, expected a dict of "
                          "W1, b1, W2, b2", None, 9)
        for key in ("W2", "b2", "W1", "b1"):
            mistakes = [(v[key] if isinstance(v, dict) else None, words, section)
                        for v, words, section in extra]
            scaled = [[a * 6 for a in row] if isinstance(row, list) else row * 6
                      for row in want[key]]
            mistakes.append((scaled, "dy = (y - t) is not divided by the batch size: the loss "
                                     "is a mean, so dy = (y - t) / batch_num" if backprop else
                             "the loss is summed over the batch, not averaged, so its "
                             "gradient is batch-size times too large", 9 if backprop else 2))
            c.expect(f"{name}(x, t)['{key}'] on a batch of 6", got[key], want[key], tol, mistakes)
        return []

    def part_numerical_gradient() -> list[str]:
        return check_grads("numerical_gradient", net.numerical_gradient, 1e-6, [])

    def part_gradient() -> list[str]:
        params, x, t = case
        wrong = sigmoid_of_output(params, x, t)
        try:
            return check_grads("gradient", net.gradient, 1e-9, [
                (wrong, "sigmoid_grad is taken of the output z1: it takes the input, "
                        "dz1 = sigmoid_grad(a1) * da1", 9)])
        except Failure as failure:
            if failure.mistake is None and ("align" in failure.message or "shape" in
                                            failure.message or "broadcast" in failure.message):
                raise Failure(failure.message, "a missing transpose: the gradient of "
                              "x @ W is x.T @ dy for W and dy @ W.T for x (np.dot(z1.T, dy), "
                              "np.dot(dy, W2.T))", 9) from None
            raise

    parts = {"params": part_params, "predict": part_predict, "loss": part_loss,
             "accuracy": part_accuracy, "numerical_gradient": part_numerical_gradient,
             "gradient": part_gradient}
    for part in NET_PARTS:
        name = f"TwoLayerNet.{part}"
        if part != "params" and not callable(getattr(net, part, None)):
            report(name, "missing")
            continue
        report(name, "start")
        try:
            notes = parts[part]()
        except NotWritten:
            report(name, "missing")
        except Failure as failure:
            report(name, "fail", failure)
        else:
            report(name, "ok", notes=notes)
        if part == "params" and not isinstance(getattr(net, "params", None), dict):
            for rest in NET_PARTS[1:]:
                report(f"TwoLayerNet.{rest}", "fail", Failure("no params to check it with"))
            return


CHECKS: dict[str, Callable[[Checker, Any], list[str]]] = {
    "sigmoid": check_sigmoid, "sigmoid_grad": check_sigmoid_grad, "softmax": check_softmax,
    "sum_squared_error": check_sum_squared_error,
    "cross_entropy_error": check_cross_entropy_error, "numerical_diff": check_numerical_diff,
    "function_2": check_function_2, "numerical_gradient": check_numerical_gradient,
    "gradient_descent": check_gradient_descent, "simpleNet": check_simple_net,
}


def run_cases(ns: dict[str, Any], uses_numpy: bool, emit: Callable[..., None]) -> None:
    """Check every chapter-4 name of ns, emitting one record per name (and a start first)."""
    c = Checker(ns, uses_numpy)

    def report(name: str, status: str, failure: Failure | None = None,
               notes: list[str] | None = None) -> None:
        if status == "start":
            emit(start=name)
            return
        record: dict[str, Any] = {"name": name, "status": status, "notes": notes or []}
        if failure is not None:
            record.update(message=failure.message, mistake=failure.mistake,
                          section=SECTIONS.get(failure.section or 0))
        emit(**record)

    for name in NAMES:
        key = name
        if name == "sum_squared_error" and name not in ns and "mean_squared_error" in ns:
            key = "mean_squared_error"
        obj = ns.get(key)
        if name == "TwoLayerNet":
            if obj is None:
                for part in NET_PARTS:
                    report(f"TwoLayerNet.{part}", "missing")
            else:
                check_two_layer_net(c, obj, report)
            continue
        if not callable(obj):
            report(key, "missing")
            continue
        report(key, "start")
        try:
            with np.errstate(all="ignore"):
                notes = CHECKS[name](c, obj)
        except NotWritten:
            report(key, "missing")
        except Failure as failure:
            report(key, "fail", failure)
        except Exception as exc:  # what the learner's object did that no case foresaw
            report(key, "fail", Failure(f"checking it raised {type(exc).__name__}: {exc}"))
        else:
            report(key, "ok", notes=notes)
