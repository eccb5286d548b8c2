"""Error messages: every error eduqa raises on purpose has a Chinese message (and a Chinese
hint when it has a hint), rendered with the place of the problem in Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

from eduqa.errors import EduqaError, InputError, NotebookError, ParamsError

from conftest import REPO, english_phrases

RAISED = ("InputError", "ParamsError", "EduqaError")


def raise_sites() -> list[tuple[str, int, set[str]]]:
    sites = []
    for path in sorted((REPO / "eduqa").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = getattr(func, "id", getattr(func, "attr", ""))
                if name in RAISED:
                    sites.append((f"{path.relative_to(REPO)}:{node.lineno}", node.lineno,
                                  {k.arg for k in node.exc.keywords}))
                elif name == "of" and getattr(func.value, "id", "") in RAISED:
                    # from the message catalog, which holds both languages of every message
                    # and the hint with it (tests/test_catalog.py)
                    sites.append((f"{path.relative_to(REPO)}:{node.lineno}", node.lineno,
                                  {"zh", "catalog"}))
    return sites


def test_every_raised_error_has_a_chinese_message():
    sites = raise_sites()
    assert len(sites) >= 60
    missing = [where for where, _, keywords in sites if "zh" not in keywords]
    assert not missing
    no_hint = [where for where, _, keywords in sites if "hint" in keywords
               and "hint_zh" not in keywords]
    assert not no_hint


def test_render_places_the_problem_in_chinese():
    error = InputError("the file is empty", file=Path("data/raw/x/scores.csv"), row=12,
                       column="学校", hint="export it again", zh="文件是空的",
                       hint_zh="请重新导出")
    assert error.render("zh") == ("文件 data/raw/x/scores.csv，第 12 行，“学校”列：文件是空的\n"
                                  "  怎么办：请重新导出")
    assert error.render("en") == str(error) == (
        "file data/raw/x/scores.csv, row 12, column '学校': the file is empty\n"
        "  What to do: export it again")
    params = ParamsError("unknown key", file=Path("params/a.yaml"), key="subjectz",
                         zh="无法识别的键")
    assert params.render("zh") == "参数文件 params/a.yaml，键 “subjectz”：无法识别的键"
    notebook = NotebookError("2025-spring-g9", "02-indicators.ipynb", 7, "ValueError: x")
    assert "第 7 个单元格" in notebook.render("zh") and "cell 7" in notebook.render("en")
    # no Chinese given: the English message, never an empty one
    assert EduqaError("plain").render("zh") == "plain"


def test_english_phrase_detector_finds_untranslated_text():
    assert english_phrases("文件 x.csv：the file is empty")
    assert not english_phrases("文件 data/raw/a b.csv：“Sheet One Two”列缺失（CalamineError: "
                               "cannot open this）")
