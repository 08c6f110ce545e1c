"""Domains from one or several by columns: order, labels, unobserved categories, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd

import residentsurvey as rs
from residentsurvey.analysis._domains import make_domains


def test_plain_columns_give_observed_domains_in_sorted_order() -> None:
    frame = pd.DataFrame({"wave": [2, 1, 2, 1], "area": ["x", "y", "y", "y"]})
    domains = make_domains(frame, ["wave", "area"])
    assert domains.labels.to_dict("list") == {"wave": [1, 2, 2], "area": ["y", "x", "y"]}
    assert domains.codes.tolist() == [1, 0, 2, 0]


def test_categorical_columns_give_every_combination_with_their_dtype() -> None:
    frame = pd.DataFrame({
        "council": pd.Categorical(["B", "A"], categories=["A", "B", "C"]),
        "sex": pd.Categorical(["Male", "Female"], categories=["Female", "Male"]),
    })
    domains = make_domains(frame, ["council", "sex"])
    assert domains.count == 6
    assert isinstance(domains.labels["council"].dtype, pd.CategoricalDtype)
    assert domains.labels.iloc[domains.codes[0]].tolist() == ["B", "Male"]


def test_domain_lookup_by_label_and_tuple() -> None:
    frame = pd.DataFrame({"a": ["x", "y", None], "b": [1, 2, 1]})
    assert make_domains(frame, "a").find("y") == 1
    assert make_domains(frame, "a").find(None) == 2
    assert make_domains(frame, ["a", "b"]).find(("x", 1)) == 0


def test_domain_counts_add_up_to_the_sample_in_one_table() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"g": rng.integers(0, 5, 300), "h": rng.integers(0, 3, 300), "y": rng.normal(size=300),
                          "w": rng.uniform(1, 3, 300)})
    table = rs.SurveyDesign(frame, weights="w").mean("y", by=["g", "h"])
    assert table["n"].sum() == 300
    assert list(table.columns) == ["g", "h", "variable", "estimate", "se", "ci_lower", "ci_upper", "n"]
