"""The 02 page's sentences (成绩指标): the county and its schools, comparison with an earlier season,
the urban–rural and township gaps, score bands, subject balance, the 差异系数, staffing, targets and
临界生."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog import pairs, say
from eduqa.config.labels import label
from eduqa.rules import MIN_CLUSTERS
from eduqa.text.narrative.common import (
    _CATEGORY,
    _PLACES,
    _reference_names,
    _signed,
    few_schools_note,
    markdown_heading,
    num,
    pct,
    span,
)


def county_overview(county: pd.DataFrame, full_marks: dict, language: str = "zh",
                    counts: dict | None = None) -> str:
    """The county's total and its weakest subject by score rate. ``counts`` (from
    :func:`eduqa.indicators.head_counts`) gives 应考 and 实考 as the landing page counts them;
    without it the total's own counts are used."""
    zh = language != "en"
    total = county[county["subject"] == "total"]
    subjects = county[county["subject"] != "total"]
    sentences = []
    if len(total):
        row = total.iloc[0]
        enrolled = counts["enrolled"] if counts else int(row["n_enrolled"])
        sat = counts["sat"] if counts else None
        some = f"{sat:,} 人至少参加一科、" if zh and sat is not None else ""
        some_en = f"{sat:,} sat at least one subject and " if sat is not None else ""
        if zh:
            sentences.append(
                f"全县应考学生 {enrolled:,} 人，其中 {some}{row['n_sat']:,} 人各科全部参考，"
                f"总分平均 {num(row['mean'])} 分（满分 {full_marks['total']:g}），"
                f"及格率 {pct(row['pass_rate'])}，优秀率 {pct(row['excellent_rate'])}，"
                f"低分率 {pct(row['low_rate'])}。")
        else:
            sentences.append(
                f"Of {enrolled:,} enrolled students, {some_en}{row['n_sat']:,} sat every "
                f"subject; the mean total is {num(row['mean'])} of {full_marks['total']:g}, "
                f"with pass rate {pct(row['pass_rate'])}, excellent rate "
                f"{pct(row['excellent_rate'])} and low-score rate {pct(row['low_rate'])}.")
    if len(subjects) > 1:
        weakest = subjects.loc[subjects["score_rate"].idxmin()]
        strongest = subjects.loc[subjects["score_rate"].idxmax()]
        if zh:
            sentences.append(
                f"得分率最低的学科是{label(weakest['subject'])}（{pct(weakest['score_rate'])}，"
                f"及格率 {pct(weakest['pass_rate'])}），最高的是{label(strongest['subject'])}"
                f"（{pct(strongest['score_rate'])}）。")
        else:
            sentences.append(
                f"The weakest subject by score rate is {label(weakest['subject'], 'en')} "
                f"({pct(weakest['score_rate'])}, pass rate {pct(weakest['pass_rate'])}); the "
                f"strongest is {label(strongest['subject'], 'en')} "
                f"({pct(strongest['score_rate'])}).")
    return "".join(sentences) if zh else " ".join(sentences)


def school_overview(table: pd.DataFrame, min_group_size: int, language: str = "zh") -> str:
    """Best and weakest school by composite, and how many were too small to rank."""
    zh = language != "en"
    ranked = table[table["rank"].notna()].sort_values("rank")
    small = int(table["small_group"].sum())
    if ranked.empty:
        return say("narrative.indicators.school_overview.no_school_can_be", zh)
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    spread = best["mean"] - worst["mean"]
    if zh:
        text = (f"按综合指数，{len(ranked)} 所学校中最高的是{best['school_name']}"
                f"（{num(best['composite'])}，平均分 {num(best['mean'])}），最低的是"
                f"{worst['school_name']}（{num(worst['composite'])}，平均分 {num(worst['mean'])}），"
                f"两校平均分相差 {num(spread)} 分。")
        if small:
            text += f"另有 {small} 所学校参考人数不足 {min_group_size} 人，只列出不排名。"
    else:
        text = (f"By composite index, the best of {len(ranked)} schools is {best['school_name']} "
                f"({num(best['composite'])}, mean {num(best['mean'])}) and the weakest is "
                f"{worst['school_name']} ({num(worst['composite'])}, mean {num(worst['mean'])}), "
                f"{num(spread)} points apart.")
        if small:
            text += (f" {small} schools with fewer than {min_group_size} students are listed "
                     "but not ranked.")
    return text


