"""Matrices as lists of rows: the little linear algebra chapter 4 needs.

NumPy hides it behind ``x @ W``; here it is in plain sight. A vector is a
list of floats, a matrix a list of rows, and a batch of samples is a matrix
with one sample per row, exactly like the book's arrays.

Every operation checks shapes and refuses to guess: NumPy would broadcast a
(10,) vector against a (10, 1) column without a word, we raise instead.

The hot loop is the dot product of a row of ``a`` with a column of ``b``.
Transposing ``b`` once turns its columns into rows, so each product is a
``zip`` of two lists: clearer than index arithmetic, and several times
faster (``bench/matmul.py`` measures it).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

Vector = list[float]
Matrix = list[list[float]]

# Python 3.12+ has one C loop for sum(a * b); before that, map + sum keeps
# the loop in C too, which is what makes it faster than an index loop.
if hasattr(math, "sumprod"):
    dot = math.sumprod
else:

    def dot(u: Sequence[float], v: Sequence[float]) -> float:
        """Return sum(u[i] * v[i]): the inner product of two equal-length vectors."""
        return sum(map(operator.mul, u, v))


_NUMBER_TYPES = frozenset((float, int))


def _describe(x: object) -> str:
    """Name a value's type for an error message ('str', 'list of str'...)."""
    if isinstance(x, list) and x:
        return f"list of {type(x[0]).__name__}"
    return type(x).__name__


def _check_numbers(row: Sequence, name: str) -> None:
    # Type-level check in C: bool and str and None are refused here, not
    # later in the middle of a sum where the message would mean nothing.
    kinds = set(map(type, row))
    if not kinds <= _NUMBER_TYPES:
        bad = sorted(k.__name__ for k in kinds - _NUMBER_TYPES)
        raise TypeError(f"{name} must hold numbers (float or int), got {', '.join(bad)}")


def shape(x: object, name: str = "x") -> tuple[int, ...]:
    """Return (n,) for a vector or (rows, cols) for a matrix, after checking it.

    Raises TypeError for anything that is not a list of numbers or a list of
    equal-length lists of numbers, and ValueError for empty or ragged input.
    """
    if not isinstance(x, list):
        raise TypeError(f"{name} must be a list (vector) or a list of lists (matrix), "
                        f"got {_describe(x)}")
    if not x:
        raise ValueError(f"{name} is empty: expected at least one element")
    if isinstance(x[0], list):
        cols = len(x[0])
        for i, row in enumerate(x):
            if not isinstance(row, list):
                raise TypeError(f"{name} mixes rows and numbers: row {i} is {_describe(row)}")
            if len(row) != cols:
                raise ValueError(f"{name} is ragged: row 0 has {cols} elements, "
                                 f"row {i} has {len(row)}")
            _check_numbers(row, name)
        if cols == 0:
            raise ValueError(f"{name} has empty rows: expected at least one column")
        return (len(x), cols)
    _check_numbers(x, name)
    return (len(x),)


def check_matrix(a: object, name: str = "a") -> tuple[int, int]:
    """Return (rows, cols) of a matrix, raising if ``a`` is not one."""
    s = shape(a, name)
    if len(s) != 2:
        raise ValueError(f"{name} must be a matrix (list of rows), got a vector of length {s[0]}")
    return s  # type: ignore[return-value]


def check_vector(v: object, name: str = "v") -> int:
    """Return len(v) of a vector, raising if ``v`` is not one."""
    s = shape(v, name)
    if len(s) != 1:
        raise ValueError(f"{name} must be a vector (list of numbers), got a {s[0]}x{s[1]} matrix")
    return s[0]


def zeros(rows: int, cols: int) -> Matrix:
    """Return a rows x cols matrix of 0.0 (each row its own list)."""
    return [[0.0] * cols for _ in range(rows)]


def transpose(a: Matrix) -> Matrix:
    """Return the (cols, rows) transpose of a (rows, cols) matrix."""
    return [list(col) for col in zip(*a)]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    """Return a @ b: (N, K) @ (K, M) -> (N, M), entry [i][j] = dot(a[i], column j of b)."""
    n, k = check_matrix(a, "a")
    k2, m = check_matrix(b, "b")
    if k != k2:
        raise ValueError(f"matmul needs a's columns to equal b's rows: "
                         f"got a {n}x{k} and b {k2}x{m}")
    b_cols = list(zip(*b))  # (K, M) -> M columns of length K, read as rows
    return [[dot(row, col) for col in b_cols] for row in a]


def add_row(a: Matrix, v: Vector) -> Matrix:
    """Return a + v with v added to every row: (N, M) + (M,) -> (N, M).

    This is the one broadcast the network needs (adding a bias), so it is
    spelled out and its length checked.
    """
    _, m = check_matrix(a, "a")
    if check_vector(v, "v") != m:
        raise ValueError(f"add_row needs a vector of the row length {m}, got length {len(v)}")
    return [list(map(operator.add, row, v)) for row in a]


def _same_shape(a: Matrix, b: Matrix, op: str) -> None:
    sa, sb = check_matrix(a, "a"), check_matrix(b, "b")
    if sa != sb:
        raise ValueError(f"{op} needs two matrices of one shape, got {sa[0]}x{sa[1]} "
                         f"and {sb[0]}x{sb[1]} (nothing is broadcast)")


def add(a: Matrix, b: Matrix) -> Matrix:
    """Return a + b elementwise; both (N, M)."""
    _same_shape(a, b, "add")
    return [list(map(operator.add, ra, rb)) for ra, rb in zip(a, b)]


def sub(a: Matrix, b: Matrix) -> Matrix:
    """Return a - b elementwise; both (N, M)."""
    _same_shape(a, b, "sub")
    return [list(map(operator.sub, ra, rb)) for ra, rb in zip(a, b)]


def mul(a: Matrix, b: Matrix) -> Matrix:
    """Return a * b elementwise (the Hadamard product); both (N, M)."""
    _same_shape(a, b, "mul")
    return [list(map(operator.mul, ra, rb)) for ra, rb in zip(a, b)]


def scale(a: Matrix, k: float) -> Matrix:
    """Return k * a: every entry of the (N, M) matrix times the number k."""
    return [[k * x for x in row] for row in a]


def sum_rows(a: Matrix) -> Vector:
    """Return the column sums of a (N, M) matrix: a vector of length M (axis=0)."""
    return [sum(col) for col in zip(*a)]


def argmax_rows(a: Matrix) -> list[int]:
    """Return, for each row, the index of its largest entry (the first one on ties)."""
    return [row.index(max(row)) for row in a]
