"""`purenet check FILE.py`: learners' files, right and wrong, as a learner runs the command.

Right files (the book's NumPy style, plain lists, the book's folders importing each other)
pass every check; each of the chapter's usual mistakes, made in a copy of the right NumPy
file, fails with that mistake named; a file that loops, eats memory, has a syntax error or
exits ends in one clear line. Every run is a real `python -m purenet check` with a bounded
wait, and short limits where the test is about a limit.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BOOK = FIXTURES / "book_numpy.py"
WAIT = 120  # seconds: a bound on every run, far above what one takes


def check(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "purenet", "check", *map(str, args)],
                          capture_output=True, text=True, timeout=WAIT, cwd=cwd,
                          stdin=subprocess.DEVNULL)


ROW = re.compile(r"^  (\S.*?)\s{2,}(ok|FAIL|not written yet)$")


def rows(out: str) -> dict[str, str]:
    """name -> ok / FAIL / not written yet, from the check's table."""
    return {m[1]: m[2] for m in map(ROW.match, out.splitlines()) if m}


def block_of(out: str, name: str) -> str:
    """The lines under name's row: what failed, the mistake, the section to reread."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if (m := ROW.match(line)) and m[1] == name)
    end = next((i for i in range(start + 1, len(lines)) if ROW.match(lines[i])), len(lines))
    return "\n".join(lines[start + 1:end])


NAMES = ["sigmoid", "sigmoid_grad", "softmax", "cross_entropy_error", "numerical_diff",
         "function_2", "numerical_gradient", "gradient_descent", "simpleNet",
         "TwoLayerNet.params", "TwoLayerNet.predict", "TwoLayerNet.loss",
         "TwoLayerNet.accuracy", "TwoLayerNet.numerical_gradient", "TwoLayerNet.gradient"]


@pytest.mark.parametrize("path", [BOOK, FIXTURES / "plain_lists.py",
                                  FIXTURES / "book" / "ch04" / "my_ch4.py"],
                         ids=["numpy", "plain-lists", "book-folders"])
def test_a_right_file_passes_every_check(path: Path) -> None:
    result = check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    table = rows(result.stdout)
    for name in NAMES:
        assert table.get(name) == "ok", (name, result.stdout)
    assert table.get("sum_squared_error", table.get("mean_squared_error")) == "ok"
    assert "16 passed, 0 failed, 0 not written yet" in result.stdout


def test_inputs_follow_the_file_numpy_or_lists() -> None:
    assert "with NumPy arrays as inputs" in check(BOOK).stdout
    assert "with plain lists as inputs" in check(FIXTURES / "plain_lists.py").stdout


def test_the_books_traps_are_notes_not_failures() -> None:
    out = check(BOOK).stdout
    assert "restores the entry only when f returns" in out
    assert "an integer array cannot hold x + h" in out
    assert "changes the caller's init_x in place" in out
    assert "note:" not in check(FIXTURES / "plain_lists.py").stdout  # purenet's way: no traps


# (what the learner typed instead of the book's line, the function that fails, the words)
MISTAKES = {
    "forward-difference": ("(f(x + h) - f(x - h)) / (2 * h)", "(f(x + h) - f(x)) / h",
                           "numerical_diff", "a forward difference"),
    "h-1e-50": ("h = 1e-4\n    return", "h = 1e-50\n    return", "numerical_diff",
                "h too small"),
    "entry-not-restored": ("        x[idx] = tmp_val\n        it.iternext()",
                           "        it.iternext()", "numerical_gradient",
                           "the entry is not restored after nudging"),
    "log-without-delta": ("np.log(y[np.arange(batch_size), t] + 1e-7)",
                          "np.log(y[np.arange(batch_size), t])", "cross_entropy_error",
                          "without the 1e-7"),
    "batch-summed": ("+ 1e-7)) / batch_size", "+ 1e-7))", "cross_entropy_error",
                     "summed, not averaged"),
    "one-sample-only": ("    if y.ndim == 1:\n        t = t.reshape(1, t.size)\n"
                        "        y = y.reshape(1, y.size)\n    if t.size == y.size:\n"
                        "        t = t.argmax(axis=1)\n    batch_size = y.shape[0]\n"
                        "    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) "
                        "/ batch_size\n",
                        "    return -np.log(y[np.argmax(t)] + 1e-7)\n",
                        "cross_entropy_error", "it handles one sample only"),
    "label-one-hot-mixup": ("    if t.size == y.size:\n        t = t.argmax(axis=1)\n",
                            "    t = np.argmax(t, axis=1)\n", "cross_entropy_error",
                            "one-hot and label targets mixed up"),
    "softmax-overflow": ("    x = x - np.max(x)\n    return", "    return", "softmax",
                         "without subtracting the maximum"),
    "gradient-ascent": ("x -= lr * grad", "x += lr * grad", "gradient_descent",
                        "it steps with the gradient"),
    "dy-not-divided": ("dy = (y - t) / batch_num", "dy = (y - t)", "TwoLayerNet.gradient",
                       "not divided by the batch size"),
    "missing-transpose": ("np.dot(z1.T, dy)", "np.dot(z1, dy)", "TwoLayerNet.gradient",
                          "a missing transpose"),
    "sigmoid-grad-of-output": ("dz1 = sigmoid_grad(a1) * da1", "dz1 = sigmoid_grad(z1) * da1",
                               "TwoLayerNet.gradient", "sigmoid_grad is taken of the output"),
    "sigmoid-grad-formula-of-output": ("return (1.0 - sigmoid(x)) * sigmoid(x)",
                                       "return x * (1 - x)", "sigmoid_grad",
                                       "taken of the output"),
    "update-loop-over-a-string": (
        "", "\n\ndef update(network, grad, learning_rate):\n"
            "    for key in ('W1, b1, W2, b2'):\n"
            "        network.params[key] -= learning_rate * grad[key]\n",
        "the training loop", "the letters of one string"),
    "epoch-test-on-a-float": (
        "", "\n\ndef epochs(train_size, batch_size, iters_num):\n"
            "    iter_per_epoch = max(train_size / batch_size, 1)\n"
            "    return [i for i in range(iters_num) if i % iter_per_epoch == 0]\n",
        "the training loop", "an epoch test on a float"),
}


def with_mistake(tmp_path: Path, old: str, new: str) -> Path:
    source = BOOK.read_text()
    if old:
        assert source.count(old) == 1, old  # the fixture really holds the book's line
        source = source.replace(old, new)
    else:
        source += new
    path = tmp_path / "my_ch4.py"
    path.write_text(source)
    return path


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_fails_with_its_name(tmp_path: Path, mistake: str) -> None:
    old, new, name, words = MISTAKES[mistake]
    result = check(with_mistake(tmp_path, old, new))
    assert result.returncode == 1, result.stdout + result.stderr
    assert rows(result.stdout).get(name) == "FAIL", result.stdout
    block = block_of(result.stdout, name)
    assert "the mistake: " in block and words in block, result.stdout
    assert 'reread docs/chapter4.md, section "' in block
    # the failure says which input and what came back (the static ones: which line)
    assert "returned" in block or "raised" in block or "line " in block
    assert "Traceback" not in result.stdout + result.stderr


def test_plain_python_softmax_overflow_is_named_too(tmp_path: Path) -> None:
    source = (FIXTURES / "plain_lists.py").read_text()
    old = "    c = max(x)\n    exps = [math.exp(v - c) for v in x]"
    assert source.count(old) == 1
    (tmp_path / "f.py").write_text(source.replace(old, "    exps = [math.exp(v) for v in x]"))
    result = check(tmp_path / "f.py")
    assert result.returncode == 1
    block = block_of(result.stdout, "softmax")
    assert "OverflowError" in block and "without subtracting the maximum" in block


def test_the_guide_sections_named_exist() -> None:
    from purenet_cli.check_names import SECTIONS
    guide = (Path(__file__).parents[2] / "docs" / "chapter4.md").read_text()
    for title in SECTIONS.values():
        assert f"\n## {title}" in guide, title


def test_new_then_check_is_all_not_written_yet(tmp_path: Path) -> None:
    made = check("--new", "f.py", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    result = check("f.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    table = rows(result.stdout)
    assert set(table.values()) == {"not written yet"}
    assert len(table) == 16
    assert "0 passed, 0 failed, 16 not written yet" in result.stdout


def test_new_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "f.py").write_text("mine = 1\n")
    result = check("--new", "f.py", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "f.py").read_text() == "mine = 1\n"
    assert result.stderr.count("\n") == 1 and "exists" in result.stderr


def test_a_file_with_none_of_the_names_is_all_not_written_yet(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("x = 1\n")
    result = check(tmp_path / "empty.py")
    assert result.returncode == 0 and "16 not written yet" in result.stdout


def one_line_exit_2(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


def test_an_endless_loop_at_import_ends_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "loop.py").write_text("while True:\n    pass\n")
    one_line_exit_2(check(tmp_path / "loop.py", "--timeout", "2"), "did not finish in 2 s")


def test_an_endless_loop_in_a_function_fails_that_function(tmp_path: Path) -> None:
    (tmp_path / "loop.py").write_text(
        BOOK.read_text().replace("    return 1 / (1 + np.exp(-x))", "    while True:\n"
                                 "        pass"))
    result = check(tmp_path / "loop.py", "--timeout", "3")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == ("sigmoid did not finish in 3 s (--timeout); "
                                              "the names after it were not checked")


def test_a_huge_allocation_at_import_ends_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("import numpy as np\nx = np.ones(10**10)  # 80 GB\n")
    one_line_exit_2(check(tmp_path / "big.py", "--memory", "1024", "--timeout", "20"),
                    "MemoryError: the file asks for more memory than --memory 1024 MB")


def test_a_huge_allocation_in_a_function_fails_that_function(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text(
        BOOK.read_text().replace("    return 1 / (1 + np.exp(-x))",
                                 "    return np.ones((10**5, 10**5))"))
    result = check(tmp_path / "big.py", "--memory", "1024", "--timeout", "20")
    assert result.returncode == 1
    assert "sigmoid asked for more memory than the limit" in result.stdout


def test_a_syntax_error_is_shown_as_python_shows_it(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def sigmoid(x)\n    return x\n")
    result = check(tmp_path / "bad.py")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"purenet check: {tmp_path / 'bad.py'} cannot be checked: it has a " \
                       "syntax error."
    assert lines[1].strip().startswith('File "') and "line 1" in lines[1]
    assert lines[-1].startswith("SyntaxError: ")
    assert "Traceback" not in result.stderr


def test_a_file_that_prints_and_exits_ends_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text("print('training...')\nimport sys\nsys.exit(0)\n")
    one_line_exit_2(check(tmp_path / "script.py"), "the file exits (sys.exit(0))")
    (tmp_path / "hard.py").write_text("print('bye')\nimport os\nos._exit(3)\n")
    one_line_exit_2(check(tmp_path / "hard.py"), "ended with status 3")


def test_a_missing_or_non_python_file_cannot_be_checked(tmp_path: Path) -> None:
    one_line_exit_2(check(tmp_path / "nope.py"), "no file")
    (tmp_path / "image.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    result = check(tmp_path / "image.py")
    assert result.returncode == 2 and "cannot be checked" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_import_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "imp.py").write_text("import os\nfrom common.functions import *\n")
    one_line_exit_2(check(tmp_path / "imp.py"), "line 2 of")


def test_cli_py_runs_the_same_check() -> None:
    root = Path(__file__).parents[2]
    result = subprocess.run([sys.executable, str(root / "cli.py"), "check", str(BOOK)],
                            capture_output=True, text=True, timeout=WAIT,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0 and "16 passed" in result.stdout
