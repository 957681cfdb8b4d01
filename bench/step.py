"""Seconds per training step of the 784-50-10 TwoLayerNet (book sections 4.5 and 5.7).

One step is network.gradient(x, t) on a batch of 100: backpropagation. Timed for
purenet, for reference, and for a naive pure-Python step written with index
loops (the yardstick purenet's zip/dot style is measured against). Then one
numerical_gradient call, the book's chapter-4 method: reference on 784-50-10
(the book's own code takes about 21 s here) and purenet on a 20-10-3 net.

    python bench/step.py            # random inputs in [0, 1)
    PURENET_DATA=../shared/mnist python bench/step.py   # the first 100 MNIST images
    python bench/step.py --step-only   # the purenet step alone, no yardstick or numerical

The fingerprint printed is a hash of every bit of purenet's gradients: two
versions of the code (or two Pythons) that print the same one computed the
same floats.

Figures are printed, never asserted: timings belong to the machine.
Targets: purenet step <= 0.1 s on Python 3.11 on MNIST (half of the dense
product's 0.2 s: the product skips the zeros of the images) and <= half the
index-loop step; reference step < 1 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable

from purenet.two_layer_net import TwoLayerNet as PureNet

try:
    import numpy as np

    from reference.two_layer_net import TwoLayerNet as RefNet
except ImportError:  # an interpreter without NumPy still times the pure code
    np = None

D, H, C, N = 784, 50, 10, 100


def best_of(repeat: int, fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter,
            ) -> float:
    """Return the fastest of repeat timed calls of fn, in seconds (the least disturbed run).

    clock=time.process_time counts this process's CPU seconds alone: on a machine
    other programs share, it moves far less than the wall clock.
    """
    best = math.inf
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def batch_of(rng: random.Random, d: int, c: int, n: int) -> tuple[list[list[float]], list[int]]:
    """Return n random rows of d values in [0, 1) (like pixels) and n labels in range(c)."""
    return ([[rng.random() for _ in range(d)] for _ in range(n)],
            [rng.randrange(c) for _ in range(n)])


def mnist_batch() -> tuple[list[list[float]], list[int]] | None:
    """Return the first N normalized MNIST training images and labels, if PURENET_DATA is set."""
    if not os.environ.get("PURENET_DATA"):
        return None
    from purenet_support.mnist import load_mnist

    (x_train, t_train), _ = load_mnist(normalize=True)
    return [list(map(float, x_train[i])) for i in range(N)], list(t_train[:N])


def naive_gradient(params: dict, x: list, t: list[int]) -> dict:
    """Backprop of the same net with an index loop for every product: the yardstick."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n, d, h, c = len(x), len(W1), len(b1), len(b2)
    z1 = [[0.0] * h for _ in range(n)]
    for i in range(n):
        for j in range(h):
            s = b1[j]
            for k in range(d):
                s += x[i][k] * W1[k][j]
            z1[i][j] = 1.0 / (1.0 + math.exp(-s))
    dy = [[0.0] * c for _ in range(n)]
    for i in range(n):
        a2 = [b2[j] for j in range(c)]
        for j in range(c):
            for k in range(h):
                a2[j] += z1[i][k] * W2[k][j]
        m = max(a2)
        e = [math.exp(v - m) for v in a2]
        total = sum(e)
        for j in range(c):
            dy[i][j] = (e[j] / total - (1.0 if j == t[i] else 0.0)) / n
    gW2 = [[0.0] * c for _ in range(h)]
    for k in range(h):
        for j in range(c):
            for i in range(n):
                gW2[k][j] += z1[i][k] * dy[i][j]
    da1 = [[0.0] * h for _ in range(n)]
    for i in range(n):
        for k in range(h):
            s = 0.0
            for j in range(c):
                s += dy[i][j] * W2[k][j]
            da1[i][k] = s * (1.0 - z1[i][k]) * z1[i][k]
    gW1 = [[0.0] * h for _ in range(d)]
    for k in range(d):
        for j in range(h):
            for i in range(n):
                gW1[k][j] += x[i][k] * da1[i][j]
    return {"W1": gW1, "b1": [sum(da1[i][j] for i in range(n)) for j in range(h)],
            "W2": gW2, "b2": [sum(dy[i][j] for i in range(n)) for j in range(c)]}


