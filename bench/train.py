"""Seconds of the book's full training run (chapter 4.5), split by step, against PyTorch.

Runs exactly what `purenet train --impl numpy` runs by default: 10000 iterations
of 100 images, lr 0.1, the loss recorded at every iteration, and 17 evaluations
of the accuracy on all 70,000 images, plus one of the final weights. Prints the
wall seconds of the whole command and of each of the loop's steps (sampling,
gradient, update, evaluation, from the loop's own timers), and the final
weights' accuracies.

Where PyTorch is installed, the same network then trains in the same process
with torch: the same start weights, the same batches (the same seeded
random.Random), the same sizes, sigmoid hidden layer, softmax cross entropy,
plain SGD with lr 0.1 and the same 18 evaluations, on as many threads as NumPy's
BLAS. The ratio of the two loops is printed. torch is not a dependency of purenet.

    python bench/train.py                       # float64, the default run
    python bench/train.py --dtype float32
    python bench/train.py --iters 2000 --no-torch

Figures are printed, never asserted: timings belong to the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import cli
from purenet.train import batch_indices


def run_numpy(args: argparse.Namespace, history_path: str) -> tuple[float, dict[str, Any]]:
    """Run the train command in this process; return its wall seconds and its history."""
    argv = ["train", "--impl", "numpy", "--dtype", args.dtype, "--iters", str(args.iters),
            "--seed", str(args.seed), "--history", history_path, "--force"]
    if args.data_dir:
        argv += ["--data-dir", args.data_dir]
    start = time.perf_counter()
    cli.cli.main(argv, standalone_mode=False)
    seconds = time.perf_counter() - start
    with open(history_path, encoding="utf-8") as f:
        return seconds, json.load(f)


def run_torch(args: argparse.Namespace, threads: int) -> dict[str, Any] | None:
    """Train the same network with PyTorch; return its timings and accuracies (None: no torch)."""
    try:
        import torch
    except ImportError:
        return None
    from purenet.two_layer_net import TwoLayerNet as PureNet
    from purenet_support.mnist_numpy import load_mnist

    torch.set_num_threads(threads)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, data_dir=args.data_dir)
    x_train = torch.from_numpy(x_train).to(dtype)  # (60000, 784)
    x_test = torch.from_numpy(x_test).to(dtype)  # (10000, 784)
    t_train, t_test = torch.from_numpy(t_train), torch.from_numpy(t_test)

    rng = random.Random(args.seed)  # the same start weights and batches as the numpy run
    start = PureNet(784, 50, 10, weight_init_std=0.01, rng=rng).get_params()
    params = [torch.tensor(start[k], dtype=dtype, requires_grad=True)
              for k in ("W1", "b1", "W2", "b2")]
    batches = batch_indices(rng, len(x_train), 100, "replacement")
    result = torch_loop(args.iters, params, batches, (x_train, t_train), (x_test, t_test))
    return {**result, "version": torch.__version__}


def torch_loop(iters: int, params: list[Any], batches: Iterator[list[int]],
               train: tuple[Any, Any], test: tuple[Any, Any]) -> dict[str, Any]:
    """Run the numpy run's loop in torch; return its timings, accuracies and losses."""
    import torch
    import torch.nn.functional as F

    (x_train, t_train), (x_test, t_test) = train, test
    W1, b1, W2, b2 = params
    iter_per_epoch = len(x_train) // 100

    def accuracy(x: Any, t: Any) -> float:
        hits = 0
        with torch.no_grad():
            for s in range(0, len(x), 10000):
                a2 = torch.sigmoid(x[s:s + 10000] @ W1 + b1) @ W2 + b2  # (n, 10)
                hits += int((a2.argmax(dim=1) == t[s:s + 10000]).sum())
        return hits / len(x)

    timings = dict.fromkeys(("sampling", "gradient", "update", "evaluation"), 0.0)
    losses, epochs = [], []
    clock = time.perf_counter
    loop_start = clock()
    for i in range(iters):
        t0 = clock()
        idx = torch.tensor(next(batches))
        x_batch, t_batch = x_train[idx], t_train[idx]
        t1 = clock()
        a1 = x_batch @ W1 + b1  # (100, 784) @ (784, 50) -> (100, 50)
        y = torch.sigmoid(a1) @ W2 + b2  # (100, 50) @ (50, 10) -> (100, 10)
        loss = F.cross_entropy(y, t_batch)  # softmax + cross entropy, mean over the batch
        for p in params:
            p.grad = None
        loss.backward()
        t2 = clock()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
        losses.append(loss.item())
        t3 = clock()
        timings["sampling"] += t1 - t0
        timings["gradient"] += t2 - t1
        timings["update"] += t3 - t2
        if i % iter_per_epoch == 0:
            epochs.append({"iteration": i, "train_acc": accuracy(x_train, t_train),
                           "test_acc": accuracy(x_test, t_test)})
            timings["evaluation"] += clock() - t3
    t3 = clock()
    if epochs[-1]["iteration"] == iters - 1:
        final = epochs[-1]
    else:  # the weights the run ends with, as the purenet loop measures them
        final = {"iteration": iters - 1, "train_acc": accuracy(x_train, t_train),
                 "test_acc": accuracy(x_test, t_test)}
    timings["evaluation"] += clock() - t3
    return {"loop": clock() - loop_start, "timings": timings, "epochs": epochs,
            "final": final, "losses": losses}


def report(name: str, loop: float, timings: dict[str, float], final: dict) -> None:
    split = ", ".join(f"{k} {v:.2f}" for k, v in timings.items())
    print(f"{name:<6} loop {loop:6.2f} s  ({split})  final weights: "
          f"train acc {final['train_acc']:.4f}, test acc {final['test_acc']:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--iters", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=None, help="else $PURENET_DATA")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch run")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch's threads (default: as many as NumPy's BLAS)")
    args = parser.parse_args()

    cli.limit_blas_threads()  # as the purenet command does, before numpy loads
    threads = int(os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
                  or 0) or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        seconds, history = run_numpy(args, os.path.join(tmp, "history.json"))
    import numpy as np

    evaluations = len(history["epochs"]) + (history["final"]["iteration"] !=
                                            history["epochs"][-1]["iteration"])
    print(f"\nPython {platform.python_version()}, NumPy {np.__version__}, {args.dtype}, "
          f"{threads} BLAS thread(s), {os.cpu_count()} CPUs, {args.iters} iterations, "
          f"{evaluations} evaluations on 70,000 images (the last: the final weights)")
    t = history["timings"]
    loop = sum(t.values())
    print(f"numpy  command {seconds:.2f} s in this process: loading, check and start "
          f"{seconds - loop:.2f} s, then")
    report("numpy", loop, t, history["final"])
    if args.no_torch:
        return
    result = run_torch(args, args.torch_threads or threads)
    if result is None:
        print("torch  not installed: no comparison (pip install torch in another venv)")
        return
    report("torch", result["loop"], result["timings"], result["final"])
    gap = max(abs(a - b) for a, b in zip(history["train_loss"], result["losses"]))
    print(f"torch {result['version']} on {args.torch_threads or threads} thread(s); "
          f"loop numpy / torch = "
          f"{loop / result['loop']:.2f}; largest loss difference {gap:.1e} (torch's cross "
          f"entropy has no 1e-7 inside the log)")


if __name__ == "__main__":
    main()
