"""Plain-language sentences generated from the numbers, in Chinese (default) or English.

Each function takes the tables a page shows and returns Markdown text; nothing here computes a
statistic of its own beyond picking the largest or smallest value to mention.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.config.labels import KIND_LABELS, label
from eduqa.rules import MIN_CLUSTERS
from eduqa.text.numbers import display_number

__all__ = ["plan_note", "HEADINGS", "heading", "clean_summary", "county_overview", "school_overview",
           "pct", "num"]

HEADINGS = {
    "clean": ("数据清洗与数据质量", "Data cleaning and data quality"),
    "rows": ("原始数据行的去向", "What happened to every raw row"),
    "changes": ("单元格修改与标记", "Cells changed or marked"),
    "absence_subject": ("各学科缺考情况", "Absence by subject"),
    "absence_school": ("缺考率较高的学校", "Schools with the highest absence"),
    "aliases": ("通过别名匹配的学校", "Schools matched through an alias"),
    "checks": ("运行前检查", "Checks before the run"),
    "indicators": ("成绩指标分析", "Exam indicators"),
    "county": ("全县总体情况", "County overview"),
    "schools": ("各学校一分三率", "Schools: mean and rates"),
    "distribution": ("各学科分数分布", "Score distributions"),
    "attribution": ("差距与哪些条件有关：城乡、教师缺编与教非所学（关联分析）",
                    "What the gaps go with: rural status, teacher shortage, out-of-field teaching "
                    "(associations)"),
}


def _heading(table: dict, key: str, language: str, level: int) -> str:
    """A Markdown heading from one of the (zh, en) heading tables of this module."""
    zh, en = table[key]
    return f"{'#' * level} {en if language == 'en' else zh}"


def heading(key: str, language: str = "zh", level: int = 2) -> str:
    return _heading(HEADINGS, key, language, level)


def pct(value: float, digits: int = 1) -> str:
    """A share as a percent, rounded as the workbook shows it; '—' when missing."""
    return "—" if pd.isna(value) or not np.isfinite(value) else display_number(
        value, "percent", digits=digits)


def num(value: float, digits: int = 1) -> str:
    """A number with separators, rounded as the workbook shows it; '—' when missing."""
    return "—" if pd.isna(value) or not np.isfinite(value) else display_number(
        value, "number", digits=digits)


def check_notes(findings, language: str = "zh") -> str:
    """The warnings of :func:`eduqa.project.checks.season_checks` as a list (errors stop the run, so a
    built report only ever has warnings and notes), or one sentence saying there were none."""
    warnings = [f.render(language) for f in findings if f.severity != "error"]
    if not warnings:
        return ("运行前检查（满分设置、各校各学科是否有成绩、模型项、及格与优秀线）没有发现问题。"
                if language == "zh" else "The checks before the run (full marks, a score in "
                "every subject at every school, model terms, pass and excellent lines) found "
                "nothing to report.")
    intro = (f"运行前检查有 {len(warnings)} 条提醒，报告照常生成，但请核对：" if language == "zh"
             else f"The checks before the run left {len(warnings)} warning(s); the report is "
                  "built as usual, but please check:")
    return intro + "\n\n" + "\n".join("- " + text.replace("\n", " ") for text in warnings)


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


def _points(value: float) -> str:
    return f"{round(value, 1):g}"


#: The lines :func:`lines_used` states, with their names.
_LINE_NAMES = {"pass_line": ("及格", "pass"), "good": ("良好", "good"),
               "excellent": ("优秀", "excellent"), "low": ("低分", "low-score")}


def lines_used(thresholds, full_marks: dict, points: dict | None = None,
               language: str = "zh") -> str:
    """The season's pass, good, excellent and low-score lines as shares of full marks and in
    points (of the total, and of each subject's full marks), and which were set in points."""
    zh = language != "en"
    subjects = {k: v for k, v in full_marks.items() if k != "total"}
    total = full_marks["total"]
    marks_used = sorted(set(subjects.values()), reverse=True)  # the subjects' full marks
    parts = []
    for key, (name_zh, name_en) in _LINE_NAMES.items():
        share = getattr(thresholds, key)
        if len(subjects) <= 1:
            inside = (f"总分 {_points(share * total)} 分" if zh
                      else f"total {_points(share * total)}")
        elif len(marks_used) == 1:
            inside = (f"总分 {_points(share * total)} 分，各科 {_points(share * marks_used[0])} 分"
                      if zh else f"total {_points(share * total)}, each subject "
                                 f"{_points(share * marks_used[0])}")
        else:
            each = [(f"满分 {m:g} 分的学科 {_points(share * m)} 分" if zh
                     else f"{_points(share * m)} of {m:g}") for m in marks_used]
            inside = (f"总分 {_points(share * total)} 分；" + "、".join(each) if zh else
                      f"total {_points(share * total)}; " + ", ".join(each))
        below = key == "low"
        parts.append(f"{name_zh}线 {pct(share)}（{inside}{'，低于此线为低分' if below else ''}）"
                     if zh else f"{name_en} {'below ' if below else ''}{pct(share)} ({inside})")
    text = ("本期分数线（满分的比例，括号内为对应分数）：" + "，".join(parts) + "。" if zh else
            "Lines this season (shares of full marks; the points in brackets): "
            + "; ".join(parts) + ".")
    given = [(key, amount) for key, amount in (points or {}).items() if key in _LINE_NAMES]
    if given:
        names = [(_LINE_NAMES[key][0 if zh else 1], amount) for key, amount in given]
        text += ("其中" + "、".join(f"{n}线" for n, _ in names) + "按参数设定为总分 "
                 + "、".join(f"{_points(a)} 分" for _, a in names) + "，各科按同一比例换算。"
                 if zh else " The " + ", ".join(f"{n} line" for n, _ in names)
                 + " was set in points of the total ("
                 + ", ".join(_points(a) for _, a in names)
                 + "); each subject uses the same share of its full marks.")
    return text


def county_overview(county: pd.DataFrame, full_marks: dict, language: str = "zh",
                    counts: dict | None = None) -> str:
    """The county's total and its weakest subject by score rate. ``counts`` (from
    :func:`eduqa.indicators.head_counts`) gives 应考 and 实考 as the landing page counts them;
    without it the total's own counts are used."""
    zh = language != "en"
    total = county[county["subject"] == "total"]
    subjects = county[county["subject"] != "total"]
    sentences = []
    if len(total):
        row = total.iloc[0]
        enrolled = counts["enrolled"] if counts else int(row["n_enrolled"])
        sat = counts["sat"] if counts else None
        some = f"{sat:,} 人至少参加一科、" if zh and sat is not None else ""
        some_en = f"{sat:,} sat at least one subject and " if sat is not None else ""
        if zh:
            sentences.append(
                f"全县应考学生 {enrolled:,} 人，其中 {some}{row['n_sat']:,} 人各科全部参考，"
                f"总分平均 {num(row['mean'])} 分（满分 {full_marks['total']:g}），"
                f"及格率 {pct(row['pass_rate'])}，优秀率 {pct(row['excellent_rate'])}，"
                f"低分率 {pct(row['low_rate'])}。")
        else:
            sentences.append(
                f"Of {enrolled:,} enrolled students, {some_en}{row['n_sat']:,} sat every "
                f"subject; the mean total is {num(row['mean'])} of {full_marks['total']:g}, "
                f"with pass rate {pct(row['pass_rate'])}, excellent rate "
                f"{pct(row['excellent_rate'])} and low-score rate {pct(row['low_rate'])}.")
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


SECTION_HEADINGS = {
    "overview": ("一、全县总体情况", "1. County overview"),
    "schools": ("二、各学校一分三率与进退步", "2. Schools: results, rank and progress"),
    "groups": ("三、乡镇与城乡比较", "3. Townships and urban–rural"),
    "bands": ("四、分数段分布", "4. Score bands"),
    "balance": ("五、学科均衡与学科短板", "5. Subject balance"),
    "cv": ("六、校际差异系数", "6. Between-school coefficients of variation"),
    "staffing": ("七、师资配置", "7. Teacher staffing"),
    "targets": ("八、目标责任状完成情况", "8. Targets"),
    "near": ("九、临界生", "9. Students near the lines"),
    "classes": ("十、班级：一分三率、名次与平行班均衡", "10. Classes: results, rank and parallel-class balance"),
}


def section(key: str, language: str = "zh") -> str:
    return _heading(SECTION_HEADINGS, key, language, 2)


def _signed(value: float, unit_zh: str, unit_en: str, language: str, digits: int = 1) -> str:
    """A change in direction words: 「提高 2.5 分」, 「下降 1.0 个百分点」, 「持平」 when it rounds
    to zero (never 「提高 -1.0」 or 「提高 0.0」)."""
    shown = num(abs(value), digits)
    if float(shown.replace(",", "")) == 0:
        return "unchanged" if language == "en" else "持平"
    if language == "en":
        return f"{'up' if value > 0 else 'down'} {shown}{unit_en}"
    return f"{'提高' if value > 0 else '下降'} {shown} {unit_zh}"


def comparison_overview(current: pd.DataFrame, previous: pd.DataFrame | None,
                        previous_name: str | None, language: str = "zh") -> str:
    """How the county's total moved against the comparison season."""
    zh = language != "en"
    if previous is None:
        return ("本次没有可比较的上年同年级考试（可在本考试季的参数文件中指定对比的考试）。" if zh else
                "There is no comparison season (one can be named in this season's params "
                "file).")
    now = current[current["subject"] == "total"].iloc[0]
    before = previous[previous["subject"] == "total"]
    if before.empty:
        return ""
    before = before.iloc[0]
    mean = _signed(now["mean"] - before["mean"], "分", " points", language)
    rate = _signed(100 * (now["pass_rate"] - before["pass_rate"]), "个百分点",
                   " percentage points", language)
    if zh:
        return (f"与{previous_name}相比，总分平均分{mean}，及格率{rate}"
                f"（两次试卷不同，分数变化只作参考，排名与标准分更可比）。")
    return (f"Against {previous_name}, the mean total is {mean} and the pass rate {rate} "
            "(the papers differ, so ranks and standardised scores compare better than raw "
            "points).")


def progress_overview(table: pd.DataFrame, language: str = "zh") -> str:
    """Who moved up or down most in rank."""
    zh = language != "en"
    moved = table[table["rank_change"].notna()]
    if moved.empty:
        return ""
    up = moved.sort_values(["rank_change", "school_code"], ascending=[False, True]).iloc[0]
    down = moved.sort_values(["rank_change", "school_code"]).iloc[0]
    parts = []
    if up["rank_change"] > 0:
        parts.append(f"进步最大的是{up['school_name']}（上升 {up['rank_change']:.0f} 名）" if zh else
                     f"{up['school_name']} rose most ({up['rank_change']:.0f} places)")
    if down["rank_change"] < 0:
        parts.append(f"退步最大的是{down['school_name']}（下降 {-down['rank_change']:.0f} 名）" if zh
                     else f"{down['school_name']} fell most ({-down['rank_change']:.0f} places)")
    if not parts:
        return "与上次相比，各校名次没有变化。" if zh else "No school's rank changed since last time."
    if zh:
        return "与上次相比，" + "，".join(parts) + "。"
    return "Compared with last time, " + " and ".join(parts) + "."


_CATEGORY = {"town": ("镇区", "town"), "rural": ("乡村", "rural")}
_PLACES = {"urban": ("城区", "urban"), **_CATEGORY}


def _reference_names(row) -> tuple[str, str]:
    """(zh, en) of a gap row's reference category (城区 unless the county has none)."""
    reference = row.get("reference", "urban") if hasattr(row, "get") else "urban"
    return _PLACES.get(str(reference), _PLACES["urban"])


def few_schools_note(n_schools: int, name_zh: str = "乡村", name_en: str = "rural",
                     language: str = "zh", *, randomization: bool = True) -> str:
    """The caution shown wherever a comparison rests on fewer than
    :data:`eduqa.rules.MIN_CLUSTERS` schools of a group: no significance verdict
    (and, where it is so, that the interval comes from randomization over schools)."""
    if language != "en":
        return (f"这一比较只依据 {n_schools} 所{name_zh}学校，学校太少，不作“差距是否明显”的判断"
                + ("（区间来自对学校的随机化检验）" if randomization else ""))
    return (f"this comparison rests on only {n_schools} {name_en} schools, too few for a "
            "verdict on whether the gap is real"
            + (" (interval from randomization over schools)" if randomization else ""))


def span(low: float, high: float, language: str = "zh", unit_zh: str = " 个标准差",
         unit_en: str = " SD") -> str:
    """An interval of a difference (category − reference) in direction words, never a negative
    number after 高/低: 「高 0.24 至 0.99 个标准差」, 「低 0.20 至 0.05 个标准差」, or, when it
    covers zero, 「低 0.20 至 高 0.10 个标准差」."""
    zh = language != "en"
    # decided on the numbers as shown: -0.001 is 0.00, not "低 0.00"
    low, high = float(num(low, 2).replace(",", "")), float(num(high, 2).replace(",", ""))
    if low >= 0:
        return (f"高 {num(low, 2)} 至 {num(high, 2)}{unit_zh}" if zh else
                f"{num(low, 2)} to {num(high, 2)}{unit_en} higher")
    if high <= 0:
        return (f"低 {num(-high, 2)} 至 {num(-low, 2)}{unit_zh}" if zh else
                f"{num(-high, 2)} to {num(-low, 2)}{unit_en} lower")
    return (f"低 {num(-low, 2)} 至 高 {num(high, 2)}{unit_zh}" if zh else
            f"from {num(-low, 2)}{unit_en} lower to {num(high, 2)}{unit_en} higher")


def gap_phrase(row, language: str = "zh", *, name_zh: str = "乡村", name_en: str = "rural",
               reference_schools: int | None = None) -> str:
    """One sentence part on a gap row of :func:`eduqa.indicators.group_gap` (reference −
    category): which group is higher, by how much in points and SD, the interval in the same
    direction words, and a verdict only when both groups have enough schools: 「差异不明显」
    (no direction claimed) when the interval covers zero."""
    zh = language != "en"
    ahead = row["gap"] < 0  # the category scores higher than the reference
    bounded = bool(np.isfinite([row["gap_sd_low"], row["gap_sd_high"]]).all())
    # the interval of category − reference, in SD
    low, high = -row["gap_sd_high"], -row["gap_sd_low"]
    fewest = min(int(row["n_schools"]), reference_schools or int(row["n_schools"]))
    few = fewest < MIN_CLUSTERS
    clear = bounded and not few and (row["ci_low"] > 0 or row["ci_high"] < 0)
    points, sd = abs(row["gap"]), abs(row["gap_sd"])
    ref_zh, ref_en = _reference_names(row)
    if zh:
        interval = (f"95% 置信区间为{name_zh}{span(low, high)}" if bounded else
                    "学校太少，无法给出置信区间")
        if clear or few:
            text = (f"{name_zh}学校学生总分平均比{ref_zh}学校{'高' if ahead else '低'} "
                    f"{num(points)} 分（{num(sd, 2)} 个标准差；{interval}）")
        else:
            text = (f"{name_zh}学校与{ref_zh}学校学生总分平均差异不明显（{name_zh}"
                    f"{'高' if ahead else '低'} {num(points)} 分、{num(sd, 2)} 个标准差；{interval}）")
    else:
        interval = (f"95% CI: {name_en} {span(low, high, 'en')}" if bounded else
                    "too few schools for an interval")
        if clear or few:
            text = (f"{name_en.capitalize()} students' mean total is {num(points)} points "
                    f"{'above' if ahead else 'below'} {ref_en} students' ({num(sd, 2)} SD; "
                    f"{interval})")
        else:
            text = (f"{name_en.capitalize()} and {ref_en} students' mean totals do not differ "
                    f"clearly ({name_en} {num(points)} points {'above' if ahead else 'below'}, "
                    f"{num(sd, 2)} SD; {interval})")
    if few:
        return text + ("；" if zh else "; ") + few_schools_note(
            int(row["n_schools"]), name_zh, name_en, language,
            randomization=bounded and row.get("method", "randomization") == "randomization")
    if row.get("small_group", False):
        text += (f"；{name_zh}学生只有 {row['n_students']} 人，人数过少，结论需谨慎" if zh else
                 f"; only {row['n_students']} {name_en} students, so read with caution")
    return text


def gap_overview(gaps: pd.DataFrame, language: str = "zh", places=None) -> str:
    """The urban–rural gaps in the mean total, with intervals; with fewer than
    :data:`~eduqa.rules.MIN_CLUSTERS` schools in a group, the number of schools it
    rests on and no verdict. Against 城区, or the first category present when the county has
    no 城区 school; when all the season's schools are of one category (``places``: the
    categories of the season's schools), one sentence saying there is nothing to compare."""
    zh = language != "en"
    rows = gaps[(gaps["subject"] == "total") & (gaps["indicator"] == "mean")]
    parts = []
    for _, row in rows.iterrows():
        name_zh, name_en = _CATEGORY.get(row["category"], (row["category"], row["category"]))
        parts.append(gap_phrase(row, language, name_zh=name_zh, name_en=name_en))
    if not parts:
        present = [p for p in _PLACES if places is not None and p in set(places)]
        if len(present) != 1:
            return ""
        name_zh, name_en = _PLACES[present[0]]
        return (f"本次参加考试的学校都是{name_zh}学校，没有可以比较的城乡差距。" if zh else
                f"Every school in this season is {name_en}: there is no urban–rural gap to "
                "compare.")
    note = ("置信区间已考虑同一学校的学生成绩彼此相近的情况：参与比较的学校越少，区间越宽。" if zh else
            "Intervals allow for pupils of one school being alike: the fewer the schools "
            "compared, the wider the interval.")
    return ("；".join(parts) + "。" + note) if zh else ("; ".join(parts) + ". " + note)


def township_overview(table: pd.DataFrame, language: str = "zh") -> str:
    total = table[table["subject"] == "total"].sort_values("mean", ascending=False)
    if "small_group" in total:  # too few students to be named best or worst
        total = total[~total["small_group"].eq(True)]
    if len(total) < 2:
        return ""
    best, worst = total.iloc[0], total.iloc[-1]
    if language == "en":
        return (f"Among townships the highest mean total is {best['township']} "
                f"({num(best['mean'])}) and the lowest {worst['township']} ({num(worst['mean'])}).")
    return (f"各乡镇中，总分平均最高的是{best['township']}（{num(best['mean'])} 分），最低的是"
            f"{worst['township']}（{num(worst['mean'])} 分）。")


def bands_overview(lines: pd.DataFrame, county: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    total = county[county["subject"] == "total"].iloc[0]
    parts = []
    for row in lines.itertuples():
        parts.append(f"总分 {row.line:g} 分及以上 {row.n_at_or_above:,} 人（{pct(row.share)}）" if zh
                     else f"{row.n_at_or_above:,} students ({pct(row.share)}) at or above "
                          f"{row.line:g}")
    if zh:
        text = f"全县总分低分率为 {pct(total['low_rate'])}，优秀率为 {pct(total['excellent_rate'])}。"
        return (text + ("；".join(parts) + "。" if parts else "")
                + "下表按分数列出各段人数和占比：每段含下限、不含上限，满分计入最高一段。")
    text = (f"The county's low-score rate on the total is {pct(total['low_rate'])} and its "
            f"excellent rate {pct(total['excellent_rate'])}.")
    return (text + (" " + "; ".join(parts) + "." if parts else "")
            + " The table gives each band in points with its pupils and share: a band includes "
              "its lower bound, not its upper, and full marks fall in the top band.")


def balance_overview(balance: pd.DataFrame, margin: float, language: str = "zh") -> str:
    zh = language != "en"
    weak = balance[balance["weak"]]
    n_schools = weak["school_code"].nunique()
    if n_schools == 0:
        return ("没有学校存在明显的学科短板。" if zh else "No school has a clearly weak subject.")
    counts = weak["subject"].value_counts()
    top = counts.index[0]
    if zh:
        return (f"{n_schools} 所学校存在学科短板（某科平均标准分比本校各科平均低 {margin:.1f} 个标准差"
                f"及以上），出现最多的是{label(top)}（{counts.iloc[0]} 所学校）。")
    return (f"{n_schools} schools have a weak subject (at least {margin:.1f} SD below their own "
            f"average); the most common is {label(top, 'en')} ({counts.iloc[0]} schools).")


def cv_overview(score_cv: pd.DataFrame, resources: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    total = score_cv[score_cv["subject"] == "total"]
    parts = []
    if len(total) and np.isfinite(total.iloc[0]["cv"]):
        value = total.iloc[0]["cv"]
        parts.append(f"学校间总分平均分的差异系数为 {value:.3f}" if zh else
                     f"the between-school CV of the mean total is {value:.3f}")
    for row in resources.itertuples():
        if pd.isna(row.meets) or not np.isfinite(row.cv):  # no verdict without a limit or CV
            continue
        verdict = ("达到" if row.meets else "未达到") if zh else ("meets" if row.meets else
                                                            "does not meet")
        if zh:
            parts.append(f"{label(row.indicator)}的差异系数为 {row.cv:.3f}，{verdict}督导评估标准"
                         f"（≤{row.limit:.2f}）")
        else:
            parts.append(f"{label(row.indicator, 'en')}: CV {row.cv:.3f}, which {verdict} the "
                         f"inspection limit ({row.limit:.2f})")
    if not parts:
        return ""
    note = ("差异系数按学生数加权计算（督导评估办法的公式），学生不足 50 人的教学点不计。" if zh else
            "CVs are enrolment-weighted as in the inspection formula; teaching points under 50 "
            "pupils are excluded.")
    return ("；".join(parts) + "。" + note) if zh else ("; ".join(parts).capitalize() + ". " + note)


def staffing_overview(groups: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    by = groups.set_index("urban_rural")
    if not {"urban", "rural"} <= set(by.index):
        return ""
    urban, rural = by.loc["urban"], by.loc["rural"]
    if zh:
        return (f"乡村学校缺编率 {pct(rural['shortage_rate'])}，城区学校 {pct(urban['shortage_rate'])}"
                f"（缺编 {num(rural['shortage'], 0)} 人对 {num(urban['shortage'], 0)} 人，超编 "
                f"{num(rural.get('surplus', np.nan), 0)} 人对 {num(urban.get('surplus', np.nan), 0)} 人；"
                "人数取整数，按编制标准计算的应配教师数四舍五入）；"
                f"教非所学比例乡村 {pct(rural['out_of_field_share'])}，城区 "
                f"{pct(urban['out_of_field_share'])}；生师比乡村 {num(rural['students_per_teacher'])}，"
                f"城区 {num(urban['students_per_teacher'])}。")
    return (f"Rural schools' shortage rate is {pct(rural['shortage_rate'])} against "
            f"{pct(urban['shortage_rate'])} in urban schools (short by "
            f"{num(rural['shortage'], 0)} teachers against {num(urban['shortage'], 0)}, over by "
            f"{num(rural.get('surplus', np.nan), 0)} against {num(urban.get('surplus', np.nan), 0)}"
            "; whole teachers, the establishment from the norms rounded half up); out-of-field "
            "teaching "
            f"{pct(rural['out_of_field_share'])} against {pct(urban['out_of_field_share'])}; "
            f"students per teacher {num(rural['students_per_teacher'])} against "
            f"{num(urban['students_per_teacher'])}.")


def targets_overview(attainment: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    if attainment.empty:
        return "本次没有目标责任状数据。" if zh else "No targets were given for this season."
    known = attainment[attainment["met"].notna()]
    parts = []
    for indicator, part in known.groupby("indicator", sort=False):
        met = int(part["met"].sum())
        parts.append(f"{label(indicator)}目标 {len(part)} 所学校中 {met} 所完成" if zh else
                     f"{label(indicator, 'en')}: {met} of {len(part)} schools met the target")
    return ("；".join(parts) + "。") if zh else ("; ".join(parts) + ".")


def near_overview(county: pd.DataFrame, margin: float, language: str = "zh") -> str:
    total = county[county["subject"] == "total"].iloc[0]
    if language == "en":
        return (f"{total['near_pass']:,} students are within {margin:.0%} of full marks below "
                f"the pass line on the total, and {total['near_excellent']:,} below the "
                "excellent line: counts only, no names are shown.")
    return (f"全县总分距及格线不足满分 {margin:.0%} 的及格临界生 {total['near_pass']:,} 人，"
            f"优秀临界生 {total['near_excellent']:,} 人。报告只列人数，不显示学生姓名。")


ATTRIBUTION_SECTIONS = {
    "summary": ("一、主要结论", "1. Summary"),
    "effects": ("二、考虑办学条件后，哪些学校高于或低于预期", "2. Schools above or below expectation, "
                "given their conditions"),
    "classes": ("三、学校之间与班级之间的差异", "3. Between schools and between classes"),
    "teachers": ("四、任课教师（内部使用）", "4. Teachers of record (internal use)"),
    "appendix": ("技术附录（供统计人员核对）", "Technical appendix (for statisticians)"),
    "models": ("附录一、多层模型 M0–M3", "A1. Multilevel models M0–M3"),
    "gelbach": ("附录二、乡村差距中有多少与缺编相关（Gelbach 分解）",
                "A2. How much of the rural gap goes with staffing (Gelbach)"),
    "oaxaca": ("附录三、城乡差距分解（Oaxaca–Blinder）", "A3. Urban–rural gap decomposition (Oaxaca–Blinder)"),
    "shapley": ("附录四、校际差异的来源（Shapley R² 分解）", "A4. What explains differences between schools (Shapley R²)"),
}

#: What the appendix is, in one paragraph, for the reader who stops before it.
APPENDIX_NOTE = (
    "以下是上面结论所依据的模型和分解结果，供统计人员核对，会议材料一般不需要引用。模型的变量名、公式和方法名称只出现在这里。",
    "Below are the models and decompositions the conclusions above rest on, for statisticians to "
    "check; meeting papers normally need not cite them. Variable names, formulas and method "
    "names appear only here.")


#: The few statistical words the main text uses, each explained once (landing page and Word
#: report): (term zh, explanation zh, term en, explanation en).
GLOSSARY = (
    ("标准差", "衡量学生成绩分散程度的单位。差距用“个标准差”表示，便于不同学科、不同满分的考试之间比较："
     "0.2 个标准差算小的差距，0.5 个左右算中等，0.8 个以上算大。",
     "standard deviation (SD)", "the unit of how spread out pupils' scores are. Gaps in SD "
     "compare across subjects and full marks: 0.2 SD is a small gap, about 0.5 medium, 0.8 or "
     "more large."),
    ("95% 置信区间", "考虑到成绩的偶然波动，真实差距大致所在的范围。区间不包含 0，说明差距的方向是明确的；"
     "包含 0，就写作“差异不明显”。",
     "95% confidence interval", "the range in which the true gap plausibly lies, given chance "
     "variation. An interval that excludes 0 means the direction is clear; one that includes 0 "
     "is reported as no clear difference."),
    ("学校聚类自助法", "把各校作为整体反复重新抽样、重复计算，以得到“缺编相关比例”等数值的可信范围；"
     "学校少时范围很宽。",
     "cluster bootstrap", "re-drawing whole schools many times and recomputing, to get the "
     "plausible range of figures such as the share of a gap that goes with staffing; with few "
     "schools the range is wide."),
    ("差异系数", "各校数值的标准差除以平均值，反映学校之间的均衡程度：越小越均衡。",
     "coefficient of variation", "the SD of the schools' figures divided by their mean: the "
     "smaller, the more even the schools."),
    ("组内相关系数", "学生成绩的差异中，有多少是学校之间的差异。",
     "intra-class correlation", "the part of the differences between pupils that lies between "
     "schools."),
    ("高于/低于预期", "在城乡、师资、规模等条件相同的学校中比较，一所学校的成绩明显高于或低于这些条件下的平均水平。",
     "above/below expectation", "a school scoring clearly above or below the average of "
     "schools with the same conditions (urban-rural status, staffing, size)."),
)


def glossary(language: str = "zh") -> list[tuple[str, str]]:
    """(term, explanation) pairs of :data:`GLOSSARY` in ``language``."""
    zh = language != "en"
    return [(t_zh, e_zh) if zh else (t_en, e_en) for t_zh, e_zh, t_en, e_en in GLOSSARY]


def appendix_intro(language: str = "zh") -> str:
    """The appendix heading with its one-paragraph note."""
    return (attribution_section("appendix", language) + "\n\n"
            + APPENDIX_NOTE[0 if language != "en" else 1])


def term_label(term: str, language: str = "zh") -> str:
    """Display name of a model term (from the one label table)."""
    return label(term, language)


def attribution_section(key: str, language: str = "zh") -> str:
    return _heading(ATTRIBUTION_SECTIONS, key, language, 2)


CAUTION = ("以上都是相关关系，不能证明缺编或乡村条件就是成绩差距的原因：没有观测到的因素（如生源、家庭条件）"
           "也可能同时影响两者。学校数量较少时区间较宽，应结合实际情况解读。",
           "These are associations, not proven causes: unobserved factors (intake, family "
           "background) may drive both. With few schools the intervals are wide; read them "
           "with local knowledge.")


def staffing_share(explained: pd.Series, base: pd.Series, language: str = "zh",
                   rural_schools: int | None = None) -> str:
    """How much of the rural gap goes with staffing: the Gelbach ``explained`` row against the
    ``base`` coefficient, with the percentile interval of the bootstrap ratio
    (``share_low``, ``share_high``). No share is printed when the gap itself is not clearly
    one way, when the rural schools are too few, or when the bootstrap gave no interval; a
    share whose interval includes 0 is said to be undetermined. '' when the base gap is 0."""
    zh = language != "en"
    if not base["estimate"]:
        return ""
    if rural_schools is not None and rural_schools < MIN_CLUSTERS:
        return (f"乡村学校只有 {rural_schools} 所，无法可靠估计城乡差距中有多少与教师缺编和教非所学相关。" if zh
                else f"With only {rural_schools} rural schools, how much of the gap goes with "
                "teacher shortage and out-of-field teaching cannot be estimated reliably.")
    if base["ci_low"] <= 0 <= base["ci_high"]:
        return ("城乡差距本身在统计上不明显，因此不计算其中与教师缺编和教非所学相关的比例。" if zh else
                "The rural gap itself is not statistically clear, so no share of it is "
                "attributed to teacher shortage and out-of-field teaching.")
    low, high = explained.get("share_low", np.nan), explained.get("share_high", np.nan)
    if not (np.isfinite(low) and np.isfinite(high)):
        return ("城乡差距中有多少与教师缺编和教非所学相关，目前的数据还无法确定（学校聚类自助法无法给出可靠区间）。"
                if zh else "How much of the rural gap goes with teacher shortage and "
                "out-of-field teaching cannot be told from these data (the cluster bootstrap "
                "gives no reliable interval).")
    share = pct(abs(explained["share"]), 0)
    direction = ("乡村学校落后于城区学校" if base["estimate"] < 0 else "乡村学校领先于城区学校") if zh \
        else ("rural schools trail urban ones" if base["estimate"] < 0
              else "rural schools lead urban ones")
    if low <= 0 <= high:
        return (f"{direction}的差距中有多少与教师缺编和教非所学相关，目前的数据还无法确定"
                "（学校聚类自助法的 95% 区间包含 0，数值见归因分析页的技术附录）。" if zh else
                f"The gap by which {direction}: how much of it goes with teacher shortage and "
                "out-of-field teaching cannot be told from these data (the cluster-bootstrap "
                "95% interval includes 0; figures in the technical appendix of the "
                "attribution page).")
    if explained["share"] < 0:  # staffing differences point the other way
        return (f"{direction}；教师缺编和教非所学的差异与这一差距方向相反：考虑这些条件后，差距反而扩大约 "
                f"{share}（学校聚类自助法 95% 区间 {pct(-high, 0)} 至 {pct(-low, 0)}；这是相关关系，"
                "不等于因果）。" if zh else
                f"{direction.capitalize()}; differences in teacher shortage and out-of-field "
                f"teaching point the other way: allowing for them widens the gap by about "
                f"{share} (cluster-bootstrap 95% interval {pct(-high, 0)} to {pct(-low, 0)}; "
                "an association, not a proven cause).")
    return (f"{direction}的差距中约有 {share} 与教师缺编和教非所学相关（学校聚类自助法 95% 区间 "
            f"{pct(low, 0)} 至 {pct(high, 0)}；这是相关关系，不等于因果）。" if zh else
            f"About {share} of the gap by which {direction} goes with teacher shortage and "
            f"out-of-field teaching (cluster-bootstrap 95% interval {pct(low, 0)} to "
            f"{pct(high, 0)}; an association, not a proven cause).")


def attribution_summary(sequence, gelbach_table: pd.DataFrame | None, language: str = "zh",
                        rural_schools: int | None = None,
                        gaps: pd.DataFrame | None = None) -> str:
    """The headline: the rural gap, and the share that goes with staffing, with its CI; with
    fewer than MIN_CLUSTERS rural schools, the number it rests on and no verdict.

    With ``gaps`` (:func:`eduqa.indicators.group_gap`) the gap is the very figure of the
    landing page and the 02 page (one figure per quantity); without, the M1 coefficient."""
    zh = language != "en"
    coef = sequence.coefficients.set_index(["model", "term"])
    models = sequence.models.set_index("model")
    parts = []
    icc = models.loc["M0", "icc"]
    parts.append(f"学校之间的差异占学生总分差异的 {pct(icc)}（组内相关系数）。" if zh else
                 f"{pct(icc)} of the variance in students' total scores lies between schools "
                 "(intra-class correlation).")
    gap = _row({"gaps": gaps}, "gaps", subject="total", indicator="mean", category="rural")
    if gap is not None:
        parts.append(gap_phrase(gap, language) + ("。" if zh else "."))
    elif ("M1", "rural") in coef.index:
        m1 = coef.loc[("M1", "rural")]
        ahead = m1["estimate"] > 0
        few = rural_schools is not None and rural_schools < MIN_CLUSTERS
        clear = m1["ci_low"] > 0 or m1["ci_high"] < 0
        size = abs(m1["estimate"])
        if zh:
            interval = f"95% 置信区间为乡村{span(m1['ci_low'], m1['ci_high'])}"
            text = (f"不考虑其他因素时，乡村学校学生平均比城区学校{'高' if ahead else '低'} "
                    f"{size:.2f} 个标准差（{interval}）" if clear or few else
                    f"不考虑其他因素时，乡村学校与城区学校学生平均差异不明显（乡村"
                    f"{'高' if ahead else '低'} {size:.2f} 个标准差；{interval}）")
        else:
            interval = f"95% CI: rural {span(m1['ci_low'], m1['ci_high'], 'en')}"
            text = (f"Without other factors, rural students score {size:.2f} SD "
                    f"{'above' if ahead else 'below'} urban students ({interval})" if clear or few
                    else "Without other factors, rural and urban students do not differ "
                    f"clearly (rural {size:.2f} SD {'above' if ahead else 'below'}; {interval})")
        if rural_schools is not None and rural_schools < MIN_CLUSTERS:
            text += ("；" if zh else "; ") + few_schools_note(rural_schools, language=language,
                                                             randomization=False)
        parts.append(text + ("。" if zh else "."))
    if gelbach_table is not None and len(gelbach_table):
        terms = gelbach_table.set_index("term")
        if "explained" in terms.index and "base" in terms.index:
            sentence = staffing_share(terms.loc["explained"], terms.loc["base"], language,
                                      rural_schools)
            if sentence:
                parts.append(sentence)
    parts.append(CAUTION[1 if not zh else 0])
    return ("".join(parts)) if zh else " ".join(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _coincided(term: str, how: dict | None, language: str) -> str:
    """One sentence on a model term left out, saying what it coincided with this season."""
    zh = language != "en"
    name = term_label(term, language)
    how = how or {}
    if "constant" in how:
        value = how["constant"]
        if value in (0.0, 1.0):  # a yes/no term
            return (f"本季所有学校{'都是' if value else '都不是'}“{name}”学校，无法估计这一项的作用，"
                    "已从模型中去掉。" if zh else
                    f"{'Every' if value else 'No'} school is '{name}' this season, so its effect "
                    "cannot be estimated; it was left out.")
        return (f"本季所有学校的“{name}”都相同（{num(value)}），无法估计这一项的作用，已从模型中去掉。"
                if zh else f"'{name}' is the same for every school this season "
                f"({num(value)}), so its effect cannot be estimated; it was left out.")
    others = [term_label(t, language) for t in how.get("combination", [])]
    if others:
        return (f"本季数据中“{name}”恰好可由{'、'.join(others)}算出，与它们完全重合，"
                "无法单独估计，已从模型中去掉。" if zh else
                f"'{name}' is an exact combination of {_and(others)} this season, so its "
                "effect cannot be told apart; it was left out.")
    return (f"本季数据中“{name}”与其他变量完全重合，无法单独估计，已从模型中去掉。" if zh else
            f"'{name}' coincides exactly with other terms this season and was left out.")


def models_overview(models: pd.DataFrame, dropped: list[str], language: str = "zh",
                    coincides: dict | None = None) -> str:
    """The model sequence in words; each term left out is explained by what it coincided
    with (``coincides``, from :class:`eduqa.attribution.ModelSequence`)."""
    zh = language != "en"
    coincides = coincides or {}
    by_model = models.set_index("model")
    reduction = by_model["group_var_reduction"]
    dropped_text = [_coincided(t, coincides.get(t), language) for t in dropped]
    if not np.isfinite(reduction.to_numpy(float)).all():  # (1 − τ²_M / 0: M0's τ² is 0)
        text = ("本次考试学校之间的差异（空模型 M0 的校际方差）估计为 0：学生成绩的差异几乎全部在学校内部，"
                "因此不比较各模型减少了多少校际方差。" if zh else
                "The between-school variance of the null model M0 is estimated at 0: nearly all "
                "the variation in scores lies within schools, so the models are not compared "
                "by how much of it they remove.")
    elif zh:
        text = (f"与空模型 M0 相比，校际方差在加入城乡类别（M1）后{_change(reduction['M1'], zh)}，"
                f"再加入缺编率和教非所学比例（M2）后{_change(reduction['M2'], zh)}，"
                f"加入其他控制变量（M3）后{_change(reduction['M3'], zh)}。")
    else:
        text = (f"Against the null model M0, the between-school variance is "
                f"{_change(reduction['M1'], zh)} with urban-rural status (M1), "
                f"{_change(reduction['M2'], zh)} with staffing added (M2), and with the other "
                f"controls (M3) {_change(reduction['M3'], zh)}.")
    return text + "".join(dropped_text) if zh else " ".join([text, *dropped_text])


def _change(reduction: float, zh: bool) -> str:
    """「减少 12%」/「增加 3%」 (lower by 12% / higher by 3%): the change in the school variance
    against the null model, in words that agree with its sign (adding a term can raise the
    REML estimate of the school variance)."""
    if reduction < 0:
        return f"增加 {pct(-reduction, 0)}" if zh else f"higher by {pct(-reduction, 0)}"
    return f"减少 {pct(reduction, 0)}" if zh else f"lower by {pct(reduction, 0)}"


def plan_note(plan, language: str = "zh") -> str:
    """One sentence per model term the rural-gap decompositions leave out this season, and
    why (:class:`eduqa.attribution.GapPlan`); '' when nothing is left out."""
    zh = language != "en"
    parts = []
    for term, reason in plan.left_out.items():
        name = term_label(term, language)
        if reason == "no_rural":
            parts.append("本次考试没有乡村学校，不做乡村与城区差距的分解。" if zh else
                         "This season has no rural school, so the rural–urban gap is not "
                         "decomposed.")
        elif reason == "no_urban":
            parts.append("本次考试没有城区学校，不做乡村与城区差距的分解（乡村与镇区学校的比较见指标页）。"
                         if zh else "This season has no urban school, so the rural–urban gap "
                         "is not decomposed (the indicators page compares rural with town "
                         "schools).")
        elif term in ("town", "rural"):  # (a place term the model section explains)
            continue
        elif reason == "absent":
            parts.append(f"师资表中没有“{name}”，模型未纳入这一项。" if zh else
                         f"The staffing file has no {name}, so the models leave it out.")
        elif reason == "constant":
            parts.append(f"各校的“{name}”都相同，无法估计它与成绩的关系，模型未纳入。" if zh else
                         f"{name.capitalize()} is the same in every school, so its association "
                         "with scores cannot be estimated and the models leave it out.")
        elif reason == "collinear":
            parts.append(f"“{name}”与前面的条件完全重合，无法单独估计，分解中未纳入。" if zh else
                         f"{name.capitalize()} coincides exactly with the terms before it and "
                         "is left out of the decomposition.")
        elif reason == "too_few_schools":
            parts.append(f"学校只有 {plan.n_schools} 所，不足以同时估计“{name}”，分解中未纳入。"
                         if zh else f"With only {plan.n_schools} schools, {name} cannot be "
                         "estimated as well and is left out of the decomposition.")
    if plan.focal is not None and not plan.mediators and not any(
            r in ("no_rural", "no_urban") for r in plan.left_out.values()):
        parts.append("没有可以纳入的师资条件，不做差距中与师资相关部分的分解。" if zh else
                     "No staffing term can be used, so the gap is not decomposed by staffing.")
    return ("".join(parts) if zh else " ".join(parts)) + ("\n\n" if parts else "")


def oaxaca_overview(table: pd.DataFrame, language: str = "zh",
                    rural_schools: int | None = None) -> str:
    """The Oaxaca–Blinder decomposition in words: the gap with its interval, the explained
    part and its share only when the gap is clearly one way, and why the unexplained part is
    shown only as a total. '' for an empty table (the decomposition was not run: the page's
    summary says why)."""
    zh = language != "en"
    if table.empty:
        return ""
    rows = table.set_index(["part", "term"])
    gap = rows.loc[("gap", "all")]
    explained = rows.loc[("explained", "all")]
    clear = gap["ci_low"] > 0 or gap["ci_high"] < 0
    ahead = gap["estimate"] < 0
    draws = int(gap.get("draws", 0) or 0)
    bounded = bool(np.isfinite([gap["ci_low"], gap["ci_high"]]).all())
    if zh:
        interval = (f"95% 区间为乡村{span(-gap['ci_high'], -gap['ci_low'])}" if bounded
                    else "学校太少，无法给出区间")
        word = "高" if ahead else "低"
        text = (f"乡村学生总分标准分平均比城区学生{word} {abs(gap['estimate']):.2f} 个标准差"
                f"（{interval}）。" if clear or not bounded or (
                    rural_schools is not None and rural_schools < MIN_CLUSTERS) else
                f"乡村学生与城区学生总分标准分平均差异不明显（乡村{word} {abs(gap['estimate']):.2f}"
                f" 个标准差；{interval}）。")
        if rural_schools is not None and rural_schools < MIN_CLUSTERS:
            text += few_schools_note(rural_schools, language=language) + "，也不计算可解释部分所占的比例。"
        elif not clear:
            text += "这一差距在统计上不明显，因此不计算可解释部分所占的比例。"
        elif np.isfinite(explained.get("share_low", np.nan)):
            text += (f"其中 {explained['estimate']:.2f} 个标准差（约 {pct(explained['share'], 0)}，"
                     f"区间 {pct(explained['share_low'], 0)} 至 {pct(explained['share_high'], 0)}）"
                     "与两类学校在师资等条件上的差异相关。")
        else:
            text += "学校太少或自助样本大多无法识别，可解释部分给不出可靠区间，不作比例判断。"
        text += ("未解释部分只给合计：把某个变量整体平移（例如规模改用“百人”为单位），各变量的未解释分项就会改变，"
                 "单独解读没有意义。")
        if draws:
            text += f"自助法共 {draws} 次有效抽样（无法识别的抽样已剔除）。"
        return text
    interval = (f"95% CI: rural {span(-gap['ci_high'], -gap['ci_low'], 'en')}"
                if bounded else "too few schools for an interval")
    text = (f"Rural students' mean standardised total is {abs(gap['estimate']):.2f} SD "
            f"{'above' if ahead else 'below'} urban students' ({interval}). ")
    if rural_schools is not None and rural_schools < MIN_CLUSTERS:
        text += (few_schools_note(rural_schools, language=language).capitalize()
                 + "; no explained share is given. ")
    elif not clear:
        text += "The gap is not statistically clear, so no explained share is given. "
    elif np.isfinite(explained.get("share_low", np.nan)):
        text += (f"{explained['estimate']:.2f} SD (about {pct(explained['share'], 0)}, interval "
                 f"{pct(explained['share_low'], 0)} to {pct(explained['share_high'], 0)}) goes "
                 "with differences in staffing and the other predictors. ")
    else:
        text += ("With too few schools or too many unidentified resamples, the explained part "
                 "has no reliable interval and no share is given. ")
    text += ("The unexplained part is shown only as a total: its per-predictor pieces change "
             "when a predictor is shifted by a constant, so they have no meaning on their own.")
    if draws:
        text += f" {draws} usable bootstrap draws (unidentified resamples dropped)."
    return text


def shapley_overview(table: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    rows = table.set_index("factor")
    total = rows.loc["all", "r2_share"]
    parts = [f"{name}占 {pct(row['r2_share'])}" if zh else f"{name} {pct(row['r2_share'])}"
             for name, row in rows.drop(index="all").iterrows()]
    adjusted = rows.loc["all"].get("rsquared_adj", np.nan)
    schools = rows.loc["all"].get("n_schools", np.nan)
    if zh:
        text = (f"学校层面模型解释了各校平均标准分差异的 {pct(total)}（R²），其中" + "，".join(parts)
                + "。各部分之和等于总 R²。")
        if np.isfinite(adjusted):
            text += (f"只有 {int(schools)} 所学校，按变量个数调整后的 R² 为 {pct(adjusted)}，"
                     "学校少、变量多时 R² 会偏高。")
        return text
    text = (f"The school-level model explains {pct(total)} of the variance in school means (R²): "
            + ", ".join(parts) + "; the parts add up to R².")
    if np.isfinite(adjusted):
        text += (f" With {int(schools)} schools, the R² adjusted for the number of terms is "
                 f"{pct(adjusted)}: with few schools and many terms R² runs high.")
    return text


def above_below(effects: pd.DataFrame) -> tuple[int, int]:
    """How many schools are flagged clearly above and clearly below expectation."""
    return int((effects["flag"] == "above").sum()), int((effects["flag"] == "below").sum())


def effects_overview(effects: pd.DataFrame, matched: float | None, language: str = "zh") -> str:
    zh = language != "en"
    above, below = above_below(effects)
    if zh:
        text = (f"在考虑城乡、师资和其他条件后，{above} 所学校明显高于预期，{below} 所明显低于预期（95% 区间不含 0）；"
                f"其余 {len(effects) - above - below} 所学校与预期没有可分辨的差异，不宜据此排名或问责。")
        if matched is not None:
            text += (f"本季 {pct(matched)} 的学生与上一学年成绩匹配，因此这里比较的是学生的进步（未匹配的学生不参与比较），"
                     "并考虑了各校上一学年的平均成绩（生源），以免把生源好坏当作学校办得好坏。"
                     "动态跟踪页的增值评价只比较同等起点、同等生源的学生一年来的进步，不考虑城乡、师资等学校条件，"
                     "所以两页标出的学校可以不同：本页回答“在同等条件下学校做得如何”，动态跟踪页回答“学生进步多少”。")
        else:
            text += "本季没有可匹配的上一学年成绩，这里比较的是成绩水平，不是进步（增值）。"
        return text
    text = (f"After urban-rural status, staffing and other conditions, {above} schools are "
            f"above and {below} below expectation (95% interval excludes 0); the other "
            f"{len(effects) - above - below} cannot be told apart from expectation and should "
            "not be ranked or held to account on this basis.")
    if matched is not None:
        text += (f" {pct(matched)} of students are linked to last year's scores, so this "
                 "compares progress (unlinked students are left out), allowing for each "
                 "school's mean score last year (intake) so that intake is not taken for how "
                 "well the school does. "
                 "The trends page's value added compares only students of the same start and "
                 "intake, without school conditions such as urban-rural status or staffing, so "
                 "the two pages may flag different schools: this page asks how a school does "
                 "given its conditions, the trends page how much its students progressed.")
    else:
        text += (" No prior season is linked, so this compares levels of attainment, not "
                 "progress (value added).")
    return text


def classes_overview(classes: pd.DataFrame, balance: pd.DataFrame, cv_limit: float,
                     min_group_size: int, language: str = "zh") -> str:
    """How many classes were ranked, the lowest-ranked class, and the schools whose parallel
    classes are unbalanced (each with its highest and lowest class); ``classes`` and
    ``balance`` are of the total."""
    zh = language != "en"
    if classes.empty:
        return ("成绩表中没有班级信息（或每所学校只有一个班），没有班级分析。" if zh else
                "The score export has no classes, so there is no class analysis.")
    ranked = classes[classes["rank"].notna()].sort_values(["rank", "school_code", "class"])
    small = int(classes["small_group"].sum())
    if zh:
        text = f"全县共 {len(classes)} 个班级，其中 {len(ranked)} 个参与全县排名"
        text += (f"（{small} 个班参考人数不足 {min_group_size} 人，只列出不排名）。" if small else "。")
    else:
        text = (f"The county has {len(classes)} classes; {len(ranked)} are ranked"
                + (f" ({small} with fewer than {min_group_size} pupils are listed, not "
                   "ranked)." if small else "."))
    if len(ranked):
        last = ranked.iloc[-1]
        text += (f"综合指数最低的是{last['school_name']}{last['class']}（平均分 {num(last['mean'])}）。"
                 if zh else f" The lowest composite index is {last['school_name']} "
                 f"{last['class']} (mean {num(last['mean'])}).")
    if balance.empty:
        return text + ("没有哪所学校有两个以上可比较的平行班。" if zh else
                       " No school has two comparable parallel classes.")
    unbalanced = balance[balance["unbalanced"].astype(bool)].sort_values("cv", ascending=False)
    limit = display_number(cv_limit, "precise")
    if unbalanced.empty:
        return text + (f"{len(balance)} 所有平行班的学校，平行班之间总分平均分的差异系数都不超过 {limit}。"
                       if zh else f" In all {len(balance)} schools with parallel classes the "
                       f"CV of the class means is at most {limit}.")
    names = [f"{row['school_name']}（差异系数 {display_number(row['cv'], 'precise')}，{row['highest_class']} "
             f"{num(row['highest'])} 分、{row['lowest_class']} {num(row['lowest'])} 分）" if zh else
             f"{row['school_name']} (CV {display_number(row['cv'], 'precise')}; "
             f"{row['highest_class']} {num(row['highest'])}, {row['lowest_class']} "
             f"{num(row['lowest'])})" for _, row in unbalanced.iterrows()]
    if zh:
        return text + (f"{len(balance)} 所有平行班的学校中，{len(unbalanced)} 所平行班之间的差异系数超过 "
                       f"{limit}，标为不均衡：{'、'.join(names)}。班级之间的差别也可能来自分班时的生源，"
                       "宜结合入学成绩看。")
    return text + (f" Of {len(balance)} schools with parallel classes, {len(unbalanced)} have "
                   f"a CV of class means above {limit} and are flagged unbalanced: "
                   f"{'; '.join(names)}. Differences may come from how pupils were placed; "
                   "read them with intake scores.")


def levels_overview(levels: pd.DataFrame, language: str = "zh") -> str:
    """How the variance of the standardised total splits between schools, between classes of a
    school and within classes (three-level model)."""
    zh = language != "en"
    if levels.empty:
        return ("没有学校有两个以上的班级（或成绩表没有班级），无法区分学校之间和班级之间的差异。" if zh else
                "No school has two classes (or the export has no classes), so differences "
                "between schools and between classes cannot be told apart.")
    share = dict(zip(levels["level"], levels["share"]))
    school, klass, within = (share["between_schools"], share["between_classes"],
                             share["within_classes"])
    if zh:
        text = (f"学生总分标准分的差异中，{pct(school)} 在学校之间，{pct(klass)} 在同一学校的班级之间，"
                f"{pct(within)} 在同一班级的学生之间。")
        text += ("同校班级之间的差异大于学校之间的差异，说明校内分班与教学的差别值得先看。" if klass > school else
                 "学校之间的差异大于同校班级之间的差异。")
        return text
    text = (f"Of the variance of pupils' standardised totals, {pct(school)} lies between "
            f"schools, {pct(klass)} between classes of the same school and {pct(within)} "
            "between pupils of a class. ")
    text += ("Classes of a school differ more than schools do: look inside schools first."
             if klass > school else "Schools differ more than the classes of a school do.")
    return text


def teachers_overview(teachers: pd.DataFrame, enabled: bool, language: str = "zh") -> str:
    """The teacher view's explanation, or that it is switched off."""
    zh = language != "en"
    if not enabled:
        return ("任课教师分析未开启（仅供内部使用，需在县级参数文件 county.yaml 的 classes 一节中开启），"
                "本报告不含任何教师的数据。" if zh else
                "The teacher view is off (internal use only; it is switched on under classes "
                "in county.yaml): this report holds no teacher's data.")
    if teachers.empty:
        return ("没有任课安排文件，或任课安排与成绩表的班级对不上，没有可列的任课教师。" if zh else
                "No teacher-of-record file, or its classes do not match the score export: no "
                "teacher to show.")
    above = int((teachers["flag"] == "above").sum())
    below = int((teachers["flag"] == "below").sum())
    if zh:
        return (f"本节仅供内部使用，不应出现在公开材料中。每位教师的数值是其任教班级相对本校其他班级的效应"
                f"（按学生人数加权）及 95% 区间，按教师编号排列，不是排名：区间重叠的教师之间没有可分辨的差别。"
                f"{len(teachers)} 位（次）教师中，{above} 位的区间在 0 以上，{below} 位在 0 以下；"
                "分班时的生源差别也会反映在这里，不能据此单独评价教师。")
    return (f"Internal use only: not for public papers. Each figure is the teacher's classes "
            "against the school's other classes (pupil-weighted) with a 95% interval, listed "
            "by code, not ranked: teachers whose intervals overlap cannot be told apart. Of "
            f"{len(teachers)} teacher entries, {above} have intervals above 0 and {below} "
            "below; how pupils were placed into classes shows here too, so this alone cannot "
            "judge a teacher.")


TREND_SECTIONS = {
    "title": ("动态跟踪", "Trends"),
    "same_grade": ("一、与往年同年级比较", "1. Against the same grade in earlier years"),
    "changes": ("二、进步与退步超出偶然范围的学校", "2. Schools that moved more than chance explains"),
    "cohort": ("三、同一批学生一年来的进步（增值评价）", "3. The same students a year on (value added)"),
    "targets": ("四、目标完成情况的变化", "4. Targets over the seasons"),
}


def trend_section(key: str, language: str = "zh", level: int = 2) -> str:
    """A heading of the trends page (``title`` is the page title)."""
    return _heading(TREND_SECTIONS, key, language, level)


def trend_overview(trend: pd.DataFrame, language: str = "zh") -> str:
    zh = language != "en"
    if len(trend) < 2:
        return ("没有更早的同年级考试季可以比较：这是该年级在 eduqa 中的第一个考试季。" if zh else
                "There is no earlier season of this grade to compare with: this is the first.")
    first, last = trend.iloc[0], trend.iloc[-1]
    if zh:
        return (f"从{first['season']}到{last['season']}，全县总分得分率由 {pct(first['score_rate'])} 变为 "
                f"{pct(last['score_rate'])}，及格率由 {pct(first['pass_rate'])} 变为 {pct(last['pass_rate'])}。"
                "各年试卷不同，原始分数的变化只作参考；学校位置的变化用标准分比较（见下节）。")
    return (f"From {first['season']} to {last['season']} the county's score rate on the total went "
            f"from {pct(first['score_rate'])} to {pct(last['score_rate'])} and the pass rate from "
            f"{pct(first['pass_rate'])} to {pct(last['pass_rate'])}. Papers differ between years, "
            "so schools are compared on standardised scores below.")


def change_overview(changes: pd.DataFrame, language: str = "zh", *,
                    chance: tuple[int, float]) -> str:
    """The 04 page's sentence on school changes: how many improved or fell back, and how many
    flags chance alone would give (``chance``: schools judged and flags expected, from
    :func:`eduqa.indicators.trends.chance_flags`; the text computes no statistics)."""
    zh = language != "en"
    if changes.empty:
        return ("没有更早的同年级考试季，无法判断学校的进退步。" if zh else
                "With no earlier season of this grade, progress cannot be judged.")
    counts = changes["flag"].value_counts()
    improved, fell = int(counts.get("improved", 0)), int(counts.get("fell_back", 0))
    new, gone = int(counts.get("only_now", 0)), int(counts.get("only_before", 0))
    small = int(counts.get("small", 0))
    judged, expected = chance
    if zh:
        text = (f"以标准分衡量，{improved} 所学校的进步、{fell} 所学校的退步超出了学生随机变化所能解释的范围"
                "（95% 区间不含 0）；其余学校的变化可能只是不同届学生的正常波动。"
                f"参与判断的 {judged} 所学校中，即使各校实际都没有变化，按 5% 的偶然概率也会有约 "
                f"{expected:.1f} 所被标为进步或退步，标注只是提示，不是结论。")
        if small:
            text += f"{small} 所学校人数过少，只列出区间，不作判断。"
        if new or gone:
            text += f"另有 {new} 所学校只出现在本次、{gone} 所只出现在上次，无法比较。"
        return text
    text = (f"On standardised scores, {improved} schools improved and {fell} fell back by more "
            "than cohort-to-cohort chance explains (95% interval excludes 0); the other changes "
            f"may be ordinary variation between year groups. Among the {judged} schools judged, "
            f"about {expected:.1f} would be flagged by chance alone even if none had changed: "
            "flags are prompts, not verdicts.")
    if small:
        text += f" {small} schools are too small for a verdict; only their intervals are shown."
    if new or gone:
        text += f" {new} schools appear only now and {gone} only before, so cannot be compared."
    return text


def cohort_overview(matched: float | None, effects: pd.DataFrame,
                    language: str = "zh") -> str:
    zh = language != "en"
    if matched is None or effects.empty:
        return ("本考试季没有设置同一批学生的上一学年考试（可在参数文件中指定），无法计算增值。" if zh else
                "No earlier season of the same students is named in the params file, so there is no "
                "value added for this season.")
    above, below = above_below(effects)
    if zh:
        return (f"{pct(matched)} 的学生通过学籍号的加密编号与上一学年成绩匹配；未匹配的学生（转入、"
                f"上一学年缺考等）不参与增值计算，各校未匹配人数见下表。在上一学年成绩相同、学校生源"
                f"（上一学年平均成绩）相同的学生中，{above} 所学校的进步明显高于全县，{below} 所明显低于全县"
                "（95% 区间不含 0）。上一学年成绩只是一次考试，有测量误差，所以同时考虑了学校的平均起点，"
                "以免把生源好的学校误判为增值高。归因分析页的学校效应还考虑了城乡、师资等学校条件，"
                "两页标出的学校可以不同。")
    return (f"{pct(matched)} of students are linked to last year's scores by their keyed id; "
            "unlinked students (arrivals, absent last year) are left out of the value added and "
            "counted per school below. Among students with the same prior score in schools of "
            f"the same intake (mean prior score), {above} schools progressed clearly more and "
            f"{below} clearly less than the county. The prior score is one test with "
            "measurement error, so the school's mean start is allowed for too, lest a strong "
            "intake pass for value added. The attribution page's school effects also allow for "
            "school conditions (urban-rural status, staffing), so the two pages may flag "
            "different schools.")


# ---------------------------------------------------------------------------------------------
# the season's landing page: the findings a meeting needs, from the notebooks' main tables


def _row(tables, name: str, **match) -> pd.Series | None:
    frame = tables.get(name)
    if frame is None or frame.empty or any(c not in frame for c in match):
        return None
    for column, value in match.items():
        frame = frame[frame[column] == value]
    return frame.iloc[0] if len(frame) else None


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
FINDING_NAMES = ("change", "weakest", "gap", "staffing", "balance", "effects", "small")


def findings(tables, names, language: str = "zh", context=None) -> dict[str, str | None]:
    """The landing-page findings ``names`` (see :data:`FINDING_NAMES`) as sentences, each None
    when its table is missing or has nothing to say. ``context`` holds tables read only as
    background (e.g. the urban–rural gap for the staffing sentence of the attribution page)."""
    unknown = [n for n in names if n not in FINDING_NAMES]
    if unknown:
        raise ValueError(f"unknown findings: {unknown}; known: {FINDING_NAMES}")
    tables = {**(context or {}), **tables}
    zh = language != "en"
    out: dict[str, str | None] = dict.fromkeys(FINDING_NAMES)

    change = _row(tables, "county_comparison", subject="total")
    if change is not None:
        up = change["mean_change"] >= 0
        points = change["pass_rate"] - change["pass_rate_previous"]
        out["change"] = (
            f"与去年同年级相比，总分平均{'提高' if up else '下降'} {abs(change['mean_change']):.1f} 分，"
            f"及格率{'提高' if points >= 0 else '下降'} {abs(points) * 100:.1f} 个百分点"
            "（两次试卷不同，只作参考）。" if zh else
            f"Against the same grade last year the mean total is {abs(change['mean_change']):.1f} "
            f"points {'higher' if up else 'lower'} and the pass rate "
            f"{abs(points) * 100:.1f} points {'higher' if points >= 0 else 'lower'} (different "
            "papers: a rough guide).")

    county = tables.get("county_subjects")
    if county is not None and len(county[county["subject"] != "total"]):
        subjects = county[county["subject"] != "total"]
        weakest = subjects.loc[subjects["score_rate"].idxmin()]  # as the 02 page names it
        out["weakest"] = (
            f"得分率最低的学科是{label(weakest['subject'])}（得分率 {pct(weakest['score_rate'])}，"
            f"及格率 {pct(weakest['pass_rate'])}）。" if zh else
            f"The weakest subject is {label(weakest['subject'], 'en')} (score rate "
            f"{pct(weakest['score_rate'])}, pass rate {pct(weakest['pass_rate'])}).")

    gap = _row(tables, "gap_means", subject="total", category="rural")
    if gap is not None:
        out["gap"] = gap_phrase(gap, language) + ("。" if zh else ".")

    explained = _row(tables, "gelbach_table", term="explained")
    base = _row(tables, "gelbach_table", term="base")
    if explained is not None and base is not None:
        sentence = staffing_share(explained, base, language,
                                  None if gap is None else int(gap["n_schools"]))
        out["staffing"] = sentence or None

    cv = _row(tables, "cv_scores", subject="total")
    resources = tables.get("cv_resources")
    if cv is not None and np.isfinite(cv["cv"]):
        text = (f"各校总分平均的差异系数为 {cv['cv']:.3f}" if zh else
                f"The coefficient of variation of school mean totals is {cv['cv']:.3f}")
        judged = (resources[resources["meets"].notna()] if resources is not None
                  and "meets" in resources else pd.DataFrame())
        if len(judged):
            failing = judged[judged["meets"].astype(float) == 0]
            if zh:
                text += ("；师资配置各项差异系数均达到督导标准" if failing.empty else
                         f"；师资配置有 {len(failing)} 项差异系数超过督导标准")
            else:
                text += ("; every staffing indicator is within the inspection limit"
                         if failing.empty else
                         f"; {len(failing)} staffing indicator(s) exceed the inspection limit")
        out["balance"] = text + ("。" if zh else ".")

    effects = tables.get("school_effects")
    if effects is not None and len(effects) and "flag" in effects:
        above, below = above_below(effects)
        out["effects"] = (
            f"考虑城乡、师资等条件后，{above} 所学校明显高于预期，{below} 所明显低于预期，"
            f"其余 {len(effects) - above - below} 所与预期没有可分辨的差异。" if zh else
            f"After urban-rural status, staffing and other conditions, {above} schools are "
            f"clearly above and {below} clearly below expectation; the other "
            f"{len(effects) - above - below} cannot be told apart from it.")

    schools = tables.get("school_total")
    if schools is not None and "small_group" in schools:
        small = int(schools["small_group"].eq(True).sum())
        if small:
            out["small"] = (f"{small} 所学校参考人数过少，在各表中标注“人数过少”，不参与排名。" if zh else
                            f"{small} schools are too small to rank; they are flagged in every table.")
    return {n: out[n] for n in names}
