"""gradient in both packages: the book's examples of sections 4.3-4.4, gradient descent against
its closed form, exact restoring of x, refused input, and purenet against reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import purenet.functions as pure_f
import purenet.gradient as pure
import reference.functions as ref_f
import reference.gradient as ref

FAST = settings(max_examples=50, deadline=None)
PACKAGES = pytest.mark.parametrize("G", [pure, ref], ids=["purenet", "reference"])


def as_input(G, x):
    """The point x as each package takes it: nested lists in purenet, a float array in reference."""
    return x if G is pure else np.array(x, dtype=float)


def flat(x):
    """Entries of x as Python floats, row by row, for lists and arrays alike."""
    if isinstance(x, np.ndarray):
        return x.ravel().tolist()
    return [v for row in x for v in row] if isinstance(x[0], list) else list(x)


def function_1(x):
    return 0.01 * x**2 + 0.1 * x  # the book's function_1


def function_2(x):
    return sum(v * v for v in flat(x))  # x0^2 + x1^2 (+ ...), the book's function_2


def bits(x):
    """The exact bit patterns of x's entries, to compare 'restored' without tolerance."""
    return np.array(flat(x), dtype=np.float64).view(np.int64).tolist()


# --- section 4.3: numerical differentiation ---------------------------------------------------


@PACKAGES
def test_book_numerical_diff(G):
    d5, d10 = G.numerical_diff(function_1, 5.0), G.numerical_diff(function_1, 10.0)
    assert d5 == pytest.approx(0.2, abs=1e-9)  # analytic: 0.02x + 0.1
    assert d10 == pytest.approx(0.3, abs=1e-9)
    # the very digits the book prints: the same formula, the same rounding
    assert d5 == pytest.approx(0.1999999999990898, abs=1e-15)
    assert d10 == pytest.approx(0.2999999999986347, abs=1e-15)
    assert G.H == 1e-4


@PACKAGES
@pytest.mark.parametrize("point, want", [((3.0, 4.0), (6.0, 8.0)), ((0.0, 2.0), (0.0, 4.0)),
                                         ((3.0, 0.0), (6.0, 0.0))])
def test_book_numerical_gradient(G, point, want):
    grad = G.numerical_gradient(function_2, as_input(G, list(point)))
    assert np.shape(grad) == (2,)
    assert np.allclose(grad, want, rtol=0, atol=1e-9)


@PACKAGES
def test_numerical_gradient_of_a_matrix_keeps_its_shape(G):
    w = as_input(G, [[1.0, -2.0, 0.5], [0.0, 3.0, -1.5]])  # (2, 3)
    grad = G.numerical_gradient(function_2, w)  # d(sum w^2)/dw = 2w
    assert np.shape(grad) == (2, 3)
    assert type(grad) is type(w) and (G is ref or all(type(r) is list for r in grad))
    assert np.allclose(grad, 2 * np.array(flat(w)).reshape(2, 3), rtol=0, atol=1e-9)


# --- x is put back exactly, even when f raises ------------------------------------------------


class Boom(Exception):
    pass


def raises_on_call(n):
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == n:
            raise Boom
        return function_2(x)

    return f


@PACKAGES
@pytest.mark.parametrize("point", [[0.1, 1e300, -2.5], [[0.1, 0.7], [1e-300, -3.0]]])
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_numerical_gradient_restores_x_even_when_f_raises(G, point, n):
    x = as_input(G, point)
    before = bits(x)
    objects = [id(v) for v in flat(x)] if G is pure else None
    with pytest.raises(Boom):
        G.numerical_gradient(raises_on_call(n), x)  # call 3 is f(x + h) on the 2nd entry
    assert bits(x) == before
    if G is pure:  # the very same float objects are back in place
        rows = [x] if not isinstance(x[0], list) else x
        assert [id(v) for row in rows for v in row] == objects
    G.numerical_gradient(function_2, x)  # and after a full run too
    assert bits(x) == before


# --- section 4.4.1: gradient descent on x0^2 + x1^2, against x_k = (1 - 2 lr)^k x_0 ----------

X0 = [-3.0, 4.0]


def closed_form(lr, k):
    return [(1 - 2 * lr) ** k * v for v in X0]


