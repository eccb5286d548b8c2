"""Plain-language sentences generated from the numbers, in Chinese (default) or English: one
module per page (``cleaning`` 01, ``indicators`` 02, ``attribution`` 03, ``trends`` 04,
``landing`` the season's landing page) and what they share (``common``). Every public name
is importable from here (``narrative.county_overview``), as the notebooks use them.

Each function takes the tables a page shows and returns Markdown text; nothing here computes a
statistic of its own beyond picking the largest or smallest value to mention.
"""

from __future__ import annotations

from eduqa.text.narrative.attribution import (
    APPENDIX_NOTE,
    ATTRIBUTION_SECTIONS,
    above_below,
    appendix_intro,
    attribution_section,
    attribution_summary,
    classes_overview,
    effects_overview,
    levels_overview,
    models_overview,
    oaxaca_overview,
    plan_note,
    shapley_overview,
    staffing_share,
    teachers_overview,
)
from eduqa.text.narrative.cleaning import (
    check_notes,
    clean_summary,
    lines_used,
)
from eduqa.text.narrative.common import (
    CAUTION,
    GLOSSARY,
    HEADINGS,
    few_schools_note,
    glossary,
    heading,
    markdown_heading,
    num,
    pct,
    span,
    term_label,
)
from eduqa.text.narrative.indicators import (
    SECTION_HEADINGS,
    balance_overview,
    bands_overview,
    comparison_overview,
    county_overview,
    cv_overview,
    gap_overview,
    gap_phrase,
    near_overview,
    progress_overview,
    school_overview,
    section,
    staffing_overview,
    targets_overview,
    tiers_overview,
    township_overview,
)
from eduqa.text.narrative.landing import (
    FINDING_NAMES,
    findings,
    headline_findings,
)
from eduqa.text.narrative.trends import (
    TREND_SECTIONS,
    change_overview,
    cohort_overview,
    trend_overview,
    trend_section,
)

__all__ = ["APPENDIX_NOTE", "ATTRIBUTION_SECTIONS", "CAUTION", "FINDING_NAMES", "GLOSSARY", "HEADINGS", "SECTION_HEADINGS", "TREND_SECTIONS", "above_below", "appendix_intro", "attribution_section", "attribution_summary", "balance_overview", "bands_overview", "change_overview", "check_notes", "classes_overview", "clean_summary", "cohort_overview", "comparison_overview", "county_overview", "cv_overview", "effects_overview", "few_schools_note", "findings", "gap_overview", "gap_phrase", "glossary", "heading", "markdown_heading", "headline_findings", "levels_overview", "lines_used", "models_overview", "near_overview", "num", "oaxaca_overview", "pct", "plan_note", "progress_overview", "school_overview", "section", "shapley_overview", "span", "staffing_overview", "staffing_share", "targets_overview", "tiers_overview", "teachers_overview", "term_label", "township_overview", "trend_overview", "trend_section"]