def fingerprint(grads: dict) -> str:
    """A short hash of every float of grads, exactly (float.hex), in key order."""
    digest = hashlib.sha256()
    for key in sorted(grads):
        rows = grads[key] if isinstance(grads[key][0], list) else [grads[key]]
        digest.update(" ".join(v.hex() for row in rows for v in row).encode())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step-only", action="store_true",
                        help="time purenet's step alone (no yardstick, no numerical gradient)")
    parser.add_argument("--repeat", type=int, default=5, help="timed purenet steps; best shown")
    args = parser.parse_args()
    rng = random.Random(0)
    data = mnist_batch()
    source = "MNIST (first 100 training images)" if data else "random inputs in [0, 1)"
    x, t = data or batch_of(rng, D, C, N)
    pure = PureNet(D, H, C, seed=1)
    print(f"Python {platform.python_version()}, math.sumprod "
          f"{'used' if hasattr(math, 'sumprod') else 'absent'}, "
          f"NumPy {np.__version__ if np else 'not installed'}; {source}")
    print(f"backprop step, {D}-{H}-{C} net, batch {N} (best of several runs):")

    ours = pure.gradient(x, t)
    if args.step_only:
        pure_s = best_of(args.repeat, lambda: pure.gradient(x, t))
        cpu_s = best_of(args.repeat, lambda: pure.gradient(x, t), time.process_time)
        print(f"  purenet gradient          {pure_s:9.4f} s   ({cpu_s:.4f} s CPU)  "
              f"fingerprint {fingerprint(ours)}")
        return
    # the yardstick must compute what purenet computes, or the race means nothing
    theirs = naive_gradient(pure.params, x, t)
    gap = max(abs(a - b) for k in ours for ra, rb in zip(ours[k], theirs[k])
              for a, b in zip(ra if isinstance(ra, list) else [ra],
                              rb if isinstance(rb, list) else [rb]))
    assert gap < 1e-12, gap
    naive_s = best_of(3, lambda: naive_gradient(pure.params, x, t))
    pure_s = best_of(args.repeat, lambda: pure.gradient(x, t))
    print(f"  index loops (yardstick)   {naive_s:9.4f} s")
    print(f"  purenet gradient          {pure_s:9.4f} s   "
          f"{pure_s / naive_s:.2f} x the index-loop step ({naive_s / pure_s:.1f} times faster), "
          f"fingerprint {fingerprint(ours)}")
    if np:
        ref = RefNet.from_params(pure.get_params())
        xa, ta = np.array(x), np.array(t)
        ref.gradient(xa, ta)  # warm up BLAS
        ref_s = best_of(200, lambda: ref.gradient(xa, ta))
        print(f"  reference gradient        {ref_s * 1000:9.4f} ms  "
              f"({pure_s / ref_s:.0f} times faster than purenet)")

    print("numerical_gradient, one call (2 losses per weight):")
    if np:
        start = time.perf_counter()
        ref.numerical_gradient(xa, ta)
        weights = sum(v.size for v in ref.params.values())
        print(f"  reference {D}-{H}-{C}, batch {N}  {time.perf_counter() - start:9.2f} s   "
              f"({weights} weights)")
    small = PureNet(20, 10, 3, seed=2)
    xs, ts = batch_of(rng, 20, 3, 10)
    start = time.perf_counter()
    small.numerical_gradient(xs, ts)
    print(f"  purenet 20-10-3, batch 10      {time.perf_counter() - start:9.2f} s   "
          f"({20 * 10 + 10 + 10 * 3 + 3} weights)")


if __name__ == "__main__":
    sys.exit(main())
