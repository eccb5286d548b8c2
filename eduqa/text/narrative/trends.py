"""The 04 page's sentences (动态跟踪): the county over seasons, school changes with what chance alone
would give, and the cohort's progress."""

from __future__ import annotations

import pandas as pd

from eduqa.catalog import pairs, say
from eduqa.text.narrative.attribution import above_below
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
    if zh:
        return (f"从{first['season']}到{last['season']}，全县总分得分率由 {pct(first['score_rate'])} 变为 "
                f"{pct(last['score_rate'])}，及格率由 {pct(first['pass_rate'])} 变为 {pct(last['pass_rate'])}。"
                "各年试卷不同，原始分数的变化只作参考；学校位置的变化用标准分比较（见下节）。")
    return (f"From {first['season']} to {last['season']} the county's score rate on the total went "
            f"from {pct(first['score_rate'])} to {pct(last['score_rate'])} and the pass rate from "
            f"{pct(first['pass_rate'])} to {pct(last['pass_rate'])}. Papers differ between years, "
            "so schools are compared on standardised scores below.")


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
    if zh:
        text = (f"以标准分衡量，{improved} 所学校的进步、{fell} 所学校的退步超出了学生随机变化所能解释的范围"
                "（95% 区间不含 0）；其余学校的变化可能只是不同届学生的正常波动。"
                f"参与判断的 {judged} 所学校中，即使各校实际都没有变化，按 5% 的偶然概率也会有约 "
                f"{expected:.1f} 所被标为进步或退步，标注只是提示，不是结论。")
        if small:
            text += f"{small} 所学校人数过少，只列出区间，不作判断。"
        if new or gone:
            text += f"另有 {new} 所学校只出现在本次、{gone} 所只出现在上次，无法比较。"
        return text
    text = (f"On standardised scores, {improved} schools improved and {fell} fell back by more "
            "than cohort-to-cohort chance explains (95% interval excludes 0); the other changes "
            f"may be ordinary variation between year groups. Among the {judged} schools judged, "
            f"about {expected:.1f} would be flagged by chance alone even if none had changed: "
            "flags are prompts, not verdicts.")
    if small:
        text += f" {small} schools are too small for a verdict; only their intervals are shown."
    if new or gone:
        text += f" {new} schools appear only now and {gone} only before, so cannot be compared."
    return text


def cohort_overview(matched: float | None, effects: pd.DataFrame,
                    language: str = "zh") -> str:
    zh = language != "en"
    if matched is None or effects.empty:
        return say("narrative.trends.cohort_overview.no_earlier_season_same", zh)
    above, below = above_below(effects)
    if zh:
        return (f"{pct(matched)} 的学生通过学籍号的加密编号与上一学年成绩匹配；未匹配的学生（转入、"
                f"上一学年缺考等）不参与增值计算，各校未匹配人数见下表。在上一学年成绩相同、学校生源"
                f"（上一学年平均成绩）相同的学生中，{above} 所学校的进步明显高于全县，{below} 所明显低于全县"
                "（95% 区间不含 0）。上一学年成绩只是一次考试，有测量误差，所以同时考虑了学校的平均起点，"
                "以免把生源好的学校误判为增值高。归因分析页的学校效应还考虑了城乡、师资等学校条件，"
                "两页标出的学校可以不同。")
    return (f"{pct(matched)} of students are linked to last year's scores by their keyed id; "
            "unlinked students (arrivals, absent last year) are left out of the value added and "
            "counted per school below. Among students with the same prior score in schools of "
            f"the same intake (mean prior score), {above} schools progressed clearly more and "
            f"{below} clearly less than the county. The prior score is one test with "
            "measurement error, so the school's mean start is allowed for too, lest a strong "
            "intake pass for value added. The attribution page's school effects also allow for "
            "school conditions (urban-rural status, staffing), so the two pages may flag "
            "different schools.")
