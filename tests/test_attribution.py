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
    clustered = ols(frame, "y ~ x + w", cluster="g", cov_type="CR1")
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
    assert set(out.loc[out["part"] == "unexplained", "term"]) == {"all"}  # total only
    assert explained + unexplained == pytest.approx(gap, rel=1e-10)


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
    from eduqa.intake.clean import DEMO_SALT, student_key

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


# --- issue 11: hardening (few schools, identification, measurement error, boundaries) ----------


def test_oaxaca_is_unchanged_when_a_predictor_is_shifted_by_a_constant():
    """The per-predictor unexplained parts are not identified (they moved from −0.82 to −0.21
    when log_enrollment was shifted): only the total is given, and every row shown is
    invariant to the shift."""
    frame = county(4)
    frame = frame[frame["town"] == 0].copy()
    frame["size"] = np.log(50 + frame["school"] * 7.0)
    predictors = ["shortage_rate", "size"]
    first = oaxaca(frame, "z", "rural", predictors, cluster="school", n_boot=49, seed=1)
    shifted = oaxaca(frame.assign(size=frame["size"] + 3.0), "z", "rural", predictors,
                     cluster="school", n_boot=49, seed=1)
    pd.testing.assert_frame_equal(first, shifted, rtol=1e-8)
    assert list(first.loc[first["part"] == "unexplained", "term"]) == ["all"]


def _two_rural_schools(seed: int, rural_schools: int = 2, schools: int = 14) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(40, 120, schools)
    school = np.repeat(np.arange(schools), sizes)
    rural = (np.arange(schools) < rural_schools).astype(float)
    shortage = np.clip(0.1 + 0.1 * rural + rng.normal(0, 0.05, schools), 0, 1)
    z = rng.normal(0, 0.4, schools)[school] + rng.normal(size=len(school))
    return pd.DataFrame({"school": school, "rural": rural[school],
                         "shortage_rate": shortage[school], "z": z})


def test_bootstrap_draws_that_are_not_identified_are_dropped_and_counted():
    """With 2 rural schools about half the resamples repeat one school, leaving the rural
    design singular: those draws are counted out, and no bootstrap interval is given."""
    frame = _two_rural_schools(1)
    out = oaxaca(frame, "z", "rural", ["shortage_rate"], cluster="school", n_boot=199)
    assert (out["draws"] < 0.7 * 199).all() and (out["draws"] > 0.3 * 199).all()
    parts = out[out["part"] != "gap"]
    assert parts[["se", "ci_low", "ci_high"]].isna().all().all()
    gap = out[out["part"] == "gap"].iloc[0]  # the gap has an interval all the same: with 2
    # rural schools, from randomization inference (91 ways to pick 2 of 14 schools)
    assert gap["method"] == "randomization" and gap["ci_low"] < gap["estimate"] < gap["ci_high"]
    plenty = oaxaca(_two_rural_schools(1, rural_schools=8, schools=24), "z", "rural",
                    ["shortage_rate"], cluster="school", n_boot=199)
    assert (plenty["draws"] >= 0.95 * 199).all()
    assert plenty[["se", "ci_low", "ci_high"]].notna().all().all()
    gel = gelbach(frame, "z", "rural", ["shortage_rate"], cluster="school", n_boot=99)
    assert gel.loc[gel["method"] == "bootstrap", ["se", "ci_low"]].isna().all().all()


def _expanded(frame: pd.DataFrame, weights: np.ndarray, cluster: str) -> pd.DataFrame:
    """The rows of a cluster resample: cluster c repeated weights[c] times."""
    labels = np.sort(frame[cluster].unique())
    parts = [frame[frame[cluster] == label] for label, count in zip(labels, weights)
             for _ in range(int(count))]
    return pd.concat(parts, ignore_index=True)


