"""The sentences of a school's own report (校本报告): where the school stands against the county
and its tier, what went well, what is weak, what goes with it, and three sentences a principal
can take into the school's plan. Numbers come in (:class:`SchoolFacts`); nothing is computed
here but comparisons of the numbers given."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from eduqa.catalog import say
from eduqa.config.labels import label
from eduqa.text.narrative.common import num, pct

__all__ = ["SchoolFacts", "school_basic", "school_strengths", "school_problems",
           "school_reasons", "school_plan"]


@dataclass
class SchoolFacts:
    """What one school's report says, as rows of the season's published tables (each None or
    empty when the season has no such table, or the school no row in it)."""

    code: str
    name: str
    #: the school's row of ``school_total``, and the county's total row of ``county_subjects``
    total: pd.Series | None
    county_total: pd.Series | None
    n_ranked: int = 0
    #: the school's rows of ``school_subjects`` (without the total) with ``county_mean``
    subjects: pd.DataFrame = field(default_factory=pd.DataFrame)
    tier: pd.Series | None = None
    #: knowledge points and questions furthest below the county (lowest first)
    points: pd.DataFrame = field(default_factory=pd.DataFrame)
    questions: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the school's classes (``class_total`` with ``near_pass``/``near_excellent``)
    classes: pd.DataFrame = field(default_factory=pd.DataFrame)
    parallel: pd.Series | None = None
    staffing: pd.Series | None = None
    county_staffing: dict = field(default_factory=dict)
    effect: pd.Series | None = None
    value_added: pd.Series | None = None
    #: the school's row of ``school_change`` (04: the same grade against last time)
    change: pd.Series | None = None
    targets_met: int = 0
    targets_total: int = 0
    #: the school's pupils just below the pass and excellent lines (临界生, total)
    near_pass: int = 0
    near_excellent: int = 0
    min_group_size: int = 10
    suppress_below: int = 5
    parallel_limit: float = 0.05

    @property
    def hidden(self) -> bool:
        """Too few pupils for any figure of the school to be published."""
        return (self.total is None or not np.isfinite(self.total["n_sat"])
                or self.total["n_sat"] < self.suppress_below)

    def judged_classes(self) -> pd.DataFrame:
        """The classes large enough to be named with their figures."""
        if self.classes.empty:
            return self.classes
        return self.classes[self.classes["n_sat"] >= max(self.min_group_size,
                                                         self.suppress_below)]


def _zh(language: str) -> bool:
    return language != "en"


def _versus(value: float, reference: float, unit: str, language: str, digits: int = 1) -> str:
    """「高于全县 2.3 分」/「低于全县 …」/「与全县持平」, decided on the numbers as shown."""
    scale = 100 if unit == "percentage_points" else 1
    gap = (value - reference) * scale
    shown = num(abs(gap), digits)
    if shown in ("—",) or float(shown.replace(",", "")) == 0:
        return say("narrative.school.level_with_county", language)
    key = "narrative.school.above_county" if gap > 0 else "narrative.school.below_county"
    return say(key, language, shown=shown, unit=say(f"narrative.common.units.{unit}", language))


def _subject(name: str, language: str) -> str:
    return label(name, language)


def _joined(items: list[str], language: str) -> str:
    return say("narrative.school.separator", language).join(items)


def school_basic(facts: SchoolFacts, language: str = "zh") -> str:
    """一、基本情况: the school's total against the county's, its rank, its tier."""
    zh = _zh(language)
    row, county = facts.total, facts.county_total
    if row is None:
        return say("narrative.school.no_total", zh, name=facts.name)
    if facts.hidden:
        return say("narrative.school.too_few", zh, name=facts.name, n=int(row["n_sat"]),
                   below=facts.suppress_below)
    text = say("narrative.school.basic", zh, name=facts.name, n=int(row["n_sat"]),
               mean=num(row["mean"]),
               county_mean=num(county["mean"]) if county is not None else "—",
               versus=_versus(row["mean"], county["mean"], "points", language)
               if county is not None else "",
               pass_rate=pct(row["pass_rate"]),
               county_pass=pct(county["pass_rate"]) if county is not None else "—",
               excellent=pct(row["excellent_rate"]),
               county_excellent=pct(county["excellent_rate"]) if county is not None else "—",
               low=pct(row["low_rate"]),
               county_low=pct(county["low_rate"]) if county is not None else "—",
               composite=num(row["composite"]))
    if pd.notna(row.get("rank")):
        text += say("narrative.school.rank", zh, rank=int(row["rank"]), n=facts.n_ranked)
    else:
        text += say("narrative.school.not_ranked", zh, size=facts.min_group_size)
    tier = facts.tier
    if tier is not None:
        verdict = str(tier["quality"])
        if verdict in ("tier_above", "tier_below", "tier_level"):
            span = (say("narrative.school.rank_fixed", zh, rank=int(tier["rank_low"]))
                    if tier["rank_low"] == tier["rank_high"] else
                    say("narrative.school.rank_span", zh, low=int(tier["rank_low"]),
                        high=int(tier["rank_high"])))
            text += say("narrative.school.tier", zh, tier=tier["tier"],
                        schools=int(tier["tier_schools"]), rank=int(tier["tier_rank"]),
                        span=span, verdict=say(f"narrative.school.verdict.{verdict}", zh))
        elif verdict == "alone":
            text += say("narrative.school.tier_alone", zh, tier=tier["tier"])
    change = facts.change
    if change is not None and change.get("flag") in ("improved", "fell_back", "no_clear_change"):
        signed = change["flag"] == "no_clear_change"  # (a rise or a fall says its sign)
        text += say(f"narrative.school.trend.{change['flag']}", zh,
                    change=num(change["change"] if signed else abs(change["change"]), 2),
                    low=num(change["ci_low"], 2), high=num(change["ci_high"], 2))
    return text


def _side_subjects(facts: SchoolFacts, above: bool) -> list[int]:
    """Rows of up to three subjects clearly above (or below) the county mean by 超均率, the
    furthest first, among subjects with enough pupils."""
    subjects = facts.subjects
    if subjects.empty or facts.hidden:
        return []
    rate = subjects["above_mean_rate"].to_numpy(dtype=float, na_value=np.nan)
    usable = subjects["n_sat"].to_numpy(dtype=float, na_value=0) >= facts.min_group_size
    side = (rate > 0.0005) if above else (rate < -0.0005)
    order = np.argsort(-rate if above else rate, kind="stable")
    return [int(i) for i in order if usable[i] and side[i]][:3]


def _above_subjects(facts: SchoolFacts, above: bool, language: str) -> list[str]:
    """Up to three subjects clearly above (or below) the county mean, with their 超均率."""
    names = facts.subjects["subject"].tolist() if not facts.subjects.empty else []
    rates = (facts.subjects["above_mean_rate"].to_numpy(dtype=float, na_value=np.nan)
             if not facts.subjects.empty else np.array([]))
    return [say("narrative.school.subject_rate", language, subject=_subject(names[i], language),
                rate=_signed_percent(rates[i], language)) for i in _side_subjects(facts, above)]


def _signed_percent(value: float, language: str) -> str:
    return ("+" if value > 0 else "−") + pct(abs(value))


def school_strengths(facts: SchoolFacts, language: str = "zh") -> list[str]:
    """二、主要成绩: what is clearly good, each a sentence (an empty-handed sentence when
    nothing is)."""
    zh = _zh(language)
    out = []
    if facts.hidden:
        return [say("narrative.school.no_figures", zh)]
    above = _above_subjects(facts, True, language)
    if above:
        out.append(say("narrative.school.subjects_above", zh, listed=_joined(above, language)))
    row = facts.total
    if row is not None and pd.notna(row.get("rank_change")) and row["rank_change"] > 0:
        out.append(say("narrative.school.rank_up", zh, k=int(row["rank_change"]),
                       previous=int(row["rank_previous"])))
    tier = facts.tier
    if tier is not None and tier["quality"] == "tier_above":
        out.append(say("narrative.school.quality_award", zh, tier=tier["tier"]))
    if tier is not None and tier.get("progress") == "tier_above":
        out.append(say("narrative.school.progress_award", zh, tier=tier["tier"]))
    change = facts.change
    if change is not None and change.get("flag") == "improved":
        out.append(say("narrative.school.improved", zh, change=num(change["change"], 2)))
    va = facts.value_added
    if va is not None and va.get("flag") == "above":
        out.append(say("narrative.school.value_added_above", zh))
    if facts.targets_met:
        out.append(say("narrative.school.targets", zh, met=facts.targets_met,
                       total=facts.targets_total))
    return out or [say("narrative.school.no_strengths", zh)]


def _question(row: pd.Series, language: str) -> str:
    return say("narrative.school.question", language, subject=_subject(row["subject"], language),
               question=row["question"])


def school_problems(facts: SchoolFacts, language: str = "zh") -> list[str]:
    """三、存在问题: weak subjects, knowledge points and questions against the county, the
    low rate, parallel classes, and verdicts below the tier or expectation."""
    zh = _zh(language)
    if facts.hidden:
        return [say("narrative.school.no_figures", zh)]
    out = []
    below = _above_subjects(facts, False, language)
    if below:
        out.append(say("narrative.school.subjects_below", zh, listed=_joined(below, language)))
    if not facts.points.empty:
        listed = [say("narrative.school.point", zh, subject=_subject(r["subject"], language),
                      point=r["knowledge_point"], rate=pct(r["score_rate"]),
                      gap=num(-100 * r["rate_difference"]))
                  for _, r in facts.points.head(3).iterrows()]
        out.append(say("narrative.school.points_below", zh, listed=_joined(listed, language)))
    if not facts.questions.empty:
        worst = facts.questions.sort_values("rate_difference", kind="mergesort").head(3)
        listed = [say("narrative.school.question_gap", zh, question=_question(r, language),
                      rate=pct(r["score_rate"]), gap=num(-100 * r["rate_difference"]))
                  for _, r in worst.iterrows()]
        out.append(say("narrative.school.questions_below", zh, listed=_joined(listed, language)))
    row, county = facts.total, facts.county_total
    if (row is not None and county is not None and np.isfinite(row["low_rate"])
            and round(100 * row["low_rate"], 1) > round(100 * county["low_rate"], 1)):
        out.append(say("narrative.school.low_rate", zh, low=pct(row["low_rate"]),
                       county_low=pct(county["low_rate"])))
    parallel = facts.parallel
    if parallel is not None and bool(parallel.get("unbalanced")) and np.isfinite(parallel["cv"]):
        out.append(say("narrative.school.unbalanced", zh, cv=num(parallel["cv"], 3),
                       limit=num(facts.parallel_limit, 3), high_class=parallel["highest_class"],
                       high=num(parallel["highest"]), low_class=parallel["lowest_class"],
                       low=num(parallel["lowest"])))
    unmet = facts.targets_total - facts.targets_met
    if unmet > 0:
        out.append(say("narrative.school.targets_unmet", zh, unmet=unmet,
                       total=facts.targets_total))
    tier = facts.tier
    if tier is not None and tier["quality"] == "tier_below":
        out.append(say("narrative.school.tier_below", zh, tier=tier["tier"]))
    change = facts.change
    if change is not None and change.get("flag") == "fell_back":
        out.append(say("narrative.school.fell_back", zh, change=num(-change["change"], 2)))
    va = facts.value_added
    if va is not None and va.get("flag") == "below":
        out.append(say("narrative.school.value_added_below", zh))
    return out or [say("narrative.school.no_problems", zh)]


def school_reasons(facts: SchoolFacts, language: str = "zh") -> list[str]:
    """四、原因分析: the school's staffing against the county's, and what the models say of
    it (associations, with their intervals in words)."""
    zh = _zh(language)
    out = []
    staff, county = facts.staffing, facts.county_staffing
    if staff is not None and np.isfinite(staff.get("shortage_rate", np.nan)):
        out.append(say("narrative.school.staffing", zh,
                       shortage=pct(staff["shortage_rate"]),
                       county_shortage=pct(county.get("shortage_rate", np.nan)),
                       out_of_field=pct(staff.get("out_of_field_share", np.nan)),
                       county_out=pct(county.get("out_of_field_share", np.nan))))
    # the school effect of the models (03) and the cohort's value added (04), alike
    for row, key, verdicts in ((facts.effect, "effect", "effect_verdict"),
                               (facts.value_added, "value_added", "va_verdict")):
        if row is not None and row.get("flag") in ("above", "below", "as_expected") \
                and np.isfinite(row["effect"]) and not facts.hidden:
            out.append(say(f"narrative.school.{key}", zh,
                           verdict=say(f"narrative.school.{verdicts}.{row['flag']}", zh),
                           effect=num(row["effect"], 2), low=num(row["ci_low"], 2),
                           high=num(row["ci_high"], 2)))
    if not out:
        return [say("narrative.school.no_reasons", zh)]
    return [*out, say("narrative.school.association", zh)]


def school_plan(facts: SchoolFacts, language: str = "zh") -> list[str]:
    """五、改进建议: three sentences tied to the problems found — the teaching focus, the
    pupils near the lines, the classes."""
    zh = _zh(language)
    if facts.hidden:
        return [say("narrative.school.plan_hidden", zh)]
    row, county = facts.total, facts.county_total
    assert row is not None  # (a school without a total is hidden)
    plan = []
    # 1. the teaching focus: the weakest knowledge point, else subject, else the excellent rate
    below = _side_subjects(facts, False)
    if not facts.points.empty:
        first = facts.points.iloc[0]
        plan.append(say("narrative.school.plan_point", zh,
                        subject=_subject(first["subject"], language),
                        point=first["knowledge_point"],
                        gap=num(-100 * first["rate_difference"])))
    elif below:
        weakest = facts.subjects.iloc[below[0]]
        plan.append(say("narrative.school.plan_subject", zh,
                        subject=_subject(weakest["subject"], language),
                        rate=_signed_percent(weakest["above_mean_rate"], language)))
    else:
        plan.append(say("narrative.school.plan_excellent", zh,
                        excellent=pct(row["excellent_rate"]),
                        county_excellent=pct(county["excellent_rate"])
                        if county is not None else "—"))
    # 2. the pupils near the pass and excellent lines, and where most of them are
    near_pass, near_excellent = facts.near_pass, facts.near_excellent
    classes = facts.judged_classes()
    if near_pass + near_excellent:
        most = ""
        if len(classes) > 1 and "near_pass" in classes:
            counts = classes["near_pass"].fillna(0) + classes["near_excellent"].fillna(0)
            top = classes.assign(_near=counts).sort_values(["_near", "class"],
                                                            ascending=[False, True],
                                                            kind="mergesort").iloc[0]
            if top["_near"] > 0:
                most = say("narrative.school.near_most", zh, class_name=top["class"],
                           n=int(top["_near"]))
        plan.append(say("narrative.school.plan_near", zh, near_pass=near_pass,
                        near_excellent=near_excellent, most=most))
    else:
        plan.append(say("narrative.school.plan_no_near", zh, low=pct(row["low_rate"])))
    # 3. the classes: an unbalanced set of parallel classes, else the lowest class
    parallel = facts.parallel
    if parallel is not None and bool(parallel.get("unbalanced")) and np.isfinite(parallel["cv"]):
        plan.append(say("narrative.school.plan_unbalanced", zh, cv=num(parallel["cv"], 3),
                        low_class=parallel["lowest_class"]))
    elif len(classes) > 1:
        lowest = classes.sort_values(["composite", "class"], kind="mergesort").iloc[0]
        plan.append(say("narrative.school.plan_lowest_class", zh, class_name=lowest["class"],
                        composite=num(lowest["composite"])))
    else:
        plan.append(say("narrative.school.plan_baseline", zh))
    return plan
