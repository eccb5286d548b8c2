"""Display tables: small groups shown as such."""

from __future__ import annotations

import re

import pandas as pd

from eduqa.report import tables


def test_styled_greys_exactly_the_small_group_rows():
    frame = pd.DataFrame({"school_code": ["A", "B", "C", "D"], "n_sat": [120, 4, 80, 9],
                          "mean": [70.0, 90.0, 65.0, 50.0],
                          "small_group": [False, True, False, True]},
                         index=[7, 3, 0, 1])  # a sorted table keeps its old index labels
    html = tables.styled(frame).to_html()
    greyed = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", html):
        if tables.SMALL_GROUP_STYLE.replace(" ", "") in body.replace(" ", ""):
            greyed |= {int(r) for r in re.findall(r"_row(\d+)_col\d+", selectors)}
    assert greyed == {1, 3}  # the second and fourth rows as shown
    assert html.count(">是<") == 2 and "人数过少" in html


def test_styled_without_small_groups_adds_no_style():
    frame = pd.DataFrame({"school_code": ["A"], "n_sat": [120], "small_group": [False]})
    assert "#8a8a8a" not in tables.styled(frame).to_html()


def test_two_columns_with_one_header_is_a_clear_error():
    import pytest

    from eduqa.errors import EduqaError

    frame = pd.DataFrame({"n_students": [3], "nobs": [3]})  # both 学生数 / Students
    with pytest.raises(EduqaError, match="share the display header"):
        tables.styled(frame, "zh")


def test_weak_subject_table_renders_in_both_languages():
    """Regression: in English n_weak and weak_subjects once shared the header 'Weak subjects'
    and the English page failed."""
    frame = pd.DataFrame({"school_code": ["A"], "school_name": ["甲校"], "township": ["甲镇"],
                          "urban_rural": ["rural"], "n_weak": [2],
                          "weak_subjects": ["Math, English"]})
    for language in ("zh", "en"):
        html = tables.styled(frame, language).to_html()
        assert "Math, English" in html


# --- issue 12: a paste-ready workbook ----------------------------------------------------------


