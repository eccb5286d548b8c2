"""The 04 page's sentences (动态跟踪): the county over seasons, school changes with what chance alone
would give, and the cohort's progress."""

from __future__ import annotations

import pandas as pd

from eduqa.catalog import pairs, say
from eduqa.rules import chance_flags
from eduqa.text.narrative.attribution import above_below, chance_note
from eduqa.text.narrative.common import markdown_heading, pct

TREND_SECTIONS = pairs("narrative.trends.trend_sections")


def trend_section(key: str, language: str = "zh", level: int = 2) -> str:
    """A heading of the trends page (``title`` is the page title)."""
    return markdown_heading(TREND_SECTIONS, key, language, level)


def trend_overview(trend: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    if len(trend) < 2:
        return say("narrative.trends.trend_overview.there_no_earlier_season", zh)
    first, last = trend.iloc[0], trend.iloc[-1]
    return say("narrative.trends.trend_overview.from_county_score_rate", zh,
               first_season=first["season"], last_season=last["season"],
               first_score_rate=pct(first["score_rate"]),
               last_score_rate=pct(last["score_rate"]), first_pass_rate=pct(first["pass_rate"]),
               last_pass_rate=pct(last["pass_rate"]))


def change_overview(changes: pd.DataFrame, language: str = "zh", *,
                    chance: tuple[int, float]) -> str:
    """The 04 page's sentence on school changes: how many improved or fell back, and how many
    flags chance alone would give (``chance``: schools judged and flags expected, from
    :func:`eduqa.indicators.trends.chance_flags`; the text computes no statistics)."""
    zh = language != "en"
    if changes.empty:
        return say("narrative.trends.change_overview.with_no_earlier_season", zh)
    counts = changes["flag"].value_counts()
    improved, fell = int(counts.get("improved", 0)), int(counts.get("fell_back", 0))
    new, gone = int(counts.get("only_now", 0)), int(counts.get("only_before", 0))
    small = int(counts.get("small", 0))
    judged, expected = chance
    text = say("narrative.trends.change_overview.standardised_scores_schools_improved", zh,
               improved=improved, fell=fell, judged=judged, expected=expected)
    if small:
        text += say("narrative.trends.change_overview.schools_too_small_for", zh, small=small)
    if new or gone:
        text += say("narrative.trends.change_overview.schools_appear_only_now", zh, new=new,
                    gone=gone)
    return text


def cohort_overview(matched: float | None, effects: pd.DataFrame,
                    language: str = "zh") -> str:
    zh = language != "en"
    if matched is None or effects.empty:
        return say("narrative.trends.cohort_overview.no_earlier_season_same", zh)
    above, below = above_below(effects)
    if not chance_flags(effects["flag"])[0]:  # one school: nothing to compare it with
        return say("narrative.common.none_judged", zh, n=len(effects))
    return say("narrative.trends.cohort_overview.students_linked_last_year", zh,
               matched=pct(matched), above=above, below=below) + chance_note(
        effects["flag"], language)
