"""The clean step on the demo county: row accounting, each planted kind of mess, determinism,
privacy. Oracles: the raw files read with plain pandas/openpyxl and an HMAC computed here."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import unicodedata

import numpy as np
import openpyxl
import pandas as pd
import pytest

from eduqa.config.params import load_season
from eduqa.errors import InputError
from eduqa.intake.clean import DEMO_SALT, clean_season, student_key, write_processed

from conftest import REPO, SEASONS

RAW = REPO / "data" / "raw"
MARKER_STATUS = {"缺考": "absent", "缺": "absent", "缺席": "absent", "作弊": "voided",
                 "违纪": "voided", "免考": "exempt"}


def oracle_key(raw_id: str) -> str:
    return hmac.new(DEMO_SALT.encode(), raw_id.encode(), hashlib.sha256).hexdigest()[:20]


def raw_rows(season: str) -> pd.DataFrame:
    """The raw export read plainly, with a ``row`` column = the spreadsheet row number."""
    return _raw_rows(season).copy()


@functools.cache
def _raw_rows(season: str) -> pd.DataFrame:
    if season == "2025-spring-g6":
        sheet = openpyxl.load_workbook(RAW / season / "scores.xlsx").active
        values = list(sheet.iter_rows(values_only=True))
        header = values[2]
        body = [(number, row) for number, row in enumerate(values[3:], start=4)]
        frame = pd.DataFrame([[("" if v is None else str(v)) for v in row] for _, row in body],
                             columns=header)
        frame["row"] = [n for n, _ in body]
        return frame
    encoding = {"2024-spring-g6": "gbk", "2024-spring-g8": "utf-8-sig"}.get(season, "utf-8")
    frame = pd.read_csv(RAW / season / "scores.csv", encoding=encoding, dtype=str,
                        keep_default_na=False)
    frame["row"] = np.arange(len(frame)) + 2
    return frame


def source_row(season: str, record: dict, i: int) -> int:
    """Spreadsheet row of the i-th generated data row."""
    if season == "2025-spring-g6":
        return i + 4 + (1 if i >= record["blank_row_after"] else 0)
    return i + 2


def score_of(result, raw_id: str, subject: str) -> pd.Series:
    part = result.scores[(result.scores["student_key"] == oracle_key(raw_id))
                         & (result.scores["subject"] == subject)]
    assert len(part) == 1, (raw_id, subject)
    return part.iloc[0]


def raw_id_at(season, record, i):
    frame = raw_rows(season)
    column = "student_id" if season == "2024-spring-g8" else "学籍号"
    return frame.loc[frame["row"] == source_row(season, record, i), column].iloc[0]


SUBJECT_IDS = {"语文": "chinese", "数学": "math", "英语": "english", "科学": "science",
               "物理": "physics", "化学": "chemistry", "生物": "biology", "地理": "geography",
               "历史": "history", "道德与法治": "morality_law"}


# --- row accounting -------------------------------------------------------------------------


@pytest.mark.parametrize("season", SEASONS)
def test_rows_in_equal_rows_kept_plus_rows_logged(cleaned, season):
    result = cleaned[season]
    frame = raw_rows(season)
    if season == "2025-spring-g6":  # the blank data row is a row too
        assert (frame.drop(columns="row") == "").all(axis=1).sum() == 1
    n_raw = len(frame)
    excluded = (result.log["action"] == "exclude_row").sum()
    assert result.n_rows_in == n_raw
    if result.layout == "wide":
        kept = result.students["student_key"].nunique()
    else:
        kept = (result.scores["subject"] != "total").sum()
    assert kept + excluded == n_raw
    # every excluded row is named in the log with a reason
    logged = result.log[result.log["action"] == "exclude_row"]
    assert logged["source_row"].notna().all() and logged["reason"].str.len().gt(0).all()


# --- each planted mess, one assertion each ----------------------------------------------------


def test_gbk_csv_with_chinese_headers(cleaned):
    data = (RAW / "2024-spring-g6" / "scores.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    frame = raw_rows("2024-spring-g6")
    first = frame.iloc[0]
    assert score_of(cleaned["2024-spring-g6"], first["学籍号"], "math")["score"] == float(
        first["数学"])


def test_xlsx_title_row_above_header(cleaned, planted):
    log = cleaned["2025-spring-g6"].log
    titles = log[log["action"] == "skip_title"]
    title = planted["2025-spring-g6"]["title"]  # recorded by length only (issue 34)
    assert titles["original_value"].tolist() == [None] and titles["source_row"].tolist() == [1]
    assert titles["reason"].tolist() == [f"title line above the header ({len(title)} characters)"]


@pytest.mark.parametrize("season", ["2024-spring-g6", "2025-spring-g6", "2025-spring-g9"])
def test_status_markers(cleaned, planted, season):
    record = planted[season]
    for i, subject, marker in record["marker"]:
        row = score_of(cleaned[season], raw_id_at(season, record, i), SUBJECT_IDS[subject])
        assert (row["status"], np.isnan(row["score"])) == (MARKER_STATUS[marker], True)


def test_status_markers_long_format(cleaned, planted):
    record = planted["2024-spring-g8"]
    frame = raw_rows("2024-spring-g8")
    for i, marker in record["marker"]:
        raw = frame[frame["row"] == i + 2].iloc[0]
        row = score_of(cleaned["2024-spring-g8"], raw["student_id"], SUBJECT_IDS[raw["subject"]])
        assert row["status"] == MARKER_STATUS[marker]


@pytest.mark.parametrize("season", ["2024-spring-g6", "2025-spring-g6", "2025-spring-g9"])
def test_fullwidth_digits(cleaned, planted, season):
    record = planted[season]
    assert record["fullwidth"]
    for i, subject, text in record["fullwidth"]:
        row = score_of(cleaned[season], raw_id_at(season, record, i), SUBJECT_IDS[subject])
        assert row["score"] == float(unicodedata.normalize("NFKC", text))


def test_score_text_with_unit_and_trailing_space(cleaned, planted):
    season = "2025-spring-g9"
    record = planted[season]
    frame = raw_rows(season)
    for key in ("unit", "spaces"):
        for i, subject in record[key]:
            text = frame.loc[frame["row"] == i + 2, subject].iloc[0]
            assert text.endswith("分") or text.endswith(" ")
            row = score_of(cleaned[season], raw_id_at(season, record, i), SUBJECT_IDS[subject])
            assert row["score"] == float(text.rstrip().rstrip("分"))


@pytest.mark.parametrize("season", SEASONS)
def test_school_written_by_alias(cleaned, planted, season):
    roster = pd.read_csv(RAW / "schools.csv", dtype=str, keep_default_na=False)
    by_alias = {a: code for code, aliases in zip(roster.school_code, roster.aliases)
                for a in aliases.split("|") if a}
    frame = raw_rows(season)
    school_column = "school" if season == "2024-spring-g8" else "学校"
    id_column = "student_id" if season == "2024-spring-g8" else "学籍号"
    record = planted[season]
    assert record["alias"]
    for i in record["alias"]:
        raw = frame[frame["row"] == source_row(season, record, i)].iloc[0]
        assert raw[school_column] in by_alias
        student = cleaned[season].students.set_index("student_key").loc[oracle_key(
            raw[id_column])]
        assert student["school_code"] == by_alias[raw[school_column]]


@pytest.mark.parametrize("season", ["2024-spring-g6", "2025-spring-g6", "2025-spring-g9"])
def test_duplicated_student_rows_kept_once(cleaned, planted, season):
    record = planted[season]
    result = cleaned[season]
    for i in record["duplicate"]:
        key = oracle_key(raw_id_at(season, record, i))
        assert (result.students["student_key"] == key).sum() == 1
    reasons = result.log.loc[result.log["action"] == "exclude_row", "reason"]
    assert reasons.str.startswith("duplicate of row").sum() == len(record["duplicate"])


def test_duplicated_rows_long_format(cleaned, planted):
    result = cleaned["2024-spring-g8"]
    reasons = result.log.loc[result.log["action"] == "exclude_row", "reason"]
    assert reasons.str.startswith("duplicate of row").sum() == len(
        planted["2024-spring-g8"]["duplicate"])
    per_student = result.scores.groupby(["student_key", "subject"]).size()
    assert per_student.max() == 1


@pytest.mark.parametrize("season", ["2024-spring-g6", "2025-spring-g6", "2025-spring-g9"])
def test_out_of_range_scores_are_invalid(cleaned, planted, season):
    record = planted[season]
    for i, subject, _text in record["out_of_range"]:
        row = score_of(cleaned[season], raw_id_at(season, record, i), SUBJECT_IDS[subject])
        assert (row["status"], np.isnan(row["score"])) == ("invalid", True)
    log = cleaned[season].log
    invalid = log[(log["action"] == "set_invalid")]
    assert set(t for _, _, t in record["out_of_range"]) <= set(invalid["original_value"])


@pytest.mark.parametrize("season", ["2024-spring-g6", "2025-spring-g9"])
def test_total_that_disagrees_is_recomputed(cleaned, planted, season):
    record = planted[season]
    frame = raw_rows(season)
    subjects = [c for c in frame.columns if c in SUBJECT_IDS]
    log = cleaned[season].log
    flagged = set(log.loc[log["action"] == "recompute_total", "source_row"])
    assert flagged == {source_row(season, record, i) for i in record["total_wrong"]}
    for i in record["total_wrong"]:
        raw = frame[frame["row"] == i + 2].iloc[0]
        total = score_of(cleaned[season], raw["学籍号"], "total")["score"]
        assert total == sum(float(raw[s]) for s in subjects) != float(raw["总分"])


def test_conflicting_duplicate_excluded_entirely(cleaned, planted):
    season = "2025-spring-g9"
    record = planted[season]
    key = oracle_key(raw_id_at(season, record, record["conflict"][0]))
    result = cleaned[season]
    assert key not in set(result.students["student_key"])
    reasons = result.log.loc[result.log["action"] == "exclude_row", "reason"]
    assert reasons.str.startswith("same student id on rows").sum() == 2


def test_long_format_one_row_per_student_and_subject(cleaned):
    result = cleaned["2024-spring-g8"]
    counts = result.scores.groupby("student_key")["subject"].nunique()
    assert (counts == 9).all()  # 8 subjects + total


# --- failures the user must fix ---------------------------------------------------------------


def test_unknown_school_names_file_row_and_school(project):
    path = project.raw / "2024-spring-g8" / "scores.csv"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.loc[100, "school"] = "不存在中学"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as info:
        clean_season(load_season(project, "2024-spring-g8"))
    error = info.value
    assert "不存在中学" in str(error) and "scores.csv" in str(error)
    assert error.row == 102 and error.column == "school"


def test_invisible_and_variant_characters_in_school_names(project):
    """Zero-width space, BOM, no-break and ideographic spaces, full-width letters: normalised,
    matched, and logged per row with the characters removed. A traditional-character spelling
    is not guessed: the error names the characters (issue 11, point 17)."""
    path = project.raw / "2024-spring-g8" / "scores.csv"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    written = {0: "县城第一中学\u200b", 8: "\ufeff县城第一中学", 16: "县城第一\u00a0中学",
               24: "县城\u3000第一中学", 32: "县城第一中学\u200d"}
    assert set(frame.loc[list(written), "school"]) == {"县城第一中学"}
    for row, text in written.items():
        frame.loc[row, "school"] = text
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    result = clean_season(load_season(project, "2024-spring-g8"))
    logged = result.log[result.log["kind"] == "invisible_characters"]
    assert sorted(logged["source_row"]) == [2, 10, 34]  # header is line 1
    assert logged["reason"].str.contains("U\\+200B|U\\+FEFF|U\\+200D").all()
    characters = logged["detail"].map(lambda d: json.loads(d)["characters"])
    assert characters.str.contains("U\\+200B|U\\+FEFF|U\\+200D").all()
    assert result.n_rows_in == result.n_rows_kept + result.n_rows_excluded
    kept_rows = result.log.loc[result.log["action"] == "exclude_row", "source_row"]
    assert not set(kept_rows) & {row + 2 for row in written}  # none of them excluded
    frame.loc[40, "school"] = "縣城第一中學"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as info:
        clean_season(load_season(project, "2024-spring-g8"))
    assert "縣、學" in info.value.render("zh") and "繁体字" in info.value.render("zh")
    assert "traditional or rare characters 縣、學" in str(info.value)


def test_missing_score_column_names_it(project):
    path = project.raw / "2025-spring-g9" / "scores.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["数学"])
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        clean_season(load_season(project, "2025-spring-g9"))
    assert info.value.column == "数学" and "scores.csv" in str(info.value)


def test_subject_blank_for_a_whole_school_is_not_examined(project):
    path = project.raw / "2024-spring-g6" / "scores.csv"
    frame = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)
    roster = pd.read_csv(RAW / "schools.csv", dtype=str, keep_default_na=False)
    school = roster[roster["school_name"] == frame["学校"].iloc[0]].iloc[0]
    names = {school["school_name"], *school["aliases"].split("|")}
    frame.loc[frame["学校"].isin(names), "科学"] = ""
    frame.to_csv(path, index=False, encoding="gbk")
    result = clean_season(load_season(project, "2024-spring-g6"))
    code = result.students.loc[result.students["student_key"] == oracle_key(
        frame["学籍号"].iloc[0]), "school_code"].iloc[0]
    science = result.scores[(result.scores["school_code"] == code)
                            & (result.scores["subject"] == "science")]
    assert science.empty
    assert (result.log["action"] == "not_examined").sum() == 1


# --- determinism and privacy ------------------------------------------------------------------


def test_clean_twice_gives_identical_files(repo_project, tmp_path):
    params = load_season(repo_project, "2025-spring-g6")
    first = write_processed(clean_season(params), tmp_path / "a", part_rows=2000)
    second = write_processed(clean_season(params), tmp_path / "b", part_rows=2000)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                   if p.is_file())
    assert len([f for f in files if f.parent.name == "scores.parquet"]) > 2  # in parts
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")
                           if p.is_file())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert set(first) == set(second)


def test_scores_and_students_are_written_in_parts_of_whole_schools(cleaned, tmp_path):
    """Each part of the processed scores holds whole schools, at most part_rows rows unless a
    school is larger; the students' part i holds the schools of the scores' part i; reading
    the folder gives the table back (plain pandas is the oracle)."""
    result = cleaned["2025-spring-g9"]
    paths = write_processed(result, tmp_path / "p", part_rows=3000)
    score_parts = sorted(paths["scores"].glob("part-*.parquet"))
    student_parts = sorted(paths["students"].glob("part-*.parquet"))
    assert len(score_parts) == len(student_parts) > 3
    seen: set = set()
    for scores_file, students_file in zip(score_parts, student_parts):
        part = pd.read_parquet(scores_file)
        schools = set(part["school_code"])
        assert not schools & seen  # no school split across parts
        seen |= schools
        assert len(part) <= 3000 or len(schools) == 1
        assert set(pd.read_parquet(students_file)["school_code"]) <= schools
    back = pd.read_parquet(paths["scores"])
    expected = result.scores.astype({c: str for c in ("student_key", "school_code", "class",
                                                      "subject", "status")})
    pd.testing.assert_frame_equal(back, expected.reset_index(drop=True), check_dtype=False,
                                  check_categorical=False)
    assert len(pd.read_parquet(paths["students"])) == len(result.students)


@pytest.mark.parametrize("season", SEASONS)
def test_processed_data_has_no_names_or_raw_ids(cleaned, season):
    frame = raw_rows(season)
    secrets = set()
    for column in ("姓名", "name", "学籍号", "student_id", "考号"):
        if column in frame:
            secrets |= set(frame[column]) - {""}
    assert len(secrets) > 1000
    result = cleaned[season]
    for table in (result.scores, result.students, result.schools, result.targets, result.log):
        for column in table.columns:
            values = set(table[column].dropna().astype(str))
            assert not values & secrets, column


def test_student_key_is_keyed_hash():
    ids = pd.Series(["G3610212345678", "G3610298765432", "G3610212345678"])
    keys = student_key(ids, DEMO_SALT)
    assert keys.tolist() == [oracle_key(v) for v in ids]
    assert keys[0] == keys[2] and keys[0] != keys[1]
    other = student_key(ids, "another county's secret")
    assert not set(other) & set(keys)


def test_salt_from_environment(repo_project, monkeypatch):
    monkeypatch.setenv("EDUQA_SALT", "county-secret")
    result = clean_season(load_season(repo_project, "2025-spring-g9"))
    assert not result.salt_is_demo
    first = raw_rows("2025-spring-g9")["学籍号"].iloc[0]
    assert oracle_key(first) not in set(result.students["student_key"])


def test_per_subject_staffing(project):
    path = project.raw / "2025-spring-g9" / "staffing.csv"
    roster = pd.read_csv(project.raw / "schools.csv", dtype=str)
    code = roster.loc[roster["school_type"] == "初中", "school_code"].iloc[0]
    rows = pd.DataFrame({"学校代码": [code, code], "学科": ["数学", "物理"],
                         "在岗专任教师": [6, 2], "核定编制": [8, 4], "教非所学人数": [1, 1]})
    rows.to_csv(path, index=False)
    result = clean_season(load_season(project, "2025-spring-g9"))
    per_subject = result.staffing_subjects.set_index("subject")
    assert per_subject.loc["math", "shortage_rate"] == pytest.approx(2 / 8)
    assert per_subject.loc["physics", "out_of_field_share"] == pytest.approx(1 / 2)
    school = result.schools.set_index("school_code").loc[code]
    assert school["teachers_in_post"] == 8 and school["shortage_rate"] == pytest.approx(4 / 12)


def test_clean_export_without_any_mess(tmp_path):
    """A tidy export (no markers, no bad scores, no aliases) cleans with nothing excluded."""
    from eduqa.config.paths import Project
    from eduqa.synth import write_scaled_project

    root = write_scaled_project(tmp_path / "tidy", 600, 12)
    result = clean_season(load_season(Project(root), "2025-spring-g9"))
    assert result.n_rows_in == result.n_rows_kept == 600
    assert not result.log["action"].isin(["exclude_row", "set_invalid"]).any()
    assert (result.scores["status"] == "sat").all()


#: What each kind code's English sentence says (the oracle that code and sentence agree; the
#: pages read the code only).
_SENTENCE_OF_KIND = {
    "duplicate_row": r"^duplicate of row \d+$",
    "conflicting_duplicate": r"^same student id on rows [\d, ]+ with different entries",
    "blank_row": r"^blank row$", "no_student_id": r"^no student id$", "no_school": r"^no school$",
    "not_examined_row": r"^no score in any subject", "subject_not_listed": r"is not listed in the season params$",
    "status_marker": r"^marker '", "blank_cell_absent": r"^blank score cell",
    "out_of_range": r"^score -?[\d.]+ is outside 0-", "not_a_score": r"is not a score",
    "text_recoded": r"^(?:text |unit removed: )'", "total_disagrees": r"^总分 in the export differs",
    "school_alias": r"^school written by an alias of ", "personal_data": r"^(?:personal data|student id: replaced)",
    "unused_column": r"^(?:column not used|subject not listed)", "title_line": r"^title line",
    "not_examined": r"^school \w+: all \d+ cells of this subject are blank",
    "no_staffing": r"no staffing row", "invisible_characters": r"^invisible characters",
}


def test_every_log_entry_carries_a_kind_code_that_matches_its_sentence(cleaned):
    """The clean step writes a machine-readable kind (and parameters in detail) for every
    entry: none is missing or unknown, and each agrees with its sentence (the regular
    expressions the 01 page used to read kinds from)."""
    from eduqa.indicators.quality import KIND_LABELS

    seen = set()
    for season, result in cleaned.items():
        log = result.log
        assert log["kind"].notna().all(), season
        assert set(log["kind"]) <= set(KIND_LABELS) - {"other"}, season
        for kind, part in log.groupby("kind"):
            assert part["reason"].str.contains(_SENTENCE_OF_KIND[kind]).all(), (season, kind)
        aliases = log[log["kind"] == "school_alias"]
        for detail, reason in zip(aliases["detail"], aliases["reason"]):
            assert reason.endswith(json.loads(detail)["school_name"])
        seen |= set(log["kind"])
    assert len(seen) >= 10  # the demo's mess reaches most kinds


@pytest.mark.parametrize("season", ["2025-spring-g9", "2024-spring-g8"])
def test_scores_come_out_as_categoricals_in_the_order_a_sort_of_the_text_gives(
        cleaned, season, repo_project, tmp_path):
    """The ordered table is built from codes as categoricals: the same rows and order as
    sorting the plain text by school, class and key (subjects as the params list them, the
    total last), categories in text order with only used values, and the file reads as text."""
    from eduqa.compute.frames import plain_columns

    scores = cleaned[season].scores
    text = ["student_key", "school_code", "class", "subject", "status"]
    for column in text:
        categories = scores[column].cat.categories
        assert list(categories) == sorted(categories), column
        assert set(categories) == set(scores[column].dropna().astype(str)), column
    plain = plain_columns(scores)
    assert all(str(plain[c].dtype) == "str" for c in text)
    subjects = [*load_season(repo_project, season).subjects, "total"]
    oracle = (plain.assign(_at=plain["subject"].map(subjects.index))
              .sort_values(["school_code", "class", "student_key", "_at"], kind="stable")
              .drop(columns="_at").reset_index(drop=True))
    pd.testing.assert_frame_equal(plain, oracle)
    write_processed(cleaned[season], tmp_path / season)
    back = pd.read_parquet(tmp_path / season / "scores.parquet")
    pd.testing.assert_frame_equal(back, plain, check_dtype=False)
    assert all(str(back[c].dtype) == "str" for c in text)



def test_classes_are_written_one_way_and_each_spelling_is_logged(project):
    season = "2025-spring-g9"
    path = project.raw / season / "scores.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = raw["班级"] == "1班"
    tenth = raw.index[raw["班级"] == "10班"]
    raw.loc[first, "班级"] = "一班"
    raw.loc[tenth[:5], "班级"] = "(10)班"
    raw.to_csv(path, index=False, encoding="utf-8")
    result = clean_season(load_season(project, season))
    classes = set(result.students["class"])
    assert "1班" in classes and "10班" in classes
    assert not classes & {"一班", "(10)班"}
    log = result.log[result.log["kind"] == "class_renamed"].set_index("original_value")
    assert set(log.index) == {"一班", "(10)班"}
    assert json.loads(log.loc["(10)班", "detail"]) == {"class": "10班", "rows": 5}
    assert log.loc["一班", "action"] == "recode"
