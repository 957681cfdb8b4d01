"""One BLAS thread for NumPy unless the user chose otherwise; set before NumPy loads."""

from __future__ import annotations

import os

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads() -> None:
    """Run NumPy's BLAS on one thread unless the user set a thread count; call before numpy loads.

    The training loop's products, (100, 784) @ (784, 50), are too small to split
    across threads, and a BLAS thread that waits for a busy core stalls every
    call; only the large evaluation products gain from more threads. bench/
    measures both (bench/train.py runs the default training).
    """
    if not any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        os.environ["OMP_NUM_THREADS"] = "1"
