"""Codes and labels, one truth: .sav, CSV and Excel reach the same codes; declared missing codes are counted out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.errors import ReturnsError


@pytest.fixture(scope="module")
def v1():
    return rs.load_questionnaire("core-v1")


@pytest.fixture(scope="module")
def files(tmp_path_factory, v1) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("labels")
    returns = rs.demo_consortium(wave=1).head(400)
    rs.write_sav(returns, folder / "r.sav", v1)
    returns.to_csv(folder / "r.csv", index=False)
    returns.to_excel(folder / "r.xlsx", index=False)
    return {suffix: rs.read_returns(folder / f"r.{suffix}", v1) for suffix in ("sav", "csv", "xlsx")}


def test_sav_csv_and_excel_reach_the_same_codes(files, v1) -> None:
    sav = files["sav"]
    for other in ("csv", "xlsx"):
        for column in v1.item_columns:
            if column in sav.columns:
                pd.testing.assert_series_equal(files[other][column], sav[column], check_names=False, obj=column)
    assert sav["age_band"].dtype == "Int64" and sav["age_band"].iloc[0] == 1  # the demo's '16-34'
    assert files["csv"]["sex"].tolist() == sav["sex"].tolist()


def test_labels_become_codes_and_unreadable_text_is_left_for_validation(v1) -> None:
    raw = pd.DataFrame({"sex": [" FEMALE", "Male", "2", None], "q_trust": ["A great deal", "9", "tbc", "1"]})
    coded = rs.to_codes(raw, v1)
    assert coded["sex"].tolist() == [1, 2, 2, pd.NA]
    assert coded["q_trust"].tolist() == raw["q_trust"].tolist()  # 'tbc' is neither: kept as found
    report = rs.validate_returns(coded, v1)
    assert "'tbc' is neither a number nor a label" in " ".join(report.problems["message"])
    assert raw["sex"].tolist()[0] == " FEMALE"  # the input is not changed


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Owner", "owner", "Social rent", "Private rent", 1, 2, 3, "3", None]), min_size=1,
                max_size=30))
def test_to_codes_is_idempotent_and_agrees_with_the_frame(values) -> None:
    q = rs.load_questionnaire("core-v1")
    once = rs.to_codes(pd.DataFrame({"tenure": pd.Series(values, dtype=object)}), q)
    twice = rs.to_codes(once, q)
    pd.testing.assert_frame_equal(once, twice)
    labels = {"owner": 1, "social rent": 2, "private rent": 3}
    expected = [pd.NA if v is None else labels.get(str(v).casefold(), None) or int(v) for v in values]
    assert once["tenure"].tolist() == expected


def test_mask_missing_codes_counts_every_dont_know(v1) -> None:
    returns = rs.demo_consortium(wave=1)
    masked = rs.mask_missing_codes(returns, v1)
    for row in masked.counts.itertuples(index=False):
        before = int((returns[row.column] == row.code).sum())
        assert row.n == before
        assert int((masked.data[row.column] == row.code).sum()) == 0
        assert int(masked.data[row.column].isna().sum()) == int(returns[row.column].isna().sum()) + before
    assert masked.total == int(masked.counts["n"].sum()) > 0
    assert set(masked.counts["kind"]) == {"dont_know"}
    assert "q_trust: 373 x 9 Don't know" in masked.describe()
    untouched = [c for c in returns.columns if c not in set(masked.counts["column"])]
    pd.testing.assert_frame_equal(masked.data[untouched], rs.to_codes(returns, v1)[untouched])


def test_mask_missing_codes_counts_labels_too(v1) -> None:
    masked = rs.mask_missing_codes(pd.DataFrame({"q_trust": ["Don't know", "A fair amount", "9"]}), v1)
    assert masked.data["q_trust"].tolist() == [pd.NA, 2, pd.NA]
    assert masked.counts["n"].tolist() == [2]


def test_mask_missing_codes_bad_columns_are_named(v1) -> None:
    returns = rs.demo_consortium(wave=1).head(5)
    with pytest.raises(ReturnsError, match="column 'q_trusst' is not in the returns"):
        rs.mask_missing_codes(returns, v1, columns=["q_trusst"])
    with pytest.raises(ReturnsError, match="column 'council' is not a question of core-v1"):
        rs.mask_missing_codes(returns, v1, columns=["council"])


def test_write_sav_labels_extra_columns_and_sample_fields(tmp_path, v1) -> None:
    import pyreadstat

    returns = rs.demo_consortium(wave=1).head(30).assign(weight=np.linspace(1, 2, 30))
    rs.write_sav(returns, tmp_path / "w.sav", v1, variable_labels={"weight": "Calibrated weight"})
    _, meta = pyreadstat.read_sav(str(tmp_path / "w.sav"))
    assert meta.column_names_to_labels["weight"] == "Calibrated weight"
    assert meta.column_names_to_labels["design_weight"].startswith("inverse probability")
