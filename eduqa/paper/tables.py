"""The 试卷分析 page's tables: the season's papers (one per subject with an item-score export)
analysed question by question, option by option, by knowledge point and ability level, for
urban–rural DIF and with an IRT view (docs/METHODS.md §D).

:mod:`eduqa.intake.items` reads and cleans the item exports (the clean step); this module takes the
processed tables (``items-<subject>``, ``choices-<subject>``, ``blueprint-<subject>``) and
returns the tables the page, the workbook and the Word report show, every subject stacked with
a ``subject`` column. A season without item data has no papers: every function then returns an
empty frame with the table's columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from eduqa.catalog import joined
from eduqa.config.settings import ItemRules
from eduqa.models.dif import dif_mantel_haenszel
from eduqa.models.irt import IRTResult, fit_irt, item_characteristic_curves
from eduqa.paper.statistics import (
    BLANK,
    ScoreSums,
    item_statistics,
    option_shares,
    paper_statistics,
)

__all__ = ["PLACES", "Paper", "season_papers", "paper_summary", "question_table",
           "option_table", "point_table", "point_groups", "question_groups", "weakest_points", "dif_groups",
           "dif_table", "irt_view", "IRTView", "furthest_below", "PAGE_COLUMNS",
           "on_page", "option_wide", "MIN_IRT_QUESTIONS", "MIN_IRT_STUDENTS", "MIN_GRADED_QUESTIONS",
           "IRT_SAMPLE"]

#: 城区, 镇区, 乡村: the order of the urban–rural columns.
PLACES = ("urban", "town", "rural")
#: The IRT view needs this many right/wrong questions …
MIN_IRT_QUESTIONS = 5
#: … answered by this many pupils (every one of the questions).
MIN_IRT_STUDENTS = 200
#: Pupils the IRT fit uses at most (a fixed random sample beyond that: the fit's cost grows
#: with the distinct answer patterns, and 20,000 pupils pin every parameter down).
IRT_SAMPLE = 20_000


@dataclass(frozen=True)
class Paper:
    """One subject's paper: ``items`` (student_key, school_code, class and one column per
    question), ``choices`` (student_key and the option chosen on each objective question) and
    the ``blueprint`` (one row per question and knowledge point)."""

    subject: str
    items: pd.DataFrame
    choices: pd.DataFrame
    blueprint: pd.DataFrame
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> list[str]:
        """The questions in the blueprint's order."""
        return list(dict.fromkeys(self.blueprint.sort_values("order", kind="stable")["question"]))

    @property
    def full_marks(self) -> dict[str, float]:
        first = self.blueprint.drop_duplicates("question")
        return dict(zip(first["question"], first["full_marks"].astype(float)))

    @property
    def keys(self) -> dict[str, str]:
        """The answer key of every objective question with one."""
        first = self.blueprint.drop_duplicates("question")
        return {q: str(k) for q, k in zip(first["question"], first["key"])
                if isinstance(k, str) and k.strip()}

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Question scores only (float), one row per pupil, columns in blueprint order (made
        once: every table of the page starts from it)."""
        return self.items[self.questions].astype(float)

    @cached_property
    def sums(self) -> ScoreSums:
        """The scores' sums for the knowledge-point rates (made once)."""
        return ScoreSums(self.scores, self.full_marks)

    def places(self, schools: pd.DataFrame) -> pd.Series:
        """Each pupil's school's urban-rural type (on the index of ``items``)."""
        kinds = dict(zip(schools["school_code"].astype(str), schools["urban_rural"]))
        return self.items["school_code"].astype(str).map(kinds)


def season_papers(load: Callable[[str], pd.DataFrame], subjects: Sequence[str]) -> list[Paper]:
    """The papers of ``subjects`` from a season's processed tables (``load(name)`` returns
    one, empty when the file was not produced); subjects without item data are left out."""
    papers = []
    for subject in subjects:
        items = load(f"items-{subject}")
        if items.empty:
            continue
        papers.append(Paper(subject, items, load(f"choices-{subject}"),
                            load(f"blueprint-{subject}")))
    return papers