SECTION_HEADINGS = pairs("narrative.indicators.section_headings")


def section(key: str, language: str = "zh") -> str:
    return markdown_heading(SECTION_HEADINGS, key, language, 2)


def comparison_overview(current: pd.DataFrame, previous: pd.DataFrame | None,
                        previous_name: str | None, language: str = "zh") -> str:
    """How the county's total moved against the comparison season."""
    zh = language != "en"
    if previous is None:
        return say("narrative.indicators.comparison_overview.there_no_comparison_season", zh)
    now = current[current["subject"] == "total"].iloc[0]
    before = previous[previous["subject"] == "total"]
    if before.empty:
        return ""
    before = before.iloc[0]
    mean = _signed(now["mean"] - before["mean"], "分", " points", language)
    rate = _signed(100 * (now["pass_rate"] - before["pass_rate"]), "个百分点",
                   " percentage points", language)
    if zh:
        return (f"与{previous_name}相比，总分平均分{mean}，及格率{rate}"
                f"（两次试卷不同，分数变化只作参考，排名与标准分更可比）。")
    return (f"Against {previous_name}, the mean total is {mean} and the pass rate {rate} "
            "(the papers differ, so ranks and standardised scores compare better than raw "
            "points).")


def progress_overview(table: pd.DataFrame, language: str = "zh") -> str:
    """Who moved up or down most in rank."""
    zh = language != "en"
    moved = table[table["rank_change"].notna()]
    if moved.empty:
        return ""
    up = moved.sort_values(["rank_change", "school_code"], ascending=[False, True]).iloc[0]
    down = moved.sort_values(["rank_change", "school_code"]).iloc[0]
    parts = []
    if up["rank_change"] > 0:
        parts.append(say("narrative.indicators.progress_overview.rose_most_places", zh,
                         up_school_name=up["school_name"], up_rank_change=up["rank_change"]))
    if down["rank_change"] < 0:
        parts.append(say("narrative.indicators.progress_overview.fell_most_places", zh,
                         down_school_name=down["school_name"],
                         minus_down_rank_change=-down["rank_change"]))
    if not parts:
        return say("narrative.indicators.progress_overview.no_school_rank_changed", zh)
    if zh:
        return "与上次相比，" + "，".join(parts) + "。"
    return "Compared with last time, " + " and ".join(parts) + "."


def gap_phrase(row, language: str = "zh", *, name_zh: str = "乡村", name_en: str = "rural",
               reference_schools: int | None = None) -> str:
    """One sentence part on a gap row of :func:`eduqa.indicators.group_gap` (reference −
    category): which group is higher, by how much in points and SD, the interval in the same
    direction words, and a verdict only when both groups have enough schools: 「差异不明显」
    (no direction claimed) when the interval covers zero."""
    zh = language != "en"
    ahead = row["gap"] < 0  # the category scores higher than the reference
    bounded = bool(np.isfinite([row["gap_sd_low"], row["gap_sd_high"]]).all())
    # the interval of category − reference, in SD
    low, high = -row["gap_sd_high"], -row["gap_sd_low"]
    fewest = min(int(row["n_schools"]), reference_schools or int(row["n_schools"]))
    few = fewest < MIN_CLUSTERS
    clear = bounded and not few and (row["ci_low"] > 0 or row["ci_high"] < 0)
    points, sd = abs(row["gap"]), abs(row["gap_sd"])
    ref_zh, ref_en = _reference_names(row)
    if zh:
        interval = (f"95% 置信区间为{name_zh}{span(low, high)}" if bounded else
                    "学校太少，无法给出置信区间")
        if clear or few:
            text = (f"{name_zh}学校学生总分平均比{ref_zh}学校{'高' if ahead else '低'} "
                    f"{num(points)} 分（{num(sd, 2)} 个标准差；{interval}）")
        else:
            text = (f"{name_zh}学校与{ref_zh}学校学生总分平均差异不明显（{name_zh}"
                    f"{'高' if ahead else '低'} {num(points)} 分、{num(sd, 2)} 个标准差；{interval}）")
    else:
        interval = (f"95% CI: {name_en} {span(low, high, 'en')}" if bounded else
                    "too few schools for an interval")
        if clear or few:
            text = (f"{name_en.capitalize()} students' mean total is {num(points)} points "
                    f"{'above' if ahead else 'below'} {ref_en} students' ({num(sd, 2)} SD; "
                    f"{interval})")
        else:
            text = (f"{name_en.capitalize()} and {ref_en} students' mean totals do not differ "
                    f"clearly ({name_en} {num(points)} points {'above' if ahead else 'below'}, "
                    f"{num(sd, 2)} SD; {interval})")
    if few:
        return text + say("narrative.indicators.gap_phrase.text", zh) + few_schools_note(
            int(row["n_schools"]), name_zh, name_en, language,
            randomization=bounded and row.get("method", "randomization") == "randomization")
    if row.get("small_group", False):
        text += say("narrative.indicators.gap_phrase.only_students_so_read", zh, name_zh=name_zh,
                    row_n_students=row["n_students"], name_en=name_en)
    return text


