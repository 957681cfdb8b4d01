"""Where a pure-Python training step and evaluation spend their time, file by file.

Profiles (cProfile) one backprop step of the 784-50-10 TwoLayerNet on a batch of
100 MNIST images, and one evaluation of the accuracy on 1000 images as the
training loop does it (accuracy_in_chunks over rows decoded from bytes). Prints
each file's own time (tottime, summed over its functions) and its slowest
functions, so each module's owner sees their share.

    PURENET_DATA=../shared/mnist python bench/pure_profile.py [--top 12]

Figures are printed, never asserted; cProfile adds its own cost to every call, so
the shares matter, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
from collections import defaultdict
from collections.abc import Callable

from purenet.train import accuracy_in_chunks, take_rows
from purenet.two_layer_net import TwoLayerNet
from purenet_support.mnist import ImageRows, load_mnist


def breakdown(title: str, fn: Callable[[], object], top: int) -> None:
    """Profile fn() once and print its time by file, then its top functions by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    by_file: dict[str, float] = defaultdict(float)
    by_function = []
    for (path, line, name), (_, calls, tottime, _, _) in stats.items():
        where = os.path.relpath(path) if path.startswith(os.getcwd()) else "(builtins)"
        if path == "~":
            where = "(builtins)"
        by_file[where] += tottime
        by_function.append((tottime, calls, f"{where}:{line} {name}"))
    total = sum(by_file.values())
    print(f"\n{title}: {total:.3f} s under cProfile")
    for where, seconds in sorted(by_file.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.005 * total:
            print(f"  {seconds / total:6.1%}  {seconds:7.4f} s  {where}")
    print("  slowest functions (own time, calls):")
    for tottime, calls, name in sorted(by_function, reverse=True)[:top]:
        print(f"  {tottime / total:6.1%}  {calls:7d}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=12, help="how many functions to list")
    args = parser.parse_args()
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)
    rng = random.Random(0)
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.01, rng=rng)
    batch = [rng.randrange(len(x_train)) for _ in range(100)]
    print(f"Python {platform.python_version()}, 784-50-10 net")
    for _ in range(3):  # a few steps, so the weights are not the start's
        net.gradient(x_train[batch], [t_train[i] for i in batch])

    def step() -> None:
        x_batch = take_rows(x_train, batch)  # decoded from bytes, as the loop does
        net.gradient(x_batch, take_rows(t_train, batch))

    breakdown("one backprop step, batch 100 (with decoding the batch)", step, args.top)
    x_1000 = ImageRows(x_test.data[:1000 * 784], (1000, 28, 28))  # still bytes
    breakdown("one evaluation, 1000 test images (with decoding them)",
              lambda: accuracy_in_chunks(net, x_1000, t_test[:1000]), args.top)


if __name__ == "__main__":
    main()
