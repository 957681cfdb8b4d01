"""Matrices as lists of rows: the little linear algebra chapter 4 needs.

NumPy hides it behind ``x @ W``; here it is in plain sight. A vector is a
list of floats, a matrix a list of rows, and a batch of samples is a matrix
with one sample per row, exactly like the book's arrays.

Every operation checks shapes and refuses to guess: NumPy would broadcast a
(10,) vector against a (10, 1) column without a word, we raise instead.
NaN and infinity are ordinary floats here, as in NumPy: they flow through
the arithmetic and are never checked for.

The hot loop is the dot product of a row of ``a`` with a column of ``b``.
Transposing ``b`` once turns its columns into rows, so each product is a
``zip`` of two lists: clearer than index arithmetic, and faster: about 2x on
Python 3.11, about 5x with ``math.sumprod`` on 3.12+ (``bench/matmul.py``).
matmul also skips the zeros of ``a`` (most of an image), with the very same
floats as a result: see the comment above it.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress, repeat
from typing import TypeVar, cast

Vector = list[float]
Matrix = list[list[float]]
Array = Vector | Matrix  # a vector (N,) or a matrix (N, M): NumPy's arrays of 1 or 2 dimensions
# The same, for functions whose result has its argument's shape: sigmoid of a
# matrix is a matrix, of a vector a vector.
ArrayT = TypeVar("ArrayT", Vector, Matrix)


def as_batch(x: Array, name: str = "x") -> tuple[Matrix, bool]:
    """Return (rows, single): x as a batch of rows, and whether x was one sample.

    A vector (C,) becomes the batch [x] of one row (the same list, not a copy),
    a matrix (N, C) stays as it is, so a function of one sample or of a batch
    can be written once, for rows, like the book's NumPy code. x is checked
    by ``shape`` first: the errors name it ``name``.
    """
    if len(shape(x, name)) == 1:
        return [cast(Vector, x)], True
    return cast(Matrix, x), False


def as_rows(x: Array) -> Matrix:
    """Return x as a batch of rows, like as_batch, but unchecked: for values checked before."""
    return cast(Matrix, x) if isinstance(x[0], list) else [cast(Vector, x)]


def unbatch(rows: Matrix, single: bool) -> Array:
    """Undo as_batch on a copy: new lists in the shape as_batch was given, (C,) or (N, C)."""
    return list(rows[0]) if single else [list(row) for row in rows]


def map_entries(f: Callable[[float], float], x: ArrayT, name: str = "x") -> ArrayT:
    """Return f applied to every entry of x, in x's shape, after checking x by ``shape``."""
    rows, single = as_batch(x, name)
    out = [list(map(f, row)) for row in rows]
    return cast(ArrayT, out[0] if single else out)


def map_rows(f: Callable[[Vector], Vector], x: ArrayT, name: str = "x") -> ArrayT:
    """Return f applied to every row of x (a vector is one row), in x's shape, after checking x."""
    rows, single = as_batch(x, name)
    out = [f(row) for row in rows]
    return cast(ArrayT, out[0] if single else out)

# The multiply-adds of a dot product run in C either way, which is what makes
# them 2-6x faster than an index loop. Python 3.12+ has math.sumprod, one C
# loop that also rounds only once (so its last digit can differ from 3.11's).
# matmul asks for one row's dot products with many columns at once (_dots):
# written as maps, the loop over the columns runs in C too.
if hasattr(math, "sumprod"):
    _sumprod = math.sumprod
    DOT_IDIOM = "math.sumprod(u, v)"

    def _dots(u: Sequence[float], cols: Iterable[Sequence[float]]) -> Vector:
        """Return [u . col for col in cols]: math.sumprod(u, col) for each col."""
        return list(map(_sumprod, repeat(u), cols))

else:

    def _sumprod(u: Iterable[float], v: Iterable[float]) -> float:
        return sum(map(operator.mul, u, v))

    DOT_IDIOM = "sum(map(operator.mul, u, v))"

    def _dots(u: Sequence[float], cols: Iterable[Sequence[float]]) -> Vector:
        """Return [u . col for col in cols]: sum(map(operator.mul, u, col)) for each col."""
        return list(map(sum, map(map, repeat(operator.mul), repeat(u), cols)))


