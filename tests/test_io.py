"""Reading raw exports: encodings, title rows, Excel, and clear errors for unreadable files."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from eduqa.compute import parquet
from eduqa.config.schema import SCORE_COLUMNS
from eduqa.errors import InputError
from eduqa.intake.readers import map_columns, read_raw_table

HEADER = ["考号", "姓名", "学校", "班级", "语文", "数学"]
ROWS = [["001", "甲", "一小", "1班", "85", "９０"], ["002", "乙", "二小", "2班", "缺考", "77"]]


def _csv(path, encoding, title=None):
    lines = ([title] if title else []) + [",".join(HEADER)] + [",".join(r) for r in ROWS]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(tmp_path, encoding):
    table = read_raw_table(_csv(tmp_path / "s.csv", encoding), SCORE_COLUMNS)
    assert list(table.frame.columns) == HEADER
    assert table.frame.values.tolist() == ROWS  # cells as text, untouched
    assert table.source_row == [2, 3]


def test_title_rows_above_header_are_skipped_and_kept(tmp_path):
    path = _csv(tmp_path / "s.csv", "utf-8", title="2025年春季学期九年级期末质量监测成绩表")
    table = read_raw_table(path, SCORE_COLUMNS)
    assert table.preamble == [(1, "2025年春季学期九年级期末质量监测成绩表")]
    assert table.source_row == [3, 4]


def test_xlsx_with_merged_title_and_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["成绩表"])
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER)
    sheet.append(["001", "甲", "一小", "1班", 85, 90.5])
    book.save(tmp_path / "s.xlsx")
    table = read_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS)
    assert table.frame.iloc[0].tolist() == ["001", "甲", "一小", "1班", "85", "90.5"]
    assert table.source_row == [3]


def test_xlsx_several_sheets_with_same_header_are_stacked(tmp_path):
    book = Workbook()
    first = book.active
    first.title = "一小"
    first.append(HEADER)
    first.append(ROWS[0])
    second = book.create_sheet("二小")
    second.append(HEADER)
    second.append(ROWS[1])
    book.save(tmp_path / "s.xlsx")
    table = read_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS)
    assert len(table.frame) == 2 and table.source_sheet == ["一小", "二小"]


def test_empty_file(tmp_path):
    (tmp_path / "s.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty") as info:
        read_raw_table(tmp_path / "s.csv", SCORE_COLUMNS)
    assert info.value.hint


def test_binary_garbage(tmp_path):
    (tmp_path / "s.csv").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        read_raw_table(tmp_path / "s.csv", SCORE_COLUMNS)


def test_unknown_encoding(tmp_path):
    (tmp_path / "s.csv").write_bytes("考号,学校\n1,一小\n".encode("utf-16-le"))
    with pytest.raises(InputError):
        read_raw_table(tmp_path / "s.csv", SCORE_COLUMNS)


def test_header_not_found(tmp_path):
    (tmp_path / "s.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="header row"):
        read_raw_table(tmp_path / "s.csv", SCORE_COLUMNS)


def test_corrupt_xlsx(tmp_path):
    (tmp_path / "s.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="cannot be opened"):
        read_raw_table(tmp_path / "s.xlsx", SCORE_COLUMNS)


def test_unsupported_type(tmp_path):
    (tmp_path / "s.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="cannot read files of type"):
        read_raw_table(tmp_path / "s.pdf", SCORE_COLUMNS)


def test_map_columns_accepts_chinese_and_english_spellings():
    found = map_columns(["准考证号", "Student Name", "学校名称", "班 级"], SCORE_COLUMNS)
    assert found == {"exam_id": "准考证号", "name": "Student Name", "school_name": "学校名称",
                     "class": "班 级"}


def test_reader_does_not_modify_the_file(tmp_path):
    path = _csv(tmp_path / "s.csv", "gbk")
    before = path.read_bytes()
    read_raw_table(path, SCORE_COLUMNS)
    assert path.read_bytes() == before
    assert pd.read_csv(path, encoding="gbk").shape == (2, 6)


def test_categoricals_are_written_as_text_one_row_group_at_a_time(tmp_path, monkeypatch):
    import pyarrow.parquet as pq


    monkeypatch.setattr(parquet, "ROW_GROUP", 3)
    # 8 rows: a chunk (rows 6-7) whose class is all missing, a category no row has
    frame = pd.DataFrame({
        "school": pd.Categorical(["b", "a", "b", "c", "a", "a", "c", "b"],
                                 categories=["a", "b", "c", "z"]),
        "class": pd.Categorical(["1", "2", None, "1", "2", "1", None, None]),
        "score": [1.0, 2.0, float("nan"), 4.0, 5.0, 6.0, 7.0, 8.0],
        "key": ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"],
        # (object text: the last chunk, all missing, would be typed null on its own)
        "note": pd.Series(["x", None, "y", "z", None, "w", None, None], dtype=object)})
    path = tmp_path / "t.parquet"
    parquet.write_parquet(frame, path)
    back = pd.read_parquet(path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    assert [str(t) for t in back.dtypes] == ["str", "str", "float64", "str", "str"]
    expected = pd.DataFrame({column: frame[column].astype(object).tolist()
                             for column in frame.columns})
    pd.testing.assert_frame_equal(back.astype(object), expected.astype(object))
    # a frame without categoricals is written as pandas writes it
    parquet.write_parquet(expected[["score", "key"]], tmp_path / "u.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "u.parquet"),
                                  pd.read_parquet(path)[["score", "key"]])


def test_a_frame_of_categoricals_only_is_written_whole(tmp_path, monkeypatch):

    monkeypatch.setattr(parquet, "ROW_GROUP", 2)
    frame = pd.DataFrame({"a": pd.Categorical(["x", "y", "x", None, "z"]),
                          "b": pd.Categorical(["1", "1", "2", "2", "2"])})
    parquet.write_parquet(frame, tmp_path / "c.parquet")
    back = pd.read_parquet(tmp_path / "c.parquet")
    assert back["a"].tolist()[:3] == ["x", "y", "x"] and pd.isna(back["a"].iloc[3])
    assert back["b"].tolist() == ["1", "1", "2", "2", "2"]
    assert [str(t) for t in back.dtypes] == ["str", "str"]
