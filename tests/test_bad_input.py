"""Bad input of every kind a spreadsheet produces: each case ends either in a clean run that
records the problem in the cleaning log, or in exit code 2 with a message naming the file and
the row or column (or key) and what to do. Never a traceback."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from eduqa.cli import main
from eduqa.config.params import load_season
from eduqa.intake.clean import clean_season

from conftest import english_phrases

G9 = "2025-spring-g9"
G6 = "2024-spring-g6"


def g9_csv(project):
    return project.raw / G9 / "scores.csv"


def edit_g9(project, change):
    path = g9_csv(project)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = change(frame)
    frame.to_csv(path, index=False)


def edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit_csv(path, change, encoding="utf-8"):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    change(frame).to_csv(path, index=False, encoding=encoding)


def set_cells(column, rows, value):
    def change(frame):
        frame.loc[rows, column] = value
        return frame
    return change


def xlsx_sheets(project, same_header: bool):
    frame = pd.read_csv(g9_csv(project), dtype=str, keep_default_na=False)
    book = Workbook()
    first = book.active
    first.append(list(frame.columns))
    for row in frame.iloc[:1000].itertuples(index=False):
        first.append(list(row))
    second = book.create_sheet("第二页")
    second.append(list(frame.columns) if same_header else ["学籍号", "学校", "语文"])
    for row in frame.iloc[1000:].itertuples(index=False):
        second.append(list(row) if same_header else list(row)[:3])
    book.save(project.raw / G9 / "scores.xlsx")
    g9_csv(project).unlink()
    edit_yaml(project.params_dir / f"{G9}.yaml",
              lambda d: d["files"].update({"scores": f"data/raw/{G9}/scores.xlsx"}))


# (name, change, season, expected) — expected is ("error", text that must appear) or
# ("ok", log action that must appear in the cleaning log)
CASES = [
    ("empty file", lambda p: g9_csv(p).write_bytes(b""), G9, ("error", "empty")),
    ("header only", lambda p: g9_csv(p).write_text(
        g9_csv(p).read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"),
     G9, ("error", "no student rows")),
    ("binary garbage", lambda p: g9_csv(p).write_bytes(bytes(range(256)) * 50), G9,
     ("error", "binary")),
    ("UTF-16 text", lambda p: g9_csv(p).write_bytes(
        g9_csv(p).read_text(encoding="utf-8").encode("utf-16")), G9, ("ok", "drop_column")),
    ("mixed encodings", lambda p: g9_csv(p).write_bytes(
        g9_csv(p).read_bytes() + "9,1,G999,张三,县城第一中学,1班,８０\n".encode("gbk")),
     G9, ("error", "line 2746")),
    ("school column missing", lambda p: edit_g9(p, lambda f: f.drop(columns=["学校"])), G9,
     ("error", "no school column")),
    ("id column missing", lambda p: edit_g9(p, lambda f: f.drop(columns=["学籍号", "考号"])),
     G9, ("error", "no student id column")),
    ("unknown extra columns", lambda p: edit_g9(p, lambda f: f.assign(备注="x", 性别="男")),
     G9, ("ok", "ignore_column")),
    ("unknown school in some rows", lambda p: edit_g9(p, set_cells("学校", [5, 9], "月亮中学")),
     G9, ("error", "月亮中学")),
    ("unknown school in all rows", lambda p: edit_g9(p, set_cells("学校", slice(None), "某某学校")),
     G9, ("error", "某某学校")),
    ("duplicate ids, conflicting scores", lambda p: edit_g9(
        p, lambda f: pd.concat([f, f.iloc[[3]].assign(语文="1")])), G9, ("ok", "exclude_row")),
    ("score above full marks", lambda p: edit_g9(p, set_cells("物理", [4], "130")), G9,
     ("ok", "set_invalid")),
    ("negative score", lambda p: edit_g9(p, set_cells("物理", [4], "-1")), G9,
     ("ok", "set_invalid")),
    ("text score", lambda p: edit_g9(p, set_cells("物理", [4], "良好")), G9,
     ("ok", "set_invalid")),
    ("no score at all (empty template)", lambda p: edit_g9(
        p, lambda f: f.assign(**{c: "" for c in ["语文", "数学", "英语", "物理", "化学",
                                                 "道德与法治", "历史", "总分"]})), G9,
     ("error", "holds no scores")),
    ("everyone absent in a subject", lambda p: edit_g9(p, set_cells("历史", slice(None), "缺考")),
     G9, ("ok", "status")),
    ("a subject with no valid score", lambda p: edit_g9(p, set_cells("化学", slice(None), "x")),
     G9, ("ok", "set_invalid")),
    ("rows with no student id", lambda p: edit_g9(p, set_cells("学籍号", [2, 3], "")), G9,
     ("ok", "exclude_row")),
    ("footer row 合计", lambda p: g9_csv(p).write_text(
        g9_csv(p).read_text(encoding="utf-8") + ",,,,合计,,,,,,,,,\n", encoding="utf-8"),
     G9, ("ok", "exclude_row")),
    ("xlsx with several sheets", lambda p: xlsx_sheets(p, True), G9, ("ok", "drop_column")),
    ("xlsx sheets with different columns", lambda p: xlsx_sheets(p, False), G9,
     ("error", "different columns")),
    ("corrupt xlsx", lambda p: (p.raw / "2025-spring-g6" / "scores.xlsx").write_bytes(
        b"PK\x03\x04broken"), "2025-spring-g6", ("error", "cannot be opened")),
    ("params: unknown key", lambda p: edit_yaml(p.params_dir / f"{G9}.yaml",
                                                 lambda d: d.update({"subjets": {}})), G9,
     ("error", "subjets")),
    ("params: wrong type", lambda p: edit_yaml(p.params_dir / f"{G9}.yaml",
                                                lambda d: d.update({"grade": "九"})), G9,
     ("error", "'grade'")),
    ("params: missing file", lambda p: (p.raw / G9 / "staffing.csv").unlink(), G9,
     ("error", "staffing.csv")),
    ("params: invalid YAML", lambda p: (p.params_dir / f"{G9}.yaml").write_text(
        "season: [\n", encoding="utf-8"), G9, ("error", "not valid YAML")),
    ("params: unknown subject", lambda p: edit_yaml(
        p.params_dir / f"{G9}.yaml", lambda d: d["subjects"].update({"书法": 50})), G9,
     ("error", "书法")),
    ("params: subject missing in export", lambda p: edit_yaml(
        p.params_dir / f"{G9}.yaml", lambda d: d["subjects"].update({"地理": 100})), G9,
     ("error", "地理")),
    ("county params: thresholds out of order", lambda p: edit_yaml(
        p.params_dir / "county.yaml", lambda d: d["thresholds"].update({"good": 0.95})), G9,
     ("error", "thresholds")),
    ("staffing: school not in roster", lambda p: edit_csv(
        p.raw / G9 / "staffing.csv", set_cells("学校代码", [0], "9999999999")), G9,
     ("error", "9999999999")),
    ("staffing: text where a number belongs", lambda p: edit_csv(
        p.raw / G9 / "staffing.csv", set_cells("在岗专任教师", [1], "二十")), G9,
     ("error", "二十")),
    ("staffing: a school twice", lambda p: edit_csv(
        p.raw / G9 / "staffing.csv", lambda f: pd.concat([f, f.iloc[[0]]])), G9,
     ("error", "more than once")),
    ("roster: column missing", lambda p: edit_csv(
        p.raw / "schools.csv", lambda f: f.drop(columns=["township"])), G9,
     ("error", "township")),
    ("roster: unknown urban-rural type", lambda p: edit_csv(
        p.raw / "schools.csv", set_cells("urban_rural", [0], "山区")), G9, ("error", "山区")),
    ("roster: a school code twice", lambda p: edit_csv(
        p.raw / "schools.csv", lambda f: pd.concat([f, f.iloc[[0]]])), G9,
     ("error", "more than once")),
    ("targets: school not in roster", lambda p: edit_csv(
        p.raw / G9 / "targets.csv", set_cells("学校代码", [0], "8888888888")), G9,
     ("error", "8888888888")),
    ("targets: not a number", lambda p: edit_csv(
        p.raw / G9 / "targets.csv", set_cells("目标平均分", [0], "高")), G9, ("error", "'高'")),
]


@pytest.mark.parametrize("name,change,season,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(project, capsys, name, change, season, expected):
    change(project)
    code = main(["--project", str(project.root), "--lang", "en", "validate", season])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    kind, text = expected
    if kind == "error":
        assert code == 2, (name, out, err)
        assert text in err, (name, err)
        assert "file " in err  # every message says which file
        # the same problem in Chinese (the default): where, and no English sentence left
        assert main(["--project", str(project.root), "validate", season]) == 2
        zh = capsys.readouterr().err
        assert zh.startswith("eduqa：出错：") and "文件" in zh, (name, zh)
        assert not english_phrases(zh), (name, english_phrases(zh), zh)
        if "What to do" in err:
            assert "怎么办" in zh, (name, zh)
    else:
        assert code == 0, (name, err)
        result = clean_season(load_season(project, season))
        assert text in set(result.log["action"]), (name, set(result.log["action"]))
        assert result.n_rows_in == result.n_rows_kept + result.n_rows_excluded


def test_suite_has_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_raw_files_are_never_modified(project):
    before = {p: p.read_bytes() for p in project.raw.rglob("*") if p.is_file()}
    assert main(["--project", str(project.root), "validate", "--all"]) == 0
    from eduqa.project.pipeline import run_clean

    run_clean(G6, project.root)
    after = {p: p.read_bytes() for p in project.raw.rglob("*") if p.is_file()}
    assert before == after
    shutil.rmtree(project.processed)
