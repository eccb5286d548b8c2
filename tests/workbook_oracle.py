"""The workbook writer as it was before it streamed its sheets: ``DataFrame.to_excel`` with
openpyxl, then formats, widths and text cells set cell by cell. ``test_tables`` checks that
:func:`eduqa.report.tables.write_workbook` writes the same cells as this (the oracle)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduqa.config.labels import label
from eduqa.report.tables import (
    EXCEL_FORMATS,
    FORMULA_STARTS,
    _display_width,
    _relabelled,
    excel_format,
    with_yes_no,
)


def pandas_workbook(tables, path: Path, language: str = "zh") -> Path:
    from openpyxl.utils import get_column_letter

    zh = language != "en"
    index_rows = []
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for sheet_name, frame in tables.items():
            name = label(sheet_name, language)[:31]
            if frame.empty:
                index_rows.append((name, 0, "本考试季没有此项数据，未列出" if zh else
                                   "no data this season; left out"))
                continue
            kinds, shown = with_yes_no(frame, language, view=sheet_name)
            shown = shown.replace([float("inf"), float("-inf")], float("nan"))  # blank cells
            _relabelled(shown, language).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for position, column in enumerate(frame.columns, start=1):
                letter = get_column_letter(position)
                number_format = excel_format(*kinds[column])
                if number_format:
                    for cell in sheet[letter][1:]:
                        cell.number_format = number_format
                header = _display_width(label(column, language))
                sample = shown[column].head(200)
                content = (max((_display_width(v) for v in sample), default=0)
                           if kinds[column][0] in ("text", "yes_no") else 10)
                sheet.column_dimensions[letter].width = min(max(header, content, 8) + 2, 40)
            sheet.freeze_panes = "A2"
            _text_cells(sheet)
            index_rows.append((name, len(frame), ""))
        notes = pd.DataFrame(index_rows, columns=["工作表", "行数", "说明"] if zh else
                             ["Sheet", "Rows", "Note"])
        notes_name = "说明" if zh else "Notes"
        notes.to_excel(writer, sheet_name=notes_name, index=False)
        sheet = writer.sheets[notes_name]
        for letter, width in zip("ABC", (24, 8, 36)):
            sheet.column_dimensions[letter].width = width
        for cell in sheet["B"][1:]:
            cell.number_format = EXCEL_FORMATS["integer"]
        sheet.freeze_panes = "A2"
        _text_cells(sheet)
    return path


def _text_cells(sheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True


def cells(path: Path) -> dict:
    """Everything a reader of the workbook sees, sheet by sheet: each cell's value, type,
    number format (of non-empty cells), bold, borders, alignment and quote prefix; column
    widths and the frozen pane."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    out = {}
    for sheet in book.worksheets:
        grid = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                grid.append((cell.coordinate, cell.value, cell.data_type, cell.number_format,
                             bool(cell.font.b), cell.border.left.style, cell.border.top.style,
                             cell.alignment.horizontal, cell.alignment.vertical,
                             bool(cell.quotePrefix)))
        widths = {}
        for dimension in sheet.column_dimensions.values():
            if dimension.width and dimension.min:
                for position in range(dimension.min, dimension.max + 1):
                    widths[position] = dimension.width
        out[sheet.title] = (grid, widths, sheet.freeze_panes, sheet.max_row, sheet.max_column)
    return out
