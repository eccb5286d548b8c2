"""Teachers of record (eduqa.teachers): reading the 任课安排 file, keyed codes, and a teacher's
classes aggregated with an interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eduqa.errors import InputError
from eduqa.teachers import read_teachers, teacher_effects, teacher_key

SCHOOLS = pd.DataFrame({"school_code": ["S1", "S2"], "school_name": ["一中", "二中"]})


def _file(tmp_path, rows, name="teachers.csv"):
    path = tmp_path / name
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False, encoding="utf-8")
    return path


def test_teachers_are_read_by_a_keyed_code_and_names_are_not_kept(tmp_path):
    path = _file(tmp_path, [["学校", "班级", "学科", "任课教师"],
                            ["一中", "(1)班", "数学", "王老师"], ["一中", "1班", "数学", "王老师"],
                            ["一中", "2班", "数学", "王老师"], ["二中", "一班", "语文", "李老师"]])
    table = read_teachers(path, SCHOOLS, "salt")
    assert "teacher_name" not in table.columns
    assert len(table) == 3  # (1)班 and 1班 are one class: one row
    assert table["class"].tolist() == ["1班", "2班", "1班"]
    wang = teacher_key("S1/王老师", "salt")
    assert table["teacher_key"].tolist()[:2] == [wang, wang]
    assert teacher_key("S1/王老师", "other") != wang
    assert "王" not in "".join(table.astype(str).to_numpy().ravel())
    named = read_teachers(path, SCHOOLS, "salt", keep_names=True)
    assert named["teacher_name"].tolist() == ["王老师", "王老师", "李老师"]


@pytest.mark.parametrize("rows, message, row", [
    ([["学校", "班级", "学科", "教师"], ["一中", "1班", "数学", "王"], ["一中", "(1)班", "数学", "张"]],
     "two math teachers", 3),
    ([["学校", "班级", "学科", "教师"], ["三中", "1班", "数学", "王"]], "not in the roster", 2),
    ([["学校", "班级", "学科", "教师"], ["一中", "1班", "体育", "王"]], "not a known subject", 2),
    ([["学校", "班级", "学科", "教师"], ["一中", "1班", "数学", ""]], "no teacher", 2),
])
def test_teacher_file_errors_name_the_row(tmp_path, rows, message, row):
    with pytest.raises(InputError, match=message) as caught:
        read_teachers(_file(tmp_path, rows), SCHOOLS, "salt")
    assert caught.value.where.row == row


def test_a_teacher_s_effect_is_the_pupil_weighted_mean_of_the_classes(tmp_path):
    assignments = pd.DataFrame({"school_code": ["S1", "S1", "S1", "S2"],
                                "class": ["1班", "2班", "3班", "1班"],
                                "subject": ["math", "math", "math", "math"],
                                "teacher_key": ["Ta", "Ta", "Tb", "Tc"]})
    effects = pd.DataFrame({"school_code": ["S1", "S1", "S1", "S2"],
                            "class": ["1班", "2班", "3班", "1班"],
                            "effect": [0.30, 0.10, -0.05, -0.40], "se": [0.1, 0.2, 0.1, 0.1],
                            "n": [40, 20, 35, 30]})
    table = teacher_effects(effects, assignments, "math").set_index("teacher_key")
    # Ta: (40·0.30 + 20·0.10) / 60; se = √((40/60)²·0.1² + (20/60)²·0.2²)
    assert table.loc["Ta", "effect"] == pytest.approx((12 + 2) / 60)
    assert table.loc["Ta", "se"] == pytest.approx(math.sqrt((2 / 3) ** 2 * 0.01
                                                            + (1 / 3) ** 2 * 0.04))
    assert table.loc["Ta", "n_classes"] == 2 and table.loc["Ta", "n"] == 60
    assert table.loc["Ta", "flag"] == "above"  # 0.233 ± 0.15
    assert table.loc["Tb", "flag"] == "as_expected"
    assert table.loc["Tc", "flag"] == "below"
    assert list(table.index) == ["Ta", "Tb", "Tc"]  # by school and code, never by effect
    assert teacher_effects(effects, assignments, "chinese").empty
    small = teacher_effects(effects, assignments, "math", min_group_size=35)
    assert small.set_index("teacher_key")["small_group"].tolist() == [False, False, True]
    assert np.isfinite(table["ci_low"]).all()
