"""Checks at the report layer's boundary: notices, suppression labels, blanking of suppressed numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from residentsurvey.report._format import difference_text, interval_text, rank_text, value_text
from residentsurvey.report._table import check_indicator_table, notices_for, suppressed_text

from .conftest import SWEMWBS_NOTICE

WEMWBS_NOTICE = ("Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, The University of "
                 "Warwick and University of Edinburgh, 2006, all rights reserved.")


def test_a_notice_goes_with_the_indicators_that_name_its_instrument(table: pd.DataFrame) -> None:
    assert notices_for(table, "swemwbs") == [SWEMWBS_NOTICE]
    assert notices_for(table, "satisfied_area") == []
    assert notices_for(table) == [SWEMWBS_NOTICE]


def test_wemwbs_is_not_swemwbs_and_an_unmatched_notice_goes_everywhere(table: pd.DataFrame) -> None:
    table = table.copy()
    table.attrs = dict(table.attrs, notices=[SWEMWBS_NOTICE, WEMWBS_NOTICE])
    # No indicator names WEMWBS (only SWEMWBS): when in doubt the notice is printed with every indicator.
    assert notices_for(table, "satisfied_area") == [WEMWBS_NOTICE]
    assert notices_for(table, "swemwbs") == [SWEMWBS_NOTICE, WEMWBS_NOTICE]
    table.loc[table["indicator"] == "life_satisfaction", "indicator"] = "wemwbs_mean"
    assert notices_for(table, "wemwbs_mean") == [WEMWBS_NOTICE]
    assert notices_for(table, "swemwbs") == [SWEMWBS_NOTICE]


def test_suppression_label_uses_the_threshold_or_the_reason() -> None:
    row = {"flag_reason": "unweighted base 24 is below 30"}
    assert suppressed_text(row, {"suppress_below": 50}) == "suppressed (n < 50)"
    assert suppressed_text(row, None) == "suppressed (n < 30)"
    assert suppressed_text({"flag_reason": "secondary suppression"}, {}) == "suppressed: secondary suppression"
    assert suppressed_text({"flag_reason": ""}, {}) == "suppressed"


def test_suppressed_numbers_are_blanked_and_missing_comparisons_added(table: pd.DataFrame) -> None:
    core = table.drop(columns=[c for c in table.columns if c.startswith(("vs_", "change", "rank", "funnel"))])
    core.loc[core["flag"] == "suppressed", "estimate"] = 25.0
    checked = check_indicator_table(core)
    assert checked.loc[checked["flag"] == "suppressed", "estimate"].isna().all()
    assert (checked["vs_consortium_verdict"] == "").all() and checked["rank_lower"].isna().all()
    assert core.loc[core["flag"] == "suppressed", "estimate"].eq(25.0).all(), "the caller's table is not changed"
    assert checked.attrs["notices"] == [SWEMWBS_NOTICE]


def test_numbers_are_rounded_only_when_written() -> None:
    assert value_text(0.62149, "share") == "62.1%"
    assert value_text(7.456, "mean") == "7.46"
    assert value_text(np.nan, "share") == ""
    assert interval_text(0.58, 0.662, "share") == "58.0% to 66.2%"
    assert difference_text(-0.031, "share") == "\u22123.1 points"
    assert difference_text(0.12, "mean") == "+0.12"
    assert rank_text(1.0, 3.0, 5) == "1 to 3 of 5"
    assert rank_text(2, 2, 5) == "2 of 5"
