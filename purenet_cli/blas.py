"""How many threads NumPy's BLAS runs: one unless the user set a count; set before NumPy loads."""

from __future__ import annotations

import os
import sys

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads() -> None:
    """Run NumPy's BLAS on one thread unless the user set a thread count; call before numpy loads.

    One thread is the run that is never slowed by a busy machine: every product
    the training loop makes, (100, 784) @ (784, 50), is split among the BLAS
    threads and waits for the last of them, so a thread that shares its core with
    another program stalls each of the 10,000 iterations. ``train --jobs`` uses a
    second core where it pays and cannot stall: the accuracy measurements.
    BLAS reads its thread count once, when NumPy loads, so this is too late after.
    """
    if "numpy" in sys.modules or any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        return
    for name in BLAS_THREAD_VARIABLES:
        os.environ[name] = "1"
