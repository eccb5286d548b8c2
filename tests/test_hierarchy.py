"""Nested random intercepts at several levels (issue 36, points 1 and 2): the teacher view's
model. Oracles: the three-level model (itself checked against MixedLM), statsmodels MixedLM
with variance components, Henderson's mixed-model equations solved densely, plain pandas for
the fixed-effect contrasts, and coverage of planted teacher effects in simulated counties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from eduqa import attribution
from eduqa.models import hierarchy
from eduqa.models.grouped import GroupedStats
from eduqa.models.hierarchy import nested_levels
from eduqa.models.nested import nested_random_intercept
from eduqa.synth.teachers import teacher_design


def _county(seed, schools=15, teachers=2, classes=2, sds=(0.4, 0.3, 0.35), slope=0.0):
    """Pupils with a covariate x, in classes of teachers in schools (planted SDs)."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(schools):
        u = rng.normal(0, sds[0])
        for t in range(teachers):
            effect = rng.normal(0, sds[1])
            for c in range(classes):
                v = rng.normal(0, sds[2])
                n = int(rng.integers(8, 15))
                x = rng.normal(size=n)
                rows.append(pd.DataFrame({
                    "school_code": f"S{s:02d}", "teacher": f"T{t}", "klass": f"C{t}{c}",
                    "x": x, "rural": float(s % 2),
                    "y": u + effect + v + slope * x + rng.normal(0, 0.8, n)}))
    return pd.concat(rows, ignore_index=True)


def _stats(rows, covariates=("x",)):
    return GroupedStats.of(rows, ["school_code", "klass"], ["y", *covariates],
                           constant=["teacher", "rural"])


def test_two_levels_are_the_three_level_model():
    """Schools and classes only: the same fit as nested_random_intercept (itself checked
    against MixedLM), effects and errors at its ratios to rounding."""
    rows = _county(0, teachers=1, classes=3, sds=(0.4, 0.0, 0.25), slope=0.5)
    rows["class"] = rows["klass"]
    direct = nested_random_intercept(rows, "y ~ x + rural")
    fit = nested_levels(_stats(rows), "y ~ x + rural", ["school_code", "klass"])
    assert fit.variances["school_code"] == pytest.approx(direct.school_var, rel=1e-6)
    assert fit.variances["klass"] == pytest.approx(direct.class_var, rel=1e-6)
    assert fit.resid_var == pytest.approx(direct.resid_var, rel=1e-8)
    assert fit.llf == pytest.approx(direct.llf, abs=1e-8)
    np.testing.assert_allclose(fit.params, direct.params, atol=1e-8)
    # the closed-form predictions at the three-level model's ratios are its predictions
    tree, _ = _tree(_stats(rows), "y ~ x + rural", ["school_code", "klass"])
    ratios = np.array([direct.school_var, direct.class_var]) / direct.resid_var
    effects, variances = hierarchy._predicted(tree, ratios, True)
    np.testing.assert_allclose(effects[1], direct.class_effects["effect"], atol=1e-12)
    np.testing.assert_allclose(np.sqrt(variances[1]), direct.class_effects["se"], atol=1e-12)
    np.testing.assert_allclose(np.sqrt(variances[0]), direct.school_effects["se"], atol=1e-12)