def gap_overview(gaps: pd.DataFrame, language: str = "zh", places=None) -> str:
    """The urban–rural gaps in the mean total, with intervals; with fewer than
    :data:`~eduqa.rules.MIN_CLUSTERS` schools in a group, the number of schools it
    rests on and no verdict. Against 城区, or the first category present when the county has
    no 城区 school; when all the season's schools are of one category (``places``: the
    categories of the season's schools), one sentence saying there is nothing to compare."""
    zh = language != "en"
    rows = gaps[(gaps["subject"] == "total") & (gaps["indicator"] == "mean")]
    parts = []
    for _, row in rows.iterrows():
        name_zh, name_en = _CATEGORY.get(row["category"], (row["category"], row["category"]))
        parts.append(gap_phrase(row, language, name_zh=name_zh, name_en=name_en))
    if not parts:
        present = [p for p in _PLACES if places is not None and p in set(places)]
        if len(present) != 1:
            return ""
        name_zh, name_en = _PLACES[present[0]]
        return say("narrative.indicators.gap_overview.every_school_this_season", zh,
                   name_zh=name_zh, name_en=name_en)
    note = say("narrative.indicators.gap_overview.intervals_allow_for_pupils", zh)
    return ("；".join(parts) + "。" + note) if zh else ("; ".join(parts) + ". " + note)


def township_overview(table: pd.DataFrame, language: str = "zh") -> str:
    total = table[table["subject"] == "total"].sort_values("mean", ascending=False)
    if "small_group" in total:  # too few students to be named best or worst
        total = total[~total["small_group"].eq(True)]
    if len(total) < 2:
        return ""
    best, worst = total.iloc[0], total.iloc[-1]
    if language == "en":
        return (f"Among townships the highest mean total is {best['township']} "
                f"({num(best['mean'])}) and the lowest {worst['township']} ({num(worst['mean'])}).")
    return (f"各乡镇中，总分平均最高的是{best['township']}（{num(best['mean'])} 分），最低的是"
            f"{worst['township']}（{num(worst['mean'])} 分）。")


