"""Paper analysis (试卷分析): classical item statistics of one paper, knowledge points, options.

A paper's item scores are a wide frame: one row per student who sat the paper, one column per
question (its score, NaN where the question's score is missing), the questions' full marks
beside it. Every function here takes that frame and plain arguments and returns a new frame;
none reads files, rounds or prints (docs/METHODS.md §D).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from eduqa.compute.frames import group_ids
from eduqa.config.settings import ItemRules
from eduqa.errors import EduqaError

__all__ = ["ItemRules", "ScoreSums", "cronbach_alpha", "high_low_groups", "item_statistics",
           "knowledge_point_rates", "option_shares", "paper_statistics"]


def _matrix(items: pd.DataFrame, full_marks: Mapping[str, float]) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """The item scores as a float matrix and the full marks in column order, checked."""
    missing = [q for q in items.columns if q not in full_marks]
    if missing:
        raise EduqaError.of("paper.statistics.matrix.no_full_marks_for",
                            missing=list(map(str, missing)))
    marks = np.asarray([float(full_marks[q]) for q in items.columns])
    if (marks <= 0).any() or not np.isfinite(marks).all():
        raise EduqaError.of("paper.statistics.matrix.every_question_full_marks")
    return items.to_numpy(dtype=float), marks


def _alpha(x: np.ndarray) -> float:
    """Cronbach's α of the complete rows ``x`` (k columns): k/(k−1)·(1 − Σ var_j / var X)."""
    k = x.shape[1]
    if k < 2 or len(x) < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's α of the questions ``items`` (columns) over the students with every question
    scored.

    Notes
    -----
    α = k/(k−1) · (1 − Σ_j var(x_j) / var(X)), k questions, X the total, sample variances
    (ddof = 1). NaN with fewer than two questions or students, or when every total is equal.

    Parameters
    ----------
    items : DataFrame
        One row per student, one column per question (score; NaN missing).

    Returns
    -------
    float

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297–334.

    Examples
    --------
    Variances 5/3 and 2, of the totals 3, 4, 6, 9: 7; α = 2 · (1 − (5/3 + 2) / 7):

    >>> round(cronbach_alpha(pd.DataFrame({"1": [1, 2, 3, 4], "2": [2, 2, 3, 5]})), 4)
    0.9524
    """
    x = items.to_numpy(dtype=float)
    return _alpha(x[~np.isnan(x).any(axis=1)])


def high_low_groups(total: np.ndarray, share: float = 0.27) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the high and low groups by ``total``: the top and bottom ``share`` of students,
    n = ⌈share · N⌉ each, every student tied with the n-th at the cut included.

    Parameters
    ----------
    total : array
        Each student's paper total.
    share : float
        The share of students in each group (0.27: Kelley's).

    Returns
    -------
    (high, low) : arrays of bool

    References
    ----------
    Kelley, T. L. (1939). The selection of upper and lower groups for the validation of test
    items. *Journal of Educational Psychology* 30(1), 17–24.

    Examples
    --------
    ⌈0.27 · 6⌉ = 2 students a group; the two tied at 7 are both high:

    >>> high, low = high_low_groups(np.array([9, 7, 7, 5, 3, 1]))
    >>> high.tolist(), low.tolist()
    ([True, True, True, False, False, False], [False, False, False, False, True, True])
    """
    total = np.asarray(total, dtype=float)
    if len(total) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    n = max(1, int(np.ceil(share * len(total) - 1e-9)))
    ordered = np.sort(total)
    return total >= ordered[len(total) - n], total <= ordered[n - 1]


