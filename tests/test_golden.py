"""Outputs unchanged by refactoring: every workbook table of the four demo seasons equal to the
previous release's to 1e-9, and every generated sentence of every page equal (see
``tests/golden.py`` for what is kept and how to rewrite it when a change is intended)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import SEASONS

sys.path.insert(0, str(Path(__file__).parent))
import golden  # noqa: E402

GOLDEN = Path(__file__).parent / "data" / "golden"


def _compare_tables(now: dict, before: dict, season: str) -> None:
    assert list(now) == list(before), f"{season}: sheets differ"
    for name, old in before.items():
        new = now[name]
        assert list(new.columns) == list(old.columns), f"{season} / {name}: columns differ"
        assert len(new) == len(old), f"{season} / {name}: {len(new)} rows, was {len(old)}"
        for column in old.columns:
            a, b = new[column], old[column]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                assert np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=0, atol=1e-9,
                                   equal_nan=True), f"{season} / {name} / {column}"
            else:
                assert a.astype(str).tolist() == b.astype(str).tolist(), \
                    f"{season} / {name} / {column}"


@pytest.mark.parametrize("season", SEASONS)
def test_outputs_equal_the_previous_release(built, tmp_path, season):
    golden.write(built.report_season(season), tmp_path)
    now, before = golden.read(tmp_path), golden.read(GOLDEN / season)
    _compare_tables(now["tables"], before["tables"], season)
    _compare_text(now["text"], before["text"], season)


def _compare_text(now: dict, before: dict, season: str) -> None:
    for page, sentences in before.items():
        assert now.get(page) == sentences, f"{season} / {page}: generated text changed"


def test_the_comparison_can_fail(tmp_path):
    """The oracle notices a changed number, a changed sentence and a lost sheet."""
    before = golden.read(GOLDEN / SEASONS[0])
    tables = dict(before["tables"])
    name = next(n for n, f in tables.items() if f.select_dtypes("number").shape[1])
    frame = tables[name].copy()
    column = frame.select_dtypes("number").columns[0]
    frame[column] = frame[column] + 1e-6
    tables[name] = frame
    with pytest.raises(AssertionError):
        _compare_tables(tables, before["tables"], SEASONS[0])
    fewer = dict(before["tables"])
    fewer.pop(name)
    with pytest.raises(AssertionError):
        _compare_tables(fewer, before["tables"], SEASONS[0])
    page = next(p for p, text in before["text"].items() if text)
    reworded = {**before["text"], page: [before["text"][page][0] + "。", *before["text"][page][1:]]}
    with pytest.raises(AssertionError):
        _compare_text(reworded, before["text"], SEASONS[0])
    html = "<div class='jp-RenderedMarkdown jp-OutputArea-output'><p>甲 乙</p></div><p>丙</p>"
    assert golden.page_text(html) == ["甲 乙"]
