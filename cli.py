"""``python cli.py ...`` in a checkout: the ``purenet`` command, without installing it.

The program itself is purenet_cli/main.py; ``purenet`` and ``python -m purenet``
run the same one.
"""

from purenet_cli.main import main

if __name__ == "__main__":
    main()