def test_share_interval_is_the_percentile_interval_of_the_bootstrap_ratio():
    """Oracle: the same resamples of schools refitted with statsmodels, the ratio
    explained / base per resample, its 2.5 and 97.5 percentiles."""
    from eduqa.models.decompose import _focal_strata, _Moments

    frame = county(6, n=1200, schools=24)
    frame = frame[frame["town"] == 0].reset_index(drop=True)
    frame["z"] -= 0.8 * frame["rural"]  # a clear gap, so a share is given
    mediators = ["shortage_rate"]
    out = gelbach(frame, "z", "rural", mediators, cluster="school", n_boot=59, seed=3)
    moments = _Moments.of(frame, ["rural", *mediators, "z"], "school",
                          strata="rural" if _focal_strata(frame, "rural", "school") else None)
    ratios = []
    for weights in moments.draws(59, 3):
        sample = _expanded(frame, weights, "school")
        base = smf.ols("z ~ rural", sample).fit().params["rural"]
        full = smf.ols("z ~ rural + shortage_rate", sample).fit().params["rural"]
        ratios.append((base - full) / base)
    row = out.set_index("term").loc["explained"]
    assert row["share_low"] == pytest.approx(np.percentile(ratios, 2.5), rel=1e-8)
    assert row["share_high"] == pytest.approx(np.percentile(ratios, 97.5), rel=1e-8)
    # no share interval when the gap itself is not clearly one way
    flat = frame.assign(z=frame["z"] + 0.8 * frame["rural"] - 0.3 * frame["rural"])
    base = gelbach(flat, "z", "rural", mediators, cluster="school", n_boot=59,
                   seed=3).set_index("term")
    if base.loc["base", "ci_low"] <= 0 <= base.loc["base", "ci_high"]:
        assert base.loc["explained", ["share_low", "share_high"]].isna().all()


def test_gelbach_continuous_school_level_focal_has_a_real_bootstrap_spread():
    """A continuous school-level focal variable made every school its own stratum, so every
    resample was the data again (SE 2e-16). Now schools are resampled plainly; oracle: a
    plain cluster bootstrap with statsmodels."""
    rng = np.random.default_rng(7)
    schools, n = 30, 40
    school = np.repeat(np.arange(schools), n)
    focal = rng.uniform(0, 1, schools)
    mediator = 0.5 * focal + rng.normal(0, 0.2, schools)
    frame = pd.DataFrame({"school": school, "focal": focal[school],
                          "mediator": mediator[school]})
    frame["z"] = (-0.5 * frame["focal"] - 0.5 * frame["mediator"]
                  + rng.normal(0, 0.5, schools)[school] + rng.normal(size=len(school)))
    out = gelbach(frame, "z", "focal", ["mediator"], cluster="school", n_boot=199,
                  seed=0).set_index("term")
    draws = np.random.default_rng(11)
    manual = []
    for _ in range(199):
        weights = np.bincount(draws.integers(0, schools, schools), minlength=schools)
        sample = _expanded(frame, weights, "school")
        base = smf.ols("z ~ focal", sample).fit().params["focal"]
        full = smf.ols("z ~ focal + mediator", sample).fit().params["focal"]
        manual.append(base - full)
    assert out.loc["explained", "se"] > 0.05
    assert out.loc["explained", "se"] == pytest.approx(np.std(manual, ddof=1), rel=0.3)


def test_value_added_is_not_biased_by_the_prior_measurement_error():
    """30 seeded counties of 60 schools where schools differ in intake and in true value
    added (independent of intake), and the prior is measured with error (reliability about
    0.68): the effects are uncorrelated with the school mean prior, track the true value
    added, and when no school adds more, about 5% or fewer are flagged. The plain
    ``z ~ prior`` model correlated 0.65 with intake and flagged a third."""
    from eduqa.attribution import value_added

    intake_r, truth_r, flagged = [], [], []
    for seed in range(30):
        rng = np.random.default_rng(500 + seed)
        schools = 60
        sizes = rng.integers(15, 150, schools)
        g = np.repeat(np.arange(schools), sizes)
        intake = rng.normal(0, 0.5, schools)
        added = rng.normal(0, 0.15, schools) if seed % 2 else np.zeros(schools)
        ability = intake[g] + rng.normal(0, 0.85, len(g))
        frame = pd.DataFrame({"school_code": g, "prior_z": ability + rng.normal(0, 0.6, len(g)),
                              "z": ability + added[g] + rng.normal(0, 0.4, len(g))})
        effects = value_added(frame).set_index("school_code").loc[np.arange(schools)]
        mean_prior = frame.groupby("school_code")["prior_z"].mean().loc[np.arange(schools)]
        if effects["effect"].std() > 1e-12:
            intake_r.append(np.corrcoef(effects["effect"], mean_prior)[0, 1])
        if seed % 2:
            truth_r.append(np.corrcoef(effects["effect"], added)[0, 1])
        else:
            flagged.append((effects["flag"] != "as_expected").mean())
    assert abs(np.mean(intake_r)) < 0.05 and np.max(np.abs(intake_r)) < 0.2
    assert np.mean(truth_r) > 0.7
    assert np.mean(flagged) <= 0.06


