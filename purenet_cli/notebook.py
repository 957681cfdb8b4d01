"""The guide as a notebook: docs/chapter4.ipynb and docs/chapter4.ko.ipynb, made from the guides.

docs/chapter4.md and docs/chapter4.ko.md stay the one source. Each becomes a
Jupyter notebook (nbformat 4, written here with json): its text as markdown
cells, each ``>>>`` example as a code cell whose output is the example's
expected output (so the notebook shows, before it is run, what the test suite
checks), and each figure as a cell that draws it with the code of
``purenet figures`` (purenet_cli/figures.py), its output the committed PNG of
docs/figures. The first cell makes the checkout's packages importable.

    python -m purenet_cli.notebook           # write both notebooks
    python -m purenet_cli.notebook --check   # exit 1 if a committed one differs

`figure(name)` is what the figure cells call.
"""

from __future__ import annotations

import ast
import base64
import doctest
import json
import os
import re
import sys
import textwrap
from typing import Any

import click

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")
GUIDES = {"chapter4.md": "chapter4.ipynb", "chapter4.ko.md": "chapter4.ko.ipynb"}
FIGURE_LINE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\(figures/(?P<name>[\w.]+\.png)\)\s*$")
# The end of a message that newer Pythons add to a TypeError ("Did you mean ...?"),
# which the guide leaves to "..." (ELLIPSIS): left out of the recorded error.
ELLIPSIS_END = re.compile(r"\.\.\.$")

# The first two cells of each notebook: the checkout made importable, then what the
# cells below use.
PATH_CELL = """\
import os
import sys

root = os.path.abspath(os.pardir)
if os.path.isfile(os.path.join(root, "purenet", "__init__.py")) and root not in sys.path:
    sys.path.insert(0, root)"""
SETUP = {
    "chapter4.md": ["""\
# Run this first. From a checkout of purenet, it makes the repository's packages
# importable (the notebook sits in docs/). Elsewhere, install them first:
# pip install -e '.[plot]' in the checkout. The figures need the plot extra, and
# those drawn from MNIST need the data (PURENET_DATA, or a first download).
""" + PATH_CELL, """\
from purenet_cli.blas import limit_blas_threads
from purenet_cli.notebook import figure  # draws a figure of the guide, as `figures` does

limit_blas_threads()  # NumPy on one BLAS thread, set before it loads: faster here
%config PlainTextFormatter.pprint = False"""],
    "chapter4.ko.md": ["""\
# 먼저 이 셀을 실행하세요. purenet 저장소를 내려받은 곳에서 실행하면 저장소의 패키지를
# import할 수 있게 됩니다(이 노트북은 docs/ 안에 있습니다). 다른 곳에서는 저장소에서
# pip install -e '.[plot]'로 먼저 설치하세요. 그림에는 plot 추가 패키지가, MNIST로 그리는
# 그림에는 데이터(PURENET_DATA, 또는 처음 한 번 내려받기)가 필요합니다.
""" + PATH_CELL, """\
from purenet_cli.blas import limit_blas_threads
from purenet_cli.notebook import figure  # 가이드의 그림을 `figures` 명령과 같은 코드로

limit_blas_threads()  # NumPy가 로드되기 전에 BLAS 스레드를 하나로: 여기서는 더 빠릅니다
%config PlainTextFormatter.pprint = False"""],
}


# ---------------------------------------------------------------------------
# what the figure cells call


_trained: dict[str, Any] = {}


def figure(name: str) -> Any:
    """Draw the figure `name` of docs/figures with the code of `purenet figures`, as an image.

    The MNIST figures load MNIST (where `train` looks) and train the same brief
    run as the command, once per session. Returns an IPython Image of the PNG
    the command would write, which a notebook shows inline.
    """
    from IPython.display import Image

    from purenet_cli import figures

    known = {f.name: f for f in figures.FIGURES}
    if name not in known:
        raise ValueError(f"no figure {name!r}: the figures are {', '.join(known)}")
    if known[name].needs_mnist and not _trained:
        data = figures.mnist(None)
        network, record = figures.train_briefly(data)
        _trained.update(data=data, network=network, record=record,
                        run=figures.history_run(record))
    context = _trained or {"data": ((None, None), (None, None)), "network": None,
                           "record": {}, "run": ""}
    draw = figures.drawings(context["data"], context["network"], context["record"],
                            context["run"])[name]
    return Image(data=figures.png_bytes(draw()), format="png")


# ---------------------------------------------------------------------------
# the notebook, from the guide


def lines_of(text: str) -> list[str]:
    """A cell's source as nbformat stores it: lines, each but the last with its newline."""
    return text.splitlines(keepends=True)


def markdown_cell(text: str) -> dict[str, Any]:
    # a link to the other guide opens the other notebook
    for guide, name in GUIDES.items():
        text = text.replace(f"]({guide})", f"]({name})")
    return {"cell_type": "markdown", "metadata": {}, "source": lines_of(text)}


