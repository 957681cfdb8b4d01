"""Time and memory to load the full MNIST with each package (chapter 4.5's first step).

Each load runs in a fresh subprocess, so one package's memory never counts for the other:
the child times ``load_mnist(normalize=True, one_hot_label=True)`` (the book's training
call, SHA-256 verification included) and reports its peak resident memory
(resource.getrusage ru_maxrss). Budgets: reference under 1.5 s; purenet under 3 s and
250 MB.

    python bench/load.py [--data-dir DIR] [--repeat 3]

Without --data-dir, files are found as load_mnist finds them (PURENET_DATA, the cache).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from {package}.mnist import load_mnist
imported = time.perf_counter()
(x_train, t_train), (x_test, t_test) = load_mnist(
    normalize=True, one_hot_label=True, data_dir=sys.argv[1] or None)
loaded = time.perf_counter()
batch = x_train[list(range(0, 60000, 600))]  # 100 rows, as a training step gathers them
gathered = time.perf_counter()
print(json.dumps({{
    "import_s": imported - start, "load_s": loaded - imported,
    "batch_ms": 1000 * (gathered - loaded), "rows": len(x_train) + len(x_test),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
}}))
"""
BUDGETS = {"reference": (1.5, None), "purenet": (3.0, 250.0)}


def measure(package: str, data_dir: str) -> dict[str, float]:
    """One load of full MNIST in a fresh interpreter: seconds and peak MB."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(package=package), data_dir],
        check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="", help="directory holding the four files")
    parser.add_argument("--repeat", type=int, default=3, help="fresh loads per package")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {args.repeat} fresh processes per package, "
          "load_mnist(normalize=True, one_hot_label=True)")
    print(f"{'package':<10} {'import s':>8} {'load s':>7} {'batch ms':>8} {'peak MB':>8}  budget")
    for package, (max_seconds, max_mb) in BUDGETS.items():
        runs = [measure(package, args.data_dir) for _ in range(args.repeat)]
        figures = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        peak = max(run["peak_mb"] for run in runs)
        within = figures["load_s"] < max_seconds and (max_mb is None or peak < max_mb)
        budget = f"< {max_seconds:g} s" + (f", < {max_mb:g} MB" if max_mb else "")
        print(f"{package:<10} {figures['import_s']:8.2f} {figures['load_s']:7.2f} "
              f"{figures['batch_ms']:8.1f} {peak:8.0f}  {budget}: {'ok' if within else 'OVER'}")
    print("load s is the median; peak MB the largest of the runs; batch = 100 rows gathered")


if __name__ == "__main__":
    main()