def bands_overview(lines: pd.DataFrame, county: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    total = county[county["subject"] == "total"].iloc[0]
    parts = []
    for row in lines.itertuples():
        parts.append(say("narrative.indicators.bands_overview.students_at_or_above", zh,
                         line=row.line, n_at_or_above=row.n_at_or_above, share=pct(row.share)))
    if zh:
        text = f"全县总分低分率为 {pct(total['low_rate'])}，优秀率为 {pct(total['excellent_rate'])}。"
        return (text + ("；".join(parts) + "。" if parts else "")
                + "下表按分数列出各段人数和占比：每段含下限、不含上限，满分计入最高一段。")
    text = (f"The county's low-score rate on the total is {pct(total['low_rate'])} and its "
            f"excellent rate {pct(total['excellent_rate'])}.")
    return (text + (" " + "; ".join(parts) + "." if parts else "")
            + " The table gives each band in points with its pupils and share: a band includes "
              "its lower bound, not its upper, and full marks fall in the top band.")


def balance_overview(balance: pd.DataFrame, margin: float, language: str = "zh") -> str:
    zh = language != "en"
    weak = balance[balance["weak"]]
    n_schools = weak["school_code"].nunique()
    if n_schools == 0:
        return say("narrative.indicators.balance_overview.no_school_has_clearly", zh)
    counts = weak["subject"].value_counts()
    top = counts.index[0]
    if zh:
        return (f"{n_schools} 所学校存在学科短板（某科平均标准分比本校各科平均低 {margin:.1f} 个标准差"
                f"及以上），出现最多的是{label(top)}（{counts.iloc[0]} 所学校）。")
    return (f"{n_schools} schools have a weak subject (at least {margin:.1f} SD below their own "
            f"average); the most common is {label(top, 'en')} ({counts.iloc[0]} schools).")


def cv_overview(score_cv: pd.DataFrame, resources: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    total = score_cv[score_cv["subject"] == "total"]
    parts = []
    if len(total) and np.isfinite(total.iloc[0]["cv"]):
        value = total.iloc[0]["cv"]
        parts.append(say("narrative.indicators.cv_overview.between_school_cv_mean", zh, value=value))
    for row in resources.itertuples():
        if pd.isna(row.meets) or not np.isfinite(row.cv):  # no verdict without a limit or CV
            continue
        verdict = ("达到" if row.meets else "未达到") if zh else ("meets" if row.meets else
                                                            "does not meet")
        if zh:
            parts.append(f"{label(row.indicator)}的差异系数为 {row.cv:.3f}，{verdict}督导评估标准"
                         f"（≤{row.limit:.2f}）")
        else:
            parts.append(f"{label(row.indicator, 'en')}: CV {row.cv:.3f}, which {verdict} the "
                         f"inspection limit ({row.limit:.2f})")
    if not parts:
        return ""
    note = say("narrative.indicators.cv_overview.cvs_enrolment_weighted_as", zh)
    return ("；".join(parts) + "。" + note) if zh else ("; ".join(parts).capitalize() + ". " + note)


def staffing_overview(groups: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    by = groups.set_index("urban_rural")
    if not {"urban", "rural"} <= set(by.index):
        return ""
    urban, rural = by.loc["urban"], by.loc["rural"]
    if zh:
        return (f"乡村学校缺编率 {pct(rural['shortage_rate'])}，城区学校 {pct(urban['shortage_rate'])}"
                f"（缺编 {num(rural['shortage'], 0)} 人对 {num(urban['shortage'], 0)} 人，超编 "
                f"{num(rural.get('surplus', np.nan), 0)} 人对 {num(urban.get('surplus', np.nan), 0)} 人；"
                "人数取整数，按编制标准计算的应配教师数四舍五入）；"
                f"教非所学比例乡村 {pct(rural['out_of_field_share'])}，城区 "
                f"{pct(urban['out_of_field_share'])}；生师比乡村 {num(rural['students_per_teacher'])}，"
                f"城区 {num(urban['students_per_teacher'])}。")
    return (f"Rural schools' shortage rate is {pct(rural['shortage_rate'])} against "
            f"{pct(urban['shortage_rate'])} in urban schools (short by "
            f"{num(rural['shortage'], 0)} teachers against {num(urban['shortage'], 0)}, over by "
            f"{num(rural.get('surplus', np.nan), 0)} against {num(urban.get('surplus', np.nan), 0)}"
            "; whole teachers, the establishment from the norms rounded half up); out-of-field "
            "teaching "
            f"{pct(rural['out_of_field_share'])} against {pct(urban['out_of_field_share'])}; "
            f"students per teacher {num(rural['students_per_teacher'])} against "
            f"{num(urban['students_per_teacher'])}.")


def targets_overview(attainment: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    if attainment.empty:
        return say("narrative.indicators.targets_overview.no_targets_were_given", zh)
    known = attainment[attainment["met"].notna()]
    parts = []
    for indicator, part in known.groupby("indicator", sort=False):
        met = int(part["met"].sum())
        parts.append(say("narrative.indicators.targets_overview.schools_met_target", zh,
                         indicator=label(indicator), n_part=len(part), met=met,
                         indicator2=label(indicator, "en")))
    return ("；".join(parts) + "。") if zh else ("; ".join(parts) + ".")


def near_overview(county: pd.DataFrame, margin: float, language: str = "zh") -> str:
    total = county[county["subject"] == "total"].iloc[0]
    if language == "en":
        return (f"{total['near_pass']:,} students are within {margin:.0%} of full marks below "
                f"the pass line on the total, and {total['near_excellent']:,} below the "
                "excellent line: counts only, no names are shown.")
    return (f"全县总分距及格线不足满分 {margin:.0%} 的及格临界生 {total['near_pass']:,} 人，"
            f"优秀临界生 {total['near_excellent']:,} 人。报告只列人数，不显示学生姓名。")