def code_cell(source: str, outputs: list[dict[str, Any]], tags: list[str] | None = None
              ) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None,
            "metadata": {"tags": tags} if tags else {}, "outputs": outputs,
            "source": lines_of(source)}


def shows_a_value(source: str) -> bool:
    """Whether an example is one expression whose value is shown (not a print call)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    value = tree.body[0].value
    return not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id == "print")


def example_cell(example: doctest.Example) -> dict[str, Any]:
    """One >>> example as a code cell, its output the one the guide expects."""
    source = re.sub(r"\s*# doctest:.*$", "", example.source.rstrip("\n"), flags=re.M)
    if example.exc_msg is not None:
        head, _, message = example.exc_msg.rstrip("\n").partition(":")
        ename = head.rsplit(".", 1)[-1]
        evalue = message.strip()
        if example.options.get(doctest.ELLIPSIS):
            evalue = ELLIPSIS_END.sub("", evalue)
        error = {"output_type": "error", "ename": ename, "evalue": evalue,
                 "traceback": [f"{ename}: {evalue}"]}
        # raises-exception: the error is the lesson, so running all cells goes on past it
        return code_cell(source, [error], tags=["raises-exception"])
    if not example.want:
        return code_cell(source, [])
    if shows_a_value(source):
        result = {"output_type": "execute_result", "execution_count": None, "metadata": {},
                  "data": {"text/plain": lines_of(example.want.rstrip("\n"))}}
        return code_cell(source, [result])
    return code_cell(source, [{"output_type": "stream", "name": "stdout",
                               "text": lines_of(example.want)}])


def figure_cell(name: str, alt: str) -> dict[str, Any]:
    """A cell drawing figures/name, its output the committed PNG."""
    with open(os.path.join(DOCS, "figures", name), "rb") as f:
        png = base64.b64encode(f.read()).decode("ascii")
    image = {"output_type": "execute_result", "execution_count": None, "metadata": {},
             "data": {"image/png": png, "text/plain": ["<IPython.core.display.Image object>"]}}
    comment = "\n".join(textwrap.wrap(alt, 96, initial_indent="# ", subsequent_indent="# "))
    return code_cell(f'{comment}\nfigure("{name}")', [image])


def cells_of(guide: str, text: str) -> list[dict[str, Any]]:
    """The cells of the notebook of guide (a file name of GUIDES) whose text is text."""
    cells = [code_cell(source, []) for source in SETUP[guide]]
    prose: list[str] = []

    def flush() -> None:
        block = "\n".join(prose).strip("\n")
        if block:
            cells.append(markdown_cell(block))
        prose.clear()

    fence: list[str] | None = None
    for line in text.splitlines():
        if fence is not None:
            if line.startswith("```"):
                inner = "\n".join(fence[1:]) + "\n"
                examples = doctest.DocTestParser().get_examples(inner)
                if examples:
                    flush()
                    cells.extend(example_cell(e) for e in examples)
                else:
                    prose.extend(fence + [line])
                fence = None
            else:
                fence.append(line)
        elif line.startswith("```"):
            fence = [line]
        elif (match := FIGURE_LINE.match(line)) is not None:
            flush()
            cells.append(figure_cell(match["name"], match["alt"]))
        else:
            if line.startswith("#"):
                flush()  # a cell per section
            prose.append(line)
    flush()
    count = 0
    for cell in cells:  # numbered as a run from the top would number them
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            for output in cell["outputs"]:
                if output["output_type"] == "execute_result":
                    output["execution_count"] = count
    for k, cell in enumerate(cells):
        cell["id"] = f"cell-{k}"
    return cells


def notebook_text(guide: str) -> str:
    """The JSON of the notebook of docs/guide, as Jupyter writes it (indent 1, keys sorted)."""
    with open(os.path.join(DOCS, guide), encoding="utf-8") as f:
        text = f.read()
    notebook = {
        "cells": cells_of(guide, text),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4, "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def stale() -> list[str]:
    """The notebooks of GUIDES whose committed copy differs from what the guide makes."""
    differ = []
    for guide, name in GUIDES.items():
        path = os.path.join(DOCS, name)
        try:
            with open(path, encoding="utf-8") as f:
                committed = f.read()
        except FileNotFoundError:
            committed = None
        if committed != notebook_text(guide):
            differ.append(path)
    return differ


@click.command()
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if a committed notebook differs from its guide.")
def main(check: bool) -> None:
    """Write docs/chapter4.ipynb and docs/chapter4.ko.ipynb from the two guides."""
    if check:
        differ = stale()
        for path in differ:
            click.echo(f"{os.path.relpath(path)} differs from its guide: run python -m "
                       f"purenet_cli.notebook", err=True)
        sys.exit(1 if differ else 0)
    for guide, name in GUIDES.items():
        path = os.path.join(DOCS, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(notebook_text(guide))
        click.echo(f"wrote {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