@pytest.mark.parametrize("seed", [4, 5])
def test_four_levels_match_mixedlm_with_variance_components(seed):
    """Schools, teachers and classes: MixedLM with the teacher and the class as variance
    components of the school gives the same REML variances and likelihood."""
    import statsmodels.formula.api as smf

    rows = _county(seed)
    fit = nested_levels(_stats(rows, ()), "y ~ 1", ["school_code", "teacher", "klass"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oracle = smf.mixedlm("y ~ 1", rows, groups="school_code", re_formula="1",
                             vc_formula={"teacher": "0 + C(teacher)",
                                         "klass": "0 + C(klass)"}).fit(reml=True,
                                                                         method=["lbfgs"])
    assert fit.variances["school_code"] == pytest.approx(oracle.cov_re.iloc[0, 0], rel=2e-3)
    components = dict(zip(oracle.model.exog_vc.names, oracle.vcomp))
    assert fit.variances["teacher"] == pytest.approx(components["teacher"], rel=2e-3)
    assert fit.variances["klass"] == pytest.approx(components["klass"], rel=2e-3)
    assert fit.resid_var == pytest.approx(oracle.scale, rel=1e-4)
    assert fit.llf >= oracle.llf - 1e-6 and fit.llf == pytest.approx(oracle.llf, abs=1e-4)


def _tree(stats, formula, levels):
    design, _, sums, _, ztz = stats.model(formula)
    table = design.table.join(stats.table.set_index(list(stats.keys))[
        [c for c in levels if c not in stats.keys]], on=list(stats.keys))
    units = [pd.MultiIndex.from_frame(table[levels[:at + 1]].astype(str)).factorize(
        sort=True)[0].astype(np.int64) for at in range(len(levels))]
    return hierarchy._Tree(design.n.astype(float), sums, ztz, units), table


def test_predictions_and_errors_are_henderson_s_equations_solved_densely():
    """At given ratios, every unit's prediction and prediction-error variance (with the
    uncertainty of β̂) equal the dense solution of the mixed-model equations on the pupils."""
    rows = _county(7, schools=8, slope=0.4).sort_values(
        ["school_code", "teacher", "klass"], kind="stable").reset_index(drop=True)
    levels = ["school_code", "teacher", "klass"]
    tree, _ = _tree(_stats(rows), "y ~ x + rural", levels)
    ratios = np.array([0.3, 0.15, 0.08])
    effects, variances = hierarchy._predicted(tree, ratios, True)
    # dense: Z = [school | teacher | class] indicators, X = [1, x, rural]
    x = np.column_stack([np.ones(len(rows)), rows["x"], rows["rural"]])
    blocks = [pd.get_dummies(rows[levels[:at + 1]].astype(str).agg("/".join, axis=1))
              .to_numpy(float) for at in range(3)]
    z = np.hstack(blocks)
    prior = np.concatenate([np.full(b.shape[1], 1 / r) for b, r in zip(blocks, ratios)])
    coefficients = np.block([[x.T @ x, x.T @ z], [z.T @ x, z.T @ z + np.diag(prior)]])
    solution = np.linalg.solve(coefficients, np.concatenate([x.T @ rows["y"],
                                                             z.T @ rows["y"]]))
    k = x.shape[1]
    beta, b = solution[:k], solution[k:]
    v = np.eye(len(rows)) + z @ np.diag(1 / prior) @ z.T
    r = rows["y"].to_numpy() - x @ beta
    sigma2 = r @ np.linalg.solve(v, r) / (len(rows) - k)
    pev = sigma2 * np.diag(np.linalg.inv(coefficients))[k:]
    np.testing.assert_allclose(np.concatenate(effects), b, atol=1e-10)
    np.testing.assert_allclose(np.concatenate(variances), pev, rtol=1e-9)


def test_a_variance_at_zero_gives_contrasts_not_zero_width_intervals():
    """A teacher level with no variance (planted 0, estimated 0): each teacher carries the
    fixed-effect contrast of its pupils' mean with its school's — plain pandas — with
    variance σ²(1/n_t − 1/n_s) plus the class variance of the a-weights (dense a'Va)."""
    for seed in range(40):
        rows = _county(seed, sds=(0.4, 0.0, 0.3))
        stats = _stats(rows, ())
        fit = nested_levels(stats, "y ~ 1", ["school_code", "teacher", "klass"])
        if fit.at_zero == ["teacher"]:
            break
    else:
        pytest.fail("no seed gave a teacher variance of 0")
    table = fit.effects["teacher"]
    assert (table["basis"] == "contrast").all() and (table["se"] > 0.05).all()
    teacher_mean = rows.groupby(["school_code", "teacher"])["y"].mean()
    school_mean = rows.groupby("school_code")["y"].mean()
    expected = teacher_mean - school_mean.reindex(teacher_mean.index.get_level_values(0)).values
    mine = table.set_index(["school_code", "teacher"])["effect"]
    np.testing.assert_allclose(mine.reindex(expected.index), expected, atol=1e-10)
    # the variance of the contrast of S00/T0 under the fitted model: a'Va, dense
    school = rows[rows["school_code"] == "S00"].reset_index(drop=True)
    own = (school["teacher"] == "T0").to_numpy()
    a = own / own.sum() - 1 / len(school)
    classes = pd.get_dummies(school["klass"]).to_numpy(float)
    v = fit.resid_var * np.eye(len(school)) + fit.variances["klass"] * classes @ classes.T
    se = table.set_index(["school_code", "teacher"]).loc[("S00", "T0"), "se"]
    assert se == pytest.approx(np.sqrt(a @ v @ a), rel=1e-10)
    # a teacher alone in a school has no contrast: not estimable, not 0 ± 0
    lone = rows[~((rows["school_code"] == "S00") & (rows["teacher"] == "T1"))]
    again = nested_levels(_stats(lone, ()), "y ~ 1", ["school_code", "teacher", "klass"])
    if again.at_zero == ["teacher"]:
        row = again.effects["teacher"].set_index(["school_code", "teacher"]).loc[("S00", "T0")]
        assert row["flag"] == "not_estimable" and np.isnan(row["effect"])


def test_a_school_variance_at_zero_gives_contrasts_in_the_two_level_model():
    """The random-intercept model (value added) and the three-level model: a level whose
    variance is estimated at 0 gives each unit its contrast with the whole (pandas)."""
    from eduqa.models import random_intercept

    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"g": np.repeat([f"G{i}" for i in range(12)], 20)})
    frame["y"] = rng.normal(size=len(frame))
    frame["y"] -= frame.groupby("g")["y"].transform("mean") * 0.9  # groups closer than chance
    fit = random_intercept(frame, "y ~ 1", "g")
    assert fit.group_var == 0
    effects = fit.group_effects.set_index("group")
    expected = frame.groupby("g")["y"].mean() - frame["y"].mean()
    np.testing.assert_allclose(effects["effect"].reindex(expected.index), expected, atol=1e-12)
    np.testing.assert_allclose(effects["se"], np.sqrt(fit.resid_var * (1 / 20 - 1 / 240)))
    assert (effects["basis"] == "contrast").all()
    frame["class"] = np.tile(np.repeat(["1", "2"], 10), 12)
    frame["school_code"] = frame["g"]
    nested = nested_random_intercept(frame, "y ~ 1")
    assert nested.school_var == 0
    assert (nested.school_effects["ci_high"] - nested.school_effects["ci_low"] > 0).all()
    assert (nested.school_effects["basis"] == "contrast").all()


def _coverage(seeds, **design):
    """Share of teachers whose 95% interval (teacher view) covers the planted effect."""
    hits, total = 0, 0
    for seed in seeds:
        county = teacher_design(seed, **design)
        view = attribution.teacher_view(county.scores, county.assignments)
        truth = view.merge(county.truth, on=["teacher_key", "school_code"])["effect"]
        scale = county.scores["score"].std() / 10  # the view's z is the score standardised
        planted = truth / scale
        hits += int(((view["ci_low"] <= planted) & (planted <= view["ci_high"])).sum())
        total += len(view)
    return hits / total


@pytest.mark.parametrize("design", [
    {"teachers": 2, "classes": 2},  # two teachers of two classes in each school
    {"teachers": 4, "classes": 1},  # one teacher per class
], ids=["two_teachers_two_classes", "one_teacher_per_class"])
def test_teacher_intervals_cover_the_planted_effects(design):
    """Lighter version of benchmarks/bench_teachers.py (200 replications): 25 seeded
    counties of 40 schools, teacher SD 0.15. The old aggregation of independent class
    errors covered about 70% in the first design."""
    assert _coverage(range(25), **design) >= 0.93