def _stacked(parts: list[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(columns))
    return pd.concat(parts, ignore_index=True)[list(columns)]


_SUMMARY = ["subject", "k", "full_marks", "n", "n_incomplete", "mean_score", "sd", "difficulty",
            "alpha", "sem_points", "skewness", "floor_share", "ceiling_share"]


def paper_summary(papers: Sequence[Paper]) -> pd.DataFrame:
    """One row per paper: :func:`eduqa.paper.statistics.paper_statistics` with the subject."""
    rows = [paper_statistics(p.scores, p.full_marks).to_frame().T.assign(subject=p.subject)
            for p in papers]
    frame = _stacked(rows, _SUMMARY)
    for column in ("k", "n", "n_incomplete"):
        frame[column] = frame[column].astype("int64")
    return frame


def _described(paper: Paper) -> pd.DataFrame:
    """Per question: type, knowledge points (joined with 、) and ability level."""
    blueprint = paper.blueprint
    points = blueprint.groupby("question", sort=False)["knowledge_point"].agg(
        lambda v: joined(list(dict.fromkeys(
            str(p) for p in v if isinstance(p, str) and p))))
    first = blueprint.drop_duplicates("question").set_index("question")
    return pd.DataFrame({"type": first["type"], "knowledge_point": points,
                         "ability": first["ability"]}).reindex(paper.questions)


_QUESTIONS = ["subject", "question", "type", "knowledge_point", "ability", "full_marks", "n",
              "mean_score", "difficulty", "full_rate", "zero_rate", "discrimination", "high_low",
              "alpha_if_deleted", "too_hard", "too_easy", "low_discrimination",
              "negative_discrimination", "flagged"]


def question_table(papers: Sequence[Paper], rules: ItemRules | None = None) -> pd.DataFrame:
    """Every question of every paper: :func:`eduqa.paper.statistics.item_statistics` with its subject,
    type, knowledge points and ability level."""
    parts = []
    for paper in papers:
        stats = item_statistics(paper.scores, paper.full_marks, rules)
        described = _described(paper).reset_index(drop=True)
        parts.append(pd.concat([stats, described], axis=1).assign(subject=paper.subject))
    return _stacked(parts, _QUESTIONS)


_OPTIONS = ["subject", "question", "option", "n", "share", "share_high_group",
            "share_low_group", "is_key", "attracts_strong"]


def option_table(papers: Sequence[Paper], rules: ItemRules | None = None) -> pd.DataFrame:
    """The options of every objective question (:func:`eduqa.paper.statistics.option_shares`), the
    high and low groups taken on the paper's total."""
    share = (rules or ItemRules()).group_share
    parts = []
    for paper in papers:
        keys = paper.keys
        objective = [q for q in paper.questions if q in keys and q in paper.choices]
        if not objective:
            continue
        total = paper.scores.sum(axis=1, min_count=len(paper.questions))
        total.index = paper.items["student_key"].astype(str)
        choices = paper.choices.set_index(paper.choices["student_key"].astype(str))[objective]
        shares = option_shares(choices, keys, total, share).rename(
            columns={"share_high": "share_high_group", "share_low": "share_low_group"})
        parts.append(shares.assign(subject=paper.subject))
    return _stacked(parts, _OPTIONS)


def _groups(paper: Paper, schools: pd.DataFrame) -> pd.DataFrame:
    """The pupils' school, township, urban-rural type and class (index of ``items``; made
    once per paper and roster)."""
    key = ("groups", id(schools))
    if key not in paper.cache:
        paper.cache[key] = (schools, _pupil_groups(paper, schools))  # (holds schools alive)
    return paper.cache[key][1]


def _pupil_groups(paper: Paper, schools: pd.DataFrame) -> pd.DataFrame:
    info = schools.set_index(schools["school_code"].astype(str))
    code = paper.items["school_code"].astype(str)
    return pd.DataFrame({"school_code": code,
                         "township": code.map(info["township"]),
                         "urban_rural": code.map(info["urban_rural"]),
                         "class": paper.items["class"].astype(str)
                         if "class" in paper.items else ""}, index=paper.items.index)


def _rates(paper: Paper, by: pd.DataFrame | None, point: str) -> pd.DataFrame:
    """:func:`eduqa.paper.statistics.knowledge_point_rates` of the paper (its sums made once)."""
    blueprint = paper.blueprint[["question", point]].dropna()
    blueprint = blueprint[blueprint[point].astype(str).str.strip() != ""]
    return paper.sums.point_rates(blueprint, by, point=point)


def point_table(papers: Sequence[Paper], schools: pd.DataFrame,
                point: str = "knowledge_point", *, weakest: int = 3) -> pd.DataFrame:
    """得分率 of every knowledge point (or ability level) of every paper: the county's, and
    城区/镇区/乡村's side by side (``rate_urban`` …, missing for a type the county has no
    pupils of), the county's lowest points flagged ``weakest``: at most ``weakest`` of them and
    fewer than half of the paper's points (one when it has two to four; none when it has one),
    so that a paper of 3 knowledge points has 1 flagged, not all 3.

    Returns
    -------
    DataFrame
        ``subject``, ``point`` (named as the argument), ``questions``, ``full_marks``, ``n``,
        ``score_rate``, ``rate_urban``, ``rate_town``, ``rate_rural``, ``weakest``.
    """
    columns = ["subject", point, "questions", "full_marks", "n", "score_rate",
               *(f"rate_{p}" for p in PLACES), "weakest"]
    parts = []
    for paper in papers:
        county = _rates(paper, None, point).rename(columns={"rate": "score_rate"})
        groups = _groups(paper, schools)[["urban_rural"]]
        by_place = _rates(paper, groups, point).pivot(index=point, columns="urban_rural",
                                                      values="rate")
        for place in PLACES:
            county[f"rate_{place}"] = county[point].map(
                by_place[place] if place in by_place else {})
        county["weakest"] = county["score_rate"].rank(method="first") <= flagged(
            len(county), weakest)
        parts.append(county.assign(subject=paper.subject))
    frame = _stacked(parts, columns)
    frame["weakest"] = frame["weakest"].astype(bool)
    return frame


def flagged(points: int, most: int = 3) -> int:
    """How many of a paper's ``points`` knowledge points are flagged weakest: ``most`` at most,
    fewer than half of them, one at least when there are two or more."""
    return 0 if points < 2 else min(most, max(1, (points - 1) // 2))


def point_groups(papers: Sequence[Paper], schools: pd.DataFrame, level: str,
                 point: str = "knowledge_point", *, min_group_size: int = 0) -> pd.DataFrame:
    """得分率 of every knowledge point by ``level`` — ``township``, ``school_code`` or
    ``class`` (within its school) — with the difference from the county's rate, and groups
    under ``min_group_size`` pupils flagged ``small_group``.

    Returns
    -------
    DataFrame
        The level's keys (``township``; ``school_code``; ``school_code`` and ``class``),
        ``subject``, ``point``, ``n``, ``score_rate``, ``rate_difference`` (group − county, in
        share of full marks), ``small_group``.
    """
    keys = {"township": ["township"], "school_code": ["school_code"],
            "class": ["school_code", "class"]}[level]
    columns = [*keys, "subject", point, "n", "score_rate", "rate_difference",
               "small_group"]
    parts = []
    for paper in papers:
        county = _rates(paper, None, point).set_index(point)["rate"]
        groups = _groups(paper, schools)[keys]
        if level == "class":
            groups = groups[groups["class"].str.strip() != ""]
        rates = _rates(paper, groups, point).rename(columns={"rate": "score_rate"})
        rates["rate_difference"] = rates["score_rate"] - rates[point].map(county)
        rates["small_group"] = rates["n"] < min_group_size
        parts.append(rates.assign(subject=paper.subject))
    return _stacked(parts, columns)


def question_groups(papers: Sequence[Paper], schools: pd.DataFrame, *, weakest: int = 3,
                    min_group_size: int = 0) -> pd.DataFrame:
    """Each school's questions furthest below the county: per school and paper, the
    ``weakest`` questions whose 得分率 (mean score / full marks over the school's pupils) is
    furthest below the county's, only those below it, for schools of at least
    ``min_group_size`` pupils (what a school's own report lists; the county's question
    statistics are :func:`question_table`'s).

    Returns
    -------
    DataFrame
        ``school_code``, ``subject``, ``question``, ``n``, ``score_rate``, ``county_rate``,
        ``rate_difference`` (school − county), ``small_group`` (False: smaller schools are
        left out), lowest first within a school and subject.
    """
    columns = ["school_code", "subject", "question", "n", "score_rate", "county_rate",
               "rate_difference", "small_group"]
    parts = []
    for paper in papers:
        if paper.items.empty:
            continue
        marks = pd.Series(paper.full_marks)[paper.questions]
        rates = paper.scores / marks.to_numpy()
        code = paper.items["school_code"].astype(str)
        county = rates.mean()
        grouped = rates.groupby(code, sort=True)
        n = grouped.size()
        means = grouped.mean()[n >= max(min_group_size, 1)]
        long = means.stack().rename("score_rate").reset_index()
        long.columns = ["school_code", "question", "score_rate"]
        long["county_rate"] = long["question"].map(county)
        long["rate_difference"] = long["score_rate"] - long["county_rate"]
        long["n"] = long["school_code"].map(n).astype(int)
        long["small_group"] = long["n"] < min_group_size  # (never: such schools are left out)
        long = long[long["rate_difference"] < 0].sort_values(
            ["school_code", "rate_difference", "question"], kind="mergesort")
        parts.append(long.groupby("school_code", sort=False).head(weakest)
                     .assign(subject=paper.subject))
    return _stacked(parts, columns).reset_index(drop=True)


def weakest_points(table: pd.DataFrame, point: str = "knowledge_point") -> dict[str, list]:
    """The flagged weakest points of each subject, lowest rate first: subject → [(point,
    rate), …] (for the page's sentence)."""
    weakest = table[table["weakest"]].sort_values(["score_rate", point], kind="stable")
    return {subject: list(zip(part[point], part["score_rate"]))
            for subject, part in weakest.groupby("subject", sort=False)}


def dif_groups(places: pd.Series) -> tuple[str, str] | None:
    """The reference and focal groups of the urban–rural DIF: 城区 against 乡村 when the
    county has pupils of both; otherwise the first and the last of 城区/镇区/乡村 it has;
    None with fewer than two."""
    present = [p for p in PLACES if (places == p).any()]
    if len(present) < 2:
        return None
    return present[0], present[-1]


_DIF = ["subject", "question", "type", "dichotomous", "reference", "focal", "n_reference",
        "n_focal", "p_reference", "p_focal", "odds_ratio", "delta", "delta_se", "chi2",
        "p_value", "ets", "smd", "smd_sd", "favours"]


def dif_table(papers: Sequence[Paper], schools: pd.DataFrame, *,
              level: float = 0.05) -> pd.DataFrame:
    """Mantel–Haenszel DIF of every question (:func:`eduqa.models.dif.dif_mantel_haenszel`),
    the focal group the rural pupils against the urban ones (:func:`dif_groups`), matched on
    the paper's total. ``favours`` names the group (urban/town/rural) the question is easier
    for at equal totals; ``ets`` is A/B/C for right/wrong questions and AA/BB/CC for
    questions scored in steps (Mantel's χ² and SMD/SD), "" where it could not be computed."""
    parts = []
    for paper in papers:
        places = paper.places(schools)
        groups = dif_groups(places)
        if groups is None:
            continue
        reference, focal = groups
        in_focal = places.map({reference: False, focal: True})  # others in neither group
        table = dif_mantel_haenszel(paper.scores, paper.full_marks, in_focal, level=level)
        table["favours"] = table["favours"].map({"reference": reference, "focal": focal,
                                                 "": ""})
        described = _described(paper).reset_index(drop=True)
        parts.append(table.assign(subject=paper.subject, type=described["type"],
                                  reference=reference, focal=focal))
    return _stacked(parts, _DIF)


@dataclass(frozen=True)
class IRTView:
    """The IRT view of the season's papers: ``items`` (subject, irt_model, question, a, b and
    their errors), ``fit`` (per subject and model: pupils, log-likelihood, AIC, BIC),
    ``curves`` (the 2PL item characteristic curves, long) and ``left_out`` (subject → the
    right/wrong questions and the pupils who answered them all, of a paper with too few of
    either for an IRT view)."""

    items: pd.DataFrame
    fit: pd.DataFrame
    curves: pd.DataFrame
    left_out: dict[str, tuple[int, int]]
    #: the graded response model of each paper's questions scored in steps (0..m, m > 1):
    #: ``graded`` one row per question and step (a, the step's threshold, its score), its
    #: ``graded_curves`` (category curves, long) and ``graded_fit`` (per paper: questions,
    #: pupils, log-likelihood, converged; a paper with too few such questions or pupils is in
    #: ``graded_left_out`` as (questions, pupils))
    graded: pd.DataFrame = field(default_factory=pd.DataFrame)
    graded_curves: pd.DataFrame = field(default_factory=pd.DataFrame)
    graded_fit: pd.DataFrame = field(default_factory=pd.DataFrame)
    graded_left_out: dict[str, tuple[int, int]] = field(default_factory=dict)


#: A paper gets the graded response model with at least this many questions scored in steps.
MIN_GRADED_QUESTIONS = 2

#: Quadrature nodes of the graded model's fit (21: its parameters agree with 41 nodes' to
#: 1e-3, in half the time; tested).
GRADED_NODES = 21

_GRADED = ["subject", "question", "step", "step_score", "a", "threshold", "n"]
_GRADED_FIT = ["subject", "questions", "n_students", "loglik", "converged"]
_IRT_ITEMS = ["subject", "irt_model", "question", "n", "a", "se_a", "b", "se_b"]
_IRT_FIT = ["subject", "irt_model", "questions", "n_students", "loglik", "aic", "bic",
            "converged"]
_IRT_NAMES = {"discrimination": "a", "se_discrimination": "se_a", "difficulty": "b",
              "se_difficulty": "se_b"}


def _right_wrong(paper: Paper) -> pd.DataFrame:
    """1/0 on the questions every score of which is 0 or full marks, pupils with all of
    them answered."""
    scores = paper.scores
    marks = pd.Series(paper.full_marks)
    dichotomous = [q for q in scores.columns
                   if scores[q].dropna().isin([0.0, marks[q]]).all() and scores[q].notna().any()]
    answered = scores[dichotomous].dropna()
    return (answered == marks[dichotomous]).astype(float)


def irt_view(papers: Sequence[Paper], *, seed: int = 0) -> IRTView:
    """Rasch and 2PL fits (:func:`eduqa.models.irt.fit_irt`) to each paper's right/wrong
    questions, where the data allow: at least :data:`MIN_IRT_QUESTIONS` such questions and
    :data:`MIN_IRT_STUDENTS` pupils who answered them all (a fixed sample of
    :data:`IRT_SAMPLE` pupils beyond that, drawn with ``seed``)."""
    items, fits, curves, left_out = [], [], [], {}
    for paper in papers:
        right = _right_wrong(paper)
        if right.shape[1] < MIN_IRT_QUESTIONS or len(right) < MIN_IRT_STUDENTS:
            left_out[paper.subject] = (right.shape[1], len(right))
            continue
        if len(right) > IRT_SAMPLE:
            right = right.sample(IRT_SAMPLE, random_state=seed)
        for model in ("rasch", "2pl"):
            result: IRTResult = fit_irt(right.reset_index(drop=True), model)
            items.append(result.items.rename(columns=_IRT_NAMES).assign(
                subject=paper.subject, irt_model=model, n=result.items["n"].astype("int64")))
            parameters = 1 + right.shape[1] if model == "rasch" else 2 * right.shape[1]
            fits.append(pd.DataFrame([{
                "subject": paper.subject, "irt_model": model, "questions": right.shape[1],
                "n_students": result.n_students, "loglik": result.loglik,
                "aic": 2 * parameters - 2 * result.loglik,
                "bic": np.log(result.n_students) * parameters - 2 * result.loglik,
                "converged": result.converged}]))
            if model == "2pl":
                curves.append(item_characteristic_curves(result).assign(subject=paper.subject))
    graded, graded_curves, graded_fit, graded_left_out = _graded(papers, seed)
    return IRTView(_stacked(items, _IRT_ITEMS), _stacked(fits, _IRT_FIT),
                   _stacked(curves, ["subject", "question", "theta", "p"]), left_out,
                   graded, graded_curves, graded_fit, graded_left_out)


def _graded(papers: Sequence[Paper], seed: int):
    """The graded response model (:func:`eduqa.models.polytomous.fit_grm`) of each paper's
    questions scored in steps (full marks above 1, at least three scores given: a question
    marked right or wrong is the 2PL's, question by question), where it has
    :data:`MIN_GRADED_QUESTIONS` of them and :data:`MIN_IRT_STUDENTS` pupils with an answer
    (a fixed sample of :data:`IRT_SAMPLE` beyond that)."""
    from eduqa.models.polytomous import category_curves, fit_grm

    items, curves, fits, left_out = [], [], [], {}
    for paper in papers:
        marks = paper.full_marks
        scores = paper.scores[[q for q in paper.questions if marks.get(q, 1) > 1]]
        scores = scores.loc[:, scores.nunique() >= 3]  # (right/wrong ones: the 2PL's)
        answered = scores[scores.notna().any(axis=1)]
        if scores.shape[1] < MIN_GRADED_QUESTIONS or len(answered) < MIN_IRT_STUDENTS:
            left_out[paper.subject] = (scores.shape[1], len(answered))
            continue
        if len(answered) > IRT_SAMPLE:
            answered = answered.sample(IRT_SAMPLE, random_state=seed)
        result = fit_grm(answered.reset_index(drop=True), quadrature_points=GRADED_NODES)
        items.append(result.items.rename(columns={"category": "step", "scores": "step_score",
                                                  "discrimination": "a"})
                     .assign(subject=paper.subject, n=result.items["n"].astype("int64")))
        curves.append(category_curves(result).assign(subject=paper.subject))
        fits.append(pd.DataFrame([{"subject": paper.subject, "questions": scores.shape[1],
                                   "n_students": result.n_students, "loglik": result.loglik,
                                   "converged": result.converged}]))
    return (_stacked(items, _GRADED),
            _stacked(curves, ["subject", "question", "category", "scores", "theta", "p"]),
            _stacked(fits, _GRADED_FIT), left_out)


def furthest_below(groups: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` rows of :func:`point_groups` furthest below the county's rate (groups under
    the minimum size left out), lowest first: what the page lists; the workbook has all."""
    if groups.empty:
        return groups
    shown = groups[~groups["small_group"].astype(bool) & (groups["rate_difference"] < 0)]
    return shown.sort_values("rate_difference", kind="stable").head(n).reset_index(drop=True)


#: The columns a page shows of the wide tables (the workbook has every column).
PAGE_COLUMNS = {
    "question_table": ["subject", "question", "type", "knowledge_point", "ability", "full_marks",
                       "difficulty", "full_rate", "zero_rate", "discrimination", "high_low",
                       "alpha_if_deleted", "flagged"],
    "dif_table": ["subject", "question", "type", "p_reference", "p_focal", "odds_ratio",
                  "delta", "chi2", "p_value", "ets", "smd", "smd_sd", "favours"],
}


def on_page(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The columns of ``table`` (:data:`PAGE_COLUMNS` of ``name``) that the page shows."""
    return table[[c for c in PAGE_COLUMNS[name] if c in table]]


def option_wide(options: pd.DataFrame) -> pd.DataFrame:
    """:func:`option_table` one row per question, as the platforms show it: ``subject``,
    ``question``, ``key`` (the correct option), the share choosing each option (one column per
    option, the blank last) and ``strong_draw`` (the wrong options that draw the high group,
    joined with 、)."""
    if options.empty:
        return pd.DataFrame(columns=["subject", "question", "key", "strong_draw"])
    letters = sorted(set(options["option"]) - {BLANK}) + (
        [BLANK] if (options["option"] == BLANK).any() else [])
    grid = options.pivot_table(index=["subject", "question"], columns="option", values="share",
                               sort=False)[letters].fillna(0.0)
    key = options[options["is_key"]].set_index(["subject", "question"])["option"]
    drawn = options[options["attracts_strong"]].groupby(["subject", "question"], sort=False)[
        "option"].agg(lambda v: joined(list(v)))
    out = grid.reset_index()
    out.columns.name = None
    index = pd.MultiIndex.from_frame(out[["subject", "question"]])
    out.insert(2, "key", key.reindex(index).to_numpy())
    out["strong_draw"] = drawn.reindex(index).fillna("").to_numpy()
    return out