@PACKAGES
def test_gradient_descent_lr_0_1_follows_the_closed_form(G):
    init = as_input(G, X0)
    x, path = G.gradient_descent(function_2, init, lr=0.1, step_num=100)
    assert len(path) == 101
    assert flat(path[0]) == X0
    for k, point in enumerate(path):
        assert np.allclose(flat(point), closed_form(0.1, k), rtol=1e-10, atol=0), k
    assert flat(x) == flat(path[-1])
    # the book prints [-6.11110793e-10  8.14814391e-10]
    assert np.allclose(flat(x), [-6.11110793e-10, 8.14814391e-10], rtol=1e-8, atol=0)


@PACKAGES
def test_gradient_descent_lr_1e_10_barely_moves(G):
    x, path = G.gradient_descent(function_2, as_input(G, X0), lr=1e-10, step_num=100)
    assert len(path) == 101
    for k, point in enumerate(path):
        assert np.allclose(flat(point), closed_form(1e-10, k), rtol=1e-12, atol=0), k
    assert np.allclose(flat(x), X0, rtol=1e-7, atol=0)  # (1 - 2e-10)^100 = 1 - 2e-8


@PACKAGES
def test_gradient_descent_lr_10_diverges(G):
    """(1 - 2 lr)^k = (-19)^k would reach 2e128 after 100 steps, but the numerical gradient
    cannot follow: once |x| is near 1e12, x + h rounds back to x, f(x + h) - f(x - h) is 0 and
    the point stops. The book's output shows exactly that stop."""
    x, path = G.gradient_descent(function_2, as_input(G, X0), lr=10.0, step_num=100)
    assert len(path) == 101
    for k in range(6):  # while h is still resolved, the steps follow the closed form
        assert np.allclose(flat(path[k]), closed_form(10.0, k), rtol=1e-6, atol=0), k
    assert max(map(abs, flat(x))) > 1e12
    # the book prints [-2.58983747e+13 -1.29524862e+12]
    assert np.allclose(flat(x), [-2.58983747e13, -1.29524862e12], rtol=1e-8, atol=0)
    assert flat(path[-1]) == flat(path[-2])  # the gradient has vanished: stuck


@PACKAGES
def test_gradient_descent_leaves_init_x_alone(G):
    for point in (X0, [[1.0, -2.0], [0.5, 3.0]]):
        init = as_input(G, [list(r) for r in point] if isinstance(point[0], list) else list(point))
        before = bits(init)
        x, path = G.gradient_descent(function_2, init, lr=0.1, step_num=3)
        assert bits(init) == before
        assert x is not init and path[0] is not init
        assert np.shape(x) == np.shape(init) and len(path) == 4
        flat_before = flat(path[1])
        if G is pure:  # the path holds copies: changing x changes nothing else
            (x[0] if isinstance(x[0], list) else x).__setitem__(0, 99.0)
        else:
            x.flat[0] = 99.0
        assert flat(path[1]) == flat_before and flat(path[-1])[0] != 99.0


@PACKAGES
def test_gradient_descent_zero_steps_and_int_start(G):
    x, path = G.gradient_descent(function_2, [-3, 4], step_num=0)  # ints become floats
    assert flat(x) == [-3.0, 4.0] and all(type(v) is float for v in flat(x))
    assert len(path) == 1


# --- refused input, alike in both packages ----------------------------------------------------

BAD_GRADIENT = [  # (point as nested lists, exception, shared phrase)
    ([1, 2], TypeError, "numerical_gradient needs x of floats, got int values"),
    ([], ValueError, "x is empty: expected at least one element"),
    ([True, False], TypeError, "x must hold numbers (float or int), got bool"),
    (["a"], TypeError, "x must hold numbers (float or int), got str"),
]


@PACKAGES
@pytest.mark.parametrize("point, exc, phrase", BAD_GRADIENT)
def test_numerical_gradient_refuses_alike(G, point, exc, phrase):
    x = point if G is pure else np.array(point)
    with pytest.raises(exc) as info:
        G.numerical_gradient(function_2, x)
    assert type(info.value) is exc and phrase in str(info.value)


