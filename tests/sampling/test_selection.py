"""Selection: exact sizes, probabilities that sum to the sample size, empirical rates over many seeds,
the sample feeding SurveyDesign directly, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.sampling import allocate, inclusion_probabilities, select_sample, selection


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """36 addresses in 2 councils; clusters (sectors) of unequal size, one big enough to be certain."""
    sectors = ["a1"] * 3 + ["a2"] * 5 + ["a3"] * 4 + ["b1"] * 10 + ["b2"] * 2 + ["b3"] * 3 + ["b4"] * 3 + ["b5"] * 6
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "address_id": np.arange(len(sectors)),
        "council": [s[0].upper() for s in sectors],
        "sector": sectors,
        "postcode": rng.permutation(len(sectors)),
        "y": rng.normal(50, 10, len(sectors)),
    })


CASES = {
    "srs": dict(n={"A": 4, "B": 9}),
    "systematic": dict(n={"A": 5, "B": 7}, sort_by="postcode"),
    "pps_systematic": dict(n={"A": 1, "B": 2}, cluster="sector"),
    "pps_take": dict(n={"A": 2, "B": 3}, cluster="sector", take=2),
}


def _args(case: str) -> tuple[str, dict]:
    kwargs = dict(CASES[case])
    return ("pps_systematic" if case.startswith("pps") else case), kwargs


@pytest.mark.parametrize("case", list(CASES))
def test_empirical_inclusion_rates_match_the_probabilities(frame, case) -> None:
    method, kwargs = _args(case)
    options = {k: v for k, v in kwargs.items() if k in ("cluster", "take")}
    probabilities = inclusion_probabilities(frame, kwargs["n"], method=method, strata="council", **options).to_numpy()
    # the draw behind select_sample, prepared once and repeated over 4,000 seeds (select_sample adds only columns)
    prepared = selection._prepare(frame, kwargs["n"], method=method, strata="council",
                                  sort_by=kwargs.get("sort_by"), **{"cluster": None, "size": None, "take": None, **options})
    draw = selection.SELECTION_METHODS[method]
    for seed in (0, 1):
        chosen, _, _ = draw(prepared, np.random.default_rng(seed))
        picked = select_sample(frame, method=method, strata="council", seed=seed, **kwargs)
        assert picked.index.tolist() == frame.index[chosen].tolist()
        np.testing.assert_allclose(picked["inclusion_probability"], probabilities[chosen])
    runs = 4_000
    hits = np.zeros(len(frame))
    for seed in range(runs):
        hits += draw(prepared, np.random.default_rng(seed))[0]
    rate = hits / runs
    sd = np.sqrt(probabilities * (1 - probabilities) / runs)
    assert np.all(np.abs(rate - probabilities) <= 4.5 * sd + 1e-12), np.max(np.abs(rate - probabilities) / (sd + 1e-12))


@pytest.mark.parametrize("case", list(CASES))
def test_probabilities_sum_to_the_sample_size(frame, case) -> None:
    method, kwargs = _args(case)
    options = {k: v for k, v in kwargs.items() if k in ("cluster", "take")}
    pi = inclusion_probabilities(frame, kwargs["n"], method=method, strata="council", **options)
    sample = select_sample(frame, method=method, strata="council", seed=7, **kwargs)
    if method == "pps_systematic":
        clusters = sample.drop_duplicates("sector").groupby("council").size()
        assert clusters.to_dict() == kwargs["n"]
        # address probabilities sum to the expected sample size: cluster probability times addresses taken
        clusters = frame.assign(pi=pi).groupby("sector").agg(pi=("pi", "first"), addresses=("pi", "size"))
        taken = clusters["addresses"].clip(upper=kwargs.get("take", len(frame)))
        cluster_pi = clusters["pi"] * clusters["addresses"] / taken
        assert pi.sum() == pytest.approx((cluster_pi * taken).sum())
        assert cluster_pi.groupby(lambda s: s[0].upper()).sum().round(12).to_dict() == {k: float(v) for k, v in kwargs["n"].items()}
        assert sample["clusters_sampled"].groupby(sample["council"]).first().to_dict() == kwargs["n"]
        assert len(sample) == sample.drop_duplicates("sector")["addresses_taken"].sum()
    else:
        assert pi.groupby(frame["council"]).sum().round(12).to_dict() == {k: float(v) for k, v in kwargs["n"].items()}
        assert sample.groupby("council").size().to_dict() == kwargs["n"]
    # the weights of a sample estimate the frame size unbiasedly; exactly so without clustering
    if method != "pps_systematic":
        assert sample["design_weight"].sum() == pytest.approx(len(frame))


def test_pps_cluster_probabilities(frame) -> None:
    pi = inclusion_probabilities(frame, {"A": 1, "B": 2}, method="pps_systematic", strata="council", cluster="sector")
    per_cluster = pi.groupby(frame["sector"]).first()
    # B: 24 addresses, 2 clusters: b1 (10) gets 2*10/24 < 1; A: 12 addresses, 1 cluster: a2 gets 5/12
    assert per_cluster["b1"] == pytest.approx(20 / 24) and per_cluster["a2"] == pytest.approx(5 / 12)
    assert per_cluster.groupby(lambda s: s[0]).sum().round(12).to_dict() == {"a": 1.0, "b": 2.0}
    # a cluster holding more than 1/n of its stratum is taken with certainty and the rest re-apportioned
    certain = inclusion_probabilities(frame, {"A": 1, "B": 3}, method="pps_systematic", strata="council", cluster="sector")
    c = certain.groupby(frame["sector"]).first()
    assert c["b1"] == 1.0 and c[["b2", "b3", "b4", "b5"]].sum() == pytest.approx(2.0)
    assert c["b5"] == pytest.approx(2 * 6 / 14)


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 60), min_size=1, max_size=6), share=st.floats(0, 1), seed=st.integers(0, 10**6),
       method=st.sampled_from(["srs", "systematic"]))
def test_any_stratified_sample_has_its_size_and_probabilities(sizes, share, seed, method) -> None:
    frame = pd.DataFrame({"stratum": np.repeat([f"h{i}" for i in range(len(sizes))], sizes)})
    n = {f"h{i}": int(round(share * s)) for i, s in enumerate(sizes)}
    pi = inclusion_probabilities(frame, n, method=method, strata="stratum")
    assert pi.sum() == pytest.approx(sum(n.values()))
    sample = select_sample(frame, n, method=method, strata="stratum", seed=seed)
    assert len(sample) == sum(n.values())
    assert ((sample["inclusion_probability"] > 0) & (sample["inclusion_probability"] <= 1)).all()


def test_same_seed_same_sample_and_frame_order(frame) -> None:
    one = select_sample(frame, {"A": 4, "B": 9}, strata="council", seed=11)
    two = select_sample(frame, {"A": 4, "B": 9}, strata="council", seed=11)
    pd.testing.assert_frame_equal(one, two)
    assert one.index.is_monotonic_increasing
    assert not select_sample(frame, {"A": 4, "B": 9}, strata="council", seed=12).index.equals(one.index)


def test_the_sample_is_a_survey_design_as_it_comes() -> None:
    population = rs.demo_population()
    frame = population[["council", "sector", "ons_life_satisfaction"]]
    allocation = allocate(frame.groupby("council", observed=True).size().rename_axis("council"), 3_000)
    sample = select_sample(frame, allocation, strata="council", seed=2026)
    design = rs.SurveyDesign(sample, weights="design_weight", strata="council", fpc="stratum_population")
    totals = sample.assign(one=1.0)
    counted = rs.SurveyDesign(totals, weights="design_weight", strata="council", fpc="stratum_population").total("one")
    assert counted.loc[0, "estimate"] == pytest.approx(len(frame)) and counted.loc[0, "se"] == pytest.approx(0, abs=1e-6)
    mean = design.mean("ons_life_satisfaction").loc[0]
    truth = frame["ons_life_satisfaction"].mean()
    assert abs(mean["estimate"] - truth) < 4 * mean["se"]
    # a PPS sample of sectors: clusters as PSUs, with-replacement variance
    pps = select_sample(frame, {c: 6 for c in allocation["council"]}, method="pps_systematic", strata="council",
                        cluster="sector", take=40, seed=2026)
    clustered = rs.SurveyDesign(pps, weights="design_weight", strata="council", psu="sector")
    assert clustered.n_psu == 30 and clustered.weights.sum() == pytest.approx(len(frame), rel=0.05)


def test_large_frame_is_fast() -> None:
    import time

    n = 400_000
    frame = pd.DataFrame({"stratum": np.repeat(np.arange(40), n // 40), "sector": np.arange(n) // 250})
    started = time.perf_counter()
    sample = select_sample(frame, {h: 200 for h in range(40)}, method="systematic", strata="stratum", seed=1)
    pps = select_sample(frame, {h: 10 for h in range(40)}, method="pps_systematic", strata="stratum",
                        cluster="sector", take=20, seed=1)
    assert len(sample) == 8_000 and len(pps) == 8_000
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n": {"A": 13, "B": 2}}, r"stratum 'A': cannot select 13 addresses from 12; the target cannot be met within the frame"),
    ({"n": {"A": 2}}, r"n has no value for 'B'; give one for every unit"),
    ({"n": 10}, r"with strata='council', give n per stratum"),
    ({"n": {"A": 2, "B": 2}, "method": "cluster"}, r"method='cluster' is not recognised; use one of 'srs', 'systematic', 'pps_systematic'"),
    ({"n": {"A": 2, "B": 2}, "method": "pps_systematic"}, r"method='pps_systematic' needs cluster"),
    ({"n": {"A": 4, "B": 2}, "method": "pps_systematic", "cluster": "sector"}, r"stratum 'A': cannot select 4 clusters from 3"),
    ({"n": {"A": 2, "B": 2}, "cluster": "sector"}, r"cluster, size and take are for method='pps_systematic'"),
    ({"n": {"A": 2, "B": 2}, "strata": "councl"}, r"strata column 'councl' is not in the address frame"),
])
def test_bad_selections(frame, kwargs, message) -> None:
    options = {"strata": "council", "seed": 1, **kwargs}
    with pytest.raises(rs.ResidentSurveyError, match=message):
        select_sample(frame, **options)


def test_clusters_must_nest_in_strata(frame) -> None:
    broken = frame.assign(sector=frame["sector"].replace({"b2": "a1"}))
    with pytest.raises(rs.SamplingError, match=r"cluster 'a1' is in several strata \('A', 'B'\); clusters must nest"):
        select_sample(broken, {"A": 1, "B": 1}, method="pps_systematic", strata="council", cluster="sector", seed=1)
