"""The 试卷分析 page's sentences, in Chinese (default) or English, from its tables
(:mod:`eduqa.paper.tables`). Like :mod:`eduqa.text.narrative`, nothing here computes a statistic beyond
picking what to mention; every sentence reads right whatever the sign and size of the numbers,
and for a season without item data.
"""

from __future__ import annotations

import pandas as pd

from eduqa.config.labels import label
from eduqa.paper.tables import MIN_IRT_QUESTIONS, MIN_IRT_STUDENTS
from eduqa.text.narrative import markdown_heading, num, pct
from eduqa.text.numbers import display_number

__all__ = ["PAPER_SECTIONS", "paper_section", "no_papers", "question_name", "dif_caption",
           "curves_caption", "paper_overview",
           "question_overview", "option_overview", "points_overview", "dif_overview",
           "irt_overview"]

PAPER_SECTIONS = {
    "title": ("试卷分析", "The papers"),
    "papers": ("一、试卷总体：难度与信度", "1. The papers: difficulty and reliability"),
    "questions": ("二、小题分析：哪些题需要复查", "2. Question by question: what to review"),
    "options": ("三、客观题选项分析", "3. The options of the objective questions"),
    "points": ("四、知识点与能力层级", "4. Knowledge points and ability levels"),
    "dif": ("五、城乡学生在哪些题上差得更多（项目功能差异）",
            "5. Where rural pupils lose more than their level predicts (DIF)"),
    "irt": ("六、项目反应理论（IRT）视角", "6. An item response theory view"),
}


def paper_section(key: str, language: str = "zh", level: int = 2) -> str:
    """A heading of the paper page (``title`` is the page title)."""
    return markdown_heading(PAPER_SECTIONS, key, language, level)


def _none(language: str) -> str:
    return ("本考试季没有小题分，本节从略。" if language != "en" else
            "No item scores this season: nothing to show here.")


def no_papers(language: str = "zh") -> str:
    """The page's one line for a season without item-level scores."""
    if language == "en":
        return ("This season has no item-level scores and paper blueprints "
                "(files.items and files.blueprints in the season's params), so there is no "
                "paper analysis; the tables below are empty.")
    return ("本考试季没有提供小题分和双向细目表（参数文件中的 files.items 与 files.blueprints），"
            "因此没有试卷分析，以下各表为空。")


def question_name(subject: str, question: object, language: str = "zh") -> str:
    """数学第7题 / Mathematics Q7."""
    if language == "en":
        return f"{label(subject, language)} Q{question}"
    return f"{label(subject, language)}第{question}题"


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
        if zh:
            text = (f"{subject}试卷 {row.k} 道小题、满分 {num(row.full_marks, 0)} 分，"
                    f"平均 {num(row.mean)} 分，难度 {_decimal(row.difficulty)}，信度 α = "
                    f"{_decimal(row.alpha)}（测量标准误 {num(row.sem)} 分）。")
            if row.n_incomplete:
                text += f"{row.n_incomplete:,} 名学生的小题分不全，未计入信度。"
        else:
            text = (f"{subject}: {row.k} questions, {num(row.full_marks, 0)} marks, mean "
                    f"{num(row.mean)}, difficulty {_decimal(row.difficulty)}, α = "
                    f"{_decimal(row.alpha)} (SEM {num(row.sem)} points).")
            if row.n_incomplete:
                text += f" {row.n_incomplete:,} pupils with questions missing are not in α."
        lines.append(f"- {text}")
    note = ("α 在 0.8 以上通常说明试卷总分足以比较学生；测量标准误说明一名学生的总分大约有多大的偶然起伏。"
            if zh else "An α of 0.8 or more usually means the total can compare pupils; the "
            "SEM is how far a pupil's total may move by chance.")
    return "\n".join(lines) + "\n\n" + note


_REASONS = (("negative_discrimination", "区分度为负", "negative discrimination"),
            ("low_discrimination", "区分度偏低", "low discrimination"),
            ("too_hard", "偏难", "too hard"), ("too_easy", "偏易", "too easy"))


