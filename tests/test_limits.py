"""Bombs and careless exports (issue 11, point 15): each ends with a clear message naming the
file (and the row or cell), or is read with bounded memory. The limits are stated in the README
and in :mod:`eduqa.intake.readers`."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from eduqa.config.schema import SCORE_COLUMNS
from eduqa.errors import InputError
from eduqa.intake import limits, readers

HEADER = "学籍号,学校,班级,语文,数学"


def _read(path):
    return readers.read_raw_table(path, dict(SCORE_COLUMNS), min_hits=2, what="scores file")


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cell_at_xfd1048576_is_refused_without_filling_the_range(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["G1", "县城第一中学", "1班", 80, 90])
    sheet["XFD1048576"] = "x"
    path = tmp_path / "scores.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        _read(path)
    assert "XFD1048576" in str(caught.value) and "Ctrl+End" in str(caught.value)
    assert "scores.xlsx" in str(caught.value)


def test_an_inflating_sheet_is_refused_while_streaming(tmp_path, monkeypatch):
    """A sheet part that inflates beyond the cap (500 MB; lowered here to 20 MB so that the
    test builds a 60 MB bomb, 60 KB on disk, in a second): refused on the way, not loaded."""
    monkeypatch.setattr(limits, "MAX_XLSX_XML_BYTES", 20_000_000)
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(","))
    path = tmp_path / "scores.xlsx"
    book.save(path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w",
                                                          zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b" " * 60_000_000 + b"</sheetData>")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="inflate to more than 20,000,000 bytes"):
        _read(bomb)


def test_a_50_mb_cell_or_line_is_a_clear_error(tmp_path):
    big = "x" * 50_000_000
    for name, text in (("cell.csv", f"{HEADER}\nG1,县城第一中学,1班,{big},90\n"),
                       ("line.csv", f"{HEADER}\n{big}\n")):
        with pytest.raises(InputError) as caught:
            _read(_write(tmp_path / name, text))
        assert caught.value.row == 2 and "131,072" in str(caught.value)


def test_a_million_column_header_is_refused(tmp_path):
    header = ",".join(f"c{i}" for i in range(1_000_000))
    with pytest.raises(InputError) as caught:
        _read(_write(tmp_path / "wide.csv", f"{header}\nG1\n"))
    assert caught.value.row == 1 and "1,000,000 non-empty columns" in str(caught.value)


def test_a_csv_padded_to_16384_empty_columns_reads_as_its_real_columns(tmp_path):
    pad = "," * 16_379
    rows = [HEADER + pad] + [f"G{i},县城第一中学,1班,{60 + i % 40},{70 + i % 30}{pad}"
                             for i in range(3000)]
    table = _read(_write(tmp_path / "padded.csv", "\n".join(rows) + "\n"))
    assert list(table.frame.columns) == HEADER.split(",")
    assert len(table.frame) == 3000 and table.frame.iloc[5]["语文"] == "65"


def test_a_long_csv_past_2_million_rows_is_streamed_not_refused(tmp_path):
    """A city's long export (pupil × subject rows) beyond the workbook limit of 2,000,000 rows
    is read a block at a time (issue 33: it used to be refused)."""
    n = 2_100_000  # past the old limit of 2,000,000 rows
    rows = "\n".join(f"G{i // 9},县城第一中学,1班,S{i % 9},{i % 100}" for i in range(n))
    path = _write(tmp_path / "long.csv", f"学籍号,学校,班级,科目,成绩\n{rows}\n")
    reader = readers.open_raw_table(path, dict(SCORE_COLUMNS), min_hits=2, what="scores file")
    sizes = [len(block.frame) for block in reader.blocks()]
    assert sum(sizes) == n and max(sizes) == limits.BLOCK_ROWS


def test_a_streamed_export_beyond_its_row_limit_is_refused_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_STREAMED_ROWS", 100_000)
    rows = "\n".join(f"G{i},县城第一中学,1班,80,90" for i in range(150_000))
    path = _write(tmp_path / "huge.csv", f"{HEADER}\n{rows}\n")
    with pytest.raises(InputError) as caught:
        _read(path)
    assert "more than 100,000 data rows" in str(caught.value)
    assert "memory is not the limit" in str(caught.value)
    assert "split the export" in caught.value.hint
    assert "拆分" in caught.value.render("zh")


def test_a_workbook_beyond_its_row_limit_says_to_save_as_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 50)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for i in range(200):
        sheet.append([f"G{i}", "县城第一中学", "1班", 80, 90])
    book.save(tmp_path / "big.xlsx")
    with pytest.raises(InputError) as caught:
        _read(tmp_path / "big.xlsx")
    assert "CSV UTF-8" in caught.value.hint and "files.scores" in caught.value.hint


def _parquet(path, frame):
    frame.to_parquet(path, index=False)
    return path


def test_a_parquet_file_has_the_column_limit_of_a_csv(tmp_path):
    """Issue 34 point 4: Parquet skipped the column and cell limits."""
    import pandas as pd

    wide = pd.DataFrame({f"第{i}题": [1] for i in range(limits.MAX_COLUMNS + 5)})
    wide.insert(0, "学籍号", ["G1"])
    wide.insert(1, "学校", ["一中"])
    with pytest.raises(InputError, match="non-empty columns"):
        _read(_parquet(tmp_path / "wide.parquet", wide))


def test_a_parquet_cell_beyond_the_cell_limit_is_refused_naming_it(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"学籍号": ["G1", "G2", "G3"], "学校": ["一中"] * 3,
                          "语文": ["80", "x" * (limits.MAX_CELL_CHARS + 1), "90"]})
    with pytest.raises(InputError) as caught:
        _read(_parquet(tmp_path / "long-cell.parquet", frame))
    assert caught.value.row == 3 and caught.value.column == "语文"


def test_a_file_read_whole_is_refused_before_its_body_is_read(tmp_path, monkeypatch):
    """A 10M-row Parquet item export used to be read whole (8 GB): a file read whole
    (items, blueprints, rosters, teachers) is refused from its metadata, in seconds."""
    import pandas as pd

    monkeypatch.setattr(limits, "MAX_ROWS", 1_000)
    frame = pd.DataFrame({"学籍号": [f"G{i}" for i in range(5_000)], "学校": "一中",
                          "1": 1.0, "2": 0.0})
    path = _parquet(tmp_path / "items.parquet", frame)

    def never(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(readers.RawReader, "read", never)
    with pytest.raises(InputError) as caught:
        readers.read_raw_table(path, dict(SCORE_COLUMNS), what="item scores file")
    assert "5,000 rows" in str(caught.value) and "小题分表" in caught.value.render("zh")
    csv = tmp_path / "items.csv"
    frame.to_csv(csv, index=False)
    with pytest.raises(InputError, match="read whole"):
        readers.read_raw_table(csv, dict(SCORE_COLUMNS), what="item scores file")


def _never_read(monkeypatch):
    def never(self, rows=None):
        raise AssertionError("the body was read")

    monkeypatch.setattr(readers.RawReader, "blocks", never)
    monkeypatch.setattr(readers.RawReader, "coded_blocks", never)


def _sitters(n, subject="math"):
    import pandas as pd

    return pd.DataFrame({"student_key": [f"k{i}" for i in range(n)], "school_code": "S1",
                         "class": "1班", "subject": subject, "score": 10.0, "status": "sat"})


def test_a_long_item_export_past_the_limit_says_to_export_the_wide_layout(tmp_path,
                                                                          monkeypatch):
    """A long item export (a row per pupil and question) outgrows the item exports' row
    limit 25 times sooner than the wide one: the message says to export the wide layout,
    not to split a subject's file (one file per subject is all eduqa takes); the limit is
    checked before the body is read."""
    import pandas as pd

    from eduqa.intake import items as paper
    from eduqa.intake.items import clean_items

    monkeypatch.setattr(paper, "MAX_ITEM_ROWS", 1_000)
    _never_read(monkeypatch)
    frame = pd.DataFrame({"学籍号": [f"G{i // 25}" for i in range(2_500)], "学校": "一中",
                          "题号": [i % 25 + 1 for i in range(2_500)], "得分": 1})
    path = _parquet(tmp_path / "items-long.parquet", frame)
    blueprint = pd.DataFrame({"question": [str(q) for q in range(1, 26)]})
    with pytest.raises(InputError) as caught:
        clean_items(path, "math", blueprint, _sitters(100), "salt")
    assert "2,500 rows" in caught.value.render("en")
    assert "wide layout" in caught.value.render("en")
    assert "宽表" in caught.value.render("zh")


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_an_item_export_larger_than_its_season_is_refused_before_its_body_is_read(
        tmp_path, monkeypatch, layout):
    """The 10M-row hostile export was read and every row logged (7 GB): an item export may
    hold at most 1.1 rows per pupil of the subject in the score export (and question, long
    layout) plus SPARE_ITEM_ROWS (a million; 1,000 here), checked from the file's metadata;
    the message gives the counts. A file of exactly the bound is read."""
    import pandas as pd

    from eduqa.intake import items as paper
    from eduqa.intake.items import clean_items

    monkeypatch.setattr(paper, "SPARE_ITEM_ROWS", 1_000)

    pupils, questions = 200, 5
    per_pupil = questions if layout == "long" else 1
    allowed = int(pupils * per_pupil * 1.1) + 1_000  # (hand-computed: 2,100 or 1,220)
    blueprint = pd.DataFrame({"question": [str(q) for q in range(1, questions + 1)],
                              "full_marks": 4.0, "objective": False, "key": None})

    def export(rows):
        if layout == "long":
            return pd.DataFrame({"学籍号": [f"G{i // questions}" for i in range(rows)],
                                 "学校": "一中", "题号": [str(i % questions + 1)
                                                        for i in range(rows)], "得分": "1"})
        return pd.DataFrame({"学籍号": [f"G{i}" for i in range(rows)], "学校": "一中",
                             **{str(q): "1" for q in range(1, questions + 1)}})

    path = _parquet(tmp_path / "too-many.parquet", export(allowed + 1))
    with monkeypatch.context() as patched:
        _never_read(patched)
        with pytest.raises(InputError) as caught:
            clean_items(path, "math", blueprint, _sitters(pupils), "salt", source="x.parquet")
    text = caught.value.render("en")
    assert f"{allowed + 1:,} rows" in text and f"at most {allowed:,} rows" in text
    assert "200 pupil(s) in math" in text and "最多应有" in caught.value.render("zh")
    # (the other subject's pupils do not count)
    more = pd.concat([_sitters(pupils), _sitters(5_000, "chinese")], ignore_index=True)
    with pytest.raises(InputError, match="at most"):
        clean_items(path, "math", blueprint, more, "salt")
    ok = _parquet(tmp_path / "ok.parquet", export(allowed))
    result = clean_items(ok, "math", blueprint, _sitters(pupils), "salt")
    assert result.n_rows_in == allowed


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_the_compact_read_gives_read_raw_table_s_texts(tmp_path, monkeypatch, suffix):
    """readers.read_compact (item exports, block by block, a code per cell) reads the same texts
    and source rows as readers.read_raw_table, whatever the block size."""
    import pandas as pd

    monkeypatch.setattr(limits, "BLOCK_ROWS", 7)
    frame = pd.DataFrame({"学籍号": [f"G{i % 13}" for i in range(50)], "学校": "一中",
                          "题号": [str(i % 5 + 1) for i in range(50)],
                          "得分": ["", "1", "２", " 3", "x"] * 10})
    path = tmp_path / f"items{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)
    _same_texts(path)


def _same_texts(path):
    import pandas as pd

    aliases = dict(SCORE_COLUMNS)
    whole = readers.read_raw_table(path, aliases, what="item scores file")
    compact = readers.read_compact(readers.open_raw_table(path, aliases, what="item scores file"))
    assert all(isinstance(compact.frame[c].dtype, pd.CategoricalDtype) for c in whole.frame)
    pd.testing.assert_frame_equal(compact.frame.astype(object), whole.frame.astype(object))
    assert list(compact.source_row) == list(whole.source_row)


def test_the_compact_read_of_typed_parquet_columns_gives_the_texts_of_a_csv(tmp_path,
                                                                            monkeypatch):
    """A Parquet export's typed columns, read as dictionaries a batch at a time, give the
    texts the whole read gives: a null blank, 85.0 as 85, an 18-digit integer id whole (not
    through a float), a text null blank."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(limits, "BLOCK_ROWS", 4)
    table = pa.table({
        "学籍号": pa.array([110101199003071234 + i % 3 for i in range(10)], pa.int64()),
        "学校": pa.array(["一中", None] * 5, pa.string()),
        "题号": pa.array([1, 2, None, 4, 5] * 2, pa.int16()),
        "得分": pa.array([85.0, 2.5, None, 0.0, 1e20] * 2, pa.float64()),
    })
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path, row_group_size=3)
    _same_texts(path)
    compact = readers.read_compact(readers.open_raw_table(path, dict(SCORE_COLUMNS)))
    assert list(compact.frame["学籍号"].astype(object)[:3]) == [
        "110101199003071234", "110101199003071235", "110101199003071236"]
    assert list(compact.frame["得分"].astype(object)[:4]) == ["85", "2.5", "", "0"]


def test_a_long_parquet_cell_is_refused_in_the_compact_read(tmp_path):
    """The cell-length limit holds in the compact read (a dictionary's longest text), naming
    the first row that holds it."""
    import pandas as pd

    frame = pd.DataFrame({"学籍号": ["G1", "G2", "G3"], "学校": ["一中", "x" * 140_000, "一中"],
                          "题号": "1", "得分": "1"})
    path = _parquet(tmp_path / "long-cell.parquet", frame)
    with pytest.raises(InputError) as caught:
        readers.read_compact(readers.open_raw_table(path, dict(SCORE_COLUMNS)))
    assert caught.value.row == 3 and caught.value.column == "学校"
