"""`purenet check FILE.py`: which of a learner's chapter-4 functions is wrong, and why.

The file runs in a child process (purenet_cli/check_child.py, the cases in
purenet_cli/check_cases.py) in its own folder with that folder first on sys.path, as the
book's scripts run, under a wall-clock time limit and a memory limit (RLIMIT_AS, where the
system has it), so an endless loop or a huge allocation ends in one line. The file's
training loop, which runs on MNIST and cannot be run here, is read instead: two of the
chapter's mistakes are visible in its source. Exit status: 0 when everything the file
defines passes, 1 when something fails, 2 when the file cannot be checked.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import click

from purenet_cli.check_names import NAMES, NET_PARTS, SECTIONS
from purenet_cli.check_template import TEMPLATE

ROOT = Path(__file__).resolve().parents[1]
GUIDE = "docs/chapter4.md"


def cannot(message: str) -> None:
    """The file cannot be checked: one line (or Python's own syntax-error lines), exit 2."""
    click.echo(f"purenet check: {message}", err=True)
    sys.exit(2)


def limit_memory(megabytes: int) -> Any:
    def apply() -> None:
        try:
            import resource
        except ImportError:  # not on Windows: the time limit still holds
            return
        limit = megabytes * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
    return apply


def run_child(path: Path, timeout: float, memory: int) -> tuple[list[dict], str | None]:
    """Run the checks in a child process; return its records and, if it did not finish, why."""
    with tempfile.TemporaryDirectory(prefix="purenet-check-") as tmp:
        results = Path(tmp, "results.jsonl")
        results.touch()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        posix = os.name == "posix"
        with open(Path(tmp, "out"), "wb") as out:
            child = subprocess.Popen(
                [sys.executable, "-m", "purenet_cli.check_child", str(path), str(results)],
                cwd=path.parent, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=posix,
                preexec_fn=limit_memory(memory) if posix else None)
            stopped = None
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                stopped = "time"
            finally:  # the time limit, or Ctrl-C here: the child, in its own session, goes too
                if child.poll() is None:
                    if posix:
                        os.killpg(child.pid, signal.SIGKILL)
                    else:
                        child.kill()
                    child.wait(timeout=10)
        records = [json.loads(line) for line in results.read_text("utf-8").splitlines()
                   if line.strip()]
        printed = Path(tmp, "out").read_text("utf-8", "replace")
    if stopped is None and not any("done" in r or "import_error" in r or "syntax_error" in r
                                   for r in records):
        if "MemoryError" in printed:
            stopped = "memory"
        else:
            stopped = f"ended with status {child.returncode}"
    return records, stopped


def static_mistakes(tree: ast.AST) -> list[tuple[int, str, str]]:
    """The training loop's two mistakes that show in its source: (line, what, the mistake)."""
    divided = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
               for t in node.targets if isinstance(t, ast.Name)
               and any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)
                       for n in ast.walk(node.value))}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Constant) and \
                isinstance(node.iter.value, str) and "," in node.iter.value:
            found.append((node.lineno, f"for ... in ({node.iter.value!r})",
                          "the update loop runs over the letters of one string: parentheses "
                          "alone make no tuple; write ('W1', 'b1', 'W2', 'b2')"))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            right = node.right
            is_float = isinstance(right, ast.Constant) and isinstance(right.value, float)
            if is_float or (isinstance(right, ast.Name) and right.id in divided):
                found.append((node.lineno, f"... % {ast.unparse(right)}",
                              "an epoch test on a float: train_size / batch_size is a float "
                              "(600.0), and i % 10.5 == 0 misses the epochs when it is not "
                              "whole; use // for the iterations per epoch"))
    return found


def section(name: str | None) -> str:
    return f'reread {GUIDE}, section "{name}"' if name else ""


def show(records: list[dict], scanned: list[tuple[int, str, str]], path: Path) -> int:
    """Print one line per name (and the why under a failure); return the exit status."""
    seen = {r["name"]: r for r in records if "name" in r}
    rows: list[dict] = []
    for name in NAMES:
        if name == "TwoLayerNet":
            rows += [seen.get(f"TwoLayerNet.{p}", {"name": f"TwoLayerNet.{p}", "status": "none"})
                     for p in NET_PARTS]
        elif name == "sum_squared_error" and "mean_squared_error" in seen:
            rows.append(seen["mean_squared_error"])
        else:
            rows.append(seen.get(name, {"name": name, "status": "none"}))
    width = max(len(r["name"]) for r in rows) + 2
    counts = {"ok": 0, "fail": 0, "missing": 0}
    notes = 0
    for r in rows:
        status = r["status"]
        label = {"ok": "ok", "fail": "FAIL", "missing": "not written yet"}.get(status)
        if label is None:
            continue
        counts[status] += 1
        click.echo(f"  {r['name']:<{width}}{label}")
        indent = " " * (width + 2)
        if status == "fail":
            click.echo(f"{indent}{r['message']}")
            if r.get("mistake"):
                click.echo(f"{indent}the mistake: {r['mistake']}")
            if r.get("section"):
                click.echo(f"{indent}{section(r['section'])}")
        for note in r.get("notes", []):
            notes += 1
            click.echo(f"{indent}note: {note}")
    for line, what, mistake in scanned:
        counts["fail"] += 1
        click.echo(f"  {'the training loop':<{width}}FAIL")
        indent = " " * (width + 2)
        click.echo(f"{indent}line {line} of {path.name}: {what}")
        click.echo(f"{indent}the mistake: {mistake}")
        click.echo(f"{indent}{section(SECTIONS[11])}")
    summary = f"{counts['ok']} passed, {counts['fail']} failed, {counts['missing']} not written yet"
    if notes:
        summary += f", {notes} note{'s' if notes > 1 else ''}"
    click.echo(summary)
    return 1 if counts["fail"] else 0