_NUMBER_TYPES = frozenset((float, int))  # exact types: bool, a subclass of int, is refused


class Rows(list[list[float]]):
    """A matrix (N, M) that shape() has just checked, so shape() need not check it again.

    A training step reads its batch x (100 x 784 entries) four times: the
    network's own check, x @ W1, x.T and x.T @ da1. The network's check returns
    x as Rows (the same row lists, in a new outer list), and shape() trusts Rows
    for its sizes; transpose() of Rows is Rows. Only two things make Rows: that
    check, and ``evaluation.take_rows`` for rows it decoded from MNIST's bytes
    itself. Any other matrix is checked entry by entry, with the same messages.
    """


def _describe(x: object) -> str:
    """Name a value's type for an error message ('str', 'list of str'...)."""
    if isinstance(x, list) and x:
        return f"list of {type(x[0]).__name__}"
    return type(x).__name__


def _check_numbers(row: Sequence, name: str) -> None:
    # Type-level check in C: bool and str and None are refused here, not
    # later in the middle of a sum where the message would mean nothing.
    # A float's subclass is a float (NumPy's float64 is one); NumPy's int64 is
    # not an int, and wraps around where Python's ints grow: named, refused.
    kinds = {k for k in map(type, row) if not issubclass(k, float)}
    if not kinds <= _NUMBER_TYPES:
        bad = sorted(k.__name__ for k in kinds - _NUMBER_TYPES)
        hint = ("; NumPy's ints wrap around on overflow: make them Python ints, "
                "e.g. int(v) or array.tolist()"
                if any(k.__module__ == "numpy" and issubclass(k, numbers.Integral) for k in kinds)
                else "")
        raise TypeError(f"{name} must hold numbers (float or int), got {', '.join(bad)}{hint}")


def shape(x: object, name: str = "x") -> tuple[int, ...]:
    """Return (n,) for a vector or (rows, cols) for a matrix, after checking it.

    Raises TypeError for anything that is not a list of numbers or a list of
    equal-length lists of numbers (bool counts as not a number), and ValueError
    for empty or ragged input.
    """
    if type(x) is Rows and x:  # checked when it was made (see Rows)
        return (len(x), len(x[0]))
    if not isinstance(x, list):
        raise TypeError(f"{name} must be a list (vector) or a list of lists (matrix), "
                        f"got {_describe(x)}")
    if not x:
        raise ValueError(f"{name} is empty: expected at least one element")
    if isinstance(x[0], list):
        cols = len(x[0])
        # The common case, a matrix of numbers, in three passes that run in C (this
        # check runs on every product); anything else goes row by row for the message.
        if (cols and set(map(type, x)) == {list} and set(map(len, x)) == {cols}
                and set(map(type, chain.from_iterable(x))) <= _NUMBER_TYPES):
            return (len(x), cols)
        for i, row in enumerate(x):
            if not isinstance(row, list):
                raise TypeError(f"{name} mixes rows and numbers: row {i} is {_describe(row)}")
            if len(row) != cols:
                raise ValueError(f"{name} is ragged: row 0 has {cols} elements, "
                                 f"row {i} has {len(row)}")
            _check_numbers(row, name)
        if cols == 0:
            raise ValueError(f"{name} is empty: expected at least one element")
        return (len(x), cols)
    _check_numbers(x, name)
    return (len(x),)


def check_matrix(a: object, name: str = "a") -> tuple[int, int]:
    """Return (rows, cols) of a matrix, raising if ``a`` is not one."""
    s = shape(a, name)
    if len(s) != 2:
        raise ValueError(f"{name} must be a matrix (list of rows), got a vector of length {s[0]}")
    return s


def check_vector(v: object, name: str = "v") -> int:
    """Return len(v) of a vector, raising if ``v`` is not one."""
    s = shape(v, name)
    if len(s) != 1:
        raise ValueError(f"{name} must be a vector (list of numbers), got a {s[0]}x{s[1]} matrix")
    return s[0]


def transpose(a: Matrix) -> Matrix:
    """Return the transpose of a: (N, M) -> (M, N), entry [j][i] = a[i][j]."""
    check_matrix(a, "a")  # zip(*a) would silently cut a ragged matrix to its shortest row
    columns = [list(col) for col in zip(*a)]
    return Rows(columns) if type(a) is Rows else columns  # the same numbers, checked already