def test_pure_numerical_gradient_refuses_a_single_int():
    with pytest.raises(TypeError, match="numerical_gradient needs x of floats, got int values"):
        pure.numerical_gradient(function_2, [[1.0, 2.0], [3.0, 4]])


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_reference_numerical_gradient_needs_float64(dtype):
    # In float32 the loss keeps ~7 digits and f(x + h) - f(x - h) is ~1e-4 * f'(x):
    # gradient_check errors of 0.4; float16 rounds x + 1e-4 back to x (all zeros).
    x = np.array([3.0, 4.0], dtype=dtype)
    with pytest.raises(TypeError) as info:
        ref.numerical_gradient(function_2, x)
    assert str(info.value) == (f"numerical_gradient needs x of float64, got {np.dtype(dtype).name}:"
                               f" h = 1e-4 is lost in fewer digits; use float64, "
                               f"e.g. x.astype(np.float64)")
    assert x.tolist() == [3.0, 4.0]  # refused before any nudge
    assert ref.numerical_gradient(function_2, x.astype(np.float64)).tolist() == \
        pytest.approx([6.0, 8.0], abs=1e-7)


def test_numerical_gradient_refuses_the_other_container():
    # a list in reference would be copied into an array, and f would never see the nudges
    with pytest.raises(TypeError, match="needs x as a float array .* got list"):
        ref.numerical_gradient(function_2, [1.0, 2.0])
    with pytest.raises(TypeError, match="a list of lists \\(matrix\\), got ndarray"):
        pure.numerical_gradient(function_2, np.array([1.0, 2.0]))


@PACKAGES
@pytest.mark.parametrize("lr", [np.float64(0.1), np.float32(0.1)], ids=["float64", "float32"])
def test_gradient_descent_takes_numpy_scalars_alike(G, lr):
    # lr is made a float once: a NumPy lr used to seep into purenet's x and be
    # refused at step 2 as "x must hold numbers (float or int), got float64".
    x, path = G.gradient_descent(function_2, as_input(G, X0), lr=lr, step_num=np.int64(3))
    expected, _ = G.gradient_descent(function_2, as_input(G, X0), lr=float(lr), step_num=3)
    assert len(path) == 4 and flat(x) == flat(expected)
    assert all(type(v) is float for p in path for v in flat(p))


BAD_DESCENT = [  # (init_x, keyword arguments, exception, shared phrase)
    ([[1.0, 2.0], [3.0]], {}, ValueError, "init_x is ragged: row 0 has 2 elements, row 1 has 1"),
    ([], {}, ValueError, "init_x is empty"),
    ([1.0, True], {}, TypeError, "init_x must hold numbers (float or int), got bool"),
    ("12", {}, TypeError, "init_x must be a list (vector) or a list of lists (matrix)"),
    ([1.0], {"lr": True}, TypeError, "lr must be a number (float or int), got bool"),
    ([1.0], {"lr": "0.1"}, TypeError, "lr must be a number (float or int), got str"),
    ([1.0], {"step_num": 10.0}, TypeError, "step_num must be an int, got float"),
    ([1.0], {"step_num": True}, TypeError, "step_num must be an int, got bool"),
    ([1.0], {"step_num": np.bool_(True)}, TypeError, "step_num must be an int, got bool"),
    ([1.0], {"step_num": np.float64(3)}, TypeError, "step_num must be an int, got float64"),
    ([1.0], {"lr": np.bool_(True)}, TypeError, "lr must be a number (float or int), got bool"),
    ([1.0], {"step_num": -1}, ValueError, "step_num must be >= 0, got -1"),
    # the learning rates SGD refuses, refused by the same check and in the same words
    ([1.0], {"lr": math.nan}, ValueError, "lr must be positive and finite, got nan"),
    ([1.0], {"lr": math.inf}, ValueError, "lr must be positive and finite, got inf"),
    ([1.0], {"lr": -0.1}, ValueError, "lr must be positive and finite, got -0.1"),
    ([1.0], {"lr": 0}, ValueError, "lr must be positive and finite, got 0"),
]


@PACKAGES
@pytest.mark.parametrize("init, kwargs, exc, phrase", BAD_DESCENT)
def test_gradient_descent_refuses_alike(G, init, kwargs, exc, phrase):
    with pytest.raises(exc) as info:
        G.gradient_descent(function_2, init, **kwargs)
    assert type(info.value) is exc and phrase in str(info.value)


# --- purenet against reference ------------------------------------------------------------------


