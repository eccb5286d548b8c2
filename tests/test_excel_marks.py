"""What a county's .xlsx holds beyond its values (issue 33): school names in merged cells, rows
hidden by a filter, a hidden backup sheet, error values (#N/A, #DIV/0!) and formulas saved
without their values. Oracle: the demo season's own export cleaned unchanged — the marked
workbook must give the same rows, except the cells the marks change, and the log must name each
mark by row and column."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from eduqa.cli import main
from eduqa.config.params import load_season
from eduqa.config.schema import SCORE_COLUMNS
from eduqa.errors import InputError
from eduqa.intake.clean import clean_season
from eduqa.intake.readers import open_raw_table

G6 = "2025-spring-g6"
HEADER_ROW = 3  # the demo export: a title row, a blank row, then the header


def _export(project):
    return project.raw / G6 / "scores.xlsx"


def _school_block(sheet) -> tuple[int, int, str]:
    """The first run of consecutive rows (below the header) with the same school, at least 5
    rows long: (first row, last row, school)."""
    rows = [(r, sheet.cell(r, 4).value) for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][1] != rows[start][1]:
            if i - start >= 5 and rows[start][1]:
                return rows[start][0], rows[i - 1][0], rows[start][1]
            start = i
    raise AssertionError("no run of one school's rows in the demo export")


def _mark(project) -> dict:
    """Mark the demo export the way county offices' workbooks are, and say where."""
    path = _export(project)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    first, last, school = _school_block(sheet)
    for row in range(first + 1, last + 1):
        sheet.cell(row, 4).value = None
    sheet.merge_cells(start_row=first, start_column=4, end_row=last, end_column=4)
    hidden = [first + 1, first + 2, last + 3]
    for row in hidden:
        sheet.row_dimensions[row].hidden = True
    error_row, div_row = last + 5, last + 6
    sheet.cell(error_row, 6).value = "#N/A"  # 语文
    sheet.cell(div_row, 7).value = "#DIV/0!"  # 数学
    assert sheet.cell(error_row, 6).data_type == "e"
    backup = book.create_sheet("备份")
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + 40, values_only=True):
        backup.append(row)
    backup.sheet_state = "hidden"
    book.save(path)
    return {"first": first, "last": last, "school": school, "hidden": hidden,
            "error_row": error_row, "div_row": div_row}


def test_marked_workbook_reads_as_the_plain_one_and_logs_every_mark(project):
    plain = clean_season(load_season(project, G6))
    marks = _mark(project)
    marked = clean_season(load_season(project, G6))
    log = marked.log
    # the merged school cell: every row of the block kept in that school, one log entry
    merged = log[log["kind"] == "merged_cell"]
    assert len(merged) == 1 and int(merged["source_row"].iloc[0]) == marks["first"]
    assert merged["column"].iloc[0] == "学校" and merged["action"].iloc[0] == "fill_down"
    assert f"{marks['first']}–{marks['last']}" in merged["reason"].iloc[0]
    # hidden rows: read, logged as two runs; the hidden sheet skipped (its 40 rows not stacked)
    hidden = log[log["kind"] == "hidden_row"]
    assert sorted(hidden["source_row"].astype(int)) == [marks["hidden"][0], marks["hidden"][2]]
    assert log["kind"].eq("hidden_sheet").sum() == 1
    assert "备份" in log.loc[log["kind"] == "hidden_sheet", "reason"].iloc[0]
    assert marked.n_rows_in == plain.n_rows_in
    # the error values: those two cells invalid and logged at their row and column
    for row, column in ((marks["error_row"], "语文"), (marks["div_row"], "数学")):
        at = log[(log["source_row"] == row) & (log["column"] == column)]
        assert len(at) == 1, (row, column, at)
        assert at["action"].iloc[0] == "set_invalid", at
    # every other score as before
    key = ["student_key", "subject"]
    both = plain.scores.merge(marked.scores, on=key, suffixes=("", "_marked"))
    assert len(both) == len(plain.scores) == len(marked.scores)
    assert (both["school_code"] == both["school_code_marked"]).all()
    changed = both[(both["score"].fillna(-1) != both["score_marked"].fillna(-1))
                   | (both["status"] != both["status_marked"])]
    changed_subjects = sorted(set(changed["subject"]) - {"total"})
    assert changed_subjects == ["chinese", "math"]
    assert changed["student_key"].nunique() == 2
    assert changed["score_marked"].isna().all()


