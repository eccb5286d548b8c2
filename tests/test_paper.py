"""Inputs of the paper analysis (eduqa.paper): question names, class names, blueprints."""

from __future__ import annotations

import pandas as pd
import pytest

from eduqa.errors import InputError
from eduqa.paper import class_label, question_id, read_blueprint


@pytest.mark.parametrize("header, expected", [
    ("1", "1"), ("第3题", "3"), ("3题", "3"), ("17(1)", "17(1)"), ("17（1）", "17(1)"),
    (" 第17(2)题 ", "17(2)"), ("选择题1", "选择题1"), ("１２", "12"), ("3.0", "3"), ("", None),
])
def test_question_names_are_written_one_way(header, expected):
    assert question_id(header) == expected


@pytest.mark.parametrize("text, expected", [
    ("1班", "1班"), ("(1)班", "1班"), ("（1）班", "1班"), ("一班", "1班"), ("01", "1班"),
    ("1", "1班"), ("十二班", "12班"), ("初三（12）班", "12班"), ("九年级3班", "3班"),
    ("高一(3)班", "3班"), ("实验班", "实验班"), ("初三", "初三"), ("", ""),
])
def test_class_names_are_written_one_way(text, expected):
    assert class_label(text) == expected


def _write(path, rows, encoding="utf-8"):
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False, encoding=encoding)
    return path


def test_a_blueprint_with_several_points_per_question(tmp_path):
    path = _write(tmp_path / "bp.csv", [
        ["题号", "题型", "分值", "知识点", "能力层级", "答案"],
        ["1", "单选题", "3", "有理数", "了解", "b"],
        ["第2题", "填空题", "4分", "函数、方程", "理解", ""],
        ["17(1)", "解答题", "6", "几何；函数", "应用", ""]], encoding="gbk")
    blueprint = read_blueprint(path, "数学")
    assert list(blueprint["question"]) == ["1", "2", "2", "17(1)", "17(1)"]
    assert blueprint.loc[blueprint["question"] == "2", "knowledge_point"].tolist() == [
        "函数", "方程"]
    assert blueprint["full_marks"].tolist() == [3.0, 4.0, 4.0, 6.0, 6.0]
    assert blueprint["objective"].tolist() == [True, False, False, False, False]
    assert blueprint.loc[0, "key"] == "B"
    assert blueprint.drop_duplicates("question")["order"].tolist() == [0, 1, 2]


@pytest.mark.parametrize("rows, message, row", [
    ([["题号", "分值"], ["1", "3"], ["第1题", "4"]], "listed twice", 3),
    ([["题号", "分值"], ["1", "三"]], "not a positive number", 2),
    ([["题号", "分值", "题型"], ["1", "3", "选择题"]], "without an answer key", 2),
])
def test_blueprint_errors_name_the_row(tmp_path, rows, message, row):
    path = _write(tmp_path / "bp.csv", rows)
    with pytest.raises(InputError, match=message) as caught:
        read_blueprint(path, "数学")
    assert caught.value.where.row == row
    assert caught.value.where.file == path


def test_a_blueprint_without_full_marks_says_which_column(tmp_path):
    path = _write(tmp_path / "bp.csv", [["题号", "知识点"], ["1", "函数"]])
    with pytest.raises(InputError, match="满分") as caught:
        read_blueprint(path, "数学")
    assert "题号" in caught.value.hint
