"""Seconds of a whole `train --impl pure` command, and its lines against `--impl numpy`.

Runs the README's pure example (or the options given after --) as a child process
`python cli.py train --impl pure ...`, prints its wall seconds, its CPU seconds and
its peak memory, then runs the same command with --impl numpy and says whether the
printed epoch lines and final accuracies are identical, showing the first that is not.

    PURENET_DATA=../shared/mnist python bench/pure_train.py
    python bench/pure_train.py --repeat 3 -- --train-size 60000 --test-size 10000 --iters 10000
    python bench/pure_train.py --root ../other-checkout   # the same command in another tree

Figures are printed, never asserted: timings belong to the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time

README_EXAMPLE = ["--train-size", "1000", "--test-size", "1000", "--hidden", "20",
                  "--iters", "200", "--lr", "1"]


def run(python: str, root: str, impl: str, options: list[str]) -> tuple[float, float, str]:
    """Run `python cli.py train --impl impl options` in root; return wall s, CPU s, stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([python, "cli.py", "train", "--impl", impl, *options], cwd=root,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"--impl {impl} exited with {done.returncode}:\n{done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def results(stdout: str) -> list[str]:
    """The lines both implementations must print alike: each epoch's and the final one."""
    return [line for line in stdout.splitlines()
            if line.startswith(("epoch", "final weights"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter to run")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(
        __file__))), help="the checkout whose cli.py runs (default: this one)")
    parser.add_argument("--repeat", type=int, default=1, help="pure runs; the median is shown")
    parser.add_argument("--no-numpy", action="store_true", help="skip the comparison run")
    parser.add_argument("--numpy-python", help="the interpreter of the --impl numpy run "
                        "(default: --python; give one with NumPy if that has none)")
    parser.add_argument("options", nargs="*", help="train options (default: the README's)")
    args = parser.parse_args()
    options = args.options or README_EXAMPLE
    version = subprocess.run([args.python, "-c", "import platform; "
                              "print(platform.python_version())"],
                             capture_output=True, text=True, check=True).stdout.strip()
    print(f"Python {version} in {args.root} (this script on {platform.python_version()}): "
          f"train --impl pure {' '.join(options)}")
    walls, cpus, out = [], [], ""
    for _ in range(args.repeat):
        wall, cpu, out = run(args.python, args.root, "pure", options)
        walls.append(wall)
        cpus.append(cpu)
        print(f"  pure run  {wall:8.1f} s wall  {cpu:8.1f} s CPU")
    walls.sort()
    cpus.sort()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    print(f"pure: median {walls[len(walls) // 2]:.1f} s wall, {cpus[len(cpus) // 2]:.1f} s CPU "
          f"of {args.repeat} run(s); peak memory {peak:.0f} MiB")
    done = [line for line in out.splitlines() if line.startswith("done:")]
    print(f"pure's own account: {done[0] if done else '(none printed)'}")
    if args.no_numpy:
        return
    _, _, numpy_out = run(args.numpy_python or args.python, args.root, "numpy", options)
    pure_lines, numpy_lines = results(out), results(numpy_out)
    if pure_lines == numpy_lines:
        print(f"the {len(pure_lines)} epoch and final lines are identical to --impl numpy's; "
              f"last: {pure_lines[-1]}")
        return
    for i, (p, n) in enumerate(zip(pure_lines + [""] * len(numpy_lines),
                                   numpy_lines + [""] * len(pure_lines))):
        if p != n:
            print(f"lines differ from --impl numpy's at line {i + 1}:\n  pure:  {p}\n  numpy: {n}")
            break


if __name__ == "__main__":
    main()