def test_reml_agrees_with_mixedlm_when_the_icc_is_near_one():
    """ICC 0.999–0.99999: the variance ratio λ reaches 10⁵, beyond the old search bound e¹⁰
    (τ² came out 0.237 against 1.015). Reference: MixedLM with Nelder–Mead, tightly converged."""
    for icc in (0.999, 0.9999, 0.99999):
        rng = np.random.default_rng(1)
        groups, size = 40, 25
        g = np.repeat(np.arange(groups), size)
        tau2 = icc / (1 - icc)
        x = rng.normal(size=groups * size)
        y = (1 + 0.5 * x + np.repeat(rng.normal(0, np.sqrt(tau2), groups), size)
             + rng.normal(size=groups * size)) / np.sqrt(tau2 + 1)
        frame = pd.DataFrame({"y": y, "x": x, "g": g})
        ours = random_intercept(frame, "y ~ x", "g")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = smf.mixedlm("y ~ x", frame, groups="g").fit(reml=True, method="nm",
                                                                  maxiter=20000)
        assert ours.group_var == pytest.approx(theirs.cov_re.iloc[0, 0], rel=1e-4), icc
        assert ours.resid_var == pytest.approx(theirs.scale, rel=1e-4), icc
        assert ours.llf >= theirs.llf - 1e-6, icc
        np.testing.assert_allclose(ours.params, theirs.fe_params, rtol=1e-4, atol=1e-8)
        assert ours.icc == pytest.approx(icc, abs=5 * (1 - icc))


