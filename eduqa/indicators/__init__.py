"""The season's statistics from processed data: exam indicators (``exam``: 一分三率 and the
rest, docs/METHODS.md §A), their counts (``tallies``) and their Dask form (``partitioned``), teacher
staffing (``staffing``, §B), classes (``classes``), trends over seasons (``trends``), the data
quality summary (``quality``) and the small-group rule (``privacy``).

May import :mod:`eduqa.config`, :mod:`eduqa.compute` and :mod:`eduqa.models`; never the
intake, the text or the report.

The stable public API is re-exported here: ``eduqa.indicators.summarize`` and
``eduqa.indicators.cv`` (and every public name of :mod:`eduqa.indicators.exam`).
"""

from __future__ import annotations

import importlib


def __getattr__(name: str):
    """``eduqa.indicators.summarize`` and the other public names of
    :mod:`eduqa.indicators.exam`, imported on first use."""
    exam = importlib.import_module("eduqa.indicators.exam")
    if name in exam.__all__:
        return getattr(exam, name)
    raise AttributeError(f"module 'eduqa.indicators' has no attribute {name!r}")
