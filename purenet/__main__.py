"""``python -m purenet``: the ``purenet`` command, for when its script is not on PATH.

Only ``python -m purenet`` runs this file; ``import purenet`` never does, so the
library itself still loads neither click nor NumPy.
"""

from purenet_cli.main import main

if __name__ == "__main__":
    main()
