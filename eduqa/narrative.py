"""Plain-language sentences generated from the numbers, in Chinese (default) or English.

Each function takes the tables a page shows and returns Markdown text; nothing here computes a
statistic of its own beyond picking the largest or smallest value to mention.
"""

from __future__ import annotations

import pandas as pd

from .labels import label
from .quality import KIND_LABELS

__all__ = ["HEADINGS", "heading", "clean_summary", "county_overview", "school_overview",
           "pct", "num"]

HEADINGS = {
    "clean": ("数据清洗与数据质量", "Data cleaning and data quality"),
    "rows": ("原始数据行的去向", "What happened to every raw row"),
    "changes": ("单元格修改与标记", "Cells changed or marked"),
    "absence_subject": ("各学科缺考情况", "Absence by subject"),
    "absence_school": ("缺考率较高的学校", "Schools with the highest absence"),
    "aliases": ("通过别名匹配的学校", "Schools matched through an alias"),
    "indicators": ("成绩指标分析", "Exam indicators"),
    "county": ("全县总体情况", "County overview"),
    "schools": ("各学校一分三率", "Schools: mean and rates"),
    "distribution": ("各学科分数分布", "Score distributions"),
}


def heading(key: str, language: str = "zh", level: int = 2) -> str:
    zh, en = HEADINGS[key]
    return f"{'#' * level} {en if language == 'en' else zh}"


def pct(value: float, digits: int = 1) -> str:
    return "—" if pd.isna(value) else f"{value * 100:.{digits}f}%"


def num(value: float, digits: int = 1) -> str:
    if pd.isna(value):
        return "—"
    return f"{value:,.{digits}f}" if digits else f"{value:,.0f}"


def clean_summary(accounting: pd.DataFrame, log: pd.DataFrame, language: str = "zh") -> str:
    """Rows read, kept and excluded, with the reasons, in one or two sentences."""
    counts = dict(zip(accounting["item"], accounting["n_rows"]))
    rows_in, kept = counts["rows_in"], counts["rows_kept"]
    excluded = {k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("excluded:")}
    changed = int(log["action"].isin(["recode", "status", "set_invalid",
                                      "recompute_total"]).sum())
    zh = language != "en"
    parts = [f"{KIND_LABELS[k][0 if zh else 1]} {n:,} {'行' if zh else 'rows'}"
             for k, n in sorted(excluded.items(), key=lambda item: -item[1])]
    if zh:
        text = f"本次共读入原始成绩 {rows_in:,} 行，保留 {kept:,} 行"
        text += f"，排除 {rows_in - kept:,} 行（{'；'.join(parts)}）" if parts else "，没有排除任何行"
        text += f"。另有 {changed:,} 个单元格被规范或标记。每一处改动和排除都记录在清洗日志中，" \
                "原始文件未作任何修改。"
    else:
        text = f"{rows_in:,} raw score rows were read and {kept:,} kept"
        text += f"; {rows_in - kept:,} were excluded ({'; '.join(parts)})" if parts else \
            "; none was excluded"
        text += f". {changed:,} cells were normalised or marked. Every change and exclusion is " \
                "in the cleaning log; the raw files are unchanged."
    return text


def county_overview(county: pd.DataFrame, full_marks: dict, language: str = "zh") -> str:
    """The county's total and its weakest subject by score rate."""
    zh = language != "en"
    total = county[county["subject"] == "total"]
    subjects = county[county["subject"] != "total"]
    sentences = []
    if len(total):
        row = total.iloc[0]
        if zh:
            sentences.append(
                f"全县 {row['n_enrolled']:,} 名应考学生中 {row['n_sat']:,} 人各科全部参考，"
                f"总分平均 {num(row['mean'])} 分（满分 {full_marks['total']:g}），"
                f"及格率 {pct(row['pass_rate'])}，优秀率 {pct(row['excellent_rate'])}，"
                f"低分率 {pct(row['low_rate'])}。")
        else:
            sentences.append(
                f"Of {row['n_enrolled']:,} enrolled students, {row['n_sat']:,} sat every subject; "
                f"the mean total is {num(row['mean'])} of {full_marks['total']:g}, with pass rate "
                f"{pct(row['pass_rate'])}, excellent rate {pct(row['excellent_rate'])} and "
                f"low-score rate {pct(row['low_rate'])}.")
    if len(subjects) > 1:
        weakest = subjects.loc[subjects["score_rate"].idxmin()]
        strongest = subjects.loc[subjects["score_rate"].idxmax()]
        if zh:
            sentences.append(
                f"得分率最低的学科是{label(weakest['subject'])}（{pct(weakest['score_rate'])}，"
                f"及格率 {pct(weakest['pass_rate'])}），最高的是{label(strongest['subject'])}"
                f"（{pct(strongest['score_rate'])}）。")
        else:
            sentences.append(
                f"The weakest subject by score rate is {label(weakest['subject'], 'en')} "
                f"({pct(weakest['score_rate'])}, pass rate {pct(weakest['pass_rate'])}); the "
                f"strongest is {label(strongest['subject'], 'en')} "
                f"({pct(strongest['score_rate'])}).")
    return "".join(sentences) if zh else " ".join(sentences)


def school_overview(table: pd.DataFrame, min_group_size: int, language: str = "zh") -> str:
    """Best and weakest school by composite, and how many were too small to rank."""
    zh = language != "en"
    ranked = table[table["rank"].notna()].sort_values("rank")
    small = int(table["small_group"].sum())
    if ranked.empty:
        return "没有可排名的学校。" if zh else "No school can be ranked."
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    spread = best["mean"] - worst["mean"]
    if zh:
        text = (f"按综合指数，{len(ranked)} 所学校中最高的是{best['school_name']}"
                f"（{num(best['composite'])}，平均分 {num(best['mean'])}），最低的是"
                f"{worst['school_name']}（{num(worst['composite'])}，平均分 {num(worst['mean'])}），"
                f"两校平均分相差 {num(spread)} 分。")
        if small:
            text += f"另有 {small} 所学校参考人数不足 {min_group_size} 人，只列出不排名。"
    else:
        text = (f"By composite index, the best of {len(ranked)} schools is {best['school_name']} "
                f"({num(best['composite'])}, mean {num(best['mean'])}) and the weakest is "
                f"{worst['school_name']} ({num(worst['composite'])}, mean {num(worst['mean'])}), "
                f"{num(spread)} points apart.")
        if small:
            text += (f" {small} schools with fewer than {min_group_size} students are listed "
                     "but not ranked.")
    return text
