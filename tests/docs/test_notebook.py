"""Tests of the notebook edition of the guide (purenet_cli/notebook.py, docs/*.ipynb).

The committed notebooks are what the generator makes of today's guides and figures
(regenerated here, compared byte for byte); each holds every >>> example of its guide
as a code cell with the expected output, every figure with its committed PNG, and a
first cell that makes the checkout importable. Running them in a kernel and comparing
the outputs is CI's separate step: `pytest --nbval docs/chapter4.ipynb ...`.
"""

from __future__ import annotations

import base64
import doctest
import io
import json
import os
import re
import shutil
import sys

import pytest
from click.testing import CliRunner

from purenet_cli import figures, notebook

GUIDES = sorted(notebook.GUIDES.items())


def load(name: str) -> dict:
    with open(os.path.join(notebook.DOCS, name), encoding="utf-8") as f:
        return json.load(f)


def text(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("guide, name", GUIDES)
def test_the_committed_notebook_is_what_the_guide_makes(guide, name):
    with open(os.path.join(notebook.DOCS, name), encoding="utf-8") as f:
        committed = f.read()
    assert committed == notebook.notebook_text(guide), (
        f"docs/{name} is stale: run python -m purenet_cli.notebook and commit it")


@pytest.mark.parametrize("guide, name", GUIDES)
def test_every_example_is_a_cell_with_its_expected_output(guide, name):
    with open(os.path.join(notebook.DOCS, guide), encoding="utf-8") as f:
        examples = doctest.DocTestParser().get_examples(f.read())
    cells = [c for c in load(name)["cells"] if c["cell_type"] == "code"]
    setup, rest = cells[:2], cells[2:]
    code = [c for c in rest if "\nfigure(" not in text(c)]
    assert len(code) == len(examples) > 100
    for cell, example in zip(code, examples):
        source = re.sub(r"\s*# doctest:.*$", "", example.source.rstrip("\n"), flags=re.M)
        assert text(cell) == source
        if example.exc_msg is not None:
            (error,) = cell["outputs"]
            assert error["output_type"] == "error" and cell["metadata"]["tags"] == [
                "raises-exception"]
            assert example.exc_msg.split(":")[0].endswith(error["ename"])
            assert error["evalue"].rstrip(".") in example.exc_msg
        elif not example.want:
            assert cell["outputs"] == []
        else:
            (output,) = cell["outputs"]
            shown = output.get("text") or output["data"]["text/plain"]
            assert "".join(shown).rstrip("\n") == example.want.rstrip("\n")
    numbers = [c["execution_count"] for c in cells]
    assert numbers == list(range(1, len(cells) + 1))  # as one run from the top numbers them
    assert "sys.path.insert(0, root)" in text(setup[0]) and setup[0]["outputs"] == []
    assert "import figure" in text(setup[1]) and setup[1]["outputs"] == []


@pytest.mark.parametrize("guide, name", GUIDES)
def test_every_figure_is_drawn_inline_with_its_committed_png(guide, name):
    with open(os.path.join(notebook.DOCS, guide), encoding="utf-8") as f:
        shown = re.findall(r"^!\[[^\]]*\]\(figures/([\w.]+\.png)\)", f.read(), flags=re.M)
    drawn = {}
    for cell in load(name)["cells"]:
        match = re.search(r'^figure\("([\w.]+)"\)$', text(cell), flags=re.M)
        if match:
            (output,) = cell["outputs"]
            drawn[match[1]] = base64.b64decode(output["data"]["image/png"])
    assert list(drawn) == shown and sorted(shown) == sorted(f.name for f in figures.FIGURES)
    for figure_name, png in drawn.items():
        with open(os.path.join(notebook.DOCS, "figures", figure_name), "rb") as f:
            assert png == f.read(), figure_name


@pytest.mark.parametrize("guide, name", GUIDES)
def test_markdown_cells_keep_the_guides_text(guide, name):
    with open(os.path.join(notebook.DOCS, guide), encoding="utf-8") as f:
        source = f.read()
    cells = load(name)["cells"]
    markdown = [text(c) for c in cells if c["cell_type"] == "markdown"]
    assert markdown[0].startswith("# Chapter 4") or markdown[0].startswith("# 4장")
    headings = [line for line in source.splitlines() if line.startswith("## ")]
    assert [m.splitlines()[0] for m in markdown if m.startswith("## ")] == headings
    other = "chapter4.ko.ipynb" if name == "chapter4.ipynb" else "chapter4.ipynb"
    assert f"]({other})" in markdown[0]  # the other language's notebook, not its guide
    prompts = [line for m in markdown for line in m.splitlines() if line.startswith(">>> ")]
    assert prompts == []  # every example became a code cell


def test_check_exits_1_on_a_stale_notebook_and_0_on_fresh_ones(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    shutil.copytree(notebook.DOCS, docs,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(notebook, "DOCS", str(docs))
    result = CliRunner().invoke(notebook.main, ["--check"])
    assert result.exit_code == 0, result.output
    (docs / "chapter4.md").write_text((docs / "chapter4.md").read_text(encoding="utf-8")
                                      + "\nOne more line.\n", encoding="utf-8")
    result = CliRunner().invoke(notebook.main, ["--check"])
    assert result.exit_code == 1
    assert "chapter4.ipynb differs from its guide" in result.output
    assert "chapter4.ko.ipynb" not in result.output
    result = CliRunner().invoke(notebook.main, [])
    assert result.exit_code == 0 and CliRunner().invoke(notebook.main, ["--check"]).exit_code == 0
    assert load_from(docs / "chapter4.ipynb")["cells"][-1]["source"][-1] == "One more line."


def load_from(path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def import_ipython(monkeypatch):
    # IPython reads sys.stdin's encoding as it loads; with stdin closed, pytest's
    # stand-in refuses that, so it loads against an empty stream instead.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO()))
    pytest.importorskip("IPython", reason="the figure cells run in a Jupyter kernel")


def test_figure_names_an_unknown_figure(monkeypatch):
    import_ipython(monkeypatch)
    with pytest.raises(ValueError, match="no figure 'nope.png': the figures are loss_functions"):
        notebook.figure("nope.png")


def test_figure_draws_the_png_the_command_writes(tmp_path, monkeypatch):
    import_ipython(monkeypatch)
    pytest.importorskip("matplotlib", reason="drawing needs the plot extra")
    image = notebook.figure("gradient_field.png")
    path = str(tmp_path / "g.png")
    figures.save(figures.draw_gradient_field(figures.gradient_field_data()), path)
    with open(path, "rb") as f:
        assert image.data == f.read()
