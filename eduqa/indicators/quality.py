"""Data-quality summaries of a clean step (the 01 page): row accounting, log counts, absence,
schools matched through an alias. DataFrame in, DataFrame out."""

from __future__ import annotations

import json

import pandas as pd

from eduqa.indicators.exam import summarize

__all__ = ["KIND_LABELS", "log_kind", "row_accounting", "log_counts", "absence",
           "alias_matches"]

#: Every ``kind`` code the clean step writes into the cleaning log, with its display words
#: (Chinese, English). The clean step sets the code where it makes the entry; nothing here
#: reads the English ``reason`` sentence.
KIND_LABELS = {
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


def log_kind(log: pd.DataFrame) -> pd.Series:
    """The ``kind`` code of each log entry (``other`` where a log made elsewhere has none)."""
    if "kind" not in log:
        return pd.Series("other", index=log.index, dtype=object)
    return log["kind"].astype(object).where(log["kind"].notna(), "other")


def row_accounting(n_rows_in: int, log: pd.DataFrame) -> pd.DataFrame:
    """Rows in, kept and excluded by reason; the identity in = kept + excluded holds by
    construction and is shown so a reader can check it.

    Returns columns ``item`` (rows_in / rows_kept / excluded:<kind>) and ``n_rows``.
    """
    excluded = log[log["action"] == "exclude_row"]
    by_kind = log_kind(excluded).value_counts().sort_index()
    rows = [("rows_in", n_rows_in), ("rows_kept", n_rows_in - len(excluded))]
    rows += [(f"excluded:{kind}", int(n)) for kind, n in by_kind.items()]
    return pd.DataFrame(rows, columns=["item", "n_rows"])


def log_counts(log: pd.DataFrame) -> pd.DataFrame:
    """Number of log entries by action and reason kind (columns action, kind, count)."""
    frame = log.assign(kind=log_kind(log))
    return (frame.groupby(["action", "kind"], sort=True).size().rename("count").reset_index())


def absence(scores: pd.DataFrame, by, full_marks) -> pd.DataFrame:
    """Absence per group and subject: n_enrolled, n_absent, absence_rate = n_absent /
    n_enrolled (exempt students are not enrolled)."""
    table = summarize(scores, by, full_marks)
    keys = [by] if isinstance(by, str) else list(by or [])
    out = table[[*keys, "subject", "n_enrolled", "n_absent"]].copy()
    out["absence_rate"] = out["n_absent"] / out["n_enrolled"].where(out["n_enrolled"] > 0)
    return out


def alias_matches(log: pd.DataFrame) -> pd.DataFrame:
    """Schools written by an alias: the spelling met, the school it was matched to, rows."""
    part = log[log["action"] == "map_school"]
    if part.empty:
        return pd.DataFrame(columns=["original_value", "school_name", "n_rows"])
    school = part["detail"].map(lambda detail: json.loads(detail)["school_name"])
    return (part.assign(school_name=school)
            .groupby(["original_value", "school_name"], sort=True).size()
            .rename("n_rows").reset_index())


def label_items(frame: pd.DataFrame, column: str, language: str = "zh") -> pd.DataFrame:
    """Replace the ``item`` / ``kind`` codes of these tables by display words."""
    words = {"rows_in": ("读入的原始数据行", "raw data rows read"),
             "rows_kept": ("保留的行", "rows kept")}
    index = 1 if language == "en" else 0

    def one(code: str) -> str:
        if code in words:
            return words[code][index]
        if code.startswith("excluded:"):
            prefix = ("排除：", "excluded: ")[index]
            return prefix + KIND_LABELS.get(code.split(":", 1)[1], KIND_LABELS["other"])[index]
        return KIND_LABELS.get(code, (code, code))[index]

    out = frame.copy()
    out[column] = out[column].map(one)
    return out


_ACTIONS = {
    "exclude_row": ("排除整行", "row excluded"), "recode": ("规范文本", "text normalised"),
    "status": ("状态标记", "status marked"), "set_invalid": ("判为无效", "set invalid"),
    "recompute_total": ("重算总分", "total recomputed"), "map_school": ("学校别名", "alias"),
    "skip_title": ("跳过标题行", "title line skipped"),
    "drop_column": ("删除个人信息列", "personal column dropped"),
    "ignore_column": ("未使用的列", "column not used"),
    "not_examined": ("学科未考", "subject not examined"),
    "missing_staffing": ("缺少师资数据", "no staffing row"),
}


def label_actions(frame: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """Display words for the ``action`` column of the log tables."""
    index = 1 if language == "en" else 0
    out = frame.copy()
    out["action"] = out["action"].map(lambda a: _ACTIONS.get(a, (a, a))[index])
    return out
