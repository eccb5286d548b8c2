"""Display labels: canonical name -> Chinese / English label (columns from the registry).

Tables, figures and Excel sheets all take their headers from here, so a name is spelled the same
way everywhere. Canonical names are the column and value names used in the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from eduqa.config.columns import COLUMNS

__all__ = ["LABELS", "VALUE_LABELS", "KIND_LABELS", "label", "relabel", "SUBJECT_ORDER"]

#: Labels of canonical *values* (subjects, urban–rural categories, statuses, model terms and
#: verdicts) and of the workbook's sheets: value -> (zh, en). Column headers live in the
#: column registry (:mod:`eduqa.config.columns`).
VALUE_LABELS: dict[str, tuple[str, str]] = {
    # subjects
    "chinese": ("语文", "Chinese"),
    "math": ("数学", "Mathematics"),
    "english": ("英语", "English"),
    "science": ("科学", "Science"),
    "physics": ("物理", "Physics"),
    "chemistry": ("化学", "Chemistry"),
    "biology": ("生物", "Biology"),
    "geography": ("地理", "Geography"),
    "history": ("历史", "History"),
    "morality_law": ("道德与法治", "Morality and law"),
    "total": ("总分", "Total"),
    # identifiers and groups
    "county": ("全县", "County"),
    "town_rural": ("城乡类别", "Urban-rural status"),
    "staffing_terms": ("缺编与教非所学", "Shortage and out-of-field"),
    "control_terms": ("规模与寄宿等", "Size, boarding and other controls"),
    # urban-rural categories
    "urban": ("城区", "Urban"),
    "town": ("镇区", "Town"),
    "rural": ("乡村", "Rural"),
    # statuses
    "sat": ("实考", "Sat"),
    "absent": ("缺考", "Absent"),
    "voided": ("作弊/违纪", "Voided"),
    "exempt": ("免考", "Exempt"),
    "invalid": ("无效分数", "Invalid score"),
    # attribution
    "log_enrollment": ("学校规模（对数）", "School size (log)"),
    "prior_z": ("上一学年成绩", "Prior score"),
    "prior_z_school_mean": ("学校上一学年平均成绩（生源）", "School mean prior score (intake)"),
    "Intercept": ("截距", "Intercept"),
    "base": ("未加入师资变量时", "Without staffing terms"),
    "full": ("加入师资变量后", "With staffing terms"),
    "all": ("合计", "All"),
    "CR2": ("CR2 稳健标准误", "CR2 robust"),
    "bootstrap": ("学校聚类自助法", "Cluster bootstrap"),
    "explained": ("可解释部分", "Explained"),
    "unexplained": ("未解释部分", "Unexplained"),
    "above": ("高于预期", "Above expectation"),
    "below": ("低于预期", "Below expectation"),
    "as_expected": ("与预期无显著差异", "As expected"),
    # trends
    "improved": ("明显进步", "Improved"),
    "fell_back": ("明显退步", "Fell back"),
    "no_clear_change": ("变化不明显", "No clear change"),
    "small": ("人数过少，不作判断", "Too small to judge"),
    "only_now": ("仅本次", "Only now"),
    "only_before": ("仅上次", "Only before"),
    # classes (docs/METHODS.md §E)
    "between_schools": ("学校之间", "Between schools"),
    "between_classes": ("同校班级之间", "Between classes of a school"),
    "within_classes": ("班级内学生之间", "Within classes"),
    # the paper (试卷分析, docs/METHODS.md §D)
    "blank": ("未作答", "Blank"),
    "rasch": ("Rasch 模型", "Rasch"),
    "2pl": ("两参数模型（2PL）", "2PL"),
    # workbook sheets
    "county_subjects": ("全县各学科", "County by subject"),
    "school_total": ("各校总分", "Schools (total)"),
    "school_subjects": ("各校各学科", "Schools by subject"),
    "county_comparison": ("与上年同年级比较", "Against last year"),
    "township_table": ("各乡镇", "Townships"),
    "urban_rural_table": ("城乡", "Urban-rural"),
    "gap_means": ("城乡差距_平均分", "Urban-rural gap (mean)"),
    "gap_rates": ("城乡差距_各率", "Urban-rural gap (rates)"),
    "bands": ("分数段", "Score bands"),
    "score_lines": ("分数线", "Score lines"),
    "subject_balance": ("学科均衡", "Subject balance"),
    "cv_scores": ("差异系数_成绩", "CV of scores"),
    "cv_resources": ("差异系数_师资", "CV of resources"),
    "staffing_schools": ("各校师资", "Staffing by school"),
    "staffing_groups": ("城乡师资", "Staffing urban-rural"),
    "staffing_subjects": ("分学科师资", "Staffing by subject"),
    "targets": ("目标完成", "Targets"),
    "near_lines": ("临界生", "Near the lines"),
    "models": ("模型概要", "Models"),
    "coefficients": ("模型系数", "Coefficients"),
    "gelbach_table": ("Gelbach分解", "Gelbach"),
    "oaxaca_table": ("OB分解", "Oaxaca-Blinder"),
    "shapley_table": ("Shapley分解", "Shapley R2"),
    "school_effects": ("学校效应", "School effects"),
    "county_trend": ("历年全县", "County trend"),
    "school_change": ("学校进退步", "School change"),
    "value_added": ("增值评价", "Value added"),
    "target_trend": ("历年目标完成", "Targets over seasons"),
    "class_total": ("各班总分", "Classes (total)"),
    "variance_levels": ("校际班际方差", "Variance by level"),
    "teacher_table": ("任课教师", "Teachers of record"),
    "class_subjects": ("各班各学科平均分", "Class means by subject"),
    "parallel_classes": ("平行班均衡", "Parallel classes"),
    "paper_summary": ("试卷总体", "Papers"),
    "question_table": ("小题分析", "Questions"),
    "option_table": ("选项分析", "Options"),
    "knowledge_points": ("知识点得分率", "Knowledge points"),
    "ability_levels": ("能力层级得分率", "Ability levels"),
    "knowledge_townships": ("各乡镇知识点", "Knowledge points by township"),
    "knowledge_schools": ("各校知识点", "Knowledge points by school"),
    "knowledge_classes": ("各班知识点", "Knowledge points by class"),
    "dif_table": ("城乡项目功能差异", "Urban-rural DIF"),
    "irt_items": ("IRT题目参数", "IRT item parameters"),
    "irt_fit": ("IRT模型比较", "IRT model fit"),
}

#: Every display label: the column registry's headers and :data:`VALUE_LABELS`.
LABELS: dict[str, tuple[str, str]] = {**{c.name: (c.zh, c.en) for c in COLUMNS.values()},
                                      **VALUE_LABELS}

SUBJECT_ORDER = [
    "chinese", "math", "english", "science", "physics", "chemistry", "biology",
    "geography", "history", "morality_law", "total",
]


def label(name: str, language: str = "zh") -> str:
    """Display label of a canonical name; unknown names are returned unchanged."""
    column = COLUMNS.get(name)  # (the registry, read at call time: a column registered
    if column is not None:      # for a while is labelled too)
        return column.en if language == "en" else column.zh
    pair = VALUE_LABELS.get(name)
    if pair is None:
        return name
    return pair[1] if language == "en" else pair[0]


def relabel(frame: pd.DataFrame, language: str = "zh", *, values: Iterable[str] = (),
            extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with display labels for its columns (and for the values of the
    columns named in ``values``, e.g. ``subject`` or ``urban_rural``)."""
    out = frame.copy()
    for column in values:
        if column in out.columns:
            out[column] = out[column].map(lambda v: label(v, language) if isinstance(v, str) else v)
    mapping = {c: label(c, language) for c in out.columns}
    if extra:
        mapping.update(extra)
    return out.rename(columns=mapping)