def test_fits_on_a_frame_with_a_duplicated_index_equal_those_after_reset_index():
    frame = county(8, n=600, schools=20)
    duplicated = frame.set_axis(np.arange(len(frame)) // 3)  # every index value three times
    for cov_type in ("CR1", "CR2"):
        a = ols(duplicated, "z ~ rural + shortage_rate", cluster="school", cov_type=cov_type)
        b = ols(duplicated.reset_index(drop=True), "z ~ rural + shortage_rate",
                cluster="school", cov_type=cov_type)
        pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    a = random_intercept(duplicated, "z ~ rural + shortage_rate", "school")
    b = random_intercept(duplicated.reset_index(drop=True), "z ~ rural + shortage_rate", "school")
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    pd.testing.assert_frame_equal(a.group_effects, b.group_effects)
    pd.testing.assert_frame_equal(
        gelbach(duplicated, "z", "rural", ["shortage_rate"], cluster="school", n_boot=19),
        gelbach(duplicated.reset_index(drop=True), "z", "rural", ["shortage_rate"],
                cluster="school", n_boot=19))


def test_shapley_reports_adjusted_r2_beside_r2():
    frame = county(3).groupby("school").mean().iloc[:14]
    factors = {"place": ["rural", "town"], "shortage": ["shortage_rate"],
               "out_of_field": ["out_of_field_share"]}
    out = shapley_r2(frame, "z", factors).set_index("factor")
    reference = smf.ols("z ~ rural + town + shortage_rate + out_of_field_share", frame).fit()
    assert out.loc["all", "r2_share"] == pytest.approx(reference.rsquared, rel=1e-10)
    assert out.loc["all", "rsquared_adj"] == pytest.approx(reference.rsquared_adj, rel=1e-10)
    assert out.loc["all", "n_schools"] == 14


def test_value_added_from_per_school_statistics_equals_the_rows_and_nothing_without_a_prior(
        cleaned, monkeypatch):
    """value_added and the matched share of the cohort's per-school statistics equal those
    of the model frame's rows; without a prior season nothing at all is computed (no student
    row, no statistic)."""
    from eduqa.attribution import (
        cohort_frame,
        cohort_stats,
        matched_share,
        model_frame,
        value_added,
    )
    from eduqa.compute import engine as compute
    from eduqa.indicators import exam as indicators

    now, before = cleaned["2025-spring-g9"], cleaned["2024-spring-g8"]
    full = model_frame(now.scores, now.schools, before.scores)
    cohort = cohort_stats(now.scores, now.schools, before.scores)
    assert 0 < matched_share(cohort) < 1 and matched_share(cohort) == matched_share(full)
    expected, got = value_added(full), value_added(cohort)
    assert len(expected) > 5 and (expected["n_unmatched"] > 0).any()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=1e-12)
    # the rows of an older project's 04 notebook give the same
    old = cohort_frame(now.scores, before.scores)
    pd.testing.assert_frame_equal(old, full[["school_code", "z", "prior_z"]])
    pd.testing.assert_frame_equal(value_added(old), expected)
    assert cohort_frame(now.scores, None).empty
    partial = full[full["school_code"] != full["school_code"].iloc[0]].copy()
    partial.loc[partial["school_code"] == partial["school_code"].iloc[0], "prior_z"] = np.nan
    from eduqa.attribution import ModelStats

    # a school with no linked student: counted, but no effect (as the rows give it)
    pd.testing.assert_frame_equal(value_added(ModelStats.of(partial)), value_added(partial),
                                  check_exact=False, rtol=1e-9, atol=1e-12)
    calls = []
    monkeypatch.setattr(indicators, "composite_z", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(compute, "local", lambda *a: calls.append(a))
    empty = cohort_stats(now.scores, now.schools, None)
    assert empty.students.nobs == 0 and empty.linked is None
    assert value_added(empty).empty and matched_share(empty) is None and calls == []


def test_the_stated_chance_flags_match_a_null_simulation():
    """Issue 36, point 8: the pages say how many schools chance alone would flag
    (:func:`eduqa.rules.chance_flags`: 5% of those judged). Counties where no school differs
    (200 seeded counties of 30 schools): the school effects flag on average no more than
    the stated count — about 5% where the school variance is estimated at 0 (contrasts),
    fewer where it is not (shrinkage: 0.39 a county against 1.5 stated) — and the sentence
    gives that count as an upper figure."""
    from eduqa.models import random_intercept
    from eduqa.rules import chance_flags
    from eduqa.text import narrative

    flagged, stated = [], []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        frame = pd.DataFrame({"school_code": np.repeat([f"S{i:02d}" for i in range(30)], 25)})
        frame["z"] = rng.normal(size=len(frame))
        effects = random_intercept(frame, "z ~ 1", "school_code").group_effects
        flagged.append(int(effects["flag"].isin(["above", "below"]).sum()))
        stated.append(chance_flags(effects["flag"])[1])
    assert stated[0] == pytest.approx(1.5)
    assert 0.2 <= np.mean(flagged) <= 1.2 * np.mean(stated), np.mean(flagged)
    text = narrative.effects_overview(effects, None)
    assert "30 所学校中也可能有多至约 1.5 所因偶然被标出" in text


def test_a_season_of_one_school_judges_no_school_and_draws_no_point():
    """The county-shape sweep's one-school seasons: the school's effect is not estimable (no
    other school), so no page calls it "as expected", counts it among flags, or plots NaN."""
    from eduqa.models import random_intercept
    from eduqa.report import plots
    from eduqa.text import narrative

    frame = pd.DataFrame({"school_code": "S1", "z": np.random.default_rng(0).normal(size=20)})
    effects = random_intercept(frame, "z ~ 1", "school_code").group_effects
    assert effects["flag"].tolist() == ["not_estimable"]
    assert "只有 1 所学校，没有可以比较的学校" in narrative.effects_overview(effects, None)
    assert "only 1 school" in narrative.cohort_overview(0.9, effects, "en")
    assert "其余" not in narrative.effects_overview(effects, None)
    assert plots.caterpillar(effects, {}) is None
