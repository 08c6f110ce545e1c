"""One story of significance: the table's comparison with all councils, the funnel and the ranks agree.

- The funnel flag and the table's verdict come from the same difference, standard error, level and
  multiplicity rule, so they agree row by row (exactly for Bonferroni and none; for Holm and BH the
  funnel's Bonferroni limits flag a subset of the councils the table calls different).
- A council's point on the funnel (``funnel_n``, ``estimate``) lies outside the drawn limits exactly
  when it is flagged.
- Rank 1 is the best: the indicator's polarity turns the order round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.analysis.funnel import critical_values, funnel_limits, funnel_side
from residentsurvey.analysis.indicators import indicator_funnel_limits
from residentsurvey.demo import demo_design
from residentsurvey.errors import OptionError
from residentsurvey.questionnaire import load_questionnaire

SELECT = ["satisfied_area", "value_for_money", "belonging", "mean_anxious", "share_high_anxiety", "mean_worthwhile"]


@pytest.fixture(scope="module")
def designs() -> dict[int, object]:
    return {1: demo_design(wave=1), 2: demo_design(wave=2)}


@pytest.fixture(scope="module")
def tables(designs) -> dict[str, pd.DataFrame]:
    waves = {w: (d, load_questionnaire(f"core-v{w}")) for w, d in designs.items()}
    return {adjust: rs.indicators(waves=waves, select=SELECT, adjust=adjust) for adjust in ("bonferroni", "none", "holm")}


def _councils(table: pd.DataFrame) -> pd.DataFrame:
    return table[(table["area_type"] == "council") & (table["flag"] != "suppressed")]


@pytest.mark.parametrize("adjust", ["bonferroni", "none"])
def test_funnel_flag_and_table_verdict_agree_row_by_row(tables, adjust: str) -> None:
    councils = _councils(tables[adjust])
    flagged = ~councils["funnel"].isin(["within", ""])
    called = councils["vs_consortium_verdict"].isin(["higher", "lower"])
    assert (flagged == called).all()
    assert (councils.loc[flagged, "funnel"].str.startswith("above") == (councils.loc[flagged, "vs_consortium"] > 0)).all()
    assert called.any() and (~called).any()  # the demo has both, so the test can fail


def test_the_demo_default_is_bonferroni_and_outside_the_limits_means_different(tables) -> None:
    table = tables["bonferroni"]
    assert table.attrs["adjust"] == "bonferroni"
    default = rs.indicators(demo_design(wave=1), load_questionnaire("core-v1"), select=["satisfied_area"])
    assert default.attrs["adjust"] == "bonferroni"
    wave1 = table[(table["wave"] == 1) & (table["indicator"] == "satisfied_area")]
    assert (default["vs_consortium_verdict"].to_numpy() == wave1["vs_consortium_verdict"].to_numpy()).all()


def test_holm_calls_every_council_outside_the_limits_different(tables) -> None:
    councils = _councils(tables["holm"])
    flagged = ~councils["funnel"].isin(["within", ""])
    called = councils["vs_consortium_verdict"].isin(["higher", "lower"])
    assert (called[flagged]).all()
    # the funnel does not depend on the p-value rule beyond the single-step limits it draws
    assert (councils["funnel"].to_numpy() == _councils(tables["bonferroni"])["funnel"].to_numpy()).all()


def test_without_adjustment_the_funnel_is_the_classic_95_and_998_percent(tables) -> None:
    councils = _councils(tables["none"])
    z = councils["vs_consortium"] / councils["vs_consortium_se"]
    assert ((z.abs() > 1.959964) == ~councils["funnel"].isin(["within"])).all()
    assert ((z.abs() > 3.090232) == councils["funnel"].str.contains("99.8")).all()


@pytest.mark.parametrize("adjust", ["bonferroni", "none"])
def test_points_lie_outside_the_drawn_limits_exactly_when_flagged(tables, adjust: str) -> None:
    table = tables[adjust]
    limits = indicator_funnel_limits(table)
    sds = table.attrs["funnel_sd"]
    checked = 0
    for (wave, indicator), rows in _councils(table).groupby(["wave", "indicator"]):
        first = rows.iloc[0]
        curve = limits[(limits["wave"] == wave) & (limits["indicator"] == indicator)]
        assert curve["n"].min() <= rows["funnel_n"].min() and rows["funnel_n"].max() <= curve["n"].max()
        k = 1 if adjust == "none" else len(rows)
        at = funnel_limits(first["funnel_centre"], rows["funnel_n"], statistic=first["statistic"],
                           sd=sds.get(f"{wave}|{indicator}"), comparisons=k)
        outside = (rows["estimate"].to_numpy() > at["upper95"].to_numpy()) | (rows["estimate"].to_numpy() < at["lower95"].to_numpy())
        assert (outside == ~rows["funnel"].isin(["within"]).to_numpy()).all()
        # the drawn curve is the same function of n
        inner = np.interp(rows["funnel_n"], curve["n"], curve["upper95"])
        assert inner == pytest.approx(at["upper95"].to_numpy(), rel=2e-3)
        checked += 1
    assert checked == 2 * len(SELECT)


def test_polarity_turns_rank_1_into_the_best(tables) -> None:
    table = tables["bonferroni"]
    for indicator, best in (("satisfied_area", "max"), ("mean_worthwhile", "max"), ("mean_anxious", "min"),
                            ("share_high_anxiety", "min")):
        rows = _councils(table[(table["wave"] == 2) & (table["indicator"] == indicator)])
        top = rows.loc[rows["rank"] == 1, "estimate"].iloc[0]
        assert top == getattr(rows["estimate"], best)(), indicator
    assert set(table.loc[table["indicator"] == "mean_anxious", "polarity"]) == {"lower_is_better"}
    assert set(table.loc[table["indicator"] == "satisfied_area", "unit"]) == {"%"}
    assert set(table.loc[table["indicator"] == "mean_anxious", "unit"]) == {"0-10"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0.05, 1)), min_size=2, max_size=8),
       st.sampled_from(["joint", "marginal"]))
def test_lower_is_better_ranks_are_the_mirror_of_higher_is_better(pairs, method: str) -> None:
    estimates, se = [p[0] for p in pairs], [p[1] for p in pairs]
    up = rs.rank_intervals(estimates, se, method=method, polarity="higher_is_better")
    down = rs.rank_intervals(estimates, se, method=method, polarity="lower_is_better")
    k = len(pairs)
    assert (down["rank_lower"] == k + 1 - up["rank_upper"]).all() and (down["rank_upper"] == k + 1 - up["rank_lower"]).all()
    assert rs.rank_intervals(estimates, se, method=method, polarity="neutral").equals(up)


def test_bad_polarity_and_comparisons_are_refused() -> None:
    with pytest.raises(OptionError, match=r"polarity='better' is not recognised; use one of 'higher_is_better', "
                                          r"'lower_is_better', 'neutral'"):
        rs.rank_intervals([1.0, 2.0], [0.1, 0.1], polarity="better")
    with pytest.raises(OptionError, match=r"comparisons=0 must be a whole number of at least 1"):
        critical_values(0.95, 0)
    with pytest.raises(OptionError, match=r"level=1.5 must be strictly between 0 and 1"):
        funnel_side([1.0], level=1.5)


def test_critical_values_are_bonferroni() -> None:
    inner, outer = critical_values(0.95, 5)
    assert inner == pytest.approx(2.575829304, rel=1e-9)   # qnorm(1 - 0.05 / 10) in R 4
    assert outer == pytest.approx(3.540083799, rel=1e-9)   # qnorm(1 - 0.002 / 10) in R 4
    assert funnel_side([2.6, -2.5], comparisons=5).tolist() == ["above 95%", "within"]