#: Every ``kind`` code the clean step writes into the cleaning log, with its display words
#: (Chinese, English). The clean step sets the code where it makes the entry; nothing here
#: reads the English ``reason`` sentence.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "duplicate_row": ("重复行（保留一行）", "duplicate row (one kept)"),
    "conflicting_duplicate": ("同一学生多行且成绩不一致（全部排除）",
                              "same student on several rows with different scores (all excluded)"),
    "blank_row": ("空行", "blank row"),
    "no_student_id": ("缺少学生编号", "no student id"),
    "no_school": ("缺少学校", "no school"),
    "not_examined_row": ("所在学校各科均无成绩（未参加考试）", "no score at all at this school"),
    "subject_not_listed": ("学科不在本次参数中", "subject not in the season params"),
    "status_marker": ("缺考/作弊/免考标记", "absent / voided / exempt marker"),
    "blank_cell_absent": ("空白成绩按缺考处理", "blank score counted as absent"),
    "out_of_range": ("分数超出 0 至满分", "score outside 0 to full marks"),
    "not_a_score": ("无法识别的成绩", "unreadable score"),
    "text_recoded": ("文本成绩已规范（全角数字、空格、“分”字）",
                     "score text normalised (full-width digits, spaces, 分)"),
    "total_disagrees": ("总分与各科之和不符（按各科之和重算）",
                        "total differs from the sum of subjects (recomputed)"),
    "school_alias": ("学校名称为别名（已匹配）", "school written by an alias (matched)"),
    "personal_data": ("姓名、学号等个人信息（不保存）", "names and ids (never stored)"),
    "unused_column": ("分析未用到的列", "column not used"),
    "title_line": ("表头上方的标题行", "title line above the header"),
    "not_examined": ("某校整科空白（视为未考）", "subject blank for a whole school"),
    "no_staffing": ("缺少该校师资数据", "school missing from the staffing file"),
    "invisible_characters": ("学校名称中的不可见字符已去除（如零宽空格）",
                             "invisible characters removed from a school name (e.g. U+200B)"),
    "class_renamed": ("班级名称已统一写法（如“(1)班”“一班”记为“1班”）",
                      "class name written one way (e.g. (1)班, 一班 as 1班)"),
    "item_student_unknown": ("小题分中的学生不在成绩表中", "pupil of the item scores not in the score export"),
    "item_not_sat": ("该生本科无有效成绩（缺考、免考或无效，小题分不计）",
                     "no valid score in the subject (absent, exempt or invalid)"),
    "item_sum_mismatch": ("小题分之和与本科成绩不符（该行不计）",
                          "question scores do not sum to the subject score (row not used)"),
    "item_invalid": ("小题得分超出 0 至该题满分或无法识别", "question score outside 0 to its full marks"),
    "other": ("其他", "other"),
}
