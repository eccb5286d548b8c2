"""The 03 page's sentences (差距与哪些条件有关): the model plan, the models, how much of the rural gap goes
with staffing (Gelbach, Oaxaca–Blinder, Shapley), school effects, classes and teachers —
association, never cause."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog import MESSAGES, pairs, say
from eduqa.config.labels import label
from eduqa.rules import MIN_CLUSTERS, chance_flags
from eduqa.text.narrative.common import (
    CAUTION,
    _and,
    _row,
    few_schools_note,
    markdown_heading,
    num,
    pct,
    span,
    term_label,
)
from eduqa.text.narrative.indicators import gap_phrase
from eduqa.text.numbers import display_number

ATTRIBUTION_SECTIONS = pairs("narrative.attribution.attribution_sections")


def attribution_section(key: str, language: str = "zh") -> str:
    return markdown_heading(ATTRIBUTION_SECTIONS, key, language, 2)


def staffing_share(explained: pd.Series, base: pd.Series, language: str = "zh",
                   rural_schools: int | None = None) -> str:
    """How much of the rural gap goes with staffing: the Gelbach ``explained`` row against the
    ``base`` coefficient, with the percentile interval of the bootstrap ratio
    (``share_low``, ``share_high``). No share is printed when the gap itself is not clearly
    one way, when the rural schools are too few, or when the bootstrap gave no interval; a
    share whose interval includes 0 is said to be undetermined. '' when the base gap is 0."""
    zh = language != "en"
    if not base["estimate"]:
        return ""
    if rural_schools is not None and rural_schools < MIN_CLUSTERS:
        return say("narrative.attribution.staffing_share.with_only_rural_schools", zh,
                   rural_schools=rural_schools)
    if base["ci_low"] <= 0 <= base["ci_high"]:
        return say("narrative.attribution.staffing_share.rural_gap_itself_not", zh)
    low, high = explained.get("share_low", np.nan), explained.get("share_high", np.nan)
    if not (np.isfinite(low) and np.isfinite(high)):
        return say("narrative.attribution.staffing_share.how_much_rural_gap", zh)
    share = pct(abs(explained["share"]), 0)
    direction = say("narrative.attribution.staffing_share.rural_trail" if base["estimate"] < 0
                    else "narrative.attribution.staffing_share.rural_lead", zh)
    if low <= 0 <= high:
        return say("narrative.attribution.staffing_share.gap_by_which_how", zh, direction=direction)
    if explained["share"] < 0:  # staffing differences point the other way
        return say("narrative.attribution.staffing_share.differences_teacher_shortage_out", zh,
                   direction=direction, share=share, minus_high=pct(-high, 0),
                   minus_low=pct(-low, 0), direction_capitalize=direction.capitalize())
    return say("narrative.attribution.staffing_share.about_gap_by_which", zh, direction=direction,
               share=share, low=pct(low, 0), high=pct(high, 0))


def attribution_summary(sequence, gelbach_table: pd.DataFrame | None, language: str = "zh",
                        rural_schools: int | None = None,
                        gaps: pd.DataFrame | None = None) -> str:
    """The headline: the rural gap, and the share that goes with staffing, with its CI; with
    fewer than MIN_CLUSTERS rural schools, the number it rests on and no verdict.

    With ``gaps`` (:func:`eduqa.indicators.group_gap`) the gap is the very figure of the
    landing page and the 02 page (one figure per quantity); without, the M1 coefficient."""
    zh = language != "en"
    coef = sequence.coefficients.set_index(["model", "term"])
    models = sequence.models.set_index("model")
    parts = []
    everyone = getattr(sequence, "nobs_all", 0)
    icc = sequence.icc_all if everyone else models.loc["M0", "icc"]
    parts.append(say("narrative.attribution.attribution_summary.variance_students_total_scores", zh,
                     icc=pct(icc), n=int(everyone or models.loc["M0", "nobs"])))
    gap = _row({"gaps": gaps}, "gaps", subject="total", indicator="mean", category="rural")
    if gap is not None:
        parts.append(gap_phrase(gap, language) + say("words.full_stop",
                                                     zh))
    elif ("M1", "rural") in coef.index:
        m1 = coef.loc[("M1", "rural")]
        ahead = m1["estimate"] > 0
        few = rural_schools is not None and rural_schools < MIN_CLUSTERS
        clear = m1["ci_low"] > 0 or m1["ci_high"] < 0
        size = abs(m1["estimate"])
        interval = say("narrative.attribution.attribution_summary.ci_rural", zh,
                       span=span(m1["ci_low"], m1["ci_high"], language))
        side = say("words.above" if ahead else "words.below", zh)
        text = say("narrative.attribution.attribution_summary.m1_gap_clear" if clear or few
                   else "narrative.attribution.attribution_summary.m1_gap_unclear", zh,
                   side=side, size=size, interval=interval)
        if rural_schools is not None and rural_schools < MIN_CLUSTERS:
            text += (say("words.semicolon", zh)
                     + few_schools_note(rural_schools, language=language, randomization=False))
        parts.append(text + say("words.full_stop", zh))
    if gelbach_table is not None and len(gelbach_table):
        terms = gelbach_table.set_index("term")
        if "explained" in terms.index and "base" in terms.index:
            sentence = staffing_share(terms.loc["explained"], terms.loc["base"], language,
                                      rural_schools)
            if sentence:
                parts.append(sentence)
    parts.append(CAUTION[1 if not zh else 0])
    return ("".join(parts)) if zh else " ".join(parts)


def _coincided(term: str, how: dict | None, language: str) -> str:
    """One sentence on a model term left out, saying what it coincided with this season."""
    zh = language != "en"
    name = term_label(term, language)
    how = how or {}
    if "constant" in how:
        value = how["constant"]
        if value in (0.0, 1.0):  # a yes/no term
            return say("narrative.attribution.coincided.every_school" if value
                       else "narrative.attribution.coincided.no_school", zh, name=name)
        return say("narrative.attribution.coincided.same_for_every_school", zh, name=name,
                   value=num(value))
    others = [term_label(t, language) for t in how.get("combination", [])]
    if others:
        return say("narrative.attribution.coincided.exact_combination_this_season", zh, name=name,
                   others=list(others), others2=_and(others))
    return say("narrative.attribution.coincided.coincides_exactly_with_other", zh, name=name)


def models_overview(models: pd.DataFrame, dropped: list[str], language: str = "zh",
                    coincides: dict | None = None) -> str:
    """The model sequence in words; each term left out is explained by what it coincided
    with (``coincides``, from :class:`eduqa.attribution.ModelSequence`)."""
    zh = language != "en"
    coincides = coincides or {}
    by_model = models.set_index("model")
    reduction = by_model["group_var_reduction"]
    dropped_text = [_coincided(t, coincides.get(t), language) for t in dropped]
    if not np.isfinite(reduction.to_numpy(float)).all():  # (1 − τ²_M / 0: M0's τ² is 0)
        text = say("narrative.attribution.models_overview.between_school_variance_null", zh)
    text = say("narrative.attribution.models_overview.against_null_model_m", zh,
               reduction_M1=_change(reduction["M1"], zh),
               reduction_M2=_change(reduction["M2"], zh),
               reduction_M3=_change(reduction["M3"], zh))
    return text + "".join(dropped_text) if zh else " ".join([text, *dropped_text])


def _change(reduction: float, zh: bool) -> str:
    """「减少 12%」/「增加 3%」 (lower by 12% / higher by 3%): the change in the school variance
    against the null model, in words that agree with its sign (adding a term can raise the
    REML estimate of the school variance)."""
    if reduction < 0:
        return say("narrative.attribution.change.higher_by", zh, minus_reduction=pct(-reduction, 0))
    return say("narrative.attribution.change.lower_by", zh, reduction=pct(reduction, 0))


def plan_note(plan, language: str = "zh") -> str:
    """One sentence per model term the rural-gap decompositions leave out this season, and
    why (:class:`eduqa.attribution.GapPlan`); '' when nothing is left out."""
    zh = language != "en"
    parts = []
    for term, reason in plan.left_out.items():
        name = term_label(term, language)
        if reason == "no_rural":
            parts.append(say("narrative.attribution.plan_note.this_season_has_no", zh))
        elif reason == "no_urban":
            parts.append(say("narrative.attribution.plan_note.this_season_has_no_", zh))
        elif term in ("town", "rural"):  # (a place term the model section explains)
            continue
        elif reason == "absent":
            parts.append(say("narrative.attribution.plan_note.staffing_file_has_no", zh, name=name))
        elif reason == "constant":
            parts.append(say("narrative.attribution.plan_note.same_every_school_so", zh, name=name,
                             name_capitalize=name.capitalize()))
        elif reason == "collinear":
            parts.append(say("narrative.attribution.plan_note.coincides_exactly_with_terms", zh,
                             name=name, name_capitalize=name.capitalize()))
        elif reason == "too_few_schools":
            parts.append(say("narrative.attribution.plan_note.with_only_schools_cannot", zh,
                             n_schools=plan.n_schools, name=name))
    if plan.focal is not None and not plan.mediators and not any(
            r in ("no_rural", "no_urban") for r in plan.left_out.values()):
        parts.append(say("narrative.attribution.plan_note.no_staffing_term_can", zh))
    return ("".join(parts) if zh else " ".join(parts)) + ("\n\n" if parts else "")


def oaxaca_overview(table: pd.DataFrame, language: str = "zh",
                    rural_schools: int | None = None) -> str:
    """The Oaxaca–Blinder decomposition in words: the gap with its interval, the explained
    part and its share only when the gap is clearly one way, and why the unexplained part is
    shown only as a total. '' for an empty table (the decomposition was not run: the page's
    summary says why)."""
    zh = language != "en"
    if table.empty:
        return ""
    rows = table.set_index(["part", "term"])
    gap = rows.loc[("gap", "all")]
    explained = rows.loc[("explained", "all")]
    clear = gap["ci_low"] > 0 or gap["ci_high"] < 0
    ahead = gap["estimate"] < 0
    draws = int(gap.get("draws", 0) or 0)
    bounded = bool(np.isfinite([gap["ci_low"], gap["ci_high"]]).all())
    few = rural_schools is not None and rural_schools < MIN_CLUSTERS
    interval = (say("narrative.attribution.oaxaca_overview.interval", zh,
                    span=span(-gap["ci_high"], -gap["ci_low"], language)) if bounded
                else say("narrative.attribution.oaxaca_overview.no_interval", zh))
    size, side = abs(gap["estimate"]), say("words.above" if ahead else "words.below", zh)
    # (the English names the gap alike whether it is clear or not; the Chinese says which)
    text = say("narrative.attribution.oaxaca_overview.gap" if clear or not bounded or few
               else "narrative.attribution.oaxaca_overview.gap_unclear", zh, size=size,
               side=side, interval=interval)
    if few and rural_schools is not None:
        note = few_schools_note(rural_schools, language=language)
        text += say("narrative.attribution.oaxaca_overview.few_schools", zh,
                    note=note if zh else note.capitalize())
    elif not clear:
        text += say("narrative.attribution.oaxaca_overview.not_clear", zh)
    elif np.isfinite(explained.get("share_low", np.nan)):
        text += say("narrative.attribution.oaxaca_overview.explained", zh,
                    estimate=explained["estimate"], share=pct(explained["share"], 0),
                    low=pct(explained["share_low"], 0), high=pct(explained["share_high"], 0))
    else:
        text += say("narrative.attribution.oaxaca_overview.no_reliable_interval", zh)
    text += say("narrative.attribution.oaxaca_overview.unexplained_total", zh)
    if draws:
        text += say("narrative.attribution.oaxaca_overview.draws", zh, draws=draws)
    return text


def shapley_overview(table: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    rows = table.set_index("factor")
    total = rows.loc["all", "r2_share"]
    parts = [say("narrative.attribution.shapley_overview.text", zh, name=name,
                 row_r2_share=pct(row["r2_share"]))
             for name, row in rows.drop(index="all").iterrows()]
    adjusted = rows.loc["all"].get("rsquared_adj", np.nan)
    schools = rows.loc["all"].get("n_schools", np.nan)
    text = (say("narrative.attribution.shapley_overview.school_level_model_explains", zh,
                total=pct(total))
            + say("narrative.attribution.shapley_overview.separator", zh).join(parts)
            + say("narrative.attribution.shapley_overview.parts_add_up_r", zh))
    if np.isfinite(adjusted):
        text += say("narrative.attribution.shapley_overview.with_schools_r_adjusted", zh,
                    schools=int(schools), adjusted=pct(adjusted))
    return text


def chance_note(flags, language: str = "zh") -> str:
    """How many of the schools judged chance alone would flag (:func:`eduqa.rules.chance_flags`),
    or nothing when no school was judged."""
    judged, expected = chance_flags(flags)
    if not judged:
        return ""
    return say("narrative.common.chance_note", language != "en", judged=judged,
               expected=expected)


def unflagged(effects: pd.DataFrame) -> int:
    """How many schools were judged and are not clearly above or below expectation."""
    return int(effects["flag"].isin(["as_expected", "no_clear_change"]).sum())


def above_below(effects: pd.DataFrame) -> tuple[int, int]:
    """How many schools are flagged clearly above and clearly below expectation."""
    return int((effects["flag"] == "above").sum()), int((effects["flag"] == "below").sum())


def effects_overview(effects: pd.DataFrame, matched: float | None, language: str = "zh") -> str:
    zh = language != "en"
    above, below = above_below(effects)
    if not chance_flags(effects["flag"])[0]:  # one school: nothing to compare it with
        text = say("narrative.common.none_judged", zh, n=len(effects))
    else:
        text = say("narrative.attribution.effects_overview.after_urban_rural_status", zh,
                   above=above, below=below, value1=unflagged(effects))
        text += chance_note(effects["flag"], language)
    if matched is not None:
        text += say("narrative.attribution.effects_overview.students_linked_last_year", zh,
                    matched=pct(matched))
    else:
        text += say("narrative.attribution.effects_overview.no_prior_season_linked", zh)
    return text


def classes_overview(classes: pd.DataFrame, balance: pd.DataFrame, cv_limit: float,
                     min_group_size: int, language: str = "zh") -> str:
    """How many classes were ranked, the lowest-ranked class, and the schools whose parallel
    classes are unbalanced (each with its highest and lowest class); ``classes`` and
    ``balance`` are of the total."""
    zh = language != "en"
    if classes.empty:
        return say("narrative.attribution.classes_overview.score_export_has_no", zh)
    ranked = classes[classes["rank"].notna()].sort_values(["rank", "school_code", "class"])
    small = int(classes["small_group"].sum())
    text = say("narrative.attribution.classes_overview.ranked", zh, classes=len(classes),
               ranked=len(ranked))
    text += (say("narrative.attribution.classes_overview.small_not_ranked", zh, small=small,
                 min_group_size=min_group_size) if small
             else say("words.full_stop", zh))
    if len(ranked):
        last = ranked.iloc[-1]
        text += say("narrative.attribution.classes_overview.lowest_composite_index_mean", zh,
                    last_school_name=last["school_name"], last_class=last["class"],
                    last_mean=num(last["mean"]))
    if balance.empty:
        return text + say("narrative.attribution.classes_overview.no_school_has_two", zh)
    unbalanced = balance[balance["unbalanced"].astype(bool)].sort_values("cv", ascending=False)
    limit = display_number(cv_limit, "precise")
    if unbalanced.empty:
        return text + say("narrative.attribution.classes_overview.all_schools_with_parallel", zh,
                          n_balance=len(balance), limit=limit)
    names = [say("narrative.attribution.classes_overview.cv", zh,
                 row_school_name=row["school_name"], row_cv=display_number(row["cv"], "precise"),
                 row_highest_class=row["highest_class"], row_highest=num(row["highest"]),
                 row_lowest_class=row["lowest_class"], row_lowest=num(row["lowest"])) for _, row in unbalanced.iterrows()]
    return text + say("narrative.attribution.classes_overview.schools_with_parallel_classes",
                      zh, n_balance=len(balance), n_unbalanced=len(unbalanced), limit=limit,
                      names=list(names))


def levels_overview(levels: pd.DataFrame, language: str = "zh") -> str:
    """How the variance of the standardised total splits between schools, between classes of a
    school and within classes (three-level model)."""
    zh = language != "en"
    if levels.empty:
        return say("narrative.attribution.levels_overview.no_school_has_two", zh)
    share = dict(zip(levels["level"], levels["share"]))
    school, klass, within = (share["between_schools"], share["between_classes"],
                             share["within_classes"])
    text = say("narrative.attribution.levels_overview.variance_pupils_standardised_totals", zh,
               school=pct(school), klass=pct(klass), within=pct(within))
    text += (say("narrative.attribution.levels_overview.classes_school_differ_more", zh) if klass > school else
             say("narrative.attribution.levels_overview.schools_differ_more_than", zh))
    return text


def teachers_overview(teachers: pd.DataFrame, enabled: bool, language: str = "zh") -> str:
    """The teacher view's explanation, or that it is switched off."""
    zh = language != "en"
    if not enabled:
        return say("narrative.attribution.teachers_overview.teacher_view_off_internal", zh)
    if teachers.empty:
        return say("narrative.attribution.teachers_overview.no_teacher_record_file", zh)
    above = int((teachers["flag"] == "above").sum())
    below = int((teachers["flag"] == "below").sum())
    text = say("narrative.attribution.teachers_overview.internal_use_only_not", zh,
               n_teachers=len(teachers), above=above, below=below)
    basis = teachers["basis"] if "basis" in teachers else pd.Series("shrunken", teachers.index)
    at_zero = sorted(set(teachers.loc[basis != "shrunken", "subject"]))
    if at_zero:
        text += say("narrative.attribution.teachers_overview.variance_at_zero", zh,
                    subjects=[label(s, "zh" if zh else "en") for s in at_zero])
    lone = int((basis == "no_comparison").sum())
    if lone:
        text += say("narrative.attribution.teachers_overview.not_estimable", zh, n=lone)
    return text


#: What the appendix is, in one paragraph, for the reader who stops before it.
APPENDIX_NOTE = MESSAGES["narrative.attribution.appendix_note"]


def appendix_intro(language: str = "zh") -> str:
    """The appendix heading with its one-paragraph note."""
    return (attribution_section("appendix", language) + "\n\n"
            + APPENDIX_NOTE[0 if language != "en" else 1])