def question_overview(questions: pd.DataFrame, language: str = "zh") -> str:
    """How many questions the review rules flag, and each one with its reasons."""
    zh = language != "en"
    if questions.empty:
        return _none(language)
    flagged = questions[questions["flagged"].astype(bool)]
    if flagged.empty:
        return (f"{len(questions)} 道小题都没有触及复查标准。" if zh else
                f"None of the {len(questions)} questions meets a review rule.")
    parts = []
    for row in flagged.itertuples(index=False):
        reasons = [zh_word if zh else en_word for column, zh_word, en_word in _REASONS
                   if getattr(row, column)]
        if row.negative_discrimination:  # "low" is implied by "negative"
            reasons = [r for r in reasons if r not in ("区分度偏低", "low discrimination")]
        figures = (f"得分率 {pct(row.difficulty)}，区分度 {_decimal(row.discrimination)}" if zh
                   else f"score rate {pct(row.difficulty)}, discrimination "
                        f"{_decimal(row.discrimination)}")
        joined = "、".join(reasons) if zh else ", ".join(reasons)
        parts.append(f"- {question_name(row.subject, row.question, language)}："
                     f"{joined}（{figures}）" if zh else
                     f"- {question_name(row.subject, row.question, language)}: {joined} "
                     f"({figures})")
    head = (f"{len(questions)} 道小题中有 {len(flagged)} 道触及复查标准：" if zh else
            f"{len(flagged)} of the {len(questions)} questions meet a review rule:")
    tail = ("区分度为负说明总分高的学生反而更容易失分，常见原因是答案有误、题意有歧义或超出教学要求，"
            "应先核对答案和评分标准。" if zh else
            "A negative discrimination means pupils with higher totals lose more marks on the "
            "question: check the key and the marking scheme first.")
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
        return ("没有客观题的选项数据（小题分中客观题记录的是分数而不是所选选项）。" if zh else
                "There are no options to show (the objective questions were exported as "
                "scores, not the options chosen).")
    strong = options[options["attracts_strong"].astype(bool)]
    if strong.empty:
        return ("没有哪个错误选项被高分组选得比低分组多：各题的干扰项都主要吸引了低分组。" if zh else
                "No wrong option drew the high group more than the low group.")
    parts = []
    for row in strong.itertuples(index=False):
        name = question_name(row.subject, row.question, language)
        option = label(row.option, language)
        if zh:
            parts.append(f"- {name}的选项 {option}：高分组 {pct(row.share_high_group)} 选择，"
                         f"低分组 {pct(row.share_low_group)}")
        else:
            parts.append(f"- {name}, option {option}: {pct(row.share_high_group)} of the high "
                         f"group, {pct(row.share_low_group)} of the low group")
    head = ("以下错误选项被高分组选得比低分组还多，可能是题目或答案有歧义，或是学生普遍存在的误解：" if zh else
            "These wrong options drew the high group more than the low group: the question or "
            "key may be ambiguous, or the option a common misconception:")
    return head + "\n\n" + "\n".join(parts)


def points_overview(points: pd.DataFrame, language: str = "zh",
                    point: str = "knowledge_point") -> str:
    """The weakest points of each paper, and where rural pupils trail urban ones most (or
    lead)."""
    zh = language != "en"
    if points.empty:  # one sentence for both tables
        return _none(language) if point == "knowledge_point" else ""
    what = ("知识点" if point == "knowledge_point" else "能力层级") if zh else \
        ("knowledge points" if point == "knowledge_point" else "ability levels")
    lines = []
    for subject, part in points.groupby("subject", sort=False):
        weakest = part[part["weakest"].astype(bool)].sort_values("score_rate", kind="stable")
        named = [f"{row[point]}（{pct(row['score_rate'])}）" if zh else
                 f"{row[point]} ({pct(row['score_rate'])})" for _, row in weakest.iterrows()]
        subject_name = label(subject, language)
        if named:
            text = (f"{subject_name}得分率最低的{what}：{'、'.join(named)}。" if zh else
                    f"{subject_name}: the weakest {what} "
                    f"{'are' if len(named) > 1 else 'is'} {', '.join(named)}.")
        else:  # one point: nothing to call weakest
            text = (f"{subject_name}只有一个{what}（{part[point].iloc[0]}，得分率 "
                    f"{pct(part['score_rate'].iloc[0])}），无从比较。" if zh else
                    f"{subject_name}: one {what.rstrip('s')} only ({part[point].iloc[0]}, score "
                    f"rate {pct(part['score_rate'].iloc[0])}), nothing to compare.")
        gap = (part["rate_urban"] - part["rate_rural"]).dropna()
        if len(gap):
            widest = part.loc[gap.idxmax()]
            narrowest = part.loc[gap.idxmin()]
            size = gap.max()
            if size > 0:
                text += (f"乡村学校与城区差距最大的是{widest[point]}（乡村 {pct(widest['rate_rural'])}，"
                         f"城区 {pct(widest['rate_urban'])}）。" if zh else
                         f" Rural schools trail urban ones most on {widest[point]} (rural "
                         f"{pct(widest['rate_rural'])}, urban {pct(widest['rate_urban'])}).")
            else:
                text += (f"乡村学校在每个{what}上的得分率都不低于城区，领先最多的是{narrowest[point]}"
                         f"（乡村 {pct(narrowest['rate_rural'])}，城区 {pct(narrowest['rate_urban'])}）。"
                         if zh else
                         f" Rural schools score at least as well as urban ones on every one; "
                         f"most ahead on {narrowest[point]} (rural "
                         f"{pct(narrowest['rate_rural'])}, urban {pct(narrowest['rate_urban'])}).")
        lines.append(f"- {text}")
    return "\n".join(lines)


