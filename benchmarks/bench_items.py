"""Benchmark: the paper analysis of a city season (300k students x 25 questions x 6 subjects,
1,500 schools), against a plain-pandas peer (the questions' correlation matrix) in the same
run.

    .venv/bin/python benchmarks/bench_items.py [--students 300000] [--questions 25]

Per subject: item statistics (difficulty, 满分率/零分率, corrected item-total r, the 27%
index, alpha if deleted), the paper's statistics, the option shares of the objective
questions, knowledge-point rates by school, and urban-rural Mantel-Haenszel DIF of every
question; then a 2PL fit on a sample of 20,000 pupils (timed apart). Then every table of the
05-paper page through eduqa.paper.tables, as the notebook makes them (questions, options, knowledge
points and ability levels by county, 城乡, township, school and class, DIF, and Rasch and 2PL
on a 20,000-pupil sample per subject). Prints a table and writes benchmarks/out/items.json.
Target (issue 14): the item analysis of the city season <= 30 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.models.dif import dif_mantel_haenszel
from eduqa.models.irt import fit_irt
from eduqa.paper import tables as paper_tables
from eduqa.paper.statistics import (
    item_statistics,
    knowledge_point_rates,
    option_shares,
    paper_statistics,
)

SUBJECTS = ["chinese", "math", "english", "physics", "chemistry", "history"]
TARGET_SECONDS = 30.0


def subject_paper(n: int, k: int, rng: np.random.Generator, school: np.ndarray):
    """Item scores of one paper: 10 one-mark choice questions (options A-D, key A), the rest
    out of 4-12 marks, from a graded response to one ability."""
    theta = rng.normal(size=n) + 0.3 * rng.normal(size=school.max() + 1)[school]
    marks = np.array([1.0] * 10 + list(rng.integers(4, 13, k - 10)), dtype=float)
    difficulty = rng.normal(0, 1, k)
    p = 1 / (1 + np.exp(-(theta[:, None] - difficulty)))
    scores = rng.binomial(marks.astype(int), p).astype(float)
    names = [str(j + 1) for j in range(k)]
    items = pd.DataFrame(scores, columns=names)
    wrong = rng.choice(np.array(["B", "C", "D", ""]), size=(n, 10), p=[0.4, 0.3, 0.25, 0.05])
    choices = pd.DataFrame(np.where(scores[:, :10] == 1, "A", wrong), columns=names[:10])
    blueprint = pd.DataFrame({"question": names,
                              "knowledge_point": [f"point{j % 8}" for j in range(k)]})
    return items, dict(zip(names, marks)), choices, blueprint


def as_paper(subject: str, items, marks, choices, blueprint, school: np.ndarray
             ) -> paper_tables.Paper:
    """One subject as the clean step stores it (:class:`eduqa.paper.tables.Paper`)."""
    keys = pd.Series([f"k{i:07d}" for i in range(len(items))])
    codes = "S" + pd.Series(school).astype(str).str.zfill(5)
    frame = pd.concat([pd.DataFrame({"student_key": keys, "school_code": codes,
                                     "class": (pd.Series(np.arange(len(items)) % 4 + 1)
                                               .astype(str) + "班")}), items], axis=1)
    objective = list(choices.columns)
    described = blueprint.assign(
        full_marks=[marks[q] for q in blueprint["question"]],
        type=["选择题" if q in objective else "解答题" for q in blueprint["question"]],
        objective=[q in objective for q in blueprint["question"]],
        key=["A" if q in objective else "" for q in blueprint["question"]],
        ability=["理解" if j % 2 else "应用" for j in range(len(blueprint))],
        order=range(len(blueprint)))
    return paper_tables.Paper(subject, frame, pd.concat([keys.rename("student_key"), choices],
                                                        axis=1), described)


def page_tables(papers: list, schools: pd.DataFrame) -> None:
    """Every table the 05-paper notebook makes."""
    paper_tables.paper_summary(papers)
    paper_tables.question_table(papers)
    paper_tables.option_wide(paper_tables.option_table(papers))
    paper_tables.point_table(papers, schools)
    paper_tables.point_table(papers, schools, "ability")
    for level in ("township", "school_code", "class"):
        paper_tables.point_groups(papers, schools, level, min_group_size=10)
    paper_tables.dif_table(papers, schools)
    paper_tables.irt_view(papers)


def _analyse(items, marks, choices, blueprint, by, rural, times: dict[str, float]) -> None:
    """The paper analysis of one subject, each step's seconds added to ``times``."""
    def step(name: str, function, *args) -> None:
        started = time.perf_counter()
        function(*args)
        times[name] = times.get(name, 0.0) + time.perf_counter() - started

    step("item statistics", item_statistics, items, marks)
    step("paper statistics", paper_statistics, items, marks)
    step("option shares", option_shares, choices, dict.fromkeys(choices.columns, "A"),
         items.sum(axis=1))
    step("knowledge points by school", knowledge_point_rates, items, marks, blueprint, by)
    step("DIF urban-rural (MH)", dif_mantel_haenszel, items, marks, rural)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300_000)
    parser.add_argument("--questions", type=int, default=25)
    parser.add_argument("--schools", type=int, default=1_500)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n = args.students
    school = rng.integers(0, args.schools, n)
    by = pd.DataFrame({"school_code": "S" + pd.Series(school).astype(str).str.zfill(5)})
    rural = pd.Series(school % 3 == 0)
    papers = {s: subject_paper(n, args.questions, rng, school) for s in SUBJECTS}
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print(f"{n:,} students x {args.questions} questions x {len(SUBJECTS)} subjects, "
          f"{args.schools:,} schools")

    times: dict[str, float] = {}
    started = time.perf_counter()
    for items, marks, choices, blueprint in papers.values():
        _analyse(items, marks, choices, blueprint, by, rural, times)
    analysis = time.perf_counter() - started
    times["item analysis, 6 subjects"] = analysis

    t = time.perf_counter()
    for items, _, _, _ in papers.values():
        items.corr()
    times["peer: pandas corr of the questions, 6 subjects"] = time.perf_counter() - t

    items, marks, _, _ = papers["math"]
    sample = items.sample(20_000, random_state=0)
    right = (sample >= pd.Series(marks)).astype(float)
    t = time.perf_counter()
    fit = fit_irt(right, "2pl")
    times["2PL, one subject, 20,000-pupil sample"] = time.perf_counter() - t

    codes = np.arange(args.schools)
    schools = pd.DataFrame({"school_code": "S" + pd.Series(codes).astype(str).str.zfill(5),
                            "township": "T" + pd.Series(codes // 50).astype(str),
                            "urban_rural": np.where(codes % 3 == 0, "rural",
                                                    np.where(codes % 3 == 1, "town", "urban"))})
    season = [as_paper(s, *papers[s], school) for s in SUBJECTS]
    t = time.perf_counter()
    page_tables(season, schools)
    page = time.perf_counter() - t
    times["the 05 page's tables (eduqa.paper.tables), 6 subjects"] = page

    for name, value in times.items():
        print(f"{name:<52}{value:>9.2f} s")
    print(f"2PL converged: {fit.converged}")
    met = analysis <= TARGET_SECONDS
    print(f"target item analysis <= {TARGET_SECONDS:g} s: {'met' if met else 'NOT met'} "
          f"({analysis:.1f} s)")
    print(f"the 05 page's tables, incl. Rasch and 2PL per subject: {page:.1f} s "
          f"(target {TARGET_SECONDS:g} s: {'met' if page <= TARGET_SECONDS else 'NOT met'})")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "items.json").write_text(json.dumps({"seconds": times, "met": met,
                                                "page_met": page <= TARGET_SECONDS}, indent=1),
                                    encoding="utf-8")


if __name__ == "__main__":
    main()