def write_new(path: Path) -> None:
    if path.exists():
        cannot(f"{path} exists; give --new a new file name (nothing was written)")
    if not path.parent.is_dir():
        cannot(f"no folder {path.parent} to write {path.name} in")
    path.write_text(TEMPLATE, encoding="utf-8")
    click.echo(f"wrote {path}: the book's chapter-4 names, each raising NotImplementedError. "
               f"Fill them in one by one and run `purenet check {path}`.")


@click.command("check", short_help="Check your own chapter-4 code against the book's examples.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--new", is_flag=True,
              help="Write FILE as a starting file (the book's names, signatures and "
                   "docstrings, bodies raising NotImplementedError) instead of checking it.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0,
              help="Seconds the whole check may take before it is stopped.")
@click.option("--memory", type=click.IntRange(min=64), default=2048,
              help="Megabytes of memory the checked file may use (where the system allows a "
                   "limit).")
def check_command(file: Path, new: bool, timeout: float, memory: int) -> None:
    """Check the chapter-4 functions FILE defines, by the book's names and signatures.

    Each of sigmoid, sigmoid_grad, softmax, sum_squared_error (or mean_squared_error),
    cross_entropy_error, numerical_diff, function_2, numerical_gradient,
    gradient_descent, simpleNet and TwoLayerNet (params, predict, loss, accuracy,
    numerical_gradient, gradient) is run on the book's worked examples and on seeded
    random cases and compared with both purenet and reference: within 1e-9 for the
    functions, 1e-6 for numerical derivatives. A failure names the input, what came
    back, what was expected, and the mistake, with the guide's section to reread.
    Names FILE does not define are "not written yet". FILE runs in its own folder, in
    a separate process, with the time and memory limits below.

    Exit status: 0 when everything FILE defines passes, 1 when something fails, 2 when
    FILE cannot be checked.
    """
    if new:
        write_new(file)
        return
    if not file.is_file():
        cannot(f"no file {file}; `purenet check --new {file}` writes a starting one")
    path = file.resolve()
    try:
        source = path.read_bytes()
        tree = ast.parse(source, filename=str(file))
    except SyntaxError as exc:  # Python's own lines: the file, the line, the caret, the error
        text = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        cannot(f"{file} cannot be checked: it has a syntax error.\n{text}")
    except (ValueError, OSError) as exc:
        cannot(f"{file} cannot be checked: it is not a Python source file ({exc})")
    records, stopped = run_child(path, timeout, memory)
    for r in records:
        if "syntax_error" in r:
            cannot(f"{file} cannot be checked: a file it imports has a syntax error.\n"
                   f"{r['syntax_error'].rstrip()}")
        if "import_error" in r:
            line = r["import_error"].replace("than the limit", f"than --memory {memory} MB")
            cannot(f"{file} cannot be checked: {line}")
    imported = any(r.get("imported") for r in records)
    if stopped is not None and not imported:
        if stopped == "time":
            cannot(f"{file} cannot be checked: importing it did not finish in {timeout:g} s; "
                   "its script part (a training loop?) runs when it is imported: put it under "
                   "`if __name__ == \"__main__\":`, or give a larger --timeout")
        if stopped == "memory":
            cannot(f"{file} cannot be checked: importing it asked for more than --memory "
                   f"{memory} MB")
        cannot(f"{file} cannot be checked: the process checking it {stopped} while importing "
               "it (os._exit or a crash?)")
    kind = "NumPy arrays" if any(r.get("numpy") for r in records if "imported" in r) \
        else "plain lists"
    click.echo(f"purenet check {file}: the book's examples and seeded random cases, with "
               f"{kind} as inputs, against purenet and reference")
    status = show(records, static_mistakes(tree), path)
    if stopped is not None:
        running = [r["start"] for r in records if "start" in r]
        done = {r["name"] for r in records if "name" in r}
        name = next((n for n in reversed(running) if n not in done), "the check")
        why = (f"did not finish in {timeout:g} s (--timeout)" if stopped == "time"
               else f"asked for more than {memory} MB (--memory)" if stopped == "memory"
               else f"ended the checking process ({stopped})")
        click.echo(f"{name} {why}; the names after it were not checked")
        status = 1
    sys.exit(status)
