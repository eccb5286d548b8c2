"""The demo's papers (试卷分析): a blueprint per subject, item scores drawn from each pupil's
attainment, and planted flaws (PAPER_PLANTS) that the 05 page must find."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from eduqa.synth.model import SEASONS, SUBJECTS, _category

#: Seasons whose 语文 and 数学 papers have item scores and a blueprint.
PAPER_SEASONS = ("2024-spring-g8", "2025-spring-g9")


#: The papers, by subject: (question header, type, full marks, knowledge point(s), ability,
#: difficulty b, discrimination a). Both papers are out of 120, as the demo's 语文 and 数学.
PAPERS = {
    "数学": [
        *[(str(q), "选择题", 4, point, level, b, 1.2) for q, point, level, b in [
            (1, "有理数", "了解", -2.0), (2, "整式", "了解", -1.6), (3, "方程与不等式", "理解", -1.0),
            (4, "函数", "理解", -0.6), (5, "三角形", "理解", -0.4), (6, "四边形", "掌握", 0.0),
            (7, "统计与概率", "理解", -0.8), (8, "圆", "掌握", 0.4), (9, "函数", "应用", 0.8),
            (10, "三角形", "应用", 1.2), (11, "整式", "掌握", -0.2), (12, "函数、方程与不等式",
                                                                 "应用", 0.6)]],
        ("13", "填空题", 6, "方程与不等式", "理解", -0.5, 1.0),
        ("14", "填空题", 6, "统计与概率", "理解", -0.2, 1.0),
        ("15", "填空题", 6, "圆", "掌握", 0.3, 1.0),
        ("16", "填空题", 6, "函数", "掌握", 0.6, 1.0),
        ("17", "解答题", 16, "方程与不等式、函数", "应用", 0.0, 1.0),
        ("18", "解答题", 16, "三角形、四边形", "应用", 0.4, 1.0),
        ("19", "解答题", 16, "函数、圆", "应用", 1.0, 1.0),
    ],
    "语文": [
        *[(str(q), "选择题", 3, point, level, b, 1.1) for q, point, level, b in [
            (1, "字音字形", "识记", -1.8), (2, "词语运用", "理解", -1.2), (3, "病句", "理解", -0.6),
            (4, "文学常识", "识记", -1.0), (5, "古诗词", "理解", -0.4), (6, "现代文阅读", "理解", 0.0),
            (7, "现代文阅读", "分析", 0.4), (8, "文言文阅读", "理解", -0.2),
            (9, "文言文阅读", "分析", 0.5), (10, "名著阅读", "识记", -0.6)]],
        ("11(1)", "阅读题", 6, "现代文阅读", "分析", -0.3, 1.0),
        ("11(2)", "阅读题", 8, "现代文阅读", "鉴赏", 0.3, 1.0),
        ("11(3)", "阅读题", 10, "现代文阅读、写作", "鉴赏", 0.8, 1.0),
        ("12", "文言文", 16, "文言文阅读", "分析", 0.2, 1.0),
        ("13", "作文", 50, "写作", "表达应用", 0.0, 0.6),
    ],
}


#: Planted in both seasons' 数学 papers, as the tests recover them: question 7's discrimination
#: is negative (its chance of being right falls as ability rises, a = −1.0); rural pupils find
#: question 10 harder than their ability predicts (logit −1.3, ETS class C expected); option D
#: of question 3 (key C) is a trap the stronger pupils fall for (chosen with probability
#: 0.6 / (1 + exp(−(2θ − 1))): a distractor the high group chooses more than the low group);
#: every other question is clean.
PAPER_PLANTS: dict[str, tuple[str, str, Any]] = {
    "negative_discrimination": ("数学", "7", -1.0), "dif": ("数学", "10", -1.3),
    "strong_distractor": ("数学", "3", "D")}


_KEYS = "ABCD"


def _paper_for(rng, frame: pd.DataFrame, subject: str, full: float, rural: np.ndarray):
    """Item scores (text cells; objective questions as the option chosen) summing to each
    pupil's subject score, and the blueprint."""
    paper = PAPERS[subject]
    score = frame[subject].to_numpy(dtype=float)
    theta = (score - score.mean()) / score.std()
    n = len(frame)
    keys = {q: _KEYS[i % 4] for i, (q, kind, *_rest) in enumerate(paper) if kind == "选择题"}
    plants = {k: v for k, v in PAPER_PLANTS.items() if v[0] == subject}
    objective = [row for row in paper if row[1] == "选择题"]
    subjective = [row for row in paper if row[1] != "选择题"]
    right = np.zeros((n, len(objective)), dtype=bool)
    for j, (q, _, _marks, _, _, b, a) in enumerate(objective):
        if plants.get("negative_discrimination", (None, None))[1] == q:
            a = float(plants["negative_discrimination"][2])
        logit = a * (theta - b)
        if plants.get("dif", (None, None))[1] == q:
            logit = logit + float(plants["dif"][2]) * rural
        right[:, j] = rng.random(n) < 1 / (1 + np.exp(-logit))
    trapped = np.zeros(n, dtype=bool)
    strong = plants.get("strong_distractor", (None, None, None))
    if strong[1] is not None:  # a trap option that the stronger pupils fall for
        at = [row[0] for row in objective].index(strong[1])
        trapped = rng.random(n) < 0.6 / (1 + np.exp(-(2.0 * theta - 1.0)))
        right[:, at] &= ~trapped
    marks_o = np.array([row[2] for row in objective], dtype=float)
    marks_s = np.array([row[2] for row in subjective], dtype=float)
    cells_o = np.zeros((n, len(objective)))
    cells_s = np.zeros((n, len(subjective)))
    difficulty_s = np.array([row[5] for row in subjective])
    # each pupil does better on some 解答题 than others of the same difficulty: a question's
    # share of the pupil's marks varies (drawn apart from the main stream, so that every other
    # file of the demo stays as it was)
    jitter = np.random.default_rng([20261207, n, zlib.crc32(subject.encode("utf-8"))]).normal(
        0.0, JITTER_SD, (n, len(subjective)))
    for i in range(n):
        right[i], cells_s[i] = _pupil_cells(rng, right[i], score[i], theta[i], marks_o, marks_s,
                                            difficulty_s - jitter[i])
        cells_o[i] = right[i] * marks_o
    table = {}
    for j, (q, *_rest) in enumerate(objective):
        wrong_options = [o for o in _KEYS if o != keys[q]]
        pick = rng.choice(wrong_options, n)
        if strong[1] == q:
            pick = np.where(trapped, str(strong[2]), pick)
        blank = rng.random(n) < 0.01
        table[q] = np.where(right[:, j], keys[q], np.where(blank, "", pick))
    for j, (q, *_rest) in enumerate(subjective):
        table[q] = np.asarray([f"{v:g}" for v in cells_s[:, j]])
    blueprint = pd.DataFrame([{"题号": q, "题型": kind, "分值": marks, "知识点": point,
                               "能力层级": level, "答案": keys.get(q, "")}
                              for q, kind, marks, point, level, _, _ in paper])
    return pd.DataFrame(table), blueprint


