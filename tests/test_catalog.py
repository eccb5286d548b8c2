"""The message catalog (eduqa/catalog): every user-facing sentence keyed, in Chinese and
English; no Chinese written in the code outside it, the column registry and the demo data."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eduqa.catalog import MESSAGES, CatalogError, say
from eduqa.errors import EduqaError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "eduqa"
#: Chinese characters and Chinese punctuation (not U+3000, the ideographic space, which code
#: strips from names as it strips a space).
CJK = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
#: Where Chinese may be written: the catalog, the column registry, the demo-data generator.
ALLOWED = ("catalog/", "config/columns.py", "synth/")
def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                found.add(id(body[0].value))
    return found


def chinese_strings(path: Path) -> list[int]:
    """Lines of the string literals (f-string parts included; docstrings, which speak to
    developers, not) in ``path`` that hold a Chinese character."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return sorted({node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and id(node) not in skip and CJK.search(node.value)})


def _modules() -> dict[str, Path]:
    return {path.relative_to(PACKAGE).as_posix(): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_chinese_in_the_code_outside_the_catalog_registry_and_synth():
    """Every string literal of eduqa that holds Chinese is in the catalog, the column
    registry or the demo-data generator (docstrings and comments, which speak to developers
    and name the office's terms such as 一分三率, are not string literals a user reads)."""
    stray = {name: chinese_strings(path)[:5] for name, path in _modules().items()
             if not name.startswith(ALLOWED) and chinese_strings(path)}
    assert not stray, f"Chinese written outside eduqa/catalog (module: first lines): {stray}"


def test_the_check_finds_a_planted_sentence_and_ignores_a_docstring(tmp_path):
    path = tmp_path / "planted.py"
    path.write_text('"""模块说明：开发者文档。"""\n\n\ndef f(zh):\n    """函数说明。"""\n'
                    '    return f"共 {zh} 所" if zh else "none"\n', encoding="utf-8")
    assert chinese_strings(path) == [6]


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages():
    for key, message in MESSAGES.items():
        assert message.zh.strip() and message.en.strip(), key
        assert all(name.isidentifier() for name in _fields(message.zh) | _fields(message.en))
        words = re.sub(r"\{[^}]*\}", "", message.zh)  # (a message may be only fields)
        assert CJK.search(words) or not re.search("[A-Za-z]", words) \
            or message.zh == message.en, key  # (e.g. "AIC")


def _keyed_calls() -> list[tuple[str, str, set[str], bool]]:
    """(module, key, keyword names, has **kwargs) of every say("key", …) and
    EduqaError.of("key", …) / X.of("key", …) in eduqa with a literal key."""
    calls = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in ("say", "of") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str) and "." in first.value:
                keywords = {k.arg for k in node.keywords if k.arg}
                calls.append((name, first.value, keywords,
                              any(k.arg is None for k in node.keywords)))
    return calls


def test_every_key_the_code_names_is_in_the_catalog_with_the_fields_it_needs():
    calls = _keyed_calls()
    assert len(calls) >= 40  # (the models' errors, errors.py, the captions)
    for module, key, keywords, more in calls:
        assert key in MESSAGES, (module, key)
        if not more:
            needed = _fields(MESSAGES[key].zh) | _fields(MESSAGES[key].en)
            assert needed <= keywords | {"file", "row", "column", "key"}, (module, key, keywords)


def test_say_fills_fields_joins_lists_and_names_what_is_missing():
    assert say("model.no_columns", "zh", missing=["甲", "乙"], available=("丙",)) == \
        "数据中没有变量 甲、乙；可用的变量：丙"
    assert say("model.no_columns", "en", missing=["a", "b"], available=["c"]) == \
        "no column(s) a, b; columns available: c"
    with pytest.raises(CatalogError, match="'model.no_columns' needs the field 'available'"):
        say("model.no_columns", "zh", missing=["a"])
    with pytest.raises(CatalogError, match="no message 'model.nothing'"):
        say("model.nothing")


def test_a_model_raises_plain_english_and_the_catalog_gives_the_chinese():
    from eduqa.models.linear import ols

    frame = pd.DataFrame({"y": np.arange(6.0), "x": [0, 1, 0, 1, 0, 1.0], "s": ["a"] * 6})
    with pytest.raises(EduqaError) as raised:
        ols(frame, "y ~ x", cluster="s")
    error = raised.value
    assert str(error) == "clustered errors need at least two clusters" and not CJK.search(
        str(error))
    assert error.message_key == "model.two_clusters"
    assert error.render("zh") == say("model.two_clusters", "zh") == "聚类稳健标准误至少需要两个聚类（学校）"


def test_a_list_in_a_sentence_keeps_its_separator():
    """Found moving the sentences: the excluded kinds are listed with ；/; and the unbalanced
    schools with 、/;, as they were; a list field without a separator takes the language's."""
    from eduqa.text.narrative.cleaning import clean_summary

    accounting = pd.DataFrame({"item": ["rows_in", "rows_kept", "excluded:blank_row",
                                        "excluded:no_student_id"], "n_rows": [10, 7, 2, 1]})
    log = pd.DataFrame({"action": ["exclude_row"] * 3})
    assert "（空行 2 行；缺少学生编号 1 行）" in clean_summary(accounting, log, "zh")
    assert "(blank row 2 rows; no student id 1 rows)" in clean_summary(accounting, log, "en")
    assert say("narrative.attribution.classes_overview.schools_with_parallel_classes", "en",
               n_balance=3, n_unbalanced=2, limit=0.1, names=["A (1)", "B (2)"]).count(
        "A (1); B (2)") == 1


def test_no_message_calls_a_page_of_associations_an_attribution_of_causes():
    """Issue 36 (9): the 03 page is 「差距与哪些条件有关」 ("What the gaps go with"): it shows
    associations, so no sentence names it 归因分析 or "the attribution page"."""
    causal = re.compile(r"归因|attribution page", re.IGNORECASE)
    found = [key for key, message in MESSAGES.items()
             if causal.search(message.zh) or causal.search(message.en)]
    assert not found
    assert MESSAGES["project.build.page_titles.03-attribution"].zh == "差距与哪些条件有关"
