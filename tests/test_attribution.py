"""Attribution models against statsmodels, R (lme4) reference fits and planted effects."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from eduqa.attribution import ols, random_intercept

from conftest import REPO

# --- random_intercept ---------------------------------------------------------------------------


def simulated(shape: str, seed: int) -> pd.DataFrame:
    """Datasets of different shapes: balanced, unbalanced, tiny groups, groups of one, few
    groups with a group-level predictor."""
    rng = np.random.default_rng(seed)
    sizes = {
        "balanced": np.full(40, 25),
        "unbalanced": rng.integers(2, 200, 50),
        "tiny": rng.integers(1, 4, 120),
        "singletons": np.r_[np.ones(60, int), rng.integers(2, 30, 20)],
        "few_groups": rng.integers(20, 120, 8),
    }[shape]
    groups = np.repeat(np.arange(len(sizes)), sizes)
    n = len(groups)
    frame = pd.DataFrame({"g": groups, "x": rng.normal(size=n),
                          "w": np.repeat(rng.uniform(0, 1, len(sizes)), sizes)})
    frame["y"] = (0.5 + 0.4 * frame["x"] - 1.0 * frame["w"]
                  + np.repeat(rng.normal(0, 0.7, len(sizes)), sizes) + rng.normal(0, 1.2, n))
    return frame


SHAPES = ["balanced", "unbalanced", "tiny", "singletons", "few_groups"]


@pytest.mark.parametrize("reml", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_random_intercept_agrees_with_mixedlm(shape, reml):
    frame = simulated(shape, seed=SHAPES.index(shape))
    ours = random_intercept(frame, "y ~ x + w", "g", reml=reml)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm("y ~ x + w", frame, groups=frame["g"])
        default = model.fit(reml=reml)
        # MixedLM's default optimiser can stop early (relative error ~3e-4 in τ² seen here);
        # a tightly converged Nelder-Mead fit is the fair reference
        theirs = model.fit(reml=reml, method="nm", maxiter=20000, xtol=1e-12, ftol=1e-14)
    assert ours.llf >= default.llf - 1e-9
    np.testing.assert_allclose(ours.params, theirs.fe_params, rtol=1e-4)
    np.testing.assert_allclose(ours.group_var, theirs.cov_re.iloc[0, 0], rtol=1e-4)
    np.testing.assert_allclose(ours.resid_var, theirs.scale, rtol=1e-4)
    np.testing.assert_allclose(ours.bse, theirs.bse_fe, rtol=0.02)
    np.testing.assert_allclose(ours.llf, theirs.llf, rtol=1e-6)
    effects = pd.Series({k: v.iloc[0] for k, v in theirs.random_effects.items()})
    np.testing.assert_allclose(ours.group_effects["effect"], effects.sort_index(), atol=1e-4)
    assert ours.nobs == len(frame) and ours.ngroups == frame["g"].nunique()


@pytest.mark.parametrize("reml,expected", [
    (True, {"params": [15.723523, 6.942505], "bse": [0.78805374, 0.03338727],
            "scale": 11.36692, "tau2": 40.39395, "llf": -2404.775}),
    (False, {"params": [15.723517, 6.942506], "bse": [0.7829397, 0.0333661],
             "scale": 11.35251, "tau2": 39.82097, "llf": -2402.932}),
])
def test_random_intercept_matches_lme4_on_dietox(reml, expected):
    data = pd.read_csv(REPO / "tests" / "data" / "dietox.csv")
    fit = random_intercept(data, "Weight ~ Time", "Pig", reml=reml)
    np.testing.assert_allclose(fit.params, expected["params"], rtol=1e-5)
    np.testing.assert_allclose(fit.bse, expected["bse"], rtol=1e-4)
    np.testing.assert_allclose(fit.resid_var, expected["scale"], rtol=1e-5)
    np.testing.assert_allclose(fit.group_var, expected["tau2"], rtol=1e-5)
    np.testing.assert_allclose(fit.llf, expected["llf"], rtol=1e-6)


def test_random_intercept_no_group_variance_is_the_boundary():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"g": np.repeat(np.arange(30), 10), "y": rng.normal(size=300)})
    frame.loc[frame["g"] < 15, "y"] -= 0.0  # no group effect planted at all
    fit = random_intercept(frame, "y ~ 1", "g")
    assert fit.group_var < 0.02 and fit.icc < 0.02
    assert (fit.group_effects["flag"] == "as_expected").all()


def test_group_effects_flag_planted_schools():
    rng = np.random.default_rng(11)
    effects = np.zeros(40)  # only six schools differ from expectation
    effects[:3], effects[3:6] = 1.5, -1.5
    frame = pd.DataFrame({"g": np.repeat(np.arange(40), 60)})
    frame["y"] = effects[frame["g"]] + rng.normal(0, 1, len(frame))
    out = random_intercept(frame, "y ~ 1", "g").group_effects.set_index("group")
    assert set(out.index[out["flag"] == "above"]) == {0, 1, 2}
    assert set(out.index[out["flag"] == "below"]) == {3, 4, 5}


def test_random_intercept_does_not_modify_input():
    frame = simulated("unbalanced", 0)
    before = frame.copy()
    random_intercept(frame, "y ~ x", "g")
    pd.testing.assert_frame_equal(frame, before)


def test_random_intercept_bad_formula_is_a_clear_error():
    from eduqa.errors import EduqaError

    with pytest.raises(EduqaError, match="no_such_column"):
        random_intercept(simulated("balanced", 0), "y ~ no_such_column", "g")


# --- ols --------------------------------------------------------------------------------------


def test_ols_equals_statsmodels_hc1_and_cluster():
    frame = simulated("unbalanced", 3)
    plain = ols(frame, "y ~ x + w")
    reference = smf.ols("y ~ x + w", frame).fit(cov_type="HC1")
    np.testing.assert_allclose(plain.params, reference.params, rtol=1e-10)
    np.testing.assert_allclose(plain.bse, reference.bse, rtol=1e-10)
    clustered = ols(frame, "y ~ x + w", cluster="g")
    reference = smf.ols("y ~ x + w", frame).fit(cov_type="cluster",
                                                cov_kwds={"groups": frame["g"]})
    np.testing.assert_allclose(clustered.bse, reference.bse, rtol=1e-10)
    assert clustered.df_inference == frame["g"].nunique() - 1
    table = clustered.to_frame().set_index("term")
    from scipy import stats

    q = stats.t.ppf(0.975, frame["g"].nunique() - 1)
    np.testing.assert_allclose(table["ci_high"], clustered.params + q * clustered.bse)


# --- decompositions ------------------------------------------------------------------------------

from itertools import permutations  # noqa: E402

from statsmodels.stats.oaxaca import OaxacaBlinder  # noqa: E402

from eduqa.attribution import gelbach, oaxaca, shapley_r2  # noqa: E402


def county(seed=0, n=2500, schools=40):
    rng = np.random.default_rng(seed)
    school = rng.integers(0, schools, n)
    rural = (school % 3 == 0).astype(int)
    town = (school % 3 == 1).astype(int)
    shortage = np.clip(0.05 + 0.15 * rural + rng.normal(0, 0.05, schools)[school], 0, 1)
    oof = np.clip(0.05 + 0.2 * rural + rng.normal(0, 0.05, schools)[school], 0, 1)
    z = (-0.2 * rural - 0.1 * town - 1.0 * shortage - 0.8 * oof
         + rng.normal(0, 0.3, schools)[school] + rng.normal(size=n))
    return pd.DataFrame({"school": school, "rural": rural, "town": town,
                         "shortage_rate": shortage, "out_of_field_share": oof, "z": z})


def test_oaxaca_totals_equal_statsmodels_and_parts_add_up():
    frame = county()
    frame = frame[frame["town"] == 0]
    out = oaxaca(frame, "z", "rural", ["shortage_rate", "out_of_field_share"], n_boot=0)
    exog = frame[["rural", "shortage_rate", "out_of_field_share"]].assign(const=1.0)
    unexplained, explained, gap = OaxacaBlinder(
        frame["z"].to_numpy(), exog, "rural", hasconst=True, swap=False).two_fold(
        two_fold_type="pooled").params
    table = out.set_index(["part", "term"])["estimate"]
    assert table[("explained", "all")] == pytest.approx(explained, rel=1e-10)
    assert table[("unexplained", "all")] == pytest.approx(unexplained, rel=1e-10)
    assert table[("gap", "all")] == pytest.approx(gap, rel=1e-10)
    detail = out[(out["part"] == "explained") & (out["term"] != "all")]["estimate"].sum()
    assert detail == pytest.approx(explained, rel=1e-10)
    detail = out[(out["part"] == "unexplained") & (out["term"] != "all")]["estimate"].sum()
    assert detail == pytest.approx(unexplained, rel=1e-10)


def test_oaxaca_bootstrap_is_seeded_and_brackets_the_estimate():
    frame = county(1)
    frame = frame[frame["town"] == 0]
    first = oaxaca(frame, "z", "rural", ["shortage_rate"], cluster="school", n_boot=99, seed=4)
    again = oaxaca(frame, "z", "rural", ["shortage_rate"], cluster="school", n_boot=99, seed=4)
    pd.testing.assert_frame_equal(first, again)
    gap = first[first["part"] == "gap"].iloc[0]
    assert gap["ci_low"] < gap["estimate"] < gap["ci_high"] and gap["se"] > 0


def test_gelbach_parts_add_up_to_the_change_in_the_focal_coefficient():
    frame = county(2)
    mediators = ["shortage_rate", "out_of_field_share"]
    out = gelbach(frame, "z", "rural", mediators, controls=["town"], cluster="school",
                  n_boot=49).set_index("term")
    base = smf.ols("z ~ rural + town", frame).fit().params["rural"]
    full = smf.ols("z ~ rural + town + shortage_rate + out_of_field_share",
                   frame).fit().params["rural"]
    assert out.loc["base", "estimate"] == pytest.approx(base, rel=1e-10)
    assert out.loc["full", "estimate"] == pytest.approx(full, rel=1e-10)
    assert out.loc[mediators, "estimate"].sum() == pytest.approx(base - full, rel=1e-10)
    assert out.loc["explained", "estimate"] == pytest.approx(base - full, rel=1e-10)
    assert out.loc["explained", "share"] == pytest.approx((base - full) / base)


def test_shapley_r2_adds_up_and_equals_brute_force():
    frame = county(3).groupby("school").mean()
    factors = {"place": ["rural", "town"], "shortage": ["shortage_rate"],
               "out_of_field": ["out_of_field_share"]}
    out = shapley_r2(frame, "z", factors).set_index("factor")["r2_share"]

    def r2(groups):
        if not groups:
            return 0.0
        terms = " + ".join(c for g in groups for c in factors[g])
        return smf.ols(f"z ~ {terms}", frame).fit().rsquared

    orders = list(permutations(factors))
    brute = {g: 0.0 for g in factors}
    for order in orders:
        for position, g in enumerate(order):
            brute[g] += (r2(order[:position + 1]) - r2(order[:position])) / len(orders)
    for g in factors:
        assert out[g] == pytest.approx(brute[g], rel=1e-8)
    assert out[list(factors)].sum() == pytest.approx(out["all"], rel=1e-10)
    assert out["all"] == pytest.approx(r2(list(factors)), rel=1e-10)


# --- a simulation study: planted effects recovered, intervals cover ----------------------------


def test_simulation_study_recovers_planted_effects_with_honest_intervals():
    """400 replications of a county (40 schools of 5–119 students) with planted rural and
    shortage effects: the 95% intervals (Kenward–Roger errors, t(G − k)) cover about 95%."""
    truth = {"rural": -0.30, "shortage_rate": -1.0}
    hits = {term: 0 for term in truth}
    estimates = {term: [] for term in truth}
    replications = 400
    for seed in range(replications):
        rng = np.random.default_rng(1000 + seed)
        schools = 40
        sizes = rng.integers(5, 120, schools)
        rural = (np.arange(schools) % 3 == 0).astype(float)
        shortage = np.clip(0.05 + 0.15 * rural + rng.normal(0, 0.08, schools), 0, 0.6)
        u = rng.normal(0, 0.25, schools)
        g = np.repeat(np.arange(schools), sizes)
        frame = pd.DataFrame({"g": g, "rural": rural[g], "shortage_rate": shortage[g]})
        frame["z"] = (truth["rural"] * frame["rural"] + truth["shortage_rate"]
                      * frame["shortage_rate"] + u[g] + rng.normal(0, 0.9, len(g)))
        fit = random_intercept(frame, "z ~ rural + shortage_rate", "g")
        ci = fit.conf_int()
        for term, value in truth.items():
            hits[term] += ci.loc[term, "ci_low"] <= value <= ci.loc[term, "ci_high"]
            estimates[term].append(fit.params[term])
    for term, value in truth.items():
        coverage = hits[term] / replications
        assert 0.92 <= coverage <= 0.98, (term, coverage)  # Monte Carlo SE about 0.011
        spread = np.std(estimates[term]) / np.sqrt(replications)  # Monte Carlo SE of the mean
        assert np.mean(estimates[term]) == pytest.approx(value, abs=3 * spread), term


# --- the demo county: planted effects recovered --------------------------------------------------


def test_demo_county_effects_recovered(cleaned):
    """The synth model's rural and shortage effects (in latent SD units) are inside the 95%
    intervals of M2 once rescaled to the total standardised score."""
    from eduqa import synth
    from eduqa.attribution import model_frame, model_sequence
    from eduqa.clean import DEMO_SALT, student_key

    season = "2025-spring-g6"
    result = cleaned[season]
    frame = model_frame(result.scores, result.schools)
    students = synth.make_demo_county().students[season]
    ability = pd.Series(students["ability"].to_numpy(),
                        index=student_key(students["registry_id"], DEMO_SALT))
    frame["ability"] = frame["student_key"].map(ability)
    # the total standardised score is a noisy, rescaled reading of latent attainment
    scale = ols(frame, "z ~ ability").params["ability"]
    assert 0.6 < scale < 1.2
    sequence = model_sequence(frame, place=["town", "rural"],
                              staffing=["shortage_rate", "out_of_field_share"], controls=[])
    ci = sequence.fits["M2"].conf_int()
    for term in ("rural", "shortage_rate"):
        expected = synth.EFFECTS[term] * scale
        assert ci.loc[term, "ci_low"] <= expected <= ci.loc[term, "ci_high"], (term, expected,
                                                                              ci.loc[term])
    m1 = sequence.fits["M1"].params
    assert m1["rural"] < m1["town"] < 0  # the rural gap is there before staffing enters


# --- Kenward–Roger covariance -------------------------------------------------------------------


def _dense_kenward_roger(frame, fit, columns, group):
    """Kenward & Roger (1997) transcribed with dense N × N matrices: Φ_A = Φ + 2ΦUΦ,
    U = Σ_ij W_ij (Q_ij − P_i Φ P_j), W⁻¹ = ½ tr(P V_i P V_j)."""
    from scipy.linalg import block_diag

    frame = frame.sort_values(group, kind="mergesort")
    sizes = frame.groupby(group, sort=True).size().to_numpy()
    x = np.column_stack([np.ones(len(frame))] + [frame[c].to_numpy(float) for c in columns])
    derivatives = [block_diag(*[np.ones((m, m)) for m in sizes]), np.eye(len(frame))]
    v_inv = np.linalg.inv(fit.group_var * derivatives[0] + fit.resid_var * derivatives[1])
    phi = np.linalg.inv(x.T @ v_inv @ x)
    p = [x.T @ v_inv @ d @ v_inv @ x for d in derivatives]
    q = [[x.T @ v_inv @ di @ v_inv @ dj @ v_inv @ x for dj in derivatives] for di in derivatives]
    projection = v_inv - v_inv @ x @ phi @ x.T @ v_inv
    info = np.array([[0.5 * np.trace(projection @ di @ projection @ dj) for dj in derivatives]
                     for di in derivatives])
    w = np.linalg.inv(info)
    u = sum(w[i, j] * (q[i][j] - p[i] @ phi @ p[j]) for i in range(2) for j in range(2))
    return phi, phi + 2 * phi @ u @ phi


def test_kenward_roger_equals_a_dense_transcription():
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(9), rng.integers(2, 12, 9))
    frame = pd.DataFrame({"g": g, "x": rng.normal(size=9)[g], "w": rng.normal(size=len(g))})
    frame["y"] = (0.5 * frame["x"] + 0.3 * frame["w"] + rng.normal(0, 0.7, 9)[g]
                  + rng.normal(size=len(g)))
    fit = random_intercept(frame, "y ~ x + w", "g")
    phi, adjusted = _dense_kenward_roger(frame, fit, ["x", "w"], "g")
    np.testing.assert_allclose(fit.cov_params.to_numpy(), phi, rtol=1e-10)
    np.testing.assert_allclose(fit.cov_params_kr.to_numpy(), adjusted, rtol=1e-9)
    assert (fit.bse_kr > fit.bse).all()  # unbalanced: estimated variances cost precision
    # the intervals and the table use the adjusted errors
    table = fit.to_frame().set_index("term")
    np.testing.assert_allclose(table["se"], fit.bse_kr)


def test_kenward_roger_leaves_a_balanced_design_unchanged():
    """In a balanced design Φ depends on the variances only through σ² + nτ², whose REML
    estimate is unbiased: the adjustment vanishes (Kenward & Roger 1997)."""
    rng = np.random.default_rng(3)
    g = np.repeat(np.arange(10), 8)
    frame = pd.DataFrame({"g": g, "x": rng.normal(size=10)[g]})
    frame["y"] = rng.normal(0, 0.7, 10)[g] + rng.normal(size=len(g))
    fit = random_intercept(frame, "y ~ x", "g")
    np.testing.assert_allclose(fit.bse_kr, fit.bse, rtol=1e-10)
    ml = random_intercept(frame, "y ~ x", "g", reml=False)
    assert ml.cov_params_kr is None and (ml.bse_kr == ml.bse).all()
    # one student per group: τ² and σ² cannot be told apart (the information matrix is
    # singular), so there is nothing to adjust; the errors stay finite
    for seed in range(5):
        draw = np.random.default_rng(seed)
        single = pd.DataFrame({"g": np.arange(50), "x": draw.normal(size=50)})
        single["y"] = single["x"] + draw.normal(size=50)
        fit = random_intercept(single, "y ~ x", "g")
        assert np.isfinite(fit.bse_kr).all()
        np.testing.assert_allclose(fit.bse_kr, fit.bse, rtol=1e-10)


def test_school_effect_intervals_cover_the_planted_school_effects():
    """200 counties of 40 unbalanced schools with known school effects u_j: the 95% intervals
    of the empirical-Bayes effects (Henderson's prediction-error variance) cover about 95% of
    the 8,000 planted effects."""
    covered = total = 0
    for seed in range(200):
        rng = np.random.default_rng(5000 + seed)
        schools = 40
        sizes = rng.integers(5, 120, schools)
        u = rng.normal(0, 0.25, schools)
        g = np.repeat(np.arange(schools), sizes)
        frame = pd.DataFrame({"g": g, "x": rng.normal(size=schools)[g]})
        frame["y"] = 0.3 * frame["x"] + u[g] + rng.normal(0, 0.9, len(g))
        effects = random_intercept(frame, "y ~ x", "g").group_effects
        covered += int(((effects["ci_low"] <= u) & (u <= effects["ci_high"])).sum())
        total += schools
    assert total == 8000
    assert 0.935 <= covered / total <= 0.965, covered / total  # binomial SE about 0.0025
