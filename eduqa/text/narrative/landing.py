"""The season's landing page: the headline findings a meeting needs, taken from the
notebooks' main tables (never from the pages)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog import say
from eduqa.config.labels import label
from eduqa.rules import chance_flags
from eduqa.text.narrative.attribution import (
    above_below,
    chance_note,
    staffing_share,
    unflagged,
)
from eduqa.text.narrative.common import _row, pct
from eduqa.text.narrative.indicators import gap_phrase

# ---------------------------------------------------------------------------------------------
# the season's landing page: the findings a meeting needs, from the notebooks' main tables


def headline_findings(tables, language: str = "zh") -> list[str]:
    """主要发现: one plain sentence each for how the county did against last year, the weakest
    subject, the urban–rural gap, how much of it goes with teacher staffing, balance between
    schools, schools above or below expectation, and small schools.

    ``tables`` maps the workbook's table names (``county_subjects``, ``county_comparison``,
    ``gap_means``, ``gelbach_table``, ``cv_scores``, ``cv_resources``, ``school_effects``,
    ``school_total``) to their frames; a missing table leaves its sentence out.
    """
    return [f for f in findings(tables, FINDING_NAMES, language).values() if f]


#: The landing-page findings :func:`findings` can write, in page order.
FINDING_NAMES = ("change", "weakest", "gap", "staffing", "balance", "tiers", "effects",
                 "small")


def findings(tables, names, language: str = "zh", context=None) -> dict[str, str | None]:
    """The landing-page findings ``names`` (see :data:`FINDING_NAMES`) as sentences, each None
    when its table is missing or has nothing to say. ``context`` holds tables read only as
    background (e.g. the urban–rural gap for the staffing sentence of the attribution page)."""
    unknown = [n for n in names if n not in FINDING_NAMES]
    if unknown:
        raise ValueError(f"unknown findings: {unknown}; known: {FINDING_NAMES}")
    tables = {**(context or {}), **tables}
    zh = language != "en"
    gap = _row(tables, "gap_means", subject="total", category="rural")
    out: dict[str, str | None] = {
        "change": _change_finding(tables, zh),
        "weakest": _weakest_finding(tables, zh),
        "gap": None if gap is None else gap_phrase(gap, language) + say("words.full_stop",
                                                                        zh),
        "staffing": _staffing_finding(tables, language, gap),
        "balance": _balance_finding(tables, zh),
        "tiers": _tiers_finding(tables, zh),
        "effects": _effects_finding(tables, zh),
        "small": _small_finding(tables, zh),
    }
    return {n: out[n] for n in names}


def _change_finding(tables, zh: bool) -> str | None:
    change = _row(tables, "county_comparison", subject="total")
    if change is None:
        return None
    up = change["mean_change"] >= 0
    points = change["pass_rate"] - change["pass_rate_previous"]
    return say("narrative.landing.change_finding", zh,
               mean_side=say("words.higher" if up else "words.lower", zh),
               mean=abs(change["mean_change"]),
               rate_side=say("words.higher" if points >= 0 else "words.lower", zh),
               rate=abs(points) * 100)


def _weakest_finding(tables, zh: bool) -> str | None:
    county = tables.get("county_subjects")
    if county is None or not len(county[county["subject"] != "total"]):
        return None
    subjects = county[county["subject"] != "total"]
    weakest = subjects.loc[subjects["score_rate"].idxmin()]  # as the 02 page names it
    return say("narrative.landing.weakest_finding.weakest_subject_score_rate", zh,
               weakest_subject=label(weakest["subject"], "zh" if zh else "en"),
               weakest_score_rate=pct(weakest["score_rate"]),
               weakest_pass_rate=pct(weakest["pass_rate"]))


def _staffing_finding(tables, language: str, gap) -> str | None:
    explained = _row(tables, "gelbach_table", term="explained")
    base = _row(tables, "gelbach_table", term="base")
    if explained is None or base is None:
        return None
    sentence = staffing_share(explained, base, language,
                              None if gap is None else int(gap["n_schools"]))
    return sentence or None


def _balance_finding(tables, zh: bool) -> str | None:
    cv = _row(tables, "cv_scores", subject="total")
    if cv is None or not np.isfinite(cv["cv"]):
        return None
    resources = tables.get("cv_resources")
    text = say("narrative.landing.balance_finding.coefficient_variation_school_mean", zh,
               cv_cv=cv["cv"])
    judged = (resources[resources["meets"].notna()] if resources is not None
              and "meets" in resources else pd.DataFrame())
    if len(judged):
        failing = judged[judged["meets"].astype(float) == 0]
        text += (say("narrative.landing.balance_finding.every_staffing_indicator_within", zh) if failing.empty else
                 say("narrative.landing.balance_finding.staffing_indicator_exceed_inspection",
                     zh, n_failing=len(failing)))
    return text + say("words.full_stop", zh)


def _effects_finding(tables, zh: bool) -> str | None:
    effects = tables.get("school_effects")
    if effects is None or not len(effects) or "flag" not in effects:
        return None
    above, below = above_below(effects)
    if not chance_flags(effects["flag"])[0]:  # one school: nothing to compare it with
        return None
    return say("narrative.landing.effects_finding.after_urban_rural_status", zh, above=above,
               below=below, value1=unflagged(effects)) + chance_note(
        effects["flag"], "zh" if zh else "en")


def _tiers_finding(tables, zh: bool) -> str | None:
    """The award lists of the 梯次评价 (02 page), or None when no school was judged in a tier."""
    table = tables.get("tier_table")
    if table is None or "quality" not in table:
        return None
    verdicts = ("tier_above", "tier_below", "tier_level")
    if not table["quality"].isin(verdicts).any():
        return None
    quality = table[table["quality"] == "tier_above"]["school_name"].astype(str).tolist()
    progress = table[table["progress"] == "tier_above"]["school_name"].astype(str).tolist()
    text = (say("narrative.landing.tiers_finding.quality", zh, n=len(quality), names=quality)
            if quality else say("narrative.landing.tiers_finding.no_quality", zh))
    if table["progress"].isin(verdicts).any():
        text += (say("narrative.landing.tiers_finding.progress", zh, n=len(progress),
                     names=progress)
                 if progress else say("narrative.landing.tiers_finding.no_progress", zh))
    return text + say("narrative.landing.tiers_finding.caution", zh)


def _small_finding(tables, zh: bool) -> str | None:
    schools = tables.get("school_total")
    if schools is None or "small_group" not in schools:
        return None
    small = int(schools["small_group"].eq(True).sum())
    if not small:
        return None
    return say("narrative.landing.small_finding.schools_too_small_rank", zh, small=small)
