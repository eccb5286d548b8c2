"""Classes (eduqa.indicators.classes) against plain pandas, on a county unlike the demo: full marks 150,
a school with one class, a class too small to rank, a class without one subject, pupils
without a class."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa.indicators.classes import class_change, class_table, parallel_balance

MARKS = {"math": 150.0, "chinese": 150.0}


@pytest.fixture
def scores():
    rng = np.random.default_rng(4)
    rows = []
    layout = {"A": {"1班": 30, "2班": 28, "3班": 5}, "B": {"1班": 40}, "C": {"1班": 25, "2班": 25}}
    for school, classes in layout.items():
        for klass, n in classes.items():
            shift = -25 if (school, klass) == ("C", "2班") else 0  # a planted weak class
            for i in range(n):
                for subject in MARKS:
                    if (school, klass, subject) == ("A", "2班", "chinese"):
                        continue  # this class did not sit chinese
                    rows.append({"student_key": f"{school}{klass}{i}", "school_code": school,
                                 "class": klass, "subject": subject,
                                 "score": float(np.clip(rng.normal(95 + shift, 18), 0, 150)),
                                 "status": "sat"})
    rows += [{"student_key": "nobody", "school_code": "A", "class": "", "subject": "math",
              "score": 150.0, "status": "sat"}]
    return pd.DataFrame(rows)


def test_class_means_and_ranks_against_plain_pandas(scores):
    table = class_table(scores, MARKS, min_group_size=10).set_index(
        ["school_code", "class", "subject"])
    plain = scores[scores["class"] != ""].groupby(["school_code", "class", "subject"])["score"]
    pd.testing.assert_series_equal(table["mean"], plain.mean(), check_names=False)
    assert ("A", "", "math") not in table.index  # no class: in no class's figures
    assert table.loc[("A", "3班", "math"), "small_group"]
    assert np.isnan(table.loc[("A", "3班", "math"), "rank_in_school"])
    math = table.xs("math", level="subject")
    ranked = math[~math["small_group"]]
    county = ranked["composite"].rank(ascending=False, method="min")
    pd.testing.assert_series_equal(ranked["rank"], county, check_names=False)
    in_a = ranked.loc["A", "composite"].rank(ascending=False, method="min")
    pd.testing.assert_series_equal(ranked.loc["A", "rank_in_school"], in_a, check_names=False)
    assert math.loc[("B", "1班"), "rank_in_school"] == 1
    assert ("A", "2班", "chinese") not in table.index


def test_parallel_classes_range_and_cv(scores):
    table = class_table(scores, MARKS, min_group_size=10)
    balance = parallel_balance(table, min_group_size=10, cv_limit=0.05).set_index(
        ["school_code", "subject"])
    assert ("B", "math") not in balance.index  # one class: nothing to compare
    assert ("A", "chinese") not in balance.index  # one class left of at least 10 pupils
    means = table.set_index(["school_code", "class", "subject"])["mean"]
    a = means.loc[[("A", "1班", "math"), ("A", "2班", "math")]]
    assert balance.loc[("A", "math"), "range"] == pytest.approx(a.max() - a.min())
    assert balance.loc[("A", "math"), "cv"] == pytest.approx(a.std(ddof=0) / a.mean())
    assert balance.loc[("A", "math"), "n_small"] == 1 and balance.loc[("A", "math"),
                                                                       "n_classes"] == 2
    c = balance.loc[("C", "math")]
    assert c["lowest_class"] == "2班" and c["unbalanced"]  # the planted weak class
    assert c["range"] == pytest.approx(means.loc[("C", "1班", "math")]
                                       - means.loc[("C", "2班", "math")])


def test_class_change_links_by_school_class_and_subject(scores):
    now = class_table(scores, MARKS, min_group_size=10)
    before = now[now["school_code"] != "B"].assign(mean=lambda f: f["mean"] - 3.0,
                                                   rank=lambda f: f["rank"] + 1)
    change = class_change(now, before).set_index(["school_code", "class", "subject"])
    assert change.loc[("A", "1班", "math"), "mean_change"] == pytest.approx(3.0)
    assert change.loc[("A", "1班", "math"), "rank_change"] == 1
    assert np.isnan(change.loc[("B", "1班", "math"), "mean_change"])  # no earlier class
    assert class_change(now, None)["mean_change"].isna().all()


def test_a_season_does_not_keep_its_class_table(built):
    """The class table (millions of rows in a national season) is made when asked for and
    not kept with the opened season, which a notebook worker holds after the notebook: the
    season's tables hold no class-level frame afterwards, and a second call gives the same
    table."""
    from eduqa.project.season import Season, forget_opened

    forget_opened()
    season = Season.open("2025-spring-g9", built.root)
    first = season.class_summary()
    assert len(first) > 0 and {"class", "rank_in_school"} <= set(first.columns)
    held = [name for name, table in season._tables.items()
            if isinstance(table, pd.DataFrame) and "rank_in_school" in table.columns]
    assert held == []
    pd.testing.assert_frame_equal(season.class_summary(), first)
    forget_opened()
