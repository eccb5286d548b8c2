"""Privacy and small groups, on a demo project with recognisable personal data planted in every
raw input and a minimum group size high enough that schools, townships and the rural group
fall below it.

- Nothing planted (names, ids, phone numbers, ID-card numbers, notes) reaches processed data,
  executed notebooks, HTML pages or the workbook — even when a name sits where a score, a
  subject or an unknown column should be.
- Every table of every page and every sheet of the workbook flags (人数过少) or suppresses
  (—) each group below ``min_group_size``; the small groups are found independently from the
  processed scores with plain pandas.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from eduqa.intake.clean import DEMO_SALT

from conftest import SEASONS, copy_project, html_tables

PLANT_SEASONS = ["2024-spring-g8", "2025-spring-g9"]
PLANT_MIN = 120  # schools of 39–101 students, townships of 90–101, the rural group of 103
NAMES = [f"诸葛隐名{c}" for c in "甲乙丙丁戊己庚辛壬癸"] + ["Ouyang Plantedname"]
IDS = [f"G99900000000000{i:02d}" for i in range(len(NAMES))]
EXAM_NUMBERS = [f"77700000{i:02d}" for i in range(len(NAMES))]
OTHERS = {"id_card": "360102201001019999", "phone": "13900001111",
          "note": "上官秘密的家长来电", "principal": "慕容秘校长", "staff": "司空秘填表",
          "target_note": "东方秘备注", "score_name": "诸葛隐名在分数格",
          "subject_name": "诸葛隐名在科目格",
          # issue 34: digits only, where a score belongs; a name in 总分; a title line
          "score_id_card": "110101199003071234", "score_phone": "13800138123",
          "total_name": "诸葛隐名在总分格", "title": "六年级成绩表 班主任诸葛秘师 电话13811112222"}
#: (column, row) of the wide export's score cells planted with text that is not a score
SCORE_PLANTS = {"score_name": "语文", "score_id_card": "数学", "score_phone": "英语",
                "total_name": "总分"}


def _key(raw_id: str) -> str:
    return hmac.new(DEMO_SALT.encode(), raw_id.encode(), hashlib.sha256).hexdigest()[:20]


def _plant(project) -> None:
    raw = project.root / "data" / "raw"
    # the wide export (2025 grade 9): names, both ids, unknown personal columns, a name in a
    # score cell
    path = raw / "2025-spring-g9" / "scores.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    n = len(NAMES)
    frame.loc[:n - 1, "姓名"] = NAMES
    frame.loc[:n - 1, "学籍号"] = IDS
    frame.loc[:n - 1, "考号"] = EXAM_NUMBERS
    frame["身份证号"] = OTHERS["id_card"]
    frame["家长电话"] = OTHERS["phone"]
    frame["备注"] = ""
    frame.loc[n, "备注"] = OTHERS["note"]
    for key, column in SCORE_PLANTS.items():  # (总分 on a row whose subjects all count)
        frame.loc[n + 1 + (column == "总分"), column] = OTHERS[key]
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    text = path.read_text(encoding="utf-8-sig")  # a title line above the header
    path.write_text(OTHERS["title"] + "\n" + text, encoding="utf-8-sig")
    # the long export (2024 grade 8): names and ids on every row of the planted students, a
    # name in a score cell and in a subject cell, an unknown note column
    path = raw / "2024-spring-g8" / "scores.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    students = list(dict.fromkeys(frame["student_id"]))[:n]
    for student, name, raw_id in zip(students, NAMES, IDS):
        rows = frame["student_id"] == student
        frame.loc[rows, "name"] = name
        frame.loc[rows, "student_id"] = raw_id
    frame["remark"] = ""
    frame.loc[0, "remark"] = OTHERS["note"]
    frame.loc[n * 8, "score"] = OTHERS["score_name"]
    frame.loc[n * 8 + 1, "subject"] = OTHERS["subject_name"]
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    # the roster, staffing and targets files: contact people and notes in extra columns
    path = raw / "schools.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["校长"] = OTHERS["principal"]
    frame["联系电话"] = OTHERS["phone"]
    frame.to_csv(path, index=False)
    for season in PLANT_SEASONS:
        for name, column, value in (("staffing.csv", "填表人", OTHERS["staff"]),
                                    ("targets.csv", "备注", OTHERS["target_note"])):
            path = raw / season / name
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame[column] = value
            frame.to_csv(path, index=False)
    county = project.params_dir / "county.yaml"
    text = county.read_text(encoding="utf-8")
    assert "min_group_size: 10 " in text
    county.write_text(text.replace("min_group_size: 10 ", f"min_group_size: {PLANT_MIN} "),
                      encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    from eduqa.project.build import run_seasons

    project = copy_project(tmp_path_factory.mktemp("planted") / "project")
    _plant(project)
    run_seasons(project, PLANT_SEASONS, progress=lambda message: None)
    return project


def _secrets() -> list[str]:
    return [*NAMES, *IDS, *EXAM_NUMBERS, *OTHERS.values()]


def _strings_of_parquet(path: Path) -> list[str]:
    frame = pd.read_parquet(path)
    values = [str(c) for c in frame.columns]
    for column in frame.columns:
        values += [str(v) for v in frame[column].dropna().unique()]
    return values


def test_planted_personal_data_reaches_no_output(planted):
    secrets = _secrets()
    pattern = re.compile("|".join(map(re.escape, secrets)))
    # the planted rows did go through the pipeline: the planted students are in the processed
    # data (under their keyed hash), the name in a score cell is logged with its place
    students = pd.read_parquet(planted.processed / "2025-spring-g9" / "students.parquet")
    assert {_key(i) for i in IDS} <= set(students["student_key"])
    log = pd.read_parquet(planted.processed / "2025-spring-g9" / "cleaning_log.parquet")
    withheld = log[log["original_value"].fillna("").str.startswith("[text withheld")]
    # each planted score cell is logged at its place (row 2 is the header: a title above it)
    planted_row = len(NAMES) + 1 + 3
    for key, column in SCORE_PLANTS.items():
        at = withheld[(withheld["column"] == column)
                      & (withheld["source_row"] == planted_row + (column == "总分"))]
        assert len(at) >= 1, (key, column, log[log["source_row"] == planted_row])
        assert f"{len(OTHERS[key])} characters" in at["original_value"].iloc[0]
    assert set(withheld["column"]) == set(SCORE_PLANTS.values())
    title = log[log["kind"] == "title_line"]
    assert len(title) == 1 and title["original_value"].isna().all()
    assert f"({len(OTHERS['title'])} characters)" in title["reason"].iloc[0]
    long_log = pd.read_parquet(planted.processed / "2024-spring-g8" / "cleaning_log.parquet")
    assert long_log["reason"].str.contains("subject '[text withheld", regex=False).sum() == 1

    checked = 0
    for path in sorted(planted.processed.rglob("*")):
        if path.suffix == ".parquet":
            found = [v for v in _strings_of_parquet(path) if pattern.search(v)]
            assert not found, (path, found[:3])
            checked += 1
        elif path.suffix == ".json":  # summary.json (its findings), the input stamps
            match = pattern.search(path.read_text(encoding="utf-8"))
            assert match is None, (path, match and match.group(0))
            checked += 1
    for path in sorted(planted.reports.rglob("*")):
        if path.suffix in {".html", ".ipynb"}:
            match = pattern.search(path.read_text(encoding="utf-8"))
            assert match is None, (path, match and match.group(0))
            checked += 1
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    for value in row:
                        assert not pattern.search(str(value)), (path, sheet.title, value)
            checked += 1
        elif path.suffix == ".docx":  # (a zip: its text read as Word shows it)
            from docx import Document

            document = Document(str(path))
            text = "\n".join([p.text for p in document.paragraphs] + [
                cell.text for table in document.tables for row in table.rows
                for cell in row.cells])
            assert not pattern.search(text), path
            checked += 1
        elif path.is_file():
            assert not pattern.search(path.read_bytes().decode("utf-8", "replace")), path
    # 5 processed tables and 4 notebooks + 5 pages + 1 workbook per season, and the index
    assert checked >= len(PLANT_SEASONS) * (5 + 10) + 1


def test_the_secret_search_itself_finds_a_planted_value(planted, tmp_path):
    """Control: the same search on a copy of a page with one planted name in it fails."""
    page = (planted.report_season("2025-spring-g9") / "02-indicators.html").read_text(
        encoding="utf-8")
    pattern = re.compile("|".join(map(re.escape, _secrets())))
    assert pattern.search(page) is None
    assert pattern.search(page.replace("</body>", f"<td>{NAMES[3]}</td></body>"))


# --- small groups: flagged or suppressed in every table ----------------------------------------


def page_tables(path: Path) -> list[tuple[list[str], list[list[str]]]]:
    """Every table of a page (not only the eduqa ones) as (header, rows)."""
    return [(table[0], table[1:]) for table in html_tables(path.read_text(encoding="utf-8"),
                                                          css_class=None) if table]


def sheet_tables(path: Path) -> dict[str, tuple[list[str], list[list[object]]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        if rows:
            out[sheet.title] = ([str(c) for c in rows[0]], rows[1:])
    return out


KEYS = {"学校代码": "school_code", "乡镇": "township", "城乡类型": "urban_rural",
        "类别": "urban_rural"}
COUNTS = ["实考人数", "应考人数", "人数", "学生数", "匹配人数", "上次人数", "本次人数"]
DESCRIPTORS = {"学校代码", "学校", "乡镇", "城乡类型", "学科", "类别", "指标", "人数过少"}
URBAN_RURAL = {"城区": "urban", "镇区": "town", "乡村": "rural"}
# tables whose rows are groups but which hold no student result, with the reason
EXEMPT = {
    "在岗专任教师": "staffing: teacher counts from the staffing file, no student result",
    "原值": "cleaning: how a school's name was written in the export",
}


def group_sizes(project, season: str) -> dict[str, dict[str, int]]:
    """Oracle: for each school, township and urban-rural group, the smallest number of
    students with a valid score in any subject (plain pandas on the processed data)."""
    folder = project.processed / season
    scores = pd.read_parquet(folder / "scores.parquet")
    schools = pd.read_parquet(folder / "schools.parquet")
    sat = scores[(scores["status"] == "sat") & scores["score"].notna()].merge(
        schools[["school_code", "township", "urban_rural"]], on="school_code")
    return {kind: {str(k): int(v) for k, v in
                   sat.groupby([kind, "subject"]).size().groupby(level=0).min().items()}
            for kind in ("school_code", "township", "urban_rural")}


def _is_flagged(value) -> bool:
    return value is True or value == "是"


def _is_missing(value) -> bool:
    return value is None or value in ("", "—") or (isinstance(value, float) and value != value)


def _number(value) -> float | None:
    if _is_missing(value):
        return None
    return float(str(value).replace(",", "")) if not isinstance(value, (int, float)) else value


def audit_table(header, rows, sizes, minimum, where) -> int:
    """Check one table; returns the number of small-group rows it checked."""
    if any(word in header for word in EXEMPT):
        return 0
    key = next((c for c in KEYS if c in header
                and (c != "类别" or "比较组" in header)), None)  # 类别 of the gap tables only
    if key is None:
        return 0  # county-level or model-level table: one group, not a group breakdown
    kind = KEYS[key]
    counts = [c for c in COUNTS if c in header]
    flag = header.index("人数过少") if "人数过少" in header else None
    if counts:
        assert flag is not None, f"{where}: counts by group but no 人数过少 column: {header}"
    checked = 0
    for row in rows:
        value = str(row[header.index(key)])
        group = URBAN_RURAL.get(value, value) if kind == "urban_rural" else value
        oracle_small = sizes[kind].get(group, 0) < minimum
        flagged = flag is not None and _is_flagged(row[flag])
        shown = [_number(row[header.index(c)]) for c in counts]
        row_small = any(n is not None and n < minimum for n in shown)
        if counts:
            if row_small:
                assert flagged, f"{where}: {group} has {shown} < {minimum} but is not flagged"
                checked += 1
            elif flagged:
                assert oracle_small, f"{where}: {group} flagged though no count is small"
        elif oracle_small:
            results = [v for c, v in zip(header, row) if c not in DESCRIPTORS]
            assert flagged or all(_is_missing(v) for v in results), \
                f"{where}: small group {group} shown unflagged: {row}"
            checked += 1
    return checked


def published_tables(project, season: str, word: bool = False):
    """(where, header, rows) of every table of the season's pages and workbook (and, with
    ``word``, of its Word report)."""
    folder = project.report_season(season)
    for page in sorted(folder.glob("*.html")):
        for number, (header, rows) in enumerate(page_tables(page)):
            yield f"{season}/{page.name} table {number + 1}", header, rows
    for name, (header, rows) in sheet_tables(folder / "tables.xlsx").items():
        yield f"{season}/tables.xlsx sheet {name}", header, rows
    if word:
        from docx import Document

        for number, table in enumerate(Document(folder / "质量分析报告.docx").tables):
            cells = [[c.text for c in r.cells] for r in table.rows]
            yield f"{season}/docx table {number + 1}", cells[0], cells[1:]


def audit_project(project, seasons, minimum) -> dict[str, int]:
    checked: dict[str, int] = {}
    for season in seasons:
        sizes = group_sizes(project, season)
        for where, header, rows in published_tables(project, season):
            checked[where] = audit_table(header, rows, sizes, minimum, where)
    return checked


def test_small_groups_flagged_or_suppressed_in_every_table_demo(built):
    """The demo county (minimum 10): the 教学点 of 3–8 pupils in the grade-6 seasons."""
    checked = audit_project(built, SEASONS, 10)
    small_tables = {w for w, n in checked.items() if n}
    assert sum(checked.values()) >= 30
    # the school tables of the three analysis pages and the workbook met the 教学点
    for part in ("02-indicators.html", "03-attribution.html", "04-trends.html", "tables.xlsx"):
        assert any(part in w for w in small_tables), part


def test_small_groups_flagged_or_suppressed_in_every_table_large_minimum(planted):
    """Minimum 120: small schools, townships and the rural group in both seasons."""
    checked = audit_project(planted, PLANT_SEASONS, PLANT_MIN)
    small_tables = {w for w, n in checked.items() if n}
    assert len(small_tables) >= 20, sorted(small_tables)
    for sheet in ("各校总分", "各乡镇", "城乡", "城乡差距_平均分", "目标完成", "学校效应",
                  "增值评价"):
        assert any(f"2025-spring-g9/tables.xlsx sheet {sheet}" == w for w in small_tables), sheet


def test_the_audit_finds_an_unflagged_small_group(planted):
    """Control: the audit fails on a table whose flag was removed, and on a small group's
    result shown without a flag."""
    sizes = group_sizes(planted, "2025-spring-g9")
    page = planted.report_season("2025-spring-g9") / "02-indicators.html"
    header, rows = next((h, r) for h, r in page_tables(page) if h[:2] == ["学校代码", "学校"])
    flag = header.index("人数过少")
    cleared = [[*row[:flag], "", *row[flag + 1:]] for row in rows]
    with pytest.raises(AssertionError, match="not flagged"):
        audit_table(header, cleared, sizes, PLANT_MIN, "control")
    no_counts = [c for c in header if c not in COUNTS]
    stripped = [[v for c, v in zip(header, row) if c in no_counts] for row in cleared]
    with pytest.raises(AssertionError, match="shown unflagged"):
        audit_table(no_counts, stripped, sizes, PLANT_MIN, "control")


def test_executed_notebooks_of_the_planted_run_have_no_errors(planted):
    for season in PLANT_SEASONS:
        for notebook in sorted(planted.report_season(season).glob("*.ipynb")):
            cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
            errors = [o for c in cells for o in c.get("outputs", [])
                      if o["output_type"] == "error"]
            assert not errors, notebook


# --- issue 34, point 7: no published figure from fewer than suppress_below pupils -------------

SUPPRESS_BELOW = 5  # the demo county's (the default)


#: Tables of frequencies (how many pupils fall in a score band): counts shown however small,
#: no figure of a group.
FREQUENCIES = {"分数段（分）": "score bands"}


def pupils_per_group(project, season: str) -> dict[tuple, int]:
    """Oracle: the pupils with at least one valid score, per school (``(code,)``) and per
    class (``(code, class)``), from the processed scores with plain pandas."""
    scores = pd.read_parquet(project.processed / season / "scores.parquet")
    sat = scores[(scores["status"] == "sat") & scores["score"].notna()]
    sizes = {(str(k),): int(v) for k, v in sat.groupby("school_code")["student_key"]
             .nunique().items()}
    if "class" in sat:
        sizes.update({(str(a), str(b)): int(v) for (a, b), v in
                      sat.groupby(["school_code", "class"], observed=True)["student_key"]
                      .nunique().items()})
    return sizes


def audit_suppression(header, rows, sizes, below, where, by_season=None) -> int:
    """Every figure of a row from fewer than ``below`` pupils is missing or —: the rows whose
    shown pupil count is small, and the rows of a school or class that has fewer pupils in
    all (the oracle, ``sizes``; in a column named after a season, that season's sizes from
    ``by_season``). Returns the number of small rows checked."""
    by_season = by_season or {}
    if any(c in by_season for c in header):  # a table with a column per season
        checked = 0
        for column in header:
            if column in by_season:
                keep = [c for c in header if c not in by_season or c == column]
                part = [[v for c, v in zip(header, row) if c in keep] for row in rows]
                checked += audit_suppression(keep, part, by_season[column], below,
                                             f"{where} column {column}")
        return checked
    from eduqa.config.labels import label
    from eduqa.indicators.privacy import DESCRIPTORS, PUPIL_COUNTS

    if any(word in header for word in EXEMPT) or any(word in header for word in FREQUENCIES):
        return 0
    kept = {label(c, "zh") for c in DESCRIPTORS}
    counts = [header.index(label(c, "zh")) for c in PUPIL_COUNTS if label(c, "zh") in header]
    code = header.index("学校代码") if "学校代码" in header else None
    klass = header.index("班级") if "班级" in header else None
    checked = 0
    for row in rows:
        shown = [_number(row[i]) for i in counts]
        small = any(n is not None and n < below for n in shown)
        if code is not None:
            group = (str(row[code]),) if klass is None else (str(row[code]), str(row[klass]))
            small |= sizes.get(group, below) < below
        if not small:
            continue
        figures = [v for c, v in zip(header, row) if c not in kept]
        assert all(_is_missing(v) for v in figures), \
            f"{where}: a row from fewer than {below} pupils shows figures: {row}"
        checked += 1
    return checked


def test_no_published_figure_comes_from_fewer_than_suppress_below_pupils(built):
    """Pages, workbook and Word of the four demo seasons: the 教学点 of 3–4 pupils and their
    classes have every figure replaced by —; so has any row whose pupil count is below 5."""
    from eduqa.config.params import load_season

    checked: dict[str, int] = {}
    by_season = {load_season(built, season).name: pupils_per_group(built, season)
                 for season in SEASONS}
    for season in SEASONS:
        sizes = pupils_per_group(built, season)
        for where, header, rows in published_tables(built, season, word=True):
            checked[where] = audit_suppression(header, rows, sizes, SUPPRESS_BELOW, where,
                                               by_season)
    small = {w for w, n in checked.items() if n}
    assert sum(checked.values()) >= 20, small
    for part in ("02-indicators.html", "tables.xlsx", "docx"):
        assert any(part in w for w in small), (part, sorted(small))


def test_the_suppression_audit_finds_a_figure_shown(built):
    """Control: a small school's row with a figure put back fails the audit."""
    season = "2025-spring-g6"
    sizes = pupils_per_group(built, season)
    tiny = sorted(k for k, v in sizes.items() if len(k) == 1 and v < SUPPRESS_BELOW)
    assert tiny, "the demo has schools of fewer than 5 pupils"
    header = ["学校代码", "学校", "平均分"]
    assert audit_suppression(header, [[tiny[0][0], "x", "—"]], sizes, 5, "control") == 1
    with pytest.raises(AssertionError, match="shows figures"):
        audit_suppression(header, [[tiny[0][0], "x", "81.5"]], sizes, 5, "control")
    with pytest.raises(AssertionError, match="shows figures"):
        audit_suppression(["学校", "实考人数", "平均分"], [["x", "3", "70.0"]], sizes, 5,
                          "control")
