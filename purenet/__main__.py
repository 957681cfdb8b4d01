"""``python -m purenet``: the ``purenet`` command, for when its script is not on PATH.

Only ``python -m purenet`` runs this file; ``import purenet`` never does, so the
library itself still loads neither click nor NumPy. ``python -m`` puts the
current directory first on sys.path; it is dropped (unless purenet itself was
found there), so a cli.py or a purenet_cli/ in that directory is never what runs.
"""

import os
import sys

_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where purenet was found
sys.path[:] = [p for p in sys.path
               if os.path.abspath(p or os.curdir) != os.path.abspath(os.curdir) or
               os.path.abspath(p or os.curdir) == _HOME]

from purenet_cli.main import main  # noqa: E402  (after the current directory is dropped)

if __name__ == "__main__":
    main()