def _from_covariance(complete: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each question's corrected item–total correlation and α if deleted, from the questions'
    covariance matrix C (one pass over the rows): var(X − x_j) = ΣC − 2 Σ_i C_ij + C_jj,
    cov(x_j, X − x_j) = Σ_i C_ij − C_jj."""
    k = complete.shape[1]
    if len(complete) < 2:
        return np.full(k, np.nan), np.full(k, np.nan)
    centred = complete - complete.mean(axis=0)
    cov = centred.T @ centred / (len(complete) - 1)
    variance = np.diag(cov)
    row = cov.sum(axis=1)
    rest_var = cov.sum() - 2 * row + variance
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (row - variance) / np.sqrt(variance * rest_var)
        alpha = (k - 1) / (k - 2) * (1 - (variance.sum() - variance) / rest_var) if k > 2 \
            else np.full(k, np.nan)
    r = np.where((variance > 0) & (rest_var > 0), r, np.nan)
    alpha = np.where(rest_var > 0, alpha, np.nan)
    return r, alpha


def item_statistics(items: pd.DataFrame, full_marks: Mapping[str, float],
                    rules: ItemRules | None = None) -> pd.DataFrame:
    """Per question: difficulty, 满分率 and 零分率, discrimination, high–low index, α if
    deleted, and the review flags.

    Parameters
    ----------
    items : DataFrame
        One row per student who sat the paper, one column per question (score; NaN missing).
    full_marks : mapping
        Full marks of every question (column).
    rules : ItemRules, optional
        Review thresholds and the high/low group share (defaults of :class:`ItemRules`).

    Returns
    -------
    DataFrame
        One row per question, in column order: ``question``, ``full_marks``, ``n`` (students
        with the question scored), ``mean_score``, ``difficulty`` (得分率, mean / full marks),
        ``full_rate`` (满分率), ``zero_rate`` (零分率), ``discrimination`` (corrected
        item–total r), ``high_low`` (D = 得分率 of the high group − of the low group),
        ``alpha_if_deleted``, and the flags ``too_hard``, ``too_easy``,
        ``low_discrimination``, ``negative_discrimination``, ``flagged`` (any of them).

    Notes
    -----
    Difficulty, 满分率 and 零分率 use every student with the question scored. The statistics
    that need the total X (discrimination, D, α if deleted) use the students with every
    question scored (:func:`paper_statistics` counts the others as ``n_incomplete``).
    Discrimination is the Pearson correlation of x_j with X − x_j (for 0/1 questions the
    point-biserial); NaN, and not flagged, for a question every student scored the same on.
    The high and low groups are the top and bottom 27% by X (:func:`high_low_groups`).

    References
    ----------
    Crocker, L. & Algina, J. (1986). *Introduction to Classical and Modern Test Theory*. Holt,
    Rinehart and Winston (difficulty, corrected item–total discrimination, α if deleted);
    Kelley (1939), as :func:`high_low_groups`.

    Examples
    --------
    >>> items = pd.DataFrame({"1": [1, 1, 0, 1, 0, 1], "2": [2, 1, 0, 2, 1, 2],
    ...                       "3": [4, 3, 1, 4, 0, 2]})
    >>> marks = {"1": 1, "2": 2, "3": 4}
    >>> table = item_statistics(items, marks).set_index("question")
    >>> table[["difficulty", "discrimination", "high_low"]].round(3).to_dict("index")["3"]
    {'difficulty': 0.583, 'discrimination': 0.775, 'high_low': 0.875}
    """
    rules = rules or ItemRules()
    x, marks = _matrix(items, full_marks)
    scored = ~np.isnan(x)
    n = scored.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=0) / n
        full_rate = (x >= marks).sum(axis=0) / n
        zero_rate = (x == 0).sum(axis=0) / n
    complete = x[scored.all(axis=1)]
    total = complete.sum(axis=1)
    discrimination, alpha_if_deleted = _from_covariance(complete)
    high, low = high_low_groups(total, rules.group_share)
    with np.errstate(invalid="ignore"):
        high_low = (complete[high].mean(axis=0) - complete[low].mean(axis=0)) / marks \
            if len(complete) else np.full(len(marks), np.nan)
    difficulty = mean / marks
    frame = pd.DataFrame({
        "question": list(items.columns), "full_marks": marks, "n": n, "mean_score": mean,
        "difficulty": difficulty, "full_rate": full_rate, "zero_rate": zero_rate,
        "discrimination": discrimination, "high_low": high_low,
        "alpha_if_deleted": alpha_if_deleted})
    frame["too_hard"] = frame["difficulty"] < rules.hard
    frame["too_easy"] = frame["difficulty"] > rules.easy
    frame["low_discrimination"] = frame["discrimination"] < rules.low_discrimination
    frame["negative_discrimination"] = frame["discrimination"] < 0
    frame["flagged"] = frame[["too_hard", "too_easy", "low_discrimination",
                              "negative_discrimination"]].any(axis=1)
    return frame


def paper_statistics(items: pd.DataFrame, full_marks: Mapping[str, float]) -> pd.Series:
    """The paper as a whole: students, questions, mean and spread of the total, difficulty,
    Cronbach's α, standard error of measurement and the shape of the score distribution.

    Returns
    -------
    Series
        ``n`` (students with every question scored), ``n_incomplete`` (the others), ``k``
        (questions), ``full_marks`` (Σ m_j), ``mean_score``, ``sd`` (of the total, ddof = 1),
        ``difficulty`` (mean / full marks), ``mean_item_difficulty`` (mean of the questions'
        得分率), ``alpha``, ``sem_points`` (sd · √(1 − α)), ``skewness`` (adjusted Fisher–Pearson, as
        pandas), ``floor_share`` (total 0) and ``ceiling_share`` (total = full marks).

    Parameters
    ----------
    items : DataFrame
        One row per student who sat the paper, one column per question.
    full_marks : mapping
        Full marks of every question.

    References
    ----------
    Cronbach (1951), as :func:`cronbach_alpha`; the standard error of measurement
    sd · √(1 − reliability): Lord, F. M. & Novick, M. R. (1968). *Statistical Theories of Mental
    Test Scores*. Addison-Wesley.

    Examples
    --------
    >>> items = pd.DataFrame({"1": [1, 1, 0, 1, 0, 1], "2": [2, 1, 0, 2, 1, 2],
    ...                       "3": [4, 3, 1, 4, 0, 2]})
    >>> marks = {"1": 1, "2": 2, "3": 4}
    >>> whole = paper_statistics(items, marks)
    >>> tuple(round(float(whole[name]), 3) for name in ("alpha", "sem_points", "difficulty"))
    (0.777, 1.291, 0.619)
    """
    x, marks = _matrix(items, full_marks)
    complete_rows = ~np.isnan(x).any(axis=1)
    complete = x[complete_rows]
    total = pd.Series(complete.sum(axis=1))
    alpha = _alpha(complete)
    sd = float(total.std(ddof=1)) if len(total) > 1 else float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        item_difficulty = np.nanmean(x, axis=0) / marks if len(x) else np.full(len(marks),
                                                                               np.nan)
    n = len(total)
    return pd.Series({
        "n": n, "n_incomplete": int((~complete_rows).sum()), "k": len(marks),
        "full_marks": float(marks.sum()), "mean_score": float(total.mean()) if n else np.nan,
        "sd": sd, "difficulty": float(total.mean() / marks.sum()) if n else np.nan,
        "mean_item_difficulty": float(np.mean(item_difficulty)),
        "alpha": alpha, "sem_points": sd * np.sqrt(1 - alpha) if np.isfinite(alpha) else np.nan,
        "skewness": float(total.skew()) if n > 2 else np.nan,
        "floor_share": float((total == 0).mean()) if n else np.nan,
        "ceiling_share": float((total >= marks.sum()).mean()) if n else np.nan})


#: The option recorded for a student who left an objective question blank.
BLANK = "blank"


def option_shares(choices: pd.DataFrame, key: Mapping[str, str], total: pd.Series,
                  share: float = 0.27) -> pd.DataFrame:
    """Per objective question and option: the share of students choosing it, overall and in
    the high and low groups, with the key marked and the distractors that draw the strong
    students flagged.

    Parameters
    ----------
    choices : DataFrame
        One row per student, one column per objective question: the option chosen (text such
        as ``A``; missing or empty = blank, counted as the option :data:`BLANK`).
    key : mapping
        The correct option of each question.
    total : Series
        Each student's paper total (same index as ``choices``), for the high and low groups.

    Returns
    -------
    DataFrame
        ``question``, ``option``, ``n``, ``share``, ``share_high``, ``share_low``, ``is_key``,
        ``attracts_strong`` (not the key, and chosen by a larger share of the high group than
        of the low group). Options in text order, the blank last.

    References
    ----------
    Haladyna, T. M. & Rodriguez, M. C. (2013). *Developing and Validating Test Items*.
    Routledge (distractor analysis with upper and lower groups).

    Examples
    --------
    >>> items = pd.DataFrame({"1": [1, 1, 0, 1, 0, 1], "2": [2, 1, 0, 2, 1, 2],
    ...                       "3": [4, 3, 1, 4, 0, 2]})
    >>> marks = {"1": 1, "2": 2, "3": 4}
    >>> choices = pd.DataFrame({"1": ["A", "A", "B", "A", "C", "A"]})
    >>> table = option_shares(choices, {"1": "A"}, items.sum(axis=1))
    >>> table[["option", "share", "share_high", "share_low", "is_key"]].round(3).values.tolist()
    [['A', 0.667, 1.0, 0.0, True], ['B', 0.167, 0.0, 0.5, False], ['C', 0.167, 0.0, 0.5, False]]
    """
    missing = [q for q in choices.columns if q not in key]
    if missing:
        raise EduqaError.of("paper.statistics.option_shares.no_answer_key_for",
                            missing=list(map(str, missing)))
    high, low = high_low_groups(total.reindex(choices.index).to_numpy(float), share)
    n, n_high, n_low = len(choices), int(high.sum()), int(low.sum())
    rows = []
    for question in choices.columns:
        # each distinct cell text is normalised once, then counted by code (300k pupils)
        codes, texts = pd.factorize(choices[question], use_na_sentinel=True)
        labels = [str(v).strip().upper() or BLANK for v in texts]
        if (codes < 0).any():
            labels.append(BLANK)
            codes = np.where(codes < 0, len(labels) - 1, codes)
        answer = str(key[question]).strip().upper()
        options = sorted((set(labels) - {BLANK}) | {answer}) + (
            [BLANK] if BLANK in labels else [])
        at = {option: i for i, option in enumerate(options)}
        option_code = np.asarray([at[label] for label in labels], dtype=np.int64)[codes] \
            if len(codes) else np.zeros(0, dtype=np.int64)
        counts = np.bincount(option_code, minlength=len(options))
        counts_high = np.bincount(option_code[high], minlength=len(options))
        counts_low = np.bincount(option_code[low], minlength=len(options))
        for i, option in enumerate(options):
            rows.append({
                "question": question, "option": option, "n": int(counts[i]),
                "share": counts[i] / n if n else np.nan,
                "share_high": counts_high[i] / n_high if n_high else np.nan,
                "share_low": counts_low[i] / n_low if n_low else np.nan,
                "is_key": option == answer})
    frame = pd.DataFrame(rows, columns=["question", "option", "n", "share", "share_high",
                                        "share_low", "is_key"])
    frame["attracts_strong"] = (~frame["is_key"] & (frame["option"] != BLANK)
                                & (frame["share_high"] > frame["share_low"]))
    return frame


def knowledge_point_rates(items: pd.DataFrame, full_marks: Mapping[str, float],
                          blueprint: pd.DataFrame, by: pd.DataFrame | None = None,
                          point: str = "knowledge_point") -> pd.DataFrame:
    """得分率 of each knowledge point (or ability level), for the county or by group.

    Parameters
    ----------
    items, full_marks : as :func:`item_statistics`.
    blueprint : DataFrame
        ``question`` and ``point`` (one row per question and point: a question tagged with
        several points has several rows).
    by : DataFrame, optional
        Group columns (e.g. school_code, urban_rural) on the index of ``items``.
    point : str
        The blueprint's column to rate by (``knowledge_point`` or ``ability``).

    Returns
    -------
    DataFrame
        The ``by`` columns, ``point`` (named as the argument), ``questions`` (how many),
        ``full_marks`` (Σ of their full marks per student), ``n`` (students), ``rate``.

    Notes
    -----
    rate = Σ over the point's questions and the group's students of the points earned / Σ of
    the full marks of the questions those students have scored; a question tagged with several
    points counts fully in each (docs/METHODS.md §D).

    References
    ----------
    Bloom, B. S., Hastings, J. T. & Madaus, G. F. (1971). *Handbook on Formative and
    Summative Evaluation of Student Learning*. McGraw-Hill (the table of specifications,
    双向细目表, whose points are rated here: points earned over points available).

    Examples
    --------
    Question 3 is tagged with both points and counts fully in each:

    >>> items = pd.DataFrame({"1": [1, 1, 0, 1, 0, 1], "2": [2, 1, 0, 2, 1, 2],
    ...                       "3": [4, 3, 1, 4, 0, 2]})
    >>> marks = {"1": 1, "2": 2, "3": 4}
    >>> blueprint = pd.DataFrame({"question": ["1", "2", "3", "3"],
    ...                           "knowledge_point": ["计算", "计算", "计算", "应用"]})
    >>> rates = knowledge_point_rates(items, marks, blueprint).set_index("knowledge_point")
    >>> rates["rate"].round(3).to_dict()  # 计算: (4 + 8 + 14) / (6 + 12 + 24)
    {'应用': 0.583, '计算': 0.619}
    """
    return ScoreSums(items, full_marks).point_rates(blueprint, by, point)


class ScoreSums:
    """A paper's scores as the sums of :func:`knowledge_point_rates` need them, made once:
    points earned (missing = 0) and whether each question is scored, per student. Every
    grouping (county, 城乡, township, school, class) then costs one sparse product."""

    def __init__(self, items: pd.DataFrame, full_marks: Mapping[str, float]):
        x, self.marks = _matrix(items, full_marks)
        self.index = items.index
        self.position = {q: j for j, q in enumerate(items.columns)}
        # (C order: a frame's values come out column-major, which the sparse product would
        # copy on every call)
        self.earned = np.ascontiguousarray(np.nan_to_num(x))
        self.scored = np.ascontiguousarray(~np.isnan(x), dtype=float)

    def point_rates(self, blueprint: pd.DataFrame, by: pd.DataFrame | None = None,
                    point: str = "knowledge_point") -> pd.DataFrame:
        """:func:`knowledge_point_rates` of these scores."""
        from scipy.sparse import csr_matrix

        position, marks = self.position, self.marks
        unknown = sorted(set(blueprint["question"]) - set(position), key=str)
        if unknown:
            raise EduqaError.of("paper.statistics.point_rates.blueprint_names_question_which",
                                unknown=list(map(str, unknown)))
        keys: Sequence[str] = list(by.columns) if by is not None else []
        if by is not None:
            codes, uniques = group_ids(by.reindex(self.index).reset_index(drop=True), list(keys))
        else:
            codes, uniques = np.zeros(len(self.index), dtype=np.int64), pd.DataFrame(index=[0])
        valid = codes >= 0
        # one sparse groups × students indicator times the score matrix: every group's sums
        # of every question at once (a bincount per question copies the column each time)
        indicator = csr_matrix((np.ones(int(valid.sum())), (codes[valid], np.flatnonzero(valid))),
                               shape=(len(uniques), len(self.index)))
        earned = np.asarray(indicator @ self.earned)
        possible = np.asarray(indicator @ self.scored) * marks
        students = np.bincount(codes[valid], minlength=len(uniques))
        rows = []
        for name, questions in blueprint.groupby(point, sort=True)["question"]:
            at = sorted({position[q] for q in questions})
            got, out_of = earned[:, at].sum(axis=1), possible[:, at].sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = np.where(out_of > 0, got / out_of, np.nan)
            part = uniques.copy()
            part[point] = name
            part["questions"] = len(at)
            part["full_marks"] = marks[at].sum()
            part["n"] = students
            part["rate"] = rate
            rows.append(part)
        columns = [*keys, point, "questions", "full_marks", "n", "rate"]
        if not rows:
            return pd.DataFrame(columns=columns)
        return pd.concat(rows, ignore_index=True)[columns].sort_values(
            [*keys, point], kind="stable").reset_index(drop=True)
