"""The 试卷分析 page's sentences, in Chinese (default) or English, from its tables
(:mod:`eduqa.paper.tables`). Like :mod:`eduqa.text.narrative`, nothing here computes a statistic beyond
picking what to mention; every sentence reads right whatever the sign and size of the numbers,
and for a season without item data.
"""

from __future__ import annotations

import pandas as pd

from eduqa.catalog import joined, pairs, say
from eduqa.config.labels import label
from eduqa.paper.tables import MIN_GRADED_QUESTIONS, MIN_IRT_QUESTIONS, MIN_IRT_STUDENTS
from eduqa.text.narrative import markdown_heading, num, pct
from eduqa.text.numbers import display_number

__all__ = ["PAPER_SECTIONS", "graded_overview", "paper_section", "no_papers", "question_name", "dif_caption",
           "curves_caption", "paper_overview",
           "question_overview", "option_overview", "points_overview", "dif_overview",
           "irt_overview"]

PAPER_SECTIONS = pairs("paper.text.paper_sections")


def paper_section(key: str, language: str = "zh", level: int = 2) -> str:
    """A heading of the paper page (``title`` is the page title)."""
    return markdown_heading(PAPER_SECTIONS, key, language, level)


def _none(language: str) -> str:
    return say("paper.text.none.no_item_scores_this", language)


def no_papers(language: str = "zh") -> str:
    """The page's one line for a season without item-level scores."""
    return say("paper.text.no_papers.this_season_has_no", language)


def question_name(subject: str, question: object, language: str = "zh") -> str:
    """数学第7题 / Mathematics Q7."""
    return say("paper.text.question_name.q", language, subject=label(subject, language),
               question=question)


def dif_caption(dif: pd.DataFrame, language: str = "zh") -> str:
    """The DIF table's caption, naming its two groups."""
    from eduqa.text.captions import caption

    if dif.empty:
        return caption("dif_table", language, dif, reference="—", focal="—")
    groups = {g: label(dif[g].iloc[0], language) for g in ("reference", "focal")}
    if language == "en":
        groups = {g: name.lower() for g, name in groups.items()}
    return caption("dif_table", language, dif, **groups)


def curves_caption(fit: pd.DataFrame, language: str = "zh") -> str:
    """The item characteristic curves' caption: the most pupils any paper's fit used."""
    from eduqa.text.captions import caption

    return caption("item_curves", language, students=int(fit["n_students"].max())
                   if len(fit) else 0)


def _decimal(value: float) -> str:
    return display_number(value, "precise")


def paper_overview(summary: pd.DataFrame, language: str = "zh") -> str:
    """Each paper's size, mean, difficulty and α in one sentence each."""
    zh = language != "en"
    if summary.empty:  # (the page's title already says why)
        return _none(language)
    lines = []
    for row in summary.itertuples(index=False):
        subject = label(row.subject, language)
        text = say("paper.text.paper_overview.questions_marks_mean_difficulty", zh,
                   subject=subject, k=row.k, full_marks=num(row.full_marks, 0),
                   mean=num(row.mean_score), difficulty=_decimal(row.difficulty),
                   alpha=_decimal(row.alpha), sem=num(row.sem_points))
        if row.n_incomplete:
            text += say("paper.text.paper_overview.pupils_with_questions_missing", zh,
                        n_incomplete=row.n_incomplete)
        lines.append(f"- {text}")
    note = say("paper.text.paper_overview.or_more_usually_means", zh)
    return "\n".join(lines) + "\n\n" + note


#: The review rules a question may meet, in the order they are named (the words: the column
#: registry's labels, lower case in English).
_REASONS = ("negative_discrimination", "low_discrimination", "too_hard", "too_easy")


def question_overview(questions: pd.DataFrame, language: str = "zh") -> str:
    """How many questions the review rules flag, and each one with its reasons."""
    zh = language != "en"
    if questions.empty:
        return _none(language)
    flagged = questions[questions["flagged"].astype(bool)]
    if flagged.empty:
        return say("paper.text.question_overview.none_questions_meets_review", zh,
                   n_questions=len(questions))
    parts = []
    for row in flagged.itertuples(index=False):
        met = [column for column in _REASONS if getattr(row, column)]
        if row.negative_discrimination:  # "low" is implied by "negative"
            met = [column for column in met if column != "low_discrimination"]
        reasons = [label(column, language) if zh else label(column, language).lower()
                   for column in met]
        figures = say("paper.text.question_overview.score_rate_discrimination", zh,
                      difficulty=pct(row.difficulty), discrimination=_decimal(row.discrimination))
        named = joined(reasons, language)
        parts.append(say("paper.text.question_overview.text", zh,
                         subject=question_name(row.subject, row.question, language), joined=named,
                         figures=figures))
    head = say("paper.text.question_overview.questions_meet_review_rule", zh,
               n_questions=len(questions), n_flagged=len(flagged))
    tail = say("paper.text.question_overview.negative_discrimination_means_pupils", zh)
    show_tail = bool(flagged["negative_discrimination"].astype(bool).any())
    return head + "\n\n" + "\n".join(parts) + ("\n\n" + tail if show_tail else "")