def dif_overview(dif: pd.DataFrame, language: str = "zh", *, present: bool = True) -> str:
    """The questions of class C (and B) with the group each favours, or that there are none
    (``present``: the season has item scores at all)."""
    zh = language != "en"
    if not present:
        return _none(language)
    if dif.empty:
        return ("本县学校只有一种城乡类型，无法比较城乡学生的项目功能差异。" if zh else
                "The county's schools are of one urban-rural type, so there is no "
                "urban–rural DIF.")
    reference, focal = dif["reference"].iloc[0], dif["focal"].iloc[0]
    ref_name, focal_name = label(reference, language), label(focal, language)
    large = dif[dif["ets"] == "C"]
    moderate = dif[dif["ets"] == "B"]
    judged = int((dif["ets"] != "").sum())
    unjudged = len(dif) - judged
    if judged == 0:  # never a verdict for an analysis that was not run
        return (f"这些试卷的 {len(dif)} 道题都不是按对错给分的（多分值题，如解答题、作文）。这里的项目功能差异"
                "分析（Mantel–Haenszel）只适用于按对错给分的题，本期未作此项分析，因此不能说有或没有题目存在"
                "城乡差异。" if zh else
                f"None of the papers' {len(dif)} questions is scored right/wrong (they are "
                "scored in several steps, as constructed-response questions and essays are). "
                "The Mantel–Haenszel DIF here applies to right/wrong questions only, so it was "
                "not run this season: nothing can be said either way about urban–rural "
                "differences on single questions.")
    if zh:
        text = (f"比较总分相同的{ref_name}学生和{focal_name}学生（{judged} 道按对错给分的题）：")
    else:
        text = (f"Comparing {ref_name.lower()} and {focal_name.lower()} pupils of the same "
                f"total ({judged} right/wrong questions): ")

    def listed(rows: pd.DataFrame) -> str:
        names = []
        for row in rows.itertuples(index=False):
            easier = label(row.favours, language) if row.favours else ""
            names.append(f"{question_name(row.subject, row.question, language)}"
                         f"（对{easier}学生更有利）" if zh else
                         f"{question_name(row.subject, row.question, language)} (easier for "
                         f"{easier.lower()} pupils)")
        return "、".join(names) if zh else "; ".join(names)

    if large.empty:
        text += "没有题目出现 C 级（较大）差异。" if zh else "no question shows a large (C) difference."
    else:
        text += (f"{listed(large)}出现 C 级（较大）差异。" if zh else
                 f"{listed(large)} {'shows' if len(large) == 1 else 'show'} a large (C) "
                 "difference.")
    if len(moderate):
        text += (f"B 级（中等）差异：{listed(moderate)}。" if zh else
                 f" Moderate (B): {listed(moderate)}.")
    if unjudged:
        text += (f"另有 {unjudged} 道多分值题不在这一分析之内（它只适用于按对错给分的题），对这些题不作结论。"
                 if zh else
                 f" The other {unjudged} question{'s' if unjudged > 1 else ''}, scored in "
                 "several steps, are outside this analysis (it applies to right/wrong "
                 "questions only): no conclusion is drawn about them.")
    text += ("\n\n这说明在这些题上，两类学生的差别比他们的总体水平所能解释的更大：可能是题目情境、用语或所考内容"
             "对某一类学生更陌生，值得教研员逐题查看；它不说明哪类学校教得好坏。" if zh else
             "\n\nOn these questions the two groups differ more than their overall level "
             "explains: the setting, wording or content may be less familiar to one group; "
             "worth a look question by question. It says nothing about which schools teach "
             "better.")
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
        if zh:
            lines.append(f"- {name}：{label(better, language)}的 AIC 低 {num(difference)}，"
                         + ("各题的区分度确有不同。" if better == "2pl" else
                            "各题区分度相同的假设与数据相符。"))
        else:
            lines.append(f"- {name}: the {label(better, language)} has the lower AIC (by "
                         f"{num(difference)}); "
                         + ("the questions do differ in discrimination." if better == "2pl"
                            else "equal discrimination fits the data."))
    for subject, (questions, pupils) in left_out.items():
        name = label(subject, language)
        if questions == 0:
            lines.append(f"- {name}：试卷没有按对错给分的题（都是多分值题），Rasch 和 2PL 模型只适用于"
                         "按对错给分的题，未作 IRT 分析。" if zh else
                         f"- {name}: the paper has no right/wrong question (all are scored in "
                         "several steps); the Rasch and 2PL models apply to right/wrong "
                         "questions only: no IRT view.")
            continue
        lines.append(f"- {name}：按对错给分的题只有 {questions} 道、全部作答的学生 {pupils:,} 人，"
                     f"少于 {MIN_IRT_QUESTIONS} 道题或 {MIN_IRT_STUDENTS} 人，未作 IRT 分析。" if zh
                     else f"- {name}: {questions} right/wrong questions answered in full by "
                     f"{pupils:,} pupils, under {MIN_IRT_QUESTIONS} questions or "
                     f"{MIN_IRT_STUDENTS} pupils: no IRT view.")
    if not lines:
        return _none(language)
    return "\n".join(lines)
