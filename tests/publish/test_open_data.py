"""The open data package: it validates with the frictionless library, reads back into the same table, and
suppressed cells are missing with a reason, never zero."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from hypothesis import given, settings
from hypothesis import strategies as st

from residentsurvey.errors import OptionError, ReportError

frictionless = pytest.importorskip("frictionless")


def test_suppression_threshold_hits_some_rows(suppressed_table):
    flags = suppressed_table["flag"].value_counts()
    assert 20 < flags["suppressed"] < len(suppressed_table) / 2


def test_package_validates_with_frictionless(suppressed_table, tmp_path):
    package = rs.open_data(suppressed_table, tmp_path, release_date="2026-11-30", weighting="raked by council")
    report = frictionless.validate(str(package.path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    # foreign keys were checked: break one and the validator must notice
    estimates = package.resources["estimates"]
    text = estimates.read_text().replace(",Eastmere,", ",Eastmer,", 1)
    estimates.write_text(text)
    broken = frictionless.validate(str(package.path))
    assert not broken.valid
    assert "foreign-key" in {row[0] for row in broken.flatten(["type"])}


def test_round_trip_through_frictionless_gives_the_same_table(suppressed_table, tmp_path):
    package = rs.open_data(suppressed_table, tmp_path)
    resource = frictionless.Package(str(package.path)).get_resource("estimates")
    rows = pd.DataFrame([row.to_dict() for row in resource.read_rows()])
    frame = pd.DataFrame(rows)
    keyed = suppressed_table.set_index(["wave", "indicator", "area"])
    frame = frame.set_index(["wave", "indicator", "area"]).loc[keyed.index]
    for column in ["estimate", "se", "ci_lower", "ci_upper", "n", "n_effective", "vs_consortium_p", "change"]:
        back = pd.to_numeric(frame[column].astype(object).where(frame[column].notna(), np.nan)).to_numpy(dtype=float)
        np.testing.assert_array_equal(back, keyed[column].to_numpy(dtype=float), err_msg=column)
    for column in ["flag", "flag_reason", "vs_consortium_verdict", "change_verdict"]:
        assert frame[column].fillna("").tolist() == keyed[column].tolist(), column


def test_round_trip_with_read_open_data(suppressed_table, tmp_path):
    back = rs.read_open_data(rs.open_data(suppressed_table, tmp_path).path)
    # the same table, less the point rank (never published: rank intervals are)
    expected = suppressed_table.reset_index(drop=True).drop(columns=["rank"])
    assert sorted(back.columns) == sorted(expected.columns)
    pd.testing.assert_frame_equal(back[expected.columns], expected, check_dtype=False, check_exact=True)


def test_suppressed_cells_are_marked_never_zero(suppressed_table, tmp_path):
    package = rs.open_data(suppressed_table, tmp_path)
    raw = pd.read_csv(package.resources["estimates"], dtype=str, keep_default_na=False)
    hidden = raw[raw["flag"] == "suppressed"]
    assert len(hidden) == (suppressed_table["flag"] == "suppressed").sum()
    assert (hidden["estimate"] == "[c]").all() and (hidden["ci_lower"] == "[c]").all()
    assert hidden["flag_reason"].str.contains("below 1150").all()
    assert not hidden["estimate"].isin(["0", "0.0"]).any()
    assert (hidden["n"] != "[c]").all()  # bases are kept
    assert package.suppressed_cells == (raw == "[c]").to_numpy().sum()
    shown = raw[raw["flag"] != "suppressed"]
    assert not (shown == "[c]").to_numpy().any()


def test_descriptor_has_schema_keys_licence_and_provenance(indicator_table, tmp_path):
    package = rs.open_data(indicator_table, tmp_path, licence="CC-BY-4.0", release_date="2026-11-30",
                           questionnaires={"core-v1": "abc", "core-v2": "def"})
    d = json.loads(package.path.read_text())
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    assert d["provenance"]["questionnaires"] == ["core-v1", "core-v2"]
    assert d["provenance"]["share_interval"] == "logit" and d["provenance"]["confidence_level"] == 0.95
    assert d["provenance"]["release_date"] == "2026-11-30"
    assert {s["sha256"] for s in d["sources"]} == {"abc", "def"}
    est = next(r for r in d["resources"] if r["name"] == "estimates")["schema"]
    assert est["primaryKey"] == ["wave", "indicator", "area"]
    assert est["missingValues"] == ["", "[c]"]
    types = {f["name"]: f["type"] for f in est["fields"]}
    assert types["estimate"] == "number" and types["n"] == "integer" and types["flag"] == "string"
    assert "rank" not in types and types["rank_lower"] == "integer"  # point ranks are never published
    assert "unit" in next(f for f in est["fields"] if f["name"] == "estimate")


def test_unknown_licence_lists_the_valid_ones(indicator_table, tmp_path):
    with pytest.raises(OptionError, match="OGL-UK-3.0, CC-BY-4.0, CC0-1.0"):
        rs.open_data(indicator_table, tmp_path, licence="MIT")


def test_table_without_keys_is_refused_with_the_fix(tmp_path):
    with pytest.raises(ReportError, match=r"lacks column\(s\) \['area'.*rs.indicators"):
        rs.open_data(pd.DataFrame({"wave": [1], "indicator": ["x"], "estimate": [0.5], "flag": ["ok"],
                                   "questionnaire": ["core-v1"]}), tmp_path)


def test_duplicate_rows_are_refused_naming_the_key(indicator_table, tmp_path):
    doubled = pd.concat([indicator_table.head(2), indicator_table.head(1)])
    with pytest.raises(ReportError, match=r"more than one row.*\(1, 'satisfied_area', 'Northbridge'\)"):
        rs.open_data(doubled, tmp_path)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=12),
       suppress=st.lists(st.booleans(), min_size=12, max_size=12),
       reason=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20))
def test_any_table_round_trips_exactly(values, suppress, reason, tmp_path_factory):
    """Property: every float (full precision), missing value and text comes back as written; suppressed rows
    come back missing, never zero."""
    n = len(values)
    flags = ["suppressed" if s else "ok" for s in suppress[:n]]
    estimate = [None if f == "suppressed" else v for v, f in zip(values, flags)]
    table = pd.DataFrame({"wave": 1, "questionnaire": "core-v1", "indicator": [f"i{j}" for j in range(n)],
                          "label": "a label, with \"quotes\"", "statistic": "mean", "unit": "0-10",
                          "polarity": "neutral", "area": "Eastmere", "area_type": "council",
                          "estimate": pd.array(estimate, dtype="float64"), "n": list(range(n)), "flag": flags,
                          "flag_reason": [reason if f == "suppressed" else "" for f in flags]})
    back = rs.read_open_data(rs.open_data(table, tmp_path_factory.mktemp("p")).path)
    pd.testing.assert_frame_equal(back[table.columns], table, check_dtype=False, check_exact=True)
