"""The 02 page's sentences (成绩指标): the county and its schools, comparison with an earlier season,
the urban–rural and township gaps, score bands, subject balance, the 差异系数, staffing, targets and
临界生."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog import joined, pairs, say
from eduqa.config.labels import label
from eduqa.rules import MIN_CLUSTERS, chance_flags
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
        some = (say("narrative.indicators.county_overview.some_sat", zh, sat=sat)
                if sat is not None else "")
        sentences.append(
            say("narrative.indicators.county_overview.enrolled_students_sat_every", zh,
                enrolled=enrolled, some=some, row_n_sat=row["n_sat"], row_mean=num(row["mean"]),
                full_marks_total=full_marks["total"], row_pass_rate=pct(row["pass_rate"]),
                row_excellent_rate=pct(row["excellent_rate"]),
                row_low_rate=pct(row["low_rate"])))
    if len(subjects) > 1:
        weakest = subjects.loc[subjects["score_rate"].idxmin()]
        strongest = subjects.loc[subjects["score_rate"].idxmax()]
        sentences.append(
            say("narrative.indicators.county_overview.weakest_subject_by_score", zh,
                weakest_subject=label(weakest["subject"], language),
                weakest_score_rate=pct(weakest["score_rate"]),
                weakest_pass_rate=pct(weakest["pass_rate"]),
                strongest_subject=label(strongest["subject"], language),
                strongest_score_rate=pct(strongest["score_rate"])))
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
    text = say("narrative.indicators.school_overview.by_composite_index_best", zh,
               n_ranked=len(ranked), best_school_name=best["school_name"],
               best_composite=num(best["composite"]), best_mean=num(best["mean"]),
               worst_school_name=worst["school_name"], worst_composite=num(worst["composite"]),
               worst_mean=num(worst["mean"]), spread=num(spread))
    if small:
        text += say("narrative.indicators.school_overview.schools_with_fewer_than", zh,
                    small=small, min_group_size=min_group_size)
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
    mean = _signed(now["mean"] - before["mean"], "points", language)
    rate = _signed(100 * (now["pass_rate"] - before["pass_rate"]), "percentage_points", language)
    return say("narrative.indicators.comparison_overview.against_mean_total_pass", zh,
               previous_name=previous_name, mean=mean, rate=rate)


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
    return (say("narrative.indicators.progress_overview.compared_with_last_time", zh)
            + say("narrative.indicators.progress_overview.text", zh).join(parts)
            + say("words.full_stop", zh))


def gap_phrase(row, language: str = "zh", *, name_zh: str | None = None,
               name_en: str | None = None, reference_schools: int | None = None) -> str:
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
    name_zh = _PLACES["rural"][0] if name_zh is None else name_zh
    name_en = _PLACES["rural"][1] if name_en is None else name_en
    interval = (say("narrative.indicators.gap_phrase.ci", zh, name_zh=name_zh, low=span(low, high, language),
                    name_en=name_en) if bounded
                else say("narrative.indicators.gap_phrase.too_few_schools_for", zh))
    text = say("narrative.indicators.gap_phrase.clear" if clear or few
               else "narrative.indicators.gap_phrase.unclear", zh, name_zh=name_zh,
               ref_zh=ref_zh, name_en=name_en, name_en_capitalized=name_en.capitalize(),
               ref_en=ref_en, side=say("words.above" if ahead else "words.below", zh),
               points=num(points), sd=num(sd, 2), interval=interval)
    if few:
        return text + say("words.semicolon", zh) + few_schools_note(
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
    return (say("narrative.indicators.parts", zh, parts=parts)
            + say("narrative.indicators.end_note", zh, note=note))


def township_overview(table: pd.DataFrame, language: str = "zh") -> str:
    total = table[table["subject"] == "total"].sort_values("mean", ascending=False)
    if "small_group" in total:  # too few students to be named best or worst
        total = total[~total["small_group"].eq(True)]
    if len(total) < 2:
        return ""
    best, worst = total.iloc[0], total.iloc[-1]
    return say("narrative.indicators.township_overview.among_townships_highest_mean", language,
               best_township=best["township"], best_mean=num(best["mean"]),
               worst_township=worst["township"], worst_mean=num(worst["mean"]))


def bands_overview(lines: pd.DataFrame, county: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    total = county[county["subject"] == "total"].iloc[0]
    parts = []
    for row in lines.itertuples():
        parts.append(say("narrative.indicators.bands_overview.students_at_or_above", zh,
                         line=row.line, n_at_or_above=row.n_at_or_above, share=pct(row.share)))
    return (say("narrative.indicators.bands_overview.rates", zh,
                low_rate=pct(total["low_rate"]), excellent_rate=pct(total["excellent_rate"]))
            + (say("narrative.indicators.bands_overview.lines", zh, parts=parts) if parts else "")
            + say("narrative.indicators.bands_overview.table", zh))


def balance_overview(balance: pd.DataFrame, margin: float, language: str = "zh") -> str:
    zh = language != "en"
    weak = balance[balance["weak"]]
    n_schools = weak["school_code"].nunique()
    if n_schools == 0:
        return say("narrative.indicators.balance_overview.no_school_has_clearly", zh)
    counts = weak["subject"].value_counts()
    top = counts.index[0]
    return say("narrative.indicators.balance_overview.schools_have_weak_subject", zh,
               n_schools=n_schools, margin=margin, top=label(top, language),
               value1=counts.iloc[0])


def cv_overview(score_cv: pd.DataFrame, resources: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    total = score_cv[score_cv["subject"] == "total"]
    parts = []
    if len(total) and np.isfinite(total.iloc[0]["cv"]):
        value = total.iloc[0]["cv"]
        text = say("narrative.indicators.cv_overview.between_school_cv_mean", zh, value=value)
        sitters = total.iloc[0].get("cv_sitters", np.nan)
        if pd.notna(sitters):
            text += say("narrative.indicators.cv_overview.sitters_differ", zh, value=sitters)
        parts.append(text)
    for row in resources.itertuples():
        if pd.isna(row.meets) or not np.isfinite(row.cv):  # no verdict without a limit or CV
            continue
        verdict = say("narrative.indicators.cv_overview.meets" if row.meets
                      else "narrative.indicators.cv_overview.does_not_meet", zh)
        parts.append(say("narrative.indicators.cv_overview.cv_which_inspection_limit", zh,
                         indicator=label(row.indicator, language), cv=row.cv,
                         verdict=verdict, limit=row.limit))
    if not parts:
        return ""
    by_sitters = "weight" in score_cv and (score_cv["weight"] == "n_sat").any()
    note = say("narrative.indicators.cv_overview.scores_by_sitters" if by_sitters
               else "narrative.indicators.cv_overview.cvs_enrolment_weighted_as", zh)
    listed = say("narrative.indicators.parts", zh, parts=parts)
    return listed + say("narrative.indicators.end_note", zh, note=note) if zh else (
        listed.capitalize() + say("narrative.indicators.end_note", zh, note=note))


def staffing_overview(groups: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    by = groups.set_index("urban_rural")
    if not {"urban", "rural"} <= set(by.index):
        return ""
    urban, rural = by.loc["urban"], by.loc["rural"]
    return say("narrative.indicators.staffing_overview.rural_schools_shortage_rate", zh,
               rural_shortage_rate=pct(rural["shortage_rate"]),
               urban_shortage_rate=pct(urban["shortage_rate"]),
               rural_shortage=num(rural["shortage"], 0),
               urban_shortage=num(urban["shortage"], 0),
               value1=num(rural.get("surplus", np.nan), 0),
               value2=num(urban.get("surplus", np.nan), 0),
               rural_out_of_field_share=pct(rural["out_of_field_share"]),
               urban_out_of_field_share=pct(urban["out_of_field_share"]),
               rural_students_per_teacher=num(rural["students_per_teacher"]),
               urban_students_per_teacher=num(urban["students_per_teacher"]))


def targets_overview(attainment: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    if attainment.empty:
        return say("narrative.indicators.targets_overview.no_targets_were_given", zh)
    known = attainment[attainment["met"].notna()]
    parts = []
    for indicator, part in known.groupby("indicator", sort=False):
        met = int(part["met"].sum())
        parts.append(say("narrative.indicators.targets_overview.schools_met_target", zh,
                         indicator=label(indicator, language), n_part=len(part),
                         met=met))
    return say("narrative.indicators.parts", zh, parts=parts) + say("words.full_stop", zh)


def near_overview(county: pd.DataFrame, margin: float, language: str = "zh") -> str:
    total = county[county["subject"] == "total"].iloc[0]
    return say("narrative.indicators.near_overview.students_within_full_marks", language,
               margin=margin, total_near_pass=total["near_pass"],
               total_near_excellent=total["near_excellent"])


def tiers_overview(table: pd.DataFrame, by: tuple[str, ...] | list[str], language: str = "zh", *,
                   value_added: bool = False) -> str:
    """梯次评价: how the schools were tiered, the award lists (质量奖: composite clearly above
    the tier's middle; 进步奖: value added clearly above the tier's mean), the tiers that
    could not be judged, and what a rank within a tier can and cannot say.

    ``table``: :func:`eduqa.indicators.tiers.tier_table` with school names; ``by``: the tier
    keys (none: one tier); ``value_added``: whether this season has value added to judge
    progress by."""
    zh = language != "en"
    sep = say("narrative.indicators.tiers.separator", zh)
    if table.empty:
        return say("narrative.indicators.tiers.none", zh)
    n_tiers = int(table["tier"].nunique())
    if by:
        words = [say(f"narrative.indicators.tiers.key.{key}", zh) for key in by]
        keys = (joined(words, language) if zh or len(words) < 2
                else ", ".join(words[:-1]) + " and " + words[-1])
        text = say("narrative.indicators.tiers.tiered", zh, keys=keys,
                   schools=len(table), tiers=n_tiers)
    else:
        text = say("narrative.indicators.tiers.not_set", zh, schools=len(table))

    def award_list(column: str, order: str) -> list[str]:
        listed = []
        for tier, block in table.groupby("tier", sort=False):
            chosen = block[block[column] == "tier_above"].sort_values(
                order, ascending=False, kind="mergesort")
            if len(chosen):
                names = [str(n) for n in chosen["school_name"]]
                listed.append(say("narrative.indicators.tiers.in_tier", zh, tier=tier,
                                  names=names) if n_tiers > 1 else joined(names, language))
        return listed

    quality = award_list("quality", "composite")
    text += (say("narrative.indicators.tiers.quality", zh, listed=sep.join(quality)) if quality
             else say("narrative.indicators.tiers.no_quality", zh))
    if not value_added:
        text += say("narrative.indicators.tiers.no_value_added", zh)
    else:
        progress = award_list("progress", "va_diff")
        text += (say("narrative.indicators.tiers.progress", zh, listed=sep.join(progress))
                 if progress else say("narrative.indicators.tiers.no_progress", zh))
    lone = [str(t) for t, block in table.groupby("tier", sort=False)
            if not block["quality"].isin(["tier_above", "tier_below", "tier_level"]).any()]
    if lone:
        text += say("narrative.indicators.tiers.lone", zh, tiers=lone, n=len(lone))
    ranked = table[table["tier_rank"].notna()]
    if len(ranked):
        overlap = int((ranked["rank_high"] > ranked["rank_low"]).sum())
        text += say("narrative.indicators.tiers.rank_intervals", zh, overlap=overlap,
                    ranked=len(ranked))
    judged, expected = chance_flags([*table["quality"], *table["progress"]])
    if judged:
        text += say("narrative.indicators.tiers.chance", zh, judged=judged, expected=expected)
    return text
