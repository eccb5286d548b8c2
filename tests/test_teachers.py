"""Teachers of record (eduqa.intake.teachers): reading the 任课安排 file, keyed codes, and a teacher's
classes aggregated with an interval."""

from __future__ import annotations

import pandas as pd
import pytest

from eduqa.errors import InputError
from eduqa.intake.teachers import read_teachers, teacher_key

SCHOOLS = pd.DataFrame({"school_code": ["S1", "S2"], "school_name": ["一中", "二中"],
                        "aliases": ["县一中", ""]})


def _file(tmp_path, rows, name="teachers.csv"):
    path = tmp_path / name
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False, encoding="utf-8")
    return path


def test_teachers_are_read_by_a_keyed_code_and_names_are_not_kept(tmp_path):
    path = _file(tmp_path, [["学校", "班级", "学科", "任课教师"],
                            ["一中", "(1)班", "数学", "王老师"], ["一中", "1班", "数学", "王老师"],
                            ["县一中", "2班", "数学", "王老师"], ["二中", "一班", "语文", "李老师"]])
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


def test_teacher_names_never_reach_the_processed_data(project):
    """A season with a 任课安排 file: the processed teachers table holds keyed codes; no
    processed file holds a teacher's name."""
    import yaml

    from eduqa.config.params import load_season
    from eduqa.project.pipeline import load_processed, prepare

    season = "2025-spring-g9"
    scores = pd.read_csv(project.raw / season / "scores.csv", dtype=str, keep_default_na=False)
    roster = pd.read_csv(project.raw / "schools.csv", dtype=str)
    written = scores[scores["学校"].isin(roster["school_name"])]  # (not by an alias)
    places = written[["学校", "班级"]].drop_duplicates().head(12)
    names = [f"欧阳{chr(0x4e00 + 50 + i)}{chr(0x4e00 + 90 + i)}" for i in range(len(places))]
    teachers = pd.DataFrame({"学校": places["学校"].to_numpy(), "班级": places["班级"].to_numpy(),
                             "学科": "数学", "任课教师": names})
    teachers.to_csv(project.raw / season / "teachers.csv", index=False, encoding="utf-8")
    path = project.params_dir / f"{season}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["files"]["teachers"] = f"data/raw/{season}/teachers.csv"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    prepare(load_season(project, season))
    folder = project.processed_season(season)
    back, _ = load_processed(folder)
    table = back.papers["teachers"]
    assert len(table) == len(places) and table["teacher_key"].str.match(r"^T[0-9a-f]{8}$").all()
    for file in folder.rglob("*"):
        if file.is_file():
            data_bytes = file.read_bytes()
            for name in names:
                assert name.encode("utf-8") not in data_bytes, (file.name, name)
        if file.suffix == ".parquet":
            text = " ".join(map(str, pd.read_parquet(file).to_numpy().ravel()))
            assert not any(name in text for name in names), file.name
