"""The three-level random-intercept model (eduqa.models.nested) against statsmodels' MixedLM
with a class variance component, and against dense mixed-model algebra."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from eduqa.errors import EduqaError
from eduqa.models.nested import nested_random_intercept


def _simulated(seed: int, schools: int = 25, tau_s: float = 0.6, tau_c: float = 0.4):
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(schools):
        u = rng.normal(0, tau_s)
        for c in range(int(rng.integers(1, 5))):  # a school may have one class
            v = rng.normal(0, tau_c)
            for _ in range(int(rng.integers(3, 20))):
                x = rng.normal()
                rows.append((f"s{s:02d}", f"{c + 1}班", x, rng.random() < 0.4,
                             1 + 0.5 * x + u + v + rng.normal()))
    return pd.DataFrame(rows, columns=["school_code", "class", "x", "rural", "y"])


def _mixedlm(data, formula, reml=True):
    data = data.assign(cls=data["school_code"] + "/" + data["class"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.MixedLM.from_formula(formula, groups="school_code", re_formula="1",
                                       vc_formula={"cls": "0 + C(cls)"}, data=data
                                       ).fit(reml=reml)


@pytest.mark.parametrize("seed, reml", [(1, True), (2, True), (3, False)])
def test_three_level_model_matches_mixedlm_where_it_converges(seed, reml):
    data = _simulated(seed)
    ours = nested_random_intercept(data, "y ~ x + rural", reml=reml)
    theirs = _mixedlm(data, "y ~ x + rural", reml=reml)
    assert theirs.converged
    np.testing.assert_allclose(ours.params.to_numpy(), theirs.fe_params.to_numpy(), atol=1e-4)
    # (errors follow the variances, which MixedLM stops short of: the exact formula is checked
    # against dense algebra below)
    np.testing.assert_allclose(ours.bse.to_numpy(), theirs.bse_fe.to_numpy(), rtol=5e-3)
    assert ours.school_var == pytest.approx(float(theirs.cov_re.iloc[0, 0]), rel=2e-3)
    assert ours.class_var == pytest.approx(float(theirs.vcomp[0]), rel=2e-3)
    assert ours.resid_var == pytest.approx(theirs.scale, rel=1e-4)
    assert ours.llf >= theirs.llf - 1e-6  # the same likelihood, at least as high
    assert ours.llf == pytest.approx(theirs.llf, abs=1e-3)
    # empirical-Bayes effects of the schools and of their classes
    for school, effects in theirs.random_effects.items():
        row = ours.school_effects.set_index("school_code").loc[school]
        assert row["effect"] == pytest.approx(effects.iloc[0], abs=2e-4)
        mine = ours.class_effects[ours.class_effects["school_code"] == school]
        np.testing.assert_allclose(mine["effect"].to_numpy(), effects.iloc[1:].to_numpy(),
                                   atol=2e-4)
    assert ours.shares.sum() == pytest.approx(1)


def test_effects_and_errors_equal_the_dense_mixed_model_equations():
    data = _simulated(7, schools=6)
    fit = nested_random_intercept(data, "y ~ x")
    n = len(data)
    x = np.column_stack([np.ones(n), data["x"]])
    schools = pd.factorize(data["school_code"], sort=True)[0]
    classes = pd.MultiIndex.from_frame(data[["school_code", "class"]]).factorize(sort=True)[0]
    z = np.column_stack([np.eye(schools.max() + 1)[schools], np.eye(classes.max() + 1)[classes]])
    g = np.diag([fit.school_var] * (schools.max() + 1) + [fit.class_var] * (classes.max() + 1))
    v = z @ g @ z.T + fit.resid_var * np.eye(n)
    v_inv = np.linalg.inv(v)
    beta = np.linalg.solve(x.T @ v_inv @ x, x.T @ v_inv @ data["y"].to_numpy())
    np.testing.assert_allclose(fit.params.to_numpy(), beta, atol=1e-10)
    np.testing.assert_allclose(fit.bse.to_numpy(),
                               np.sqrt(np.diag(np.linalg.inv(x.T @ v_inv @ x))), rtol=1e-9)
    blup = g @ z.T @ v_inv @ (data["y"].to_numpy() - x @ beta)
    p = v_inv - v_inv @ x @ np.linalg.inv(x.T @ v_inv @ x) @ x.T @ v_inv
    pev = np.diag(g - g @ z.T @ p @ z @ g)
    k = schools.max() + 1
    np.testing.assert_allclose(fit.school_effects["effect"], blup[:k], atol=1e-10)
    np.testing.assert_allclose(fit.class_effects["effect"], blup[k:], atol=1e-10)
    np.testing.assert_allclose(fit.school_effects["se"], np.sqrt(pev[:k]), atol=1e-10)
    np.testing.assert_allclose(fit.class_effects["se"], np.sqrt(pev[k:]), atol=1e-10)


def test_planted_variance_shares_are_recovered():
    data = _simulated(11, schools=150, tau_s=0.8, tau_c=0.5)
    shares = nested_random_intercept(data, "y ~ x").shares
    total = 0.8 ** 2 + 0.5 ** 2 + 1
    assert shares["school"] == pytest.approx(0.64 / total, abs=0.06)
    assert shares["class"] == pytest.approx(0.25 / total, abs=0.05)


def test_no_class_variance_is_the_boundary_and_equals_the_two_level_model():
    from eduqa.models import random_intercept

    data = _simulated(5, tau_c=0.0)
    rng = np.random.default_rng(0)
    data["class"] = rng.permutation(data["class"].to_numpy())  # classes carry nothing
    ours = nested_random_intercept(data, "y ~ x")
    if ours.class_var == 0:
        two = random_intercept(data, "y ~ x", "school_code")
        np.testing.assert_allclose(ours.params, two.params, atol=1e-8)
        assert ours.school_var == pytest.approx(two.group_var, rel=1e-6)
    assert ours.class_var < 0.05


def test_one_school_is_a_clear_error():
    data = _simulated(1, schools=1)
    with pytest.raises(EduqaError, match="two schools"):
        nested_random_intercept(data, "y ~ x")
