"""Time purenet's pure-Python matrix product against a naive triple-index loop.

The product is the first layer of the book's network on a batch of 100 images:
(100, 784) @ (784, 50), 3,920,000 multiply-adds. Both ways run in the same process
on the same seeded random numbers; each is repeated and the best and the median
time are printed as nanoseconds per multiply-add, with their ratio, the Python
version, and the expression purenet.matrix.matmul uses for its dot products (math.sumprod from
Python 3.12, sum(map(operator.mul, ...)) before). Targets: 2x faster than the
naive loop on Python 3.11, 5x on 3.12 and later.

Run it in the project's environment (after ``pip install -e .``):

    python bench/matmul.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time

from purenet.matrix import DOT_IDIOM, Matrix, matmul

N, K, M = 100, 784, 50  # (N, K) @ (K, M): a batch of 100 MNIST rows times W1


def naive_matmul(a: Matrix, b: Matrix) -> Matrix:
    """a @ b the way it is written on paper: c[i][j] += a[i][k] * b[k][j], one index at a time."""
    n, k_len, m = len(a), len(b), len(b[0])
    c = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            s = 0.0
            for k in range(k_len):
                s += a[i][k] * b[k][j]
            c[i][j] = s
    return c


def time_it(product, a: Matrix, b: Matrix, repeat: int) -> tuple[list[float], Matrix]:
    """Return the seconds of each of `repeat` runs, and the last result."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        c = product(a, b)
        seconds.append(time.perf_counter() - start)
    return seconds, c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each product (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    x = [[rng.random() for _ in range(K)] for _ in range(N)]  # (N, K): pixels in [0, 1)
    w1 = [[rng.gauss(0.0, 0.01) for _ in range(M)] for _ in range(K)]  # (K, M): weight_init_std

    fast_s, fast = time_it(matmul, x, w1, args.repeat)  # (100, 784) @ (784, 50) -> (100, 50)
    naive_s, naive = time_it(naive_matmul, x, w1, max(1, min(args.repeat, 3)))
    worst = max(abs(p - q) for rp, rq in zip(fast, naive) for p, q in zip(rp, rq))

    adds = N * K * M
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"purenet.matrix dot products: {DOT_IDIOM}")
    print(f"({N}, {K}) @ ({K}, {M}): {adds:,} multiply-adds; largest difference "
          f"between the two results {worst:.1e}")
    print(f"{'':24}{'best':>10}{'median':>10}  (ns per multiply-add)")
    rows = [("naive triple-index loop", naive_s), ("purenet.matrix.matmul", fast_s)]
    for name, seconds in rows:
        best, median = min(seconds) / adds * 1e9, statistics.median(seconds) / adds * 1e9
        print(f"{name:24}{best:10.1f}{median:10.1f}  ({len(seconds)} runs)")
    print(f"{'speed-up':24}{min(naive_s) / min(fast_s):9.1f}x"
          f"{statistics.median(naive_s) / statistics.median(fast_s):9.1f}x")


if __name__ == "__main__":
    main()
