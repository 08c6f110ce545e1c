"""Tests for the synthetic demo consortium (``residentsurvey.datasets``).

Reference values here are properties of the generator's own design (counts fixed in
``_COUNCILS``, identities of the two-stage design), not published numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residentsurvey import datasets
from residentsurvey.datasets import demo_consortium, demo_council_populations, demo_population
from residentsurvey.errors import ResidentSurveyError

COUNCILS = ["Northbridge", "Eastmere", "Southwold Vale", "Westhaven", "Middleton Cross"]
ADULTS = {"Northbridge": 248_000, "Eastmere": 62_000, "Southwold Vale": 84_000, "Westhaven": 103_000,
          "Middleton Cross": 141_000}
ITEMS = ["q_satisfied_area", "q_satisfied_council", "q_value_for_money", "q_trust", "q_informed",
         "q_safe_after_dark", "q_safe_day", "q_belonging", "q_cohesion", "q_influence",
         "ons_life_satisfaction", "ons_worthwhile", "ons_happy", "ons_anxious", "volunteered_formal_12m"]
COLUMNS = ["respondent_id", "wave", "council", "stratum", "imd_band", "sector", "sectors_in_stratum",
           "adults_in_sector", "issued_in_sector", "design_weight", "mode", "age_band", "sex", "tenure",
           "ethnicity", *ITEMS]
CATEGORIES = {
    "council": COUNCILS,
    "imd_band": ["most deprived", "middle", "least deprived"],
    "age_band": ["16-34", "35-54", "55-74", "75+"],
    "sex": ["Female", "Male"],
    "tenure": ["Owner", "Social rent", "Private rent"],
    "ethnicity": ["White", "Asian", "Black", "Mixed", "Other"],
    "mode": ["postal", "online"],
}


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return demo_consortium()


@pytest.fixture(scope="module")
def issued() -> pd.DataFrame:
    return demo_consortium(include_nonrespondents=True)


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return demo_population()


def _positive_share(df: pd.DataFrame, column: str, by: str, weights: str | None = None) -> pd.Series:
    """Share in codes 1-2 among valid answers (don't know and missing excluded), by group."""
    valid = df[column].notna() & (df[column] != 9)
    d = df.loc[valid]
    w = d[weights] if weights else pd.Series(1.0, index=d.index)
    top = d[column].isin([1, 2]).astype(float) * w
    return top.groupby(d[by], observed=True).sum() / w.groupby(d[by], observed=True).sum()


def _assert_same_population(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """``assert_frame_equal`` with categoricals compared by categories and codes.

    Comparing 638,000-row categoricals directly takes seconds each in pandas 3.
    """
    def codes(df: pd.DataFrame) -> pd.DataFrame:
        return df.assign(**{c: df[c].cat.codes for c in df.select_dtypes("category").columns})

    for column in left.select_dtypes("category").columns:
        assert isinstance(right[column].dtype, pd.CategoricalDtype), column
        pdt.assert_index_equal(left[column].cat.categories, right[column].cat.categories)
    pdt.assert_frame_equal(codes(left), codes(right))
    assert left.attrs == right.attrs


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_gives_identical_frames_even_after_the_cache_is_cleared(
        population: pd.DataFrame, returns: pd.DataFrame) -> None:
    for cached in (datasets._frame, datasets._answers, datasets._population):
        cached.cache_clear()
    _assert_same_population(demo_population(), population)
    fresh = demo_consortium()
    pdt.assert_frame_equal(fresh, returns)
    assert fresh.attrs == returns.attrs


def test_returned_frames_are_copies(population: pd.DataFrame) -> None:
    pop = demo_population()
    pop.loc[0, "q_trust"] = 4 if pop.loc[0, "q_trust"] != 4 else 3
    pop.attrs["value_labels"]["q_trust"][1] = "changed"
    _assert_same_population(demo_population(), population)
    assert demo_population().attrs["value_labels"]["q_trust"][1] == "A great deal"


def test_different_seeds_differ(returns: pd.DataFrame) -> None:
    other = demo_consortium(seed=7)
    assert not other.equals(returns)
    assert other["design_weight"].sum() != pytest.approx(returns["design_weight"].sum(), rel=1e-9)


def test_waves_share_the_frame_but_not_the_answers(population: pd.DataFrame) -> None:
    wave2 = demo_population(wave=2)
    frame = ["council", "imd_band", "sector", "age_band", "sex", "tenure", "ethnicity"]
    left, right = wave2[frame], population[frame]
    left.attrs, right.attrs = {}, {}  # the waves' questionnaires, hence labels, differ
    _assert_same_population(left, right)
    assert (wave2["q_satisfied_council"] != population["q_satisfied_council"]).mean() > 0.3


def test_waves_draw_different_samples(returns: pd.DataFrame) -> None:
    wave2 = demo_consortium(wave=2)
    assert set(wave2["sector"]) != set(returns["sector"])
    assert (wave2["wave"] == 2).all() and wave2["respondent_id"].str.startswith("W2-").all()


def test_wave_2_follows_questionnaire_core_v2() -> None:
    wave2 = demo_consortium(wave=2)
    swemwbs = [f"swemwbs_{k}" for k in range(1, 8)]
    assert list(wave2.columns) == [c for c in COLUMNS if c not in ("q_safe_day", "volunteered_formal_12m")] + [
        "involved_groups_12m", "volunteered_formal_12m", *swemwbs]
    assert set(wave2["q_safe_after_dark"].dropna()) == {1, 2, 3, 4, 9}
    assert wave2.attrs["value_labels"]["q_safe_after_dark"][4] == "Unsafe"
    not_involved = wave2["involved_groups_12m"] == 2
    assert wave2.loc[not_involved.fillna(False), "volunteered_formal_12m"].isna().all()
    assert (wave2.loc[(wave2["volunteered_formal_12m"] == 1).fillna(False), "involved_groups_12m"] != 2).all()
    items = wave2[swemwbs].astype(float)
    assert items.stack().dropna().isin([1, 2, 3, 4, 5]).all()
    assert 22 < items.dropna().sum(axis=1).mean() < 27  # raw SWEMWBS; HSE norms are about 23-24 (metric)
    assert (items.corr().to_numpy()[np.triu_indices(7, 1)] > 0.2).all()


def test_council_satisfaction_falls_a_couple_of_points_in_wave_2(population: pd.DataFrame) -> None:
    drop = (_positive_share(population, "q_satisfied_council", "council")
            - _positive_share(demo_population(wave=2), "q_satisfied_council", "council"))
    assert ((drop > 0.01) & (drop < 0.05)).all(), drop


# --- structure of the returns file ------------------------------------------------------------


def test_columns_dtypes_and_categories(returns: pd.DataFrame) -> None:
    assert list(returns.columns) == COLUMNS
    for column, categories in CATEGORIES.items():
        assert isinstance(returns[column].dtype, pd.CategoricalDtype), column
        assert list(returns[column].cat.categories) == categories, column
    for column in ITEMS:
        assert returns[column].dtype == "Int64", column
    for column in ["wave", "sectors_in_stratum", "adults_in_sector", "issued_in_sector"]:
        assert returns[column].dtype == np.int64, column
    assert returns["design_weight"].dtype == np.float64
    assert returns["respondent_id"].is_unique
    assert returns["respondent_id"].str.fullmatch(r"W1-\d{6}").all()
    assert returns["mode"].notna().all()


def test_sizes_are_realistic(returns: pd.DataFrame, issued: pd.DataFrame) -> None:
    per_council = returns.groupby("council", observed=True).size()
    assert per_council.between(1_000, 1_500).all(), per_council
    assert 5_000 <= len(returns) <= 7_000
    assert 0.20 <= issued["responded"].mean() <= 0.30
    assert 0.25 <= (returns["mode"] == "online").mean() <= 0.35


def test_strata_and_psus_are_nested(returns: pd.DataFrame) -> None:
    assert returns["stratum"].nunique() == 15
    expected = returns["council"].astype(str) + ": " + returns["imd_band"].astype(str)
    assert (returns["stratum"] == expected).all()
    assert (returns.groupby("sector")["stratum"].nunique() == 1).all()
    assert returns["sector"].str.fullmatch(r"(NB|EM|SV|WH|MC)-D[123]-\d{3}").all()


def test_every_stratum_has_at_least_two_sampled_sectors(issued: pd.DataFrame, returns: pd.DataFrame) -> None:
    assert (issued.groupby("stratum")["sector"].nunique() >= 2).all()
    assert (returns.groupby("stratum")["sector"].nunique() >= 2).all()


def test_fpc_columns_match_the_population(issued: pd.DataFrame, population: pd.DataFrame) -> None:
    adults = population.groupby("sector").size()
    pdt.assert_series_equal(issued["adults_in_sector"], issued["sector"].map(adults).astype(np.int64),
                            check_names=False)
    sectors = population.groupby(["council", "imd_band"], observed=True)["sector"].nunique()
    found = issued.groupby(["council", "imd_band"], observed=True)["sectors_in_stratum"].agg(["min", "max"])
    assert (found["min"] == sectors).all() and (found["max"] == sectors).all()
    counted = issued.groupby("sector").size()
    assert (issued.groupby("sector")["issued_in_sector"].first() == counted).all()
    assert (issued["issued_in_sector"] <= issued["adults_in_sector"]).all()


def test_design_weight_formula(issued: pd.DataFrame) -> None:
    sampled = issued.groupby("stratum")["sector"].transform("nunique")
    expected = (issued["sectors_in_stratum"] / sampled) * (issued["adults_in_sector"] / issued["issued_in_sector"])
    np.testing.assert_allclose(issued["design_weight"], expected, rtol=1e-12)


def test_stage_two_weights_reproduce_each_sampled_sector_exactly(issued: pd.DataFrame) -> None:
    stage2 = issued["adults_in_sector"] / issued["issued_in_sector"]
    by_sector = stage2.groupby(issued["sector"]).sum()
    np.testing.assert_allclose(by_sector, issued.groupby("sector")["adults_in_sector"].first(), rtol=1e-9)
    # hence, per stratum, sum of design weights = (N_h / n_h) * adults in the sampled sectors
    sectors = issued.groupby("sector").first()
    expansion = sectors.groupby("stratum").apply(
        lambda s: s["sectors_in_stratum"].iloc[0] / len(s) * s["adults_in_sector"].sum())
    np.testing.assert_allclose(issued.groupby("stratum")["design_weight"].sum(), expansion, rtol=1e-9)


def test_design_weights_estimate_council_populations(issued: pd.DataFrame) -> None:
    estimate = issued.groupby("council", observed=True)["design_weight"].sum()
    truth = pd.Series(ADULTS)[estimate.index]
    assert (abs(estimate / truth - 1) < 0.2).all(), estimate / truth


def test_returns_are_the_respondents_of_the_issued_sample(returns: pd.DataFrame, issued: pd.DataFrame) -> None:
    respondents = issued.loc[issued["responded"]].drop(columns="responded").reset_index(drop=True)
    pdt.assert_frame_equal(respondents, returns)
    nonrespondents = issued.loc[~issued["responded"]]
    assert nonrespondents[ITEMS + ["mode"]].isna().all().all()
    assert list(issued.columns) == COLUMNS[:10] + ["responded"] + COLUMNS[10:]


def test_nonresponse_depends_on_age_tenure_and_deprivation(issued: pd.DataFrame) -> None:
    by_age = issued.groupby("age_band", observed=True)["responded"].mean()
    by_band = issued.groupby("imd_band", observed=True)["responded"].mean()
    by_tenure = issued.groupby("tenure", observed=True)["responded"].mean()
    assert by_age["16-34"] < by_age["55-74"]
    assert by_band["most deprived"] < by_band["least deprived"]
    assert by_tenure["Owner"] > by_tenure["Social rent"]


# --- codes and labels -------------------------------------------------------------------------


def test_codes_are_within_their_code_frames(returns: pd.DataFrame, population: pd.DataFrame) -> None:
    labels = returns.attrs["value_labels"]
    for column in ITEMS:
        for frame in (returns, population):
            codes = set(frame[column].dropna().astype(int).unique())
            assert codes <= set(labels[column]), (column, codes - set(labels[column]))
    assert set(labels["ons_happy"]) == set(range(11))
    assert labels["volunteered_formal_12m"] == {1: "Yes", 2: "No"}


def test_every_item_has_value_labels_wording_and_dont_know(returns: pd.DataFrame) -> None:
    attrs = returns.attrs
    assert set(attrs["value_labels"]) == set(ITEMS) == set(attrs["variable_labels"])
    assert all(isinstance(w, str) and w.endswith("?") for w in attrs["variable_labels"].values())
    assert "[name of council]" in attrs["variable_labels"]["q_satisfied_council"]
    assert set(attrs["dont_know_codes"]) == {c for c in ITEMS if c.startswith("q_")}
    for column, codes in attrs["dont_know_codes"].items():
        assert codes == [9] and attrs["value_labels"][column][9] == "Don't know"
    assert attrs["value_labels"]["q_satisfied_area"][1] == "Very satisfied"
    assert attrs["value_labels"]["q_trust"][4] == "Not at all"


def test_item_nonresponse_and_dont_know_rates(returns: pd.DataFrame, population: pd.DataFrame) -> None:
    missing = returns[ITEMS].isna().mean()
    assert missing.between(0.01, 0.05).all(), missing
    dont_know = (population[[c for c in ITEMS if c.startswith("q_")]] == 9).mean()
    assert dont_know.between(0.005, 0.10).all(), dont_know
    assert dont_know["q_value_for_money"] > dont_know["q_satisfied_area"]
    assert dont_know["q_trust"] > dont_know["q_satisfied_area"]


# --- the truth is plausible and councils differ -----------------------------------------------


def test_population_truth_is_plausible(population: pd.DataFrame) -> None:
    area = _positive_share(population, "q_satisfied_area", "council")
    assert area.between(0.70, 0.85).all(), area
    life = population.groupby("council", observed=True)["ons_life_satisfaction"].mean()
    assert life.between(7.2, 7.8).all(), life
    anxious = population["ons_anxious"].mean()
    assert 2.5 < anxious < 3.5
    assert population.groupby("council", observed=True).size().to_dict() == ADULTS


def test_council_estimates_differ(returns: pd.DataFrame) -> None:
    area = _positive_share(returns, "q_satisfied_area", "council", "design_weight")
    council = _positive_share(returns, "q_satisfied_council", "council", "design_weight")
    assert area.max() - area.min() > 0.05, area
    assert council.max() - council.min() > 0.05, council


def test_demographics_follow_deprivation(population: pd.DataFrame) -> None:
    social = pd.crosstab(population["imd_band"], population["tenure"], normalize="index")["Social rent"]
    assert social["most deprived"] > social["middle"] > social["least deprived"]
    young = pd.crosstab(population["imd_band"], population["age_band"], normalize="index")["16-34"]
    assert young["most deprived"] > young["least deprived"]


# --- council population totals ---------------------------------------------------------------


def test_council_populations_agree_with_the_population(population: pd.DataFrame) -> None:
    totals = demo_council_populations()
    assert list(totals.columns) == ["council", "variable", "category", "total"]
    assert list(totals["variable"].unique()) == ["adults", "imd_band", "age_band:sex", "tenure", "ethnicity"]
    adults = totals.query("variable == 'adults'").set_index("council")["total"]
    assert adults.to_dict() == ADULTS
    sums = totals.groupby(["council", "variable"], observed=True)["total"].sum().unstack()
    assert (sums.sub(sums["adults"], axis=0) == 0).all().all()
    tenure = population.groupby(["council", "tenure"], observed=True).size()
    got = totals.query("variable == 'tenure'").set_index(["council", "category"])["total"]
    assert got.to_numpy().tolist() == tenure.to_numpy().tolist()
    age_sex = population.groupby(["council", "age_band", "sex"], observed=True).size()
    got = totals.query("variable == 'age_band:sex'")
    assert got["total"].tolist() == age_sex.tolist()
    assert got["category"].iloc[0] == "16-34:Female"


# --- properties over seeds --------------------------------------------------------------------


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), wave=st.sampled_from([1, 2]))
def test_design_identities_hold_for_any_seed(seed: int, wave: int) -> None:
    issued = demo_consortium(seed=seed, wave=wave, include_nonrespondents=True)
    assert (issued.groupby("stratum")["sector"].nunique() >= 2).all()
    assert (issued.groupby("sector")["stratum"].nunique() == 1).all()
    stage2 = (issued["adults_in_sector"] / issued["issued_in_sector"]).groupby(issued["sector"]).sum()
    np.testing.assert_allclose(stage2, issued.groupby("sector")["adults_in_sector"].first(), rtol=1e-9)
    assert issued["respondent_id"].is_unique


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("wave", [0, 3, 1.5, "1", True])
def test_unknown_wave_is_refused_with_the_valid_waves(wave: object) -> None:
    with pytest.raises(ResidentSurveyError, match=r"wave=.* is not available; .* waves 1, 2"):
        demo_consortium(wave=wave)  # type: ignore[arg-type]
    with pytest.raises(ResidentSurveyError, match="waves 1, 2"):
        demo_population(wave=wave)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [-1, 2.5, "2026", None, False])
def test_bad_seed_is_refused(seed: object) -> None:
    with pytest.raises(ResidentSurveyError, match=r"seed must be a non-negative integer; got"):
        demo_population(seed=seed)  # type: ignore[arg-type]
    with pytest.raises(ResidentSurveyError, match=r"seed must be a non-negative integer"):
        demo_council_populations(seed=seed)  # type: ignore[arg-type]


def test_include_nonrespondents_must_be_a_bool() -> None:
    with pytest.raises(ResidentSurveyError, match="include_nonrespondents must be True or False; got 'yes'"):
        demo_consortium(include_nonrespondents="yes")  # type: ignore[arg-type]


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        demo_population(2026)  # type: ignore[misc]