#: SD, in logits, of a pupil's question-to-question variation on the 解答题 (without it a
#: question's marks follow the pupil's total exactly, and no IRT model can be fitted to them).
JITTER_SD = 0.5


def _pupil_cells(rng, right: np.ndarray, score: float, theta: float, marks_o: np.ndarray,
                 marks_s: np.ndarray, difficulty_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One pupil's objective answers (``right``, adjusted) and subjective marks, summing to
    ``score``: the objective answers give way where the rest cannot fit, the rest is shared
    over the subjective questions by ability."""
    got = right.copy()
    rest = score - marks_o @ got
    order = np.argsort(-rng.random(len(marks_o)))
    for j in order:
        if rest < 0 and got[j]:
            got[j], rest = False, rest + marks_o[j]
        elif rest > marks_s.sum() and not got[j]:
            got[j], rest = True, rest - marks_o[j]
    weight = marks_s / (1 + np.exp(-(theta - difficulty_s)))
    share = np.minimum(np.floor(rest * weight / weight.sum()), marks_s)
    left = rest - share.sum()
    for j in np.argsort(-(weight / marks_s)):
        add = min(left, marks_s[j] - share[j])
        share[j] += add
        left -= add
    return got, share


def _papers(rng, county, season: str, folder: Path) -> dict:
    """Write the season's item-score exports and blueprints; returns what was planted."""
    frame = county.students[season]
    grade = int(SEASONS[season]["grade"])  # type: ignore[call-overload]
    rural = frame["school_code"].map(
        _category(county.roster.set_index("school_code")["urban_rural"])).eq("rural").to_numpy()
    names = {"数学": "math", "语文": "chinese"}
    record = {}
    for subject, file_id in names.items():
        full = SUBJECTS[grade][subject][0]
        cells, blueprint = _paper_for(rng, frame, subject, full, rural)
        headers = {q: (f"第{q}题" if subject == "语文" and "(" not in q else q)
                   for q in cells.columns}
        export = pd.DataFrame({"学籍号": frame["registry_id"].to_numpy(),
                               "姓名": frame["name"].to_numpy(),
                               "学校": frame["school_name"].to_numpy(),
                               "班级": frame["class"].to_numpy()})
        for q, header in headers.items():
            export[header] = cells[q].to_numpy()
        export["总分"] = frame[subject].astype(str).to_numpy()
        mismatch = int(len(export) // 2)  # one pupil's last question one mark off
        last = list(headers.values())[-1]
        value = float(export.loc[mismatch, last])
        export.loc[mismatch, last] = f"{value - 1:g}" if value >= 1 else "1"
        export.to_csv(folder / f"items-{file_id}.csv", index=False, encoding="utf-8")
        blueprint.to_csv(folder / f"blueprint-{file_id}.csv", index=False, encoding="utf-8")
        record[subject] = {"sum_mismatch_row": mismatch + 2, "questions": len(blueprint)}
    return record
