"""The process that imports a learner's file and checks its chapter-4 names (`purenet check`).

Run as ``python -m purenet_cli.check_child FILE RESULTS`` by purenet_cli/check.py, in FILE's
folder with that folder first on sys.path, as the book's scripts run. Each finding is one
JSON line appended to RESULTS (flushed at once, so the parent knows what was running when a
time or memory limit ended this process). purenet and reference are imported only after the
learner's file, so the file alone decides whether NumPy is loaded before it runs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
import traceback
import warnings
from typing import Any

RESULTS: Any = None


def emit(**record: Any) -> None:
    RESULTS.write(json.dumps(record) + "\n")
    RESULTS.flush()


def import_error_line(exc: BaseException, path: str) -> str:
    """Where in the learner's files an import went wrong, as one line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "purenet_cli" not in f.filename and "importlib" not in f.filename]
    where = f" (line {frames[-1].lineno} of {frames[-1].filename})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def main(argv: list[str]) -> int:
    global RESULTS
    path, results = argv[0], argv[1]
    RESULTS = open(results, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
    warnings.simplefilter("ignore")
    printed = io.StringIO()
    spec = importlib.util.spec_from_file_location("learner_file", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["learner_file"] = module
    emit(start="import")
    try:
        with contextlib.redirect_stdout(printed):
            spec.loader.exec_module(module)
    except SystemExit as exc:
        emit(import_error=f"the file exits (sys.exit({exc.code!r})) while it is imported, so "
                          "nothing in it can be checked: put the script part under "
                          "`if __name__ == \"__main__\":`")
        return 0
    except SyntaxError as exc:
        emit(syntax_error="".join(traceback.format_exception_only(type(exc), exc)))
        return 0
    except MemoryError:
        emit(import_error="MemoryError: the file asks for more memory than the limit while "
                          "it is imported")
        return 0
    except BaseException as exc:  # the learner's code may raise anything
        line = import_error_line(exc, path)
        if isinstance(exc, ModuleNotFoundError):
            line += ("; the book's folders (common/, dataset/) must be next to the file or "
                     "its parent, as in the book's repository")
        emit(import_error=f"importing it raised {line}")
        return 0
    uses_numpy = "numpy" in sys.modules
    emit(imported=True, numpy=uses_numpy)
    from purenet_cli.check_cases import run_cases  # NumPy only now: the file decided first
    run_cases(vars(module), uses_numpy, emit)
    emit(done=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
