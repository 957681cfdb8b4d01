"""How long the book's full run would take in plain Python, from a few steps and one evaluation.

The book's run (chapter 4.5) is `train --impl pure --train-size 60000 --test-size
10000 --iters 10000`: 10,000 steps of a batch of 100 (decode the batch, backprop,
SGD update) and an evaluation of the accuracy on all 70,000 images at every
epoch of 600 iterations (17 of them, at iteration 0, 600, ..., 9600) plus one
of the final weights. This times a few steps and one evaluation of --eval-images
test images as the loop does them, and multiplies out, in wall and in CPU
seconds (the CPU figure is the one a busy machine disturbs less); then the
wall time with the evaluations in a second process, as a machine with a
core free runs them.

    PURENET_DATA=../shared/mnist python bench/pure_estimate.py [--steps 20] [--eval-images 5000]
    python bench/pure_estimate.py --train-size 5000 --test-size 1000 --iters 1300   # a small run

Figures are printed, never asserted: timings belong to the machine.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable

from purenet.optimizer import SGD
from purenet.train import accuracy_in_chunks, batch_indices, take_rows
from purenet.two_layer_net import TwoLayerNet
from purenet_support.mnist import ImageRows, load_mnist


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Run fn once; return its (wall, CPU) seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train-size", type=int, default=60000)
    parser.add_argument("--test-size", type=int, default=10000)
    parser.add_argument("--iters", type=int, default=10000)
    parser.add_argument("--hidden", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20, help="steps timed")
    parser.add_argument("--eval-images", type=int, default=5000, help="images evaluated")
    args = parser.parse_args()

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)
    rng = random.Random(0)
    net = TwoLayerNet(784, args.hidden, 10, weight_init_std=0.01, rng=rng)
    optimizer = SGD(lr=0.1)
    batches = batch_indices(rng, args.train_size, args.batch_size, "replacement")

    def steps() -> None:
        for _ in range(args.steps):
            rows = next(batches)
            x_batch, t_batch = take_rows(x_train, rows), take_rows(t_train, rows)
            _, grads = net.loss_and_gradient(x_batch, t_batch)
            optimizer.update(net.params, grads)

    n = min(args.eval_images, len(x_test))
    x_eval = ImageRows(x_test.data[:n * 784], (n, 28, 28))  # still bytes, as the loop reads them
    step_wall, step_cpu = (s / args.steps for s in timed(steps))
    eval_wall, eval_cpu = (s / n for s in timed(lambda: accuracy_in_chunks(net, x_eval,
                                                                           t_test[:n])))
    per_epoch = max(args.train_size // args.batch_size, 1)
    evaluations = len(range(0, args.iters, per_epoch)) + ((args.iters - 1) % per_epoch != 0)
    images = evaluations * (args.train_size + args.test_size)
    print(f"Python {platform.python_version()}, 784-{args.hidden}-10 net, batch "
          f"{args.batch_size}: {args.steps} steps and an evaluation of {n} images timed")
    print(f"  one step         {step_wall:8.4f} s wall {step_cpu:8.4f} s CPU")
    print(f"  per 1000 images  {eval_wall * 1000:8.4f} s wall {eval_cpu * 1000:8.4f} s CPU "
          f"(evaluation)")
    for name, step, image in (("wall", step_wall, eval_wall), ("CPU", step_cpu, eval_cpu)):
        train, evaluate = step * args.iters, image * images
        print(f"  {name:<4} {args.iters} steps {train / 60:6.1f} min + {evaluations} "
              f"evaluations of {args.train_size + args.test_size} images {evaluate / 60:6.1f} min"
              f" = {(train + evaluate) / 60:6.1f} min")
    # With a core free the evaluations run in a second process while the steps go on;
    # only the last one, of the final weights, is waited for.
    last = eval_wall * (args.train_size + args.test_size)
    print(f"  wall with the evaluations beside (a core free): {args.iters * step_wall / 60:6.1f}"
          f" min of steps + {last / 60:4.1f} min for the final one "
          f"= {(args.iters * step_wall + last) / 60:6.1f} min")


if __name__ == "__main__":
    main()
