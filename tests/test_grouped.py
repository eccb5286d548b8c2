"""The attribution models fitted from per-school statistics (issue 15, point 3).

Oracle: the same functions on the student rows (themselves checked against statsmodels, a
dense Kenward–Roger transcription and planted effects in tests/test_models.py,
tests/test_attribution.py and tests/test_nested.py). The data are shaped unlike the demo
county: rural schools ahead, a school of one student, a school without staffing data, very
unbalanced sizes, a third of the students unlinked to the prior season, and scores on an
800-point scale (the statistics are centred per school, so a large mean costs no digits).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa import attribution
from eduqa.errors import EduqaError
from eduqa.models import gelbach, oaxaca, random_intercept, shapley_r2
from eduqa.models.grouped import GroupedStats, group_table
from eduqa.models.nested import _ClassStats, nested_random_intercept

TERMS = {"place": ["town", "rural"], "staffing": ["shortage_rate", "out_of_field_share"],
         "controls": ["log_enrollment", "boarding"]}


def _students(seed: int = 5, scale: float = 1.0, centre: float = 0.0) -> pd.DataFrame:
    """A model frame of 30 schools: rural schools lead by 0.4 SD; shortage costs 0.8 SD per
    unit; the prior score carries 0.6; school effects of SD 0.3."""
    rng = np.random.default_rng(seed)
    schools = 30
    sizes = rng.integers(2, 180, schools)
    sizes[4] = 1  # a school of one student
    kind = np.array(["urban"] * 8 + ["town"] * 12 + ["rural"] * 10)
    shortage = rng.uniform(0, 0.5, schools)
    shortage[7] = np.nan  # no staffing data: left out of the models
    out_of_field = rng.uniform(0, 0.4, schools)
    enrollment = rng.integers(40, 2000, schools)
    effect = rng.normal(0, 0.3, schools) + 0.4 * (kind == "rural") - 0.8 * np.nan_to_num(
        shortage)
    rows = []
    for j in range(schools):
        prior = rng.normal(0.2 * (kind[j] == "urban"), 1, sizes[j])
        z = effect[j] + 0.6 * prior + rng.normal(0, 0.8, sizes[j])
        linked = rng.uniform(size=sizes[j]) > 0.33
        for i in range(sizes[j]):
            rows.append({"student_key": f"k{j:02d}{i:03d}", "school_code": f"C{j:02d}",
                         "z": centre + scale * z[i],
                         "prior_z": prior[i] if linked[i] else np.nan,
                         "urban_rural": kind[j], "shortage_rate": shortage[j],
                         "out_of_field_share": out_of_field[j], "enrollment": enrollment[j]})
    frame = pd.DataFrame(rows)
    frame["town"] = (frame["urban_rural"] == "town").astype(float)
    frame["rural"] = (frame["urban_rural"] == "rural").astype(float)
    frame["boarding"] = frame["rural"]  # every rural school boards, and only they
    frame["log_enrollment"] = np.log(frame["enrollment"])
    return frame.sample(frac=1.0, random_state=1).reset_index(drop=True)  # rows in any order


def _close(a: pd.DataFrame, b: pd.DataFrame, tol: float = 1e-9) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for column in a.columns:
        if pd.api.types.is_numeric_dtype(a[column]):
            assert np.allclose(a[column].to_numpy(float), b[column].to_numpy(float), rtol=tol,
                               atol=tol, equal_nan=True), column
        else:
            assert a[column].astype(str).tolist() == b[column].astype(str).tolist(), column


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return _students()


@pytest.fixture(scope="module")
def stats(frame) -> attribution.ModelStats:
    return attribution.ModelStats.of(frame)


def test_group_table_is_the_rows_sums_and_centred_cross_products(frame):
    """Against plain pandas group-bys."""
    table = group_table(frame, ["school_code"], ["z", "prior_z"], ["student_key"])
    rows = frame.dropna(subset=["z", "prior_z"])
    grouped = rows.groupby("school_code")
    assert table["school_code"].tolist() == sorted(rows["school_code"].unique())
    assert np.array_equal(table["n"].to_numpy(), grouped.size().to_numpy())
    assert np.allclose(table["sum:z"], grouped["z"].sum(), rtol=1e-13)
    centred = rows[["z", "prior_z"]] - grouped[["z", "prior_z"]].transform("mean")
    cross = (centred["z"] * centred["prior_z"]).groupby(rows["school_code"]).sum()
    assert np.allclose(table["within:z:prior_z"], cross, rtol=1e-10, atol=1e-12)
    assert np.allclose(table["within:prior_z:prior_z"],
                       (centred["prior_z"] ** 2).groupby(rows["school_code"]).sum(), rtol=1e-12)
    assert np.array_equal(table["absmax:prior_z"],
                          rows["prior_z"].abs().groupby(rows["school_code"]).max())


def test_a_partition_s_table_is_its_schools_rows_of_the_whole_table_to_the_last_bit(frame):
    """What lets the Dask engine sum partition by partition: a school's statistics depend on
    its own rows only, whatever else the part holds and in whatever order."""
    whole = group_table(frame, ["school_code"], ["z", "prior_z"], ["student_key"])
    codes = sorted(frame["school_code"].unique())
    parts = [frame[frame["school_code"].isin(codes[i::3])].iloc[::-1] for i in range(3)]
    stacked = pd.concat([group_table(p, ["school_code"], ["z", "prior_z"], ["student_key"])
                         for p in parts])
    together = GroupedStats.from_table(stacked, ["school_code"], ["z", "prior_z"])
    expected = GroupedStats.from_table(whole, ["school_code"], ["z", "prior_z"])
    pd.testing.assert_frame_equal(together.table, expected.table, check_exact=True)
    assert np.array_equal(together.sums, expected.sums)
    assert np.array_equal(together.within, expected.within)
    with pytest.raises(EduqaError, match="two parts"):
        GroupedStats.from_table(pd.concat([whole, whole.iloc[:1]]), ["school_code"],
                                ["z", "prior_z"])


@pytest.mark.parametrize("formula", [
    "z ~ 1", "z ~ rural + shortage_rate", "z ~ C(urban_rural) + np.log(enrollment) + prior_z",
    "z ~ town + rural + shortage_rate + out_of_field_share + prior_z"])
def test_random_intercept_from_statistics_equals_the_rows(frame, stats, formula):
    rows = frame.dropna(subset=["prior_z"]) if "prior_z" in formula else frame
    data = stats.linked if "prior_z" in formula else stats.students
    a = random_intercept(rows, formula, "school_code")
    b = random_intercept(data, formula, "school_code")
    assert list(a.params.index) == list(b.params.index)
    assert (a.nobs, a.ngroups) == (b.nobs, b.ngroups)
    _close(a.to_frame(), b.to_frame())
    assert abs(a.group_var - b.group_var) < 1e-9 and abs(a.resid_var - b.resid_var) < 1e-9
    assert abs(a.llf - b.llf) < 1e-7
    _close(a.group_effects, b.group_effects)


def test_the_planted_effects_come_back_from_the_statistics(stats):
    """Rural +0.4 SD, shortage −0.8 per unit, prior 0.6 (an oracle of its own: the
    simulation's truth)."""
    fit = random_intercept(stats.linked, "z ~ rural + shortage_rate + prior_z", "school_code")
    ci = fit.conf_int()
    for term, truth in [("rural", 0.4), ("shortage_rate", -0.8), ("prior_z", 0.6)]:
        assert ci.loc[term, "ci_low"] < truth < ci.loc[term, "ci_high"], term
    assert abs(fit.params["prior_z"] - 0.6) < 0.05


@pytest.mark.parametrize("prior", ["prior_z", None])
def test_the_model_sequence_from_statistics_equals_the_rows(frame, stats, prior):
    rows = frame if prior else frame.drop(columns="prior_z")
    data = stats if prior else attribution.ModelStats(stats.students)
    a = attribution.model_sequence(rows, prior=prior, **TERMS)
    b = attribution.model_sequence(data, prior=prior, **TERMS)
    assert a.dropped == b.dropped == ["boarding"]
    assert a.coincides == b.coincides == {"boarding": {"combination": ["rural"]}}
    _close(a.models, b.models)
    _close(a.coefficients, b.coefficients)
    assert a.models["ngroups"].iloc[0] == 29  # the school without staffing data is out
    assert attribution.matched_share(rows) == attribution.matched_share(data)


def test_a_constant_term_is_dropped_and_named_by_both_routes(frame):
    """Every school boards: the constant is dropped (not the intercept), and said so."""
    rows = frame.assign(boarding=1.0)
    a = attribution.model_sequence(rows, prior="prior_z", **TERMS)
    b = attribution.model_sequence(attribution.ModelStats.of(rows), prior="prior_z", **TERMS)
    assert a.dropped == b.dropped == ["boarding"]
    assert a.coincides == b.coincides == {"boarding": {"constant": 1.0}}
    _close(a.coefficients, b.coefficients)


def test_gelbach_oaxaca_and_shapley_from_statistics_equal_the_rows(frame, stats):
    a = gelbach(frame, "z", "rural", ["shortage_rate", "out_of_field_share"],
                controls=["town"], cluster="school_code", n_boot=199, seed=3)
    b = gelbach(stats.students, "z", "rural", ["shortage_rate", "out_of_field_share"],
                controls=["town"], cluster="school_code", n_boot=199, seed=3)
    _close(a, b)
    assert set(a["method"]) == {"CR2", "bootstrap"} and a["draws"].iloc[0] > 150
    urban_rural = frame[frame["urban_rural"].isin(["urban", "rural"])]
    subset = stats.students.where("urban_rural", ["urban", "rural"])
    columns = ["shortage_rate", "out_of_field_share", "log_enrollment", "boarding"]
    predictors = attribution.varying(urban_rural, columns, "rural")
    assert attribution.varying(subset, columns, "rural") == predictors
    assert predictors == ["shortage_rate", "out_of_field_share", "log_enrollment"]
    _close(oaxaca(urban_rural, "z", "rural", predictors, cluster="school_code", n_boot=199,
                  seed=3),
           oaxaca(subset, "z", "rural", predictors, cluster="school_code", n_boot=199, seed=3))
    means_a = attribution.school_means(frame)
    means_b = attribution.school_means(stats)
    groups = attribution.factor_groups(TERMS, ["boarding"], means_a.columns)
    _close(shapley_r2(means_a, "z", groups), shapley_r2(means_b, "z", groups))
    assert attribution.schools_with(frame, "rural") == attribution.schools_with(stats, "rural")


def test_randomization_intervals_from_statistics_equal_the_rows(frame):
    """Two rural schools only: the gap's interval is by randomization over schools."""
    few = frame[(frame["urban_rural"] != "rural") | frame["school_code"].isin(["C20", "C21"])]
    stats = attribution.ModelStats.of(few)
    a = gelbach(few, "z", "rural", ["shortage_rate"], controls=["town"],
                cluster="school_code", n_boot=99)
    b = gelbach(stats.students, "z", "rural", ["shortage_rate"], controls=["town"],
                cluster="school_code", n_boot=99)
    assert a.loc[a["term"] == "base", "method"].item() == "randomization"
    _close(a, b)
    rows = few[few["urban_rural"] != "town"]
    _close(oaxaca(rows, "z", "rural", ["out_of_field_share"], cluster="school_code",
                  n_boot=99),
           oaxaca(stats.students.where("urban_rural", ["urban", "rural"]), "z", "rural",
                  ["out_of_field_share"], cluster="school_code", n_boot=99))


def test_scores_on_an_800_point_scale_lose_no_digits():
    """The statistics are centred on each school's mean: a total around 560 of 800 gives
    the same fit as the rows."""
    frame = _students(seed=8, scale=120.0, centre=560.0)
    a = random_intercept(frame, "z ~ rural + shortage_rate", "school_code")
    b = random_intercept(attribution.ModelStats.of(frame).students,
                         "z ~ rural + shortage_rate", "school_code")
    assert np.allclose(a.params, b.params, rtol=1e-11)
    assert abs(a.group_var / b.group_var - 1) < 1e-9


def test_a_transformed_student_level_term_is_refused_clearly(stats):
    with pytest.raises(EduqaError, match="transforms the student-level prior_z") as caught:
        random_intercept(stats.linked, "z ~ rural + I(prior_z ** 2)", "school_code")
    assert "怎么办" in caught.value.render("zh")
    with pytest.raises(EduqaError, match="student-level outcome"):
        random_intercept(stats.students, "rural ~ z", "school_code")


def test_a_column_that_varies_within_a_school_is_not_taken_as_the_school_s(frame):
    with pytest.raises(EduqaError, match="varies within a group"):
        GroupedStats.of(frame, "school_code", ["z"], constant=["prior_z"])


def _classes(seed: int = 4) -> pd.DataFrame:
    """Students in 2–4 classes a school (one school of a single class), class effects of
    SD 0.25, school effects of SD 0.4; the rural schools ahead."""
    rng = np.random.default_rng(seed)
    rows = []
    for j in range(14):
        school = rng.normal(0, 0.4) + 0.3 * (j >= 10)
        for c in range(1 if j == 3 else rng.integers(2, 5)):
            klass = rng.normal(0, 0.25)
            for i in range(rng.integers(5, 45)):
                rows.append({"student_key": f"s{j}-{c}-{i}", "school_code": f"X{j:02d}",
                             "class": f"{c + 1}班", "rural": float(j >= 10),
                             "z": school + klass + rng.normal(0, 0.9)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("formula", ["z ~ 1", "z ~ rural"])
def test_the_three_level_model_from_class_statistics_equals_the_rows(formula):
    rows = _classes()
    stats = GroupedStats.of(rows, ["school_code", "class"], ["z"], constant=["rural"],
                            order=["student_key"])
    a = nested_random_intercept(rows, formula)
    b = nested_random_intercept(stats, formula)
    for name in ("school_var", "class_var", "resid_var", "llf"):
        assert abs(getattr(a, name) - getattr(b, name)) < 1e-9, name
    assert (a.nobs, a.nschools, a.nclasses) == (b.nobs, b.nschools, b.nclasses)
    _close(a.class_effects, b.class_effects)
    _close(a.school_effects, b.school_effects)
    assert np.allclose(a.params, b.params, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("reml", [True, False])
def test_the_three_level_fit_is_the_zero_of_the_exact_gradient(reml):
    """The analytic gradient agrees with central differences of the objective, and is zero
    at the fit: the variances are pinned to the rounding, not to the optimiser's stopping
    rule (which left them ~1e-7 apart between two summation orders)."""
    rows = _classes(seed=6)
    stats = GroupedStats.of(rows, ["school_code", "class"], ["z"], constant=["rural"])
    classes, *_ = _ClassStats.of_grouped(stats, "z ~ rural", "school_code")
    for rho_c, rho_s in [(0.05, 0.2), (0.3, 0.01)]:
        step = 1e-6
        numeric = [(classes.objective(rho_c * np.exp(step), rho_s, reml)
                    - classes.objective(rho_c * np.exp(-step), rho_s, reml)) / (2 * step),
                   (classes.objective(rho_c, rho_s * np.exp(step), reml)
                    - classes.objective(rho_c, rho_s * np.exp(-step), reml)) / (2 * step)]
        assert np.allclose(classes.gradient(rho_c, rho_s, reml), numeric, rtol=1e-5,
                           atol=1e-6)
    fit = nested_random_intercept(rows, "z ~ rural", reml=reml)
    assert fit.class_var > 0 and fit.school_var > 0
    gradient = classes.gradient(fit.class_var / fit.resid_var, fit.school_var / fit.resid_var,
                                reml)
    assert np.abs(gradient).max() < 1e-7
    shuffled = nested_random_intercept(rows.sample(frac=1.0, random_state=2), "z ~ rural",
                                       reml=reml)
    assert abs(shuffled.class_var - fit.class_var) < 1e-12
    assert abs(shuffled.school_var - fit.school_var) < 1e-12


def test_variance_levels_from_class_statistics_equal_the_rows():
    rows = _classes(seed=9)
    scores = rows.assign(subject="chinese", status="sat", score=rows["z"] * 15 + 90)
    a, _ = attribution.variance_levels(attribution.class_frame(scores))
    b, _ = attribution.variance_levels(attribution.class_stats(scores))
    _close(a, b)
    one_class = scores.assign(**{"class": "1班"})
    assert attribution.variance_levels(attribution.class_stats(one_class))[1] is None


def test_the_headline_icc_is_on_every_student_who_sat(frame, stats):
    """Issue 36, point 3: with a prior season the models' sample is the linked students; the
    headline ICC (the 03 page's first sentence) is the null model on every student who sat
    — statsmodels MixedLM on all rows as the oracle — and the sentence says so."""
    import warnings

    import statsmodels.formula.api as smf

    from eduqa.text import narrative
    from eduqa.text.narrative.common import pct

    sequence = attribution.model_sequence(stats, prior="prior_z", **TERMS)
    rows = frame.dropna(subset=["z"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        null = smf.mixedlm("z ~ 1", rows, groups=rows["school_code"]).fit(reml=True)
    icc = null.cov_re.iloc[0, 0] / (null.cov_re.iloc[0, 0] + null.scale)
    assert sequence.linked
    assert sequence.icc_all == pytest.approx(icc, abs=1e-5)
    assert sequence.nobs_all == len(rows) > sequence.models.loc[0, "nobs"]
    assert abs(sequence.icc_all - sequence.models.loc[0, "icc"]) > 1e-4  # a different sample
    text = narrative.attribution_summary(sequence, None)
    assert f"全部 {len(rows):,} 名参考学生总分差异的 {pct(icc)}" in text
    assert f"all {len(rows):,} students who sat" in narrative.attribution_summary(
        sequence, None, "en")
    # without a prior season the sample is every student: the same figure as M0's
    plain = attribution.model_sequence(attribution.ModelStats(stats.students), **TERMS)
    assert not plain.linked
