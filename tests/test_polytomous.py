"""The graded response model (issue 37, point 3): against the 2PL on right/wrong questions,
its analytic gradient against finite differences, an independent implementation (girth's
marginal-ML GRM) and planted parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa.models import polytomous
from eduqa.models.irt import fit_irt
from eduqa.models.polytomous import category_curves, fit_grm, ordinal_categories


def _graded(seed, n=3000, a=(0.8, 1.2, 1.6, 2.0), b=(-1.0, 0.0, 1.0)):
    """Scores 0 … len(b) from Samejima's model with the planted a and b."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n)
    a, b = np.asarray(a), np.asarray(b)
    star = 1 / (1 + np.exp(-a[:, None, None] * (theta[None, None, :] - b[None, :, None])))
    scores = (rng.random((len(a), 1, n)) < star).sum(axis=1).T
    return pd.DataFrame(scores.astype(float), columns=[f"Q{j + 1}" for j in range(len(a))])


def test_on_right_wrong_questions_the_grm_is_the_2pl():
    """m = 1 for every question: the same likelihood as fit_irt's 2PL."""
    scores = _graded(1, n=2000, a=(0.7, 1.0, 1.5, 2.2, 1.2), b=(0.3,))
    grm, twopl = fit_grm(scores), fit_irt(scores, "2pl")
    assert grm.loglik == pytest.approx(twopl.loglik, abs=1e-4)
    np.testing.assert_allclose(grm.items["discrimination"], twopl.items["discrimination"],
                               atol=2e-3)
    np.testing.assert_allclose(grm.items["threshold"], twopl.items["difficulty"], atol=2e-3)


def test_the_analytic_gradient_is_the_likelihood_s_slope():
    scores = _graded(2, n=400)
    x = np.column_stack([ordinal_categories(scores[c])[0] for c in scores]).astype(np.int64)
    patterns, counts = np.unique(x, axis=0, return_counts=True)
    nodes, weights = np.polynomial.hermite_e.hermegauss(21)
    arguments = (polytomous._indicators(patterns, [3] * 4), counts.astype(float), [3] * 4, nodes,
                 np.log(weights / np.sqrt(2 * np.pi)))
    params = np.random.default_rng(0).normal(0, 0.5, 16) + np.tile([1.0, 1.0, 0, 0], 4)
    value, gradient = polytomous._negative_loglik(params, *arguments)
    numeric = []
    for i in range(len(params)):
        step = np.zeros_like(params)
        step[i] = 1e-6
        numeric.append((polytomous._negative_loglik(params + step, *arguments)[0]
                        - polytomous._negative_loglik(params - step, *arguments)[0]) / 2e-6)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("seed", [0, 3])
def test_the_grm_agrees_with_girth_and_recovers_the_planted_parameters(seed):
    """girth's marginal-ML GRM (an independent implementation) on the same scores, and the
    planted discriminations and thresholds."""
    import girth

    scores = _graded(seed)
    fit = fit_grm(scores)
    theirs = girth.grm_mml(scores.to_numpy(int).T + 1)
    a = fit.items.groupby("question", sort=False)["discrimination"].first().to_numpy()
    b = fit.items.pivot(index="question", columns="category", values="threshold").to_numpy()
    np.testing.assert_allclose(a, theirs["Discrimination"], atol=0.02)
    np.testing.assert_allclose(b, theirs["Difficulty"], atol=0.02)
    np.testing.assert_allclose(a, [0.8, 1.2, 1.6, 2.0], atol=0.15)
    np.testing.assert_allclose(b, np.tile([-1.0, 0.0, 1.0], (4, 1)), atol=0.25)


def test_rare_scores_are_pooled_and_curves_sum_to_one():
    """A 0–12 解答题 where nobody scores 11 and two pupils score 12: categories pooled up to
    5 pupils each; at every ability a question's category curves sum to 1."""
    rng = np.random.default_rng(5)
    theta = rng.normal(size=800)
    essay = np.clip(np.round(6 + 2.5 * theta + rng.normal(0, 1.5, 800)), 0, 10)
    essay[:2] = 12
    scores = pd.DataFrame({"essay": essay, "Q2": (theta + rng.logistic(size=800) > 0) * 1.0})
    codes, labels = ordinal_categories(scores["essay"])
    counts = codes.value_counts()
    assert counts.min() >= 5 and labels[-1].endswith("12") and "11" not in "".join(labels)
    fit = fit_grm(scores)
    assert fit.converged and fit.labels["essay"] == labels
    curves = category_curves(fit)
    totals = curves.groupby(["question", "theta"])["p"].sum()
    np.testing.assert_allclose(totals, 1.0, atol=1e-12)
    steps = fit.items[fit.items["question"] == "essay"]["threshold"].to_numpy()
    assert (np.diff(steps) > 0).all()  # ordered thresholds


def test_21_nodes_give_the_41_nodes_parameters():
    """The 05 page fits with GRADED_NODES = 21 quadrature nodes: the same parameters as 41 to
    1e-3 on planted data."""
    from eduqa.paper.tables import GRADED_NODES

    responses = _graded(3)
    fewer = fit_grm(responses, quadrature_points=GRADED_NODES).items
    more = fit_grm(responses, quadrature_points=41).items
    assert np.allclose(fewer["discrimination"], more["discrimination"], atol=1e-3)
    assert np.allclose(fewer["threshold"], more["threshold"], atol=1e-3)


def _paper(frame: pd.DataFrame, marks: dict) -> object:
    from eduqa.paper.tables import Paper

    items = frame.assign(student_key=[f"k{i}" for i in range(len(frame))], school_code="S1",
                         **{"class": "1班"})
    blueprint = pd.DataFrame({"question": list(marks), "full_marks": list(marks.values()),
                              "order": range(len(marks)), "type": "解答题", "key": ""})
    return Paper("math", items, pd.DataFrame(), blueprint)


def test_the_page_fits_the_questions_scored_in_steps_and_recovers_their_order():
    """Issue 37 (3): a mixed paper's questions scored in steps get the graded response model,
    its right/wrong ones not (they are the 2PL's); the planted discriminations come back in
    order; the sentence names the most and least discriminating. One question in steps is
    not enough, and the page says so instead of a verdict."""
    from eduqa.paper import text
    from eduqa.paper.tables import irt_view

    responses = _graded(11)  # questions q0..q3 scored 0..3, a = 0.8, 1.2, 1.6, 2.0
    rng = np.random.default_rng(2)
    responses["r"] = (rng.random(len(responses)) < 0.5).astype(float)  # right/wrong
    view = irt_view([_paper(responses, {**{c: 3.0 for c in responses.columns[:4]}, "r": 1.0})])
    assert list(view.graded["question"].unique()) == list(responses.columns[:4])
    a = view.graded.drop_duplicates("question")["a"].to_numpy()
    assert (np.diff(a) > 0).all() and abs(a[0] - 0.8) < 0.15 and abs(a[-1] - 2.0) < 0.3
    sentence = text.graded_overview(view.graded_fit, view.graded, view.graded_left_out, "zh")
    assert f"区分度最高的是第 {responses.columns[3]} 题" in sentence
    assert f"最低的是第 {responses.columns[0]} 题" in sentence
    one = irt_view([_paper(responses[[responses.columns[0], "r"]],
                           {responses.columns[0]: 3.0, "r": 1.0})])
    assert one.graded.empty and one.graded_left_out == {"math": (1, 3000)}
    said = text.graded_overview(one.graded_fit, one.graded, one.graded_left_out, "zh")
    assert "只有 1 道，少于 2 道，未作等级反应模型分析" in said