def option_overview(options: pd.DataFrame, language: str = "zh", *,
                    present: bool = True) -> str:
    """The wrong options that draw the high group more than the low group (``present``:
    the season has item scores at all)."""
    zh = language != "en"
    if not present:
        return _none(language)
    if options.empty:
        return say("paper.text.option_overview.there_no_options_show", zh)
    strong = options[options["attracts_strong"].astype(bool)]
    if strong.empty:
        return say("paper.text.option_overview.no_wrong_option_drew", zh)
    parts = []
    for row in strong.itertuples(index=False):
        name = question_name(row.subject, row.question, language)
        option = label(row.option, language)
        parts.append(say("paper.text.option_overview.option_high_group_low", zh, name=name,
                         option=option, share_high_group=pct(row.share_high_group),
                         share_low_group=pct(row.share_low_group)))
    head = say("paper.text.option_overview.these_wrong_options_drew", zh)
    return head + "\n\n" + "\n".join(parts)


def points_overview(points: pd.DataFrame, language: str = "zh",
                    point: str = "knowledge_point") -> str:
    """The weakest points of each paper, and where rural pupils trail urban ones most (or
    lead)."""
    zh = language != "en"
    if points.empty:  # one sentence for both tables
        return _none(language) if point == "knowledge_point" else ""
    what = say(f"paper.text.points_overview.{point}", zh)
    lines = []
    for subject, part in points.groupby("subject", sort=False):
        weakest = part[part["weakest"].astype(bool)].sort_values("score_rate", kind="stable")
        named = [say("paper.text.points_overview.text", zh, value1=row[point],
                     row_score_rate=pct(row["score_rate"])) for _, row in weakest.iterrows()]
        subject_name = label(subject, language)
        if named:
            text = say("paper.text.points_overview.weakest", zh, subject_name=subject_name,
                       what=what, named=list(named), value1="are" if len(named) > 1 else "is")
        else:  # one point: nothing to call weakest
            text = say("paper.text.points_overview.one_only_score_rate", zh,
                       subject_name=subject_name, what=what, value1=part[point].iloc[0],
                       value2=pct(part["score_rate"].iloc[0]), value3=what.rstrip("s"))
        gap = (part["rate_urban"] - part["rate_rural"]).dropna()
        if len(gap):
            widest = part.loc[gap.idxmax()]
            narrowest = part.loc[gap.idxmin()]
            size = gap.max()
            if size > 0:
                text += say("paper.text.points_overview.rural_schools_trail_urban", zh,
                            value1=widest[point], widest_rate_rural=pct(widest["rate_rural"]),
                            widest_rate_urban=pct(widest["rate_urban"]))
            else:
                text += say("paper.text.points_overview.rural_schools_score_at", zh, what=what,
                            value1=narrowest[point],
                            narrowest_rate_rural=pct(narrowest["rate_rural"]),
                            narrowest_rate_urban=pct(narrowest["rate_urban"]))
        lines.append(f"- {text}")
    return "\n".join(lines)


