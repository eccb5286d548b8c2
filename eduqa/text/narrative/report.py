"""The county's 质量分析报告 in the shape a teaching-research office hands out: 基本情况, 主要成绩,
存在问题, 原因分析, 改进建议 — sentences built from the season's published tables (the
workbook's), as the landing page's are. Each problem found gets a suggestion tied to it; a
section with nothing to say says so. The numbers come in; nothing is computed here but
comparisons of them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from eduqa.catalog import joined, say
from eduqa.config.labels import label
from eduqa.text.narrative.common import num, pct, target_flags
from eduqa.text.narrative.landing import FINDING_NAMES, findings

__all__ = ["REPORT_SECTIONS", "report_sections"]

#: The written sections of the report, in order (headings ``report.word.sections.<key>``).
REPORT_SECTIONS = ("basic", "achievements", "problems", "reasons", "suggestions")

#: How many schools a sentence names at most (the tables list them all).
_NAMED = 3


def _table(tables: Mapping[str, pd.DataFrame], name: str, *columns: str) -> pd.DataFrame:
    """The published table ``name``, or an empty frame when it is missing or lacks one of
    ``columns`` (a sentence is then left out, never a wrong one written)."""
    frame = tables.get(name) if hasattr(tables, "get") else None
    if frame is None or not set(columns) <= set(frame.columns):
        return pd.DataFrame()
    return frame


def _names(frame: pd.DataFrame, language: str, most: int = _NAMED) -> str:
    return joined([str(n) for n in frame["school_name"].head(most)], language)


def _ranked(tables) -> pd.DataFrame:
    """The ranked schools of ``school_total``, best first (none when the table lacks what
    the sentences name: school, rank, composite, mean)."""
    schools = _table(tables, "school_total")
    if schools.empty or not {"school_name", "rank", "composite", "mean"} <= set(schools):
        return pd.DataFrame()
    return schools[schools["rank"].notna()].sort_values(["rank", "school_code"],
                                                        kind="mergesort")


def report_sections(tables: Mapping[str, pd.DataFrame], language: str = "zh", *,
                    opening: str = "") -> dict[str, list[str]]:
    """The five written sections (:data:`REPORT_SECTIONS`) as lists of paragraphs, from the
    season's published ``tables``; ``opening`` is the season's headline sentence (the
    landing page's), the first paragraph of 基本情况. Each kind of problem found in 存在问题
    gets its suggestion in 改进建议."""
    zh = language != "en"
    found = {name: text for name, text in findings(tables, FINDING_NAMES, language).items()
             if text}
    county = _table(tables, "county_subjects", "subject", "mean", "score_rate", "pass_rate",
                    "good_rate", "excellent_rate", "low_rate")
    subjects = county[county["subject"] != "total"] if not county.empty else county
    problems = _problems(tables, found, subjects, language)
    # 四、原因分析: what the models say, as association, with the intervals in words (the share
    # of variance between schools is the 03 page's first sentence, on every pupil who sat: the
    # models table's is on the models' sample, and is not repeated here)
    reasons = [found[name] for name in ("staffing", "effects") if name in found]
    reasons = ([*reasons, say("narrative.report.association", zh)] if reasons
               else [say("narrative.report.no_models", zh)])
    return {"basic": _basic(county, found, opening, zh),
            "achievements": _achievements(tables, subjects, language),
            "problems": [sentence for _, sentence in problems]
            or [say("narrative.report.no_problems", zh)],
            "reasons": reasons,
            "suggestions": _suggestions(tables, problems, zh)}


def _basic(county: pd.DataFrame, found: dict, opening: str, zh: bool) -> list[str]:
    """一、基本情况: the headline, the county's total and rates, the change since last time."""
    basic = [opening] if opening else []
    total = county[county["subject"] == "total"] if not county.empty else county
    if len(total):
        row = total.iloc[0]
        basic.append(say("narrative.report.basic_rates", zh, mean=num(row["mean"]),
                         pass_rate=pct(row["pass_rate"]), good=pct(row["good_rate"]),
                         excellent=pct(row["excellent_rate"]), low=pct(row["low_rate"])))
    if "change" in found:
        basic.append(found["change"])
    return basic


def _achievements(tables, subjects: pd.DataFrame, language: str) -> list[str]:
    """二、主要成绩: the strongest subject, the leading schools, the schools that improved
    clearly, the tier awards, the targets met."""
    zh = language != "en"
    out = []
    if len(subjects) > 1:
        best = subjects.loc[subjects["score_rate"].idxmax()]
        out.append(say("narrative.report.best_subject", zh,
                       subject=label(best["subject"], language), rate=pct(best["score_rate"]),
                       excellent=pct(best["excellent_rate"])))
    ranked = _ranked(tables)
    if len(ranked) >= 2:
        top = ranked.head(_NAMED)
        out.append(say("narrative.report.leading_schools", zh, names=_names(top, language),
                       n=len(ranked), composite=num(top.iloc[0]["composite"])))
    changes = _table(tables, "school_change", "school_name", "flag", "change")
    improved = changes[changes["flag"] == "improved"] if not changes.empty else changes
    if len(improved):
        out.append(say("narrative.report.improved", zh, n=len(improved),
                       names=_names(improved.sort_values("change", ascending=False,
                                                         kind="mergesort"), language)))
    tier = _table(tables, "tier_table", "school_name", "quality")
    above = tier[tier["quality"] == "tier_above"] if not tier.empty else tier
    if len(above):
        out.append(say("narrative.report.tier_awards", zh, n=len(above),
                       names=_names(above, language, len(above))))
    met, given = _targets(tables)
    if given and met:
        out.append(say("narrative.report.targets_met", zh, met=met, given=given))
    return out or [say("narrative.report.no_achievements", zh)]


def _problems(tables, found: dict, subjects: pd.DataFrame,
              language: str) -> list[tuple[str, str]]:
    """三、存在问题 as (kind, sentence): the weakest subject, the weakest schools and those
    that fell back, the urban–rural gap, balance, the knowledge points and questions most
    missed, the pupils near the lines. ``gap_unclear`` and ``balance_met`` are said but get
    no suggestion."""
    zh = language != "en"
    problems: list[tuple[str, str]] = []
    if len(subjects) > 1:
        weakest = subjects.loc[subjects["score_rate"].idxmin()]
        problems.append(("subject", say("narrative.report.weakest_subject", zh,
                                        subject=label(weakest["subject"], language),
                                        rate=pct(weakest["score_rate"]),
                                        pass_rate=pct(weakest["pass_rate"]))))
    problems += _school_problems(tables, language)
    if "gap" in found:
        gap = _rural_gap(tables)
        problems.append(("gap" if gap is not None and gap["ci_low"] > 0 else "gap_unclear",
                         found["gap"]))
    if "balance" in found:
        problems.append(("balance" if _failing_limits(tables) else "balance_met",
                         found["balance"]))
    problems += _paper_problems(tables, language)
    near = _table(tables, "near_lines", "near_pass", "near_excellent")
    near_pass = int(near["near_pass"].sum()) if not near.empty else 0
    if near_pass:
        problems.append(("near", say("narrative.report.near", zh, n=near_pass,
                                     excellent=int(near["near_excellent"].sum()))))
    return problems


def _school_problems(tables, language: str) -> list[tuple[str, str]]:
    """The schools with the lowest composite index, and those that fell back clearly."""
    zh = language != "en"
    out = []
    ranked = _ranked(tables)
    if len(ranked) >= 4:
        bottom = ranked.tail(_NAMED).iloc[::-1]
        out.append(("schools", say("narrative.report.weak_schools", zh,
                                   names=_names(bottom, language),
                                   composite=num(bottom.iloc[0]["composite"]),
                                   mean=num(bottom.iloc[0]["mean"]))))
    changes = _table(tables, "school_change", "school_name", "flag", "change")
    fell = changes[changes["flag"] == "fell_back"] if not changes.empty else changes
    if len(fell):
        out.append(("schools", say("narrative.report.fell_back", zh, n=len(fell),
                                   names=_names(fell.sort_values("change", kind="mergesort"),
                                                language))))
    return out


def _paper_problems(tables, language: str) -> list[tuple[str, str]]:
    """The knowledge points with the county's lowest 得分率 and the questions most marks
    were lost on (seasons with item scores)."""
    zh = language != "en"
    out = []
    points = _table(tables, "knowledge_points", "subject", "knowledge_point", "score_rate",
                    "weakest")
    weak = points[points["weakest"].astype(bool)] if not points.empty else points
    if len(weak):
        listed = [say("narrative.report.point", zh, subject=label(r["subject"], language),
                      point=r["knowledge_point"], rate=pct(r["score_rate"]))
                  for _, r in weak.sort_values("score_rate", kind="mergesort")
                  .head(_NAMED).iterrows()]
        out.append(("points", say("narrative.report.weak_points", zh,
                                  listed=joined(listed, language))))
    questions = _table(tables, "question_table", "subject", "question", "difficulty")
    if not questions.empty:
        hard = questions[np.isfinite(questions["difficulty"].to_numpy(dtype=float))]
        hard = hard.sort_values("difficulty", kind="mergesort").head(_NAMED)
        if len(hard):
            listed = [say("narrative.report.question", zh, subject=label(r["subject"], language),
                          question=r["question"], rate=pct(r["difficulty"]))
                      for _, r in hard.iterrows()]
            out.append(("questions", say("narrative.report.hard_questions", zh,
                                         listed=joined(listed, language))))
    return out


def _suggestions(tables, problems: list[tuple[str, str]], zh: bool) -> list[str]:
    """五、改进建议: one for each kind of problem found, in the order found, and one on
    staffing when it goes clearly with the rural gap."""
    out = [say(f"narrative.report.suggest.{kind}", zh)
           for kind in dict.fromkeys(k for k, _ in problems)
           if kind not in ("gap_unclear", "balance_met")]
    if _staffing_matters(tables):
        out.append(say("narrative.report.suggest.staffing", zh))
    return out or [say("narrative.report.suggest.keep", zh)]


def _targets(tables) -> tuple[int, int]:
    """Schools that met every target they were given, and schools given targets."""
    targets = _table(tables, "targets")
    values = target_flags(targets)
    if targets.empty or not values.shape[1]:
        return 0, 0
    given = np.isfinite(values).any(axis=1)
    every = (np.nan_to_num(values, nan=1.0) == 1).all(axis=1) & given
    return int(every.sum()), int(given.sum())


def _rural_gap(tables) -> pd.Series | None:
    gaps = _table(tables, "gap_means", "subject", "category", "ci_low")
    if gaps.empty:
        return None
    rows = gaps[(gaps["subject"] == "total") & (gaps["category"] == "rural")]
    return None if rows.empty else rows.iloc[0]


def _failing_limits(tables) -> bool:
    resources = _table(tables, "cv_resources", "meets")
    if resources.empty:
        return False
    judged = pd.to_numeric(resources["meets"], errors="coerce")
    return bool((judged == 0).any())


def _staffing_matters(tables) -> bool:
    """Whether the staffing terms explain a share of the rural gap clearly above zero
    (Gelbach's explained part with its interval above 0)."""
    gelbach = _table(tables, "gelbach_table", "term", "ci_low")
    if gelbach.empty:
        return False
    rows = gelbach[gelbach["term"] == "explained"]
    if rows.empty:
        return False
    low = rows.iloc[0].get("ci_low")
    return bool(pd.notna(low) and low > 0)
