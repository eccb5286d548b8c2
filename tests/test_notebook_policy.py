"""The notebooks stay thin (issue 13, point 4): no functions or classes (logic lives in eduqa),
at most ten lines a cell, no file written except through manifest.publish, a Markdown cell
before each section saying what it shows, committed without outputs, and ruff-clean."""

from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import pytest

from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
MAX_LINES = 10
#: Calls that write files (or delete them); a notebook hands its outputs over with
#: manifest.publish only.
WRITERS = {"to_csv", "to_parquet", "to_excel", "to_pickle", "to_json", "to_feather",
           "write_text", "write_bytes", "savefig", "mkdir", "unlink", "rmtree",
           "touch", "dump", "write_workbook", "write_processed", "run_clean",
           "clean_season", "prepare"}
#: Calls that open a section of the page (each gets a Markdown cell before it).
SECTIONS = {"section", "attribution_section", "trend_section", "heading", "appendix_intro"}


def _lines_besides_imports(source: str, tree: ast.Module) -> int:
    """The cell's lines, not counting its import statements: one import per package of eduqa
    is layout, not logic."""
    imports = {line for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
               for line in range(node.lineno, node.end_lineno + 1)}
    return sum(1 for number, _ in enumerate(source.splitlines(), start=1)
               if number not in imports)


def violations(book) -> list[str]:
    """Every breach of the policy in one notebook, as readable lines."""
    found = []
    for number, cell in enumerate(book.cells, start=1):
        if cell.cell_type != "code":
            continue
        source = cell.source
        tree = ast.parse(source)
        lines = _lines_besides_imports(source, tree)
        if lines > MAX_LINES:
            found.append(f"cell {number}: {lines} lines besides imports (at most {MAX_LINES})")
        if cell.get("outputs") or cell.get("execution_count"):
            found.append(f"cell {number}: committed with outputs")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
                found.append(f"cell {number}: defines {type(node).__name__} (put it in eduqa)")
            if isinstance(node, ast.Call):
                name = (node.func.attr if isinstance(node.func, ast.Attribute) else
                        node.func.id if isinstance(node.func, ast.Name) else "")
                if name in WRITERS or (name == "open" and isinstance(node.func, ast.Name)):
                    found.append(f"cell {number}: calls {name}() (write only via "
                                 "manifest.publish)")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""])
                if any(m.split(".")[0] not in ("eduqa",) for m in modules):
                    found.append(f"cell {number}: imports {modules} (only eduqa)")
    for number, cell in enumerate(book.cells[1:], start=2):
        if cell.cell_type != "code":
            continue
        calls = {n.func.attr for n in ast.walk(ast.parse(cell.source))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
        if calls & SECTIONS and book.cells[number - 2].cell_type != "markdown":
            found.append(f"cell {number}: opens a section without a Markdown cell before it")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_policy(path):
    book = nbformat.read(path, as_version=4)
    assert violations(book) == []
    assert sum(c.cell_type == "markdown" for c in book.cells) >= 5


def test_the_policy_check_catches_each_breach():
    book = nbformat.v4.new_notebook()
    book.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("def f():\n    return 1"),
        nbformat.v4.new_code_cell("\n".join(f"a{i} = {i}" for i in range(11))),
        nbformat.v4.new_code_cell("table.to_excel('out.xlsx')"),
        nbformat.v4.new_code_cell("import os"),
        nbformat.v4.new_code_cell("s.md(narrative.section('overview', lang))"),
    ]
    found = "\n".join(violations(book))
    for expected in ("defines FunctionDef", "11 lines", "calls to_excel()", "imports ['os']",
                     "without a Markdown cell"):
        assert expected in found, expected
    book.cells.insert(5, nbformat.v4.new_markdown_cell("## Overview"))
    assert "without a Markdown cell" not in "\n".join(violations(book))


def test_imports_do_not_count_towards_a_cell_s_length():
    """Import lines are layout (one per package of eduqa); every other line counts."""
    imports = "\n".join(f"from eduqa.report import plots as p{i}" for i in range(12))
    short = nbformat.v4.new_notebook()
    short.cells = [nbformat.v4.new_code_cell(imports + "\n" + "\n".join(
        f"a{i} = {i}" for i in range(10)))]
    assert not any("lines" in v for v in violations(short))
    short.cells[0].source += "\na10 = 10"
    assert "11 lines besides imports" in "\n".join(violations(short))


def test_notebooks_are_ruff_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           *map(str, NOTEBOOKS)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