def test_workbook_formats_by_column_kind_yes_no_widths_and_no_empty_sheet(tmp_path):
    import openpyxl

    from eduqa.report.tables import EXCEL_FORMATS, write_workbook

    frame = pd.DataFrame({
        "school_name": ["县城第一中学附属实验学校", "乙"], "pass_rate": [0.78, 0.5],
        "n_students": [1234, 56], "p_value": [0.0004, 0.032], "cv": [0.092, 0.1],
        "mean": [286.9, 300.25], "met": pd.array([True, False], dtype="boolean"),
        "small_group": [False, True]})
    path = write_workbook({"school_total": frame, "targets": frame.iloc[0:0]},
                          tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["各校总分", "说明"]  # the empty table is left out ...
    notes = [[c.value for c in row] for row in book["说明"].iter_rows(min_row=2)]
    assert notes[0][:2] == ["各校总分", 2] and notes[1][1] == 0 and "未列出" in notes[1][2]
    sheet = book["各校总分"]
    header = [c.value for c in sheet[1]]
    expected = {"及格率": "percent", "学生数": "integer", "p 值": "p_value",
                "差异系数": "precise", "平均分": "number"}
    for name, kind in expected.items():
        column = header.index(name) + 1
        for row in (2, 3):
            assert sheet.cell(row, column).number_format == EXCEL_FORMATS[kind], name
            assert isinstance(sheet.cell(row, column).value, (int, float)), name
    assert [sheet.cell(r, header.index("完成") + 1).value for r in (2, 3)] == ["是", "否"]
    assert [sheet.cell(r, header.index("人数过少") + 1).value for r in (2, 3)] == [None, "是"]
    width = sheet.column_dimensions[openpyxl.utils.get_column_letter(1)].width
    assert width >= 2 * len("县城第一中学附属实验学校")  # the longest name fits
    assert sheet.freeze_panes == "A2"


def _oracle_frame():
    import numpy as np

    return pd.DataFrame({
        "school_code": ["=HYPERLINK(1)", "+1", "S-3", "", "普通学校"],
        "school_name": ["一中", None, "@x", "\t二中", "三中"],
        "pass_rate": [0.5, np.nan, 1.0, np.inf, 0.0],
        "n_students": pd.array([10, None, 3, 0, 7], dtype="Int64"),
        "subject": ["math", "chinese", "total", "math", "english"],
        "mean": [-np.inf, 88.25, 0.0, -1.5, 1e6],
        "met": pd.array([True, False, None, True, False], dtype="boolean"),
        "small_group": [False, True, False, False, True]})


def test_a_table_longer_than_a_sheet_continues_on_more_sheets(tmp_path, monkeypatch):
    """Past Excel's 1,048,576 rows a sheet (here a limit of 2 rows, written a row at a
    time), a table continues on sheets （2）, （3）…, each with the header, every row once,
    cells as the oracle writes them for each slice; the notes sheet says which rows each
    part holds. Nothing is cut off."""
    from workbook_oracle import cells, pandas_workbook

    from eduqa.report import tables as module

    frame = _oracle_frame()
    monkeypatch.setattr(module, "SHEET_ROWS", 2)
    monkeypatch.setattr(module, "BLOCK_ROWS", 1)
    for language, names in (("zh", ["各校总分", "各校总分（2）", "各校总分（3）", "说明"]),
                            ("en", ["Schools (total)", "Schools (total) (2)",
                                    "Schools (total) (3)", "Notes"])):
        ours = cells(module.write_workbook({"school_total": frame},  # (formats: none hidden)
                                           tmp_path / f"split-{language}.xlsx", language,
                                           suppress_below=0))
        assert list(ours) == names
        for sheet, rows in zip(names, (slice(0, 2), slice(2, 4), slice(4, 5))):
            theirs = cells(pandas_workbook({"school_total": frame.iloc[rows]},
                                           tmp_path / f"{sheet}.xlsx", language))
            assert ours[sheet][0] == theirs[names[0]][0], sheet  # the same cells
        notes = ours[names[-1]][0]
        counts = [cell[1] for cell in notes if cell[0].startswith("B") and cell[0] != "B1"]
        assert counts == [2, 2, 1]
        texts = [cell[1] for cell in notes if cell[0].startswith("C") and cell[0] != "C1"]
        assert ("3–4" in texts[1] and "2/3" in texts[1]) if language == "zh" else \
            ("rows 3–4" in texts[1] and "part 2 of 3" in texts[1])


def test_writing_in_blocks_gives_the_same_file(tmp_path, monkeypatch):
    from eduqa.report import tables as module

    frame = _oracle_frame()
    tables = {"school_total": frame, "county_subjects": frame[["subject", "mean"]]}
    whole = module.write_workbook(tables, tmp_path / "whole.xlsx").read_bytes()
    monkeypatch.setattr(module, "BLOCK_ROWS", 2)
    assert module.write_workbook(tables, tmp_path / "blocks.xlsx").read_bytes() == whole


def test_long_sheet_names_stay_within_excels_31_characters():
    from eduqa.report.tables import _piece_name

    title = "甲" * 40
    assert _piece_name(title, 0, 3, True) == "甲" * 31
    assert _piece_name(title, 2, 3, True) == "甲" * 28 + "（3）"
    assert len(_piece_name("x" * 40, 11, 12, False)) == 31
    assert _piece_name("x" * 40, 11, 12, False).endswith(" (12)")


def test_page_tables_use_the_same_kinds():
    from eduqa.report.tables import styled

    frame = pd.DataFrame({"p_value": [0.0004, 0.032], "cv": [0.092, 0.5],
                          "pass_rate": [0.78, 0.5], "n_students": [1234, 5]})
    html = styled(frame).to_html()
    for text in ("&lt;0.001", "0.032", "0.092", "78.0%", "1,234"):
        assert text in html, text


def test_workbook_cells_are_what_pandas_to_excel_wrote(tmp_path):
    """The XlsxWriter sheets hold the same cells as the former ``DataFrame.to_excel`` route
    (tests/workbook_oracle.py): values, types, number formats, quote prefixes, frozen header;
    missing values, infinities, nullable integers, yes/no flags and formula-like text
    included. Columns are 0.71 of a character wider (XlsxWriter counts the cell padding)."""
    import numpy as np
    from workbook_oracle import cells, pandas_workbook

    from eduqa.report.tables import write_workbook

    frame = pd.DataFrame({
        "school_code": ["=HYPERLINK(1)", "+1", "S-3", "", "普通学校"],
        "school_name": ["一中", None, "@x", "\t二中", "三中"],
        "pass_rate": [0.5, np.nan, 1.0, np.inf, 0.0],
        "n_students": pd.array([10, None, 3, 0, 7], dtype="Int64"),
        "p_value": [0.0001, 0.2, np.nan, 0.05, 1.0],
        "mean": [-np.inf, 88.25, 0.0, -1.5, 1e6],
        "met": pd.array([True, False, None, True, False], dtype="boolean"),
        "small_group": [False, True, False, False, True]})
    tables = {"school_total": frame, "targets": frame.iloc[0:0],
              "county_subjects": frame[["pass_rate", "mean"]].iloc[:2]}
    for language in ("zh", "en"):
        ours = cells(write_workbook(tables, tmp_path / f"ours-{language}.xlsx", language,
                                    suppress_below=0))  # (formats: no figure suppressed)
        theirs = cells(pandas_workbook(tables, tmp_path / f"theirs-{language}.xlsx", language))
        assert list(ours) == list(theirs)
        for sheet in theirs:
            (grid, widths, *rest), (grid_0, widths_0, *rest_0) = ours[sheet], theirs[sheet]
            assert grid == grid_0 and rest == rest_0, sheet
            assert widths.keys() == widths_0.keys()
            assert all(widths[k] - widths_0[k] == 0.7109375 for k in widths), sheet


def test_a_long_table_on_a_page_shows_its_first_and_last_rows_and_says_so():
    """A national season's 80,000 schools: the page lists the first and last 1,000 (the
    workbook all), and the caption gives the count, in either language; a city's 1,500
    schools are all listed, with the caption unchanged."""
    import re

    from eduqa.report.tables import PAGE_ROW_LIMIT, styled

    n = PAGE_ROW_LIMIT + 3_001
    frame = pd.DataFrame({"school_name": [f"学校{i:05d}" for i in range(n)],
                          "mean": [i / 2 for i in range(n)]})
    page = styled(frame, caption="各校总分").to_html()
    names = re.findall(r"学校\d{5}", page)
    half = PAGE_ROW_LIMIT // 2
    assert names == [f"学校{i:05d}" for i in [*range(half), *range(n - half, n)]]
    assert f"各校总分（共 {n:,} 行，此处列出前 {half:,} 行和后 {half:,} 行，中间 3,001 行从略" \
        in page
    english = styled(frame, "en", caption="Schools").to_html()
    assert f"Schools ({n:,} rows; the first {half:,} and the last {half:,} are shown" in english
    city = frame.head(1_500)
    page = styled(city, caption="各校总分").to_html()
    assert len(re.findall(r"学校\d{5}", page)) == 1_500 and "从略" not in page


def test_small_rows_read_a_dash_on_the_page_in_the_workbook_and_in_word(tmp_path):
    """Issue 34 point 7, by hand: the 3-pupil school's figures are —, its code, name and
    count stay; the 40-pupil school is shown whole; a score band of 1 pupil is a count, not
    suppressed."""
    import openpyxl

    from eduqa.report.tables import band_table, styled, write_workbook
    from eduqa.report.word import display_cells as _display

    frame = pd.DataFrame({"school_code": ["a", "b"], "school_name": ["甲", "乙"],
                          "n_sat": [3, 40], "mean": [80.5, 70.25], "rank": [1, 2],
                          "met": [True, False]})
    page = styled(frame, "zh", suppress_below=5).to_html()
    cells_ = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert cells_ == ["a", "甲", "3", "—", "—", "—", "b", "乙", "40", "70.3", "2", "否"]  # (half up)
    path = write_workbook({"school_total": frame}, tmp_path / "t.xlsx", "zh", suppress_below=5)
    rows = [list(r) for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(
        values_only=True)]
    assert rows[1] == ["a", "甲", 3, "—", "—", "—"] and rows[2] == ["b", "乙", 40, 70.25, 2, "否"]
    assert _display(frame, "zh", 5)[1][0] == ["a", "甲", "3", "—", "—", "—"]
    assert _display(frame, "zh", 3)[1][0][3] == "80.5"  # (3 pupils are not fewer than 3)
    bands = band_table(pd.DataFrame({"subject": ["math"] * 2, "band": [0, 1],
                                     "band_low": [0, 10], "band_high": [10, 20], "n": [1, 30],
                                     "share": [1 / 31, 30 / 31]}))
    assert "—" not in styled(bands, "zh", suppress_below=5).to_html()
