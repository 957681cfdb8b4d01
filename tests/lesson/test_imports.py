"""purenet must run on the standard library alone: no module of it may bring NumPy in."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import purenet

PURENET_DIR = Path(purenet.__file__).parent
MODULES = sorted(f"purenet.{m.name}" for m in pkgutil.iter_modules(purenet.__path__))


def test_modules_are_discovered():
    assert {"purenet.matrix", "purenet.functions", "purenet.gradient"} <= set(MODULES)


def test_importing_every_purenet_module_leaves_numpy_out():
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'numpy' or m.startswith('numpy.'))\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"numpy was imported: {done.stdout.strip()}"


DYNAMIC_IMPORTS = {"__import__", "import_module"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def numpy_imports(source: str) -> list[str]:
    """Every import of numpy in a module's source, at any depth (a lazy one inside a function
    counts too), plus dynamic imports that name it in a string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "numpy"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "numpy":
            found.append(f"from {node.module}")
        elif (isinstance(node, ast.Call) and _called_name(node) in DYNAMIC_IMPORTS
              and node.args and isinstance(node.args[0], ast.Constant)
              and str(node.args[0].value).split(".")[0] == "numpy"):
            found.append(f"{_called_name(node)}({node.args[0].value!r})")
    return found


def test_no_purenet_file_imports_numpy():
    files = sorted(PURENET_DIR.rglob("*.py"))
    assert files
    offenders = {path.name: numpy_imports(path.read_text(encoding="utf-8")) for path in files}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_check_catches_the_usual_spellings():
    for line in ("import numpy", "import numpy as np", "from numpy import array",
                 "def f():\n    import numpy.linalg", "from numpy.random import default_rng",
                 "import os, numpy", "__import__('numpy')", "importlib.import_module('numpy')"):
        assert numpy_imports(line), line
    for line in ("import numbers", "# import numpy would broadcast", "from purenet import matrix",
                 "x = 'numpy is not imported here'", "print('numpy')"):
        assert not numpy_imports(line), line