def dif_overview(dif: pd.DataFrame, language: str = "zh", *, present: bool = True) -> str:
    """The questions of class C (and B) with the group each favours, or that there are none
    (``present``: the season has item scores at all)."""
    zh = language != "en"
    if not present:
        return _none(language)
    if dif.empty:
        return say("paper.text.dif_overview.county_schools_one_urban", zh)
    reference, focal = dif["reference"].iloc[0], dif["focal"].iloc[0]
    ref_name, focal_name = label(reference, language), label(focal, language)
    classes = dif["ets"].fillna("")
    large = dif[classes.isin(["C", "CC"])]
    moderate = dif[classes.isin(["B", "BB"])]
    judged = int((classes != "").sum())
    unjudged = len(dif) - judged
    steps = int(((classes != "") & ~dif["dichotomous"].astype(bool)).sum()) \
        if "dichotomous" in dif else 0
    if judged == 0:  # never a verdict for an analysis that was not run
        return say("paper.text.dif_overview.none_papers_questions_scored", zh, n_dif=len(dif))
    text = say("paper.text.dif_overview.comparing_with_steps" if steps else
               "paper.text.dif_overview.comparing_pupils_same_total", zh, ref_name=ref_name,
               focal_name=focal_name, judged=judged, steps=steps,
               ref_name_lower=ref_name.lower(), focal_name_lower=focal_name.lower())

    def listed(rows: pd.DataFrame) -> str:
        names = []
        for row in rows.itertuples(index=False):
            easier = label(row.favours, language) if row.favours else ""
            names.append(say("paper.text.listed.easier_for_pupils", zh,
                             subject=question_name(row.subject, row.question, language),
                             easier=easier, easier_lower=easier.lower()))
        return say("words.list_semicolon", zh, items=names)

    if large.empty:
        text += say("paper.text.dif_overview.no_question_shows_large", zh)
    else:
        text += say("paper.text.dif_overview.large_c_difference", zh, large=listed(large),
                    value1="shows" if len(large) == 1 else "show")
    if len(moderate):
        text += say("paper.text.dif_overview.moderate_b", zh, moderate=listed(moderate))
    if steps:
        text += say("paper.text.dif_overview.steps_rule", zh)
    if unjudged:
        text += say("paper.text.dif_overview.other_question_scored_several", zh, unjudged=unjudged,
                    value1="s" if unjudged > 1 else "")
    text += say("paper.text.dif_overview.these_questions_two_groups", zh)
    return text


def irt_overview(fit: pd.DataFrame, left_out: dict[str, tuple[int, int]],
                 language: str = "zh") -> str:
    """Which model fits each paper's objective questions better, and the papers left out."""
    zh = language != "en"
    lines = []
    for subject, part in fit.groupby("subject", sort=False):
        aic = part.set_index("irt_model")["aic"]
        better = "2pl" if aic["2pl"] < aic["rasch"] else "rasch"
        difference = abs(aic["rasch"] - aic["2pl"])
        name = label(subject, language)
        lines.append(say("paper.text.irt_overview.has_lower_aic_by", zh, name=name,
                         better=label(better, language), difference=num(difference))
                     + (say("paper.text.irt_overview.questions_do_differ_discrimination", zh) if better == "2pl" else
                        say("paper.text.irt_overview.equal_discrimination_fits_data", zh)))
    for subject, (questions, pupils) in left_out.items():
        name = label(subject, language)
        if questions == 0:
            lines.append(say("paper.text.irt_overview.paper_has_no_right", zh, name=name))
            continue
        lines.append(say("paper.text.irt_overview.right_wrong_questions_answered", zh, name=name,
                         questions=questions, pupils=pupils, min_irt_questions=MIN_IRT_QUESTIONS,
                         min_irt_students=MIN_IRT_STUDENTS))
    if not lines:
        return _none(language)
    return "\n".join(lines)


#: A question of the graded model whose discrimination is below this is flagged for review
#: (as a corrected item–total correlation below 0.2 is on the question table).
WEAK_DISCRIMINATION = 0.3


def graded_overview(fit: pd.DataFrame, graded: pd.DataFrame,
                    left_out: dict[str, tuple[int, int]], language: str = "zh") -> str:
    """The graded response model of each paper's questions scored in steps: the most and
    least discriminating question, the questions that discriminate little, and the papers
    it was not run on and why (empty when no paper has such questions)."""
    zh = language != "en"
    lines = []
    for row in fit.itertuples(index=False):
        name = label(row.subject, language)
        a = graded[graded["subject"] == row.subject].drop_duplicates("question").set_index(
            "question")["a"]
        text = say("paper.text.graded_overview.fitted", zh, name=name, questions=row.questions,
                   pupils=row.n_students, best=a.idxmax(), best_a=_decimal(a.max()),
                   worst=a.idxmin(), worst_a=_decimal(a.min()))
        weak = [str(q) for q, value in a.items() if value < WEAK_DISCRIMINATION]
        if weak:
            text += say("paper.text.graded_overview.weak", zh, questions=weak,
                        limit=_decimal(WEAK_DISCRIMINATION))
        if not row.converged:
            text += say("paper.text.graded_overview.not_converged", zh)
        lines.append(text)
    for subject, (questions, pupils) in left_out.items():
        name = label(subject, language)
        if questions == 0:  # (a right/wrong paper: nothing to say of a model it needs not)
            continue
        if questions < MIN_GRADED_QUESTIONS:
            lines.append(say("paper.text.graded_overview.too_few_questions", zh, name=name,
                             questions=questions, least=MIN_GRADED_QUESTIONS))
        else:
            lines.append(say("paper.text.graded_overview.too_few_pupils", zh, name=name,
                             pupils=pupils, least=MIN_IRT_STUDENTS))
    return "\n".join(lines)