# Skipping zeros. Entry [i][j] of a @ b is the sum over k of a[i][k] * b[k][j],
# and a term whose a[i][k] is 0 adds nothing. About 81% of an MNIST image is 0
# (the black background), so for each row of a we keep only its nonzero values
# and their positions, pick the rows of b at those positions, and take the dot
# products over those: about 150 multiply-adds instead of 784. The floats are
# exactly the dense product's, bit for bit: 0 * w is 0.0 or -0.0 for a finite
# float w; a left-to-right sum starts at 0 and so never holds -0.0, and adding
# +-0.0 to it changes nothing; math.sumprod adds the exact products and rounds
# once, with or without the zero terms. So b must hold finite floats (0 * inf is
# nan; and among ints, a skipped 0.0 * 3 = 0.0 would have made an int sum a
# float): any other b, and any row of a that is mostly nonzero (picking would
# cost more than it saves), takes the dense way.


def _finite_floats(b: Matrix) -> bool:
    """True when every entry of b is a float and the sum of them all is finite."""
    # inf or nan anywhere makes the sum inf or nan; a sum that overflows
    # only sends a finite b the dense way, which is never wrong.
    return set(map(type, chain.from_iterable(b))) == {float} and math.isfinite(sum(map(sum, b)))


def _row_times(row: Sequence[float], b: Matrix, b_cols: list[tuple[float, ...]]) -> Vector:
    """Return row @ b, (K,) @ (K, M) -> (M,), skipping the zeros of row (b finite floats)."""
    positions = list(compress(range(len(row)), row))  # where row is nonzero
    if 2 * len(positions) > len(row):  # mostly nonzero: the dense dot products
        return _dots(row, b_cols)
    if not positions:  # an all-zero row: every sum is 0.0, as the dense way gives
        return [0.0] * len(b_cols)
    values = list(filter(None, row))  # the nonzero entries, in the order of positions
    # The rows of b they multiply: one itemgetter call picks them all (a single
    # position gives the row itself, so it is wrapped as a one-row tuple).
    picked = operator.itemgetter(*positions)(b) if len(positions) > 1 else (b[positions[0]],)
    return _dots(values, zip(*picked))  # the picked rows' M columns: M short dot products


def matmul(a: Matrix, b: Matrix) -> Matrix:
    """Return a @ b: (N, K) @ (K, M) -> (N, M), entry [i][j] = dot(a[i], column j of b).

    Zeros of a are skipped where that is exact (see above): the result is the
    dense product's to the last bit.
    """
    n, k = check_matrix(a, "a")
    k2, m = check_matrix(b, "b")
    if k != k2:
        raise ValueError(f"matmul needs a's columns to equal b's rows: "
                         f"got a {n}x{k} and b {k2}x{m}")
    b_cols = list(zip(*b))  # (K, M) -> M columns of length K, read as rows
    if not _finite_floats(b):  # N x M dense dot products of length K
        return [_dots(row, b_cols) for row in a]
    return [_row_times(row, b, b_cols) for row in a]  # (N, M)


def add_row(a: Matrix, v: Vector) -> Matrix:
    """Return a + v with v added to every row: (N, M) + (M,) -> (N, M).

    This is the one broadcast the network needs (adding a bias), so it is
    spelled out and its length checked.
    """
    _, m = check_matrix(a, "a")
    if check_vector(v, "v") != m:
        raise ValueError(f"add_row needs a vector of the row length {m}, got length {len(v)}")
    return [list(map(operator.add, row, v)) for row in a]


def sum_rows(a: Matrix) -> Vector:
    """Return the sum of the rows of a (N, M) matrix: a vector (M,), NumPy's a.sum(axis=0)."""
    check_matrix(a, "a")
    return [sum(col) for col in zip(*a)]


def argmax_rows(a: Matrix) -> list[int]:
    """Return, for each row of a (N, M) matrix, the index of its largest entry: N ints.

    On ties the first index wins, as with NumPy's a.argmax(axis=1).
    """
    check_matrix(a, "a")
    return [row.index(max(row)) for row in a]


def format_shape(s: tuple[int, ...]) -> str:
    """Write a shape the way NumPy prints it: (3,) or (2, 3)."""
    return "(" + ", ".join(map(str, s)) + ("," if len(s) == 1 else "") + ")"