def test_merged_cells_are_filled_down_in_every_row_they_span(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["考号", "学校", "班级", "语文", "数学"])
    for i in range(6):
        sheet.append([f"00{i}", "一小" if i == 0 else ("二小" if i == 3 else None), "1班",
                      80 + i, 90])
    sheet.merge_cells("B2:B4")
    sheet.merge_cells("B5:B7")
    book.save(tmp_path / "s.xlsx")
    reader = open_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS)
    table = reader.read()
    assert table.frame["学校"].tolist() == ["一小"] * 3 + ["二小"] * 3
    assert [(n.row, n.kind) for n in reader.notes] == [(2, "merged_cell"), (5, "merged_cell")]


def test_a_formula_saved_without_its_value_is_an_error_naming_the_cells(project, capsys):
    path = _export(project)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet["F10"] = "=G10+1"  # openpyxl stores the formula without a value, as a script would
    sheet["H12"] = "=SUM(F12:G12)"
    book.save(path)
    with pytest.raises(InputError) as caught:
        open_raw_table(path, SCORE_COLUMNS)
    message = str(caught.value)
    assert "F10, H12" in message and "save it again" in message
    assert "重新保存" in caught.value.render("zh")
    assert main(["--project", str(project.root), "validate", G6]) == 2
    err = capsys.readouterr().err
    assert "F10" in err and "Traceback" not in err


def test_a_formula_with_a_stored_value_is_read_as_that_value(tmp_path):
    """A formula Excel saved with its value (e.g. 总分 = SUM) and one whose value is the empty
    text are values, not errors."""
    import zipfile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["考号", "学校", "语文", "数学", "总分", "备注"])
    sheet.append(["001", "一小", 80, 90, "=C2+D2", '=IF(C2>100,"x","")'])
    book.save(tmp_path / "plain.xlsx")
    # write the cached values into the XML, as Excel does on saving
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source, zipfile.ZipFile(
            tmp_path / "s.xlsx", "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace("<f>C2+D2</f><v></v>", "<f>C2+D2</f><v>170</v>")
                text = text.replace('<c r="F2">', '<c r="F2" t="str">')
                data = text.encode()
            target.writestr(info, data)
    table = open_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS).read()
    assert table.frame.iloc[0][["总分", "备注"]].tolist() == ["170", ""]


def test_only_visible_sheets_are_read(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "备份"
    first.append(["考号", "学校", "语文"])
    first.append(["001", "一小", 1])
    first.sheet_state = "hidden"
    second = book.create_sheet("成绩")
    second.append(["考号", "学校", "语文"])
    second.append(["001", "一小", 85])
    book.active = 1
    book.save(tmp_path / "s.xlsx")
    reader = open_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS)
    table = reader.read()
    assert table.frame["语文"].tolist() == ["85"] and table.source_sheet == ["成绩"]
    assert [n.kind for n in reader.notes] == ["hidden_sheet"]


def test_excel_error_values_reach_the_cleaner_as_written(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["考号", "学校", "语文", "数学"])
    sheet.append(["001", "一小", "#N/A", 90])
    sheet.append(["002", "一小", 70, "#DIV/0!"])
    book.save(tmp_path / "s.xlsx")
    frame = open_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS).read().frame
    assert frame["语文"].tolist() == ["#N/A", "70"]
    assert frame["数学"].tolist() == ["90", "#DIV/0!"]
    assert pd.notna(frame).all().all()
