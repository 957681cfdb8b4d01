"""The test session runs NumPy's BLAS on one thread, as the purenet command does.

Set here, before any test module imports NumPy: the tests' products are small,
and on a busy machine a BLAS thread waiting for a core makes each of them up to
a hundred times slower (purenet_cli/blas.py). A thread count the user set wins.
"""

from purenet_cli.blas import limit_blas_threads

limit_blas_threads()