@st.composite
def points(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    entry = st.floats(-10, 10, allow_nan=False)
    if draw(st.booleans()):
        return [draw(entry) for _ in range(m)]
    return [[draw(entry) for _ in range(m)] for _ in range(n)]


def wavy(x):
    """A smooth f computed by the same float operations in both packages."""
    return sum(math.sin(v) * v + 0.5 * v * v for v in flat(x))


def wavy_grad(x):
    return [math.cos(v) * v + math.sin(v) + v for v in flat(x)]


@FAST
@given(points())
def test_numerical_gradient_agrees_on_identical_f(point):
    g_pure = pure.numerical_gradient(wavy, point)
    g_ref = ref.numerical_gradient(wavy, np.array(point))
    assert np.shape(g_pure) == g_ref.shape == np.shape(point)
    assert np.allclose(g_pure, g_ref, rtol=0, atol=1e-12)  # same arithmetic: equal
    # central difference error ~ h^2/6 * f''' <= 1e-8 * 13: well inside 1e-6
    assert np.allclose(flat(g_pure), wavy_grad(point), rtol=0, atol=1e-6)


@FAST
@given(points(), st.data())
def test_numerical_gradient_agrees_through_each_packages_loss(point, data):
    """f is each package's own softmax + cross entropy, so f differs in the last bits between
    them; dividing by 2h = 2e-4 magnifies that to about 1e-12 * |f|, hence 1e-9 here."""
    rows = point if isinstance(point[0], list) else [point]
    c = len(rows[0])
    labels = data.draw(st.lists(st.integers(0, c - 1), min_size=len(rows), max_size=len(rows)))

    def loss_pure(w):
        return pure_f.cross_entropy_error(pure_f.softmax(w), labels)

    def loss_ref(w):
        return ref_f.cross_entropy_error(ref_f.softmax(w), np.array(labels))

    g_pure = pure.numerical_gradient(loss_pure, rows)
    g_ref = ref.numerical_gradient(loss_ref, np.array(rows))
    assert np.allclose(g_pure, g_ref, rtol=0, atol=1e-9)
    # and the analytic gradient of the mean of -log(y_t + 1e-7) after softmax:
    # (y - t) / N, times y_t / (y_t + 1e-7) for the 1e-7 inside the log
    y = np.array(pure_f.softmax(rows))
    t = np.eye(c)[labels]
    y_t = y[np.arange(len(rows)), labels][:, None]
    want = (y - t) * y_t / (y_t + 1e-7) / len(rows)
    assert np.allclose(g_ref, want, rtol=0, atol=1e-6)


# --- the book's function_2, the bowl of section 4.4 ---------------------------------------------


@PACKAGES
def test_function_2_is_the_books_bowl(G):
    assert G.function_2(as_input(G, [3.0, 4.0])) == 25.0
    assert G.function_2(as_input(G, [-3.0, 0.5])) == 9.25
    # the book's three gradients of section 4.4, by central difference
    for point, want in (([3.0, 4.0], [6.0, 8.0]), ([0.0, 2.0], [0.0, 4.0]),
                        ([3.0, 0.0], [6.0, 0.0])):
        got = G.numerical_gradient(G.function_2, as_input(G, point))
        assert np.allclose(flat(got), want, rtol=0, atol=1e-7), (point, flat(got))


@PACKAGES
def test_gradient_descent_on_function_2_follows_the_closed_form(G):
    # x_k = (1 - 2 lr)^k x_0: at lr 0.1 the book's (-3, 4) ends within 1e-9 of (0, 0)
    x, path = G.gradient_descent(G.function_2, as_input(G, [-3.0, 4.0]), lr=0.1, step_num=100)
    for k in (0, 1, 10, 100):
        assert np.allclose(flat(path[k]), [-3.0 * 0.8**k, 4.0 * 0.8**k], rtol=1e-6, atol=1e-12)
    assert np.allclose(flat(x), [0.0, 0.0], rtol=0, atol=1e-9)


@PACKAGES
@pytest.mark.parametrize("point, shown", [([1.0, 2.0, 3.0], "(3,)"), ([[1.0, 2.0]], "(1, 2)")])
def test_function_2_takes_a_point_of_two_coordinates(G, point, shown):
    with pytest.raises(ValueError) as info:
        G.function_2(as_input(G, point))
    assert str(info.value) == f"function_2 takes a point (x0, x1), got x of shape {shown}"


def test_pure_function_2_gives_inf_past_1e154_not_an_overflow_error():
    assert pure.function_2([1e200, 0.0]) == math.inf
