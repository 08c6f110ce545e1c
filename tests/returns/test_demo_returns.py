"""The demo consortium's returns follow the shipped questionnaires: wave 1 core-v1, wave 2 core-v2."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import pandas as hpd

import residentsurvey as rs
from residentsurvey.errors import ReturnsError
from residentsurvey.questionnaire import load_questionnaire
from residentsurvey.returns import PROBLEM_COLUMNS, validate_returns

from .seeded import MINI, seeded_frame


@pytest.mark.parametrize("wave, name", [(1, "core-v1"), (2, "core-v2")])
def test_demo_labels_and_wordings_are_the_questionnaires(wave, name) -> None:
    q = load_questionnaire(name)
    returns = rs.demo_consortium(wave=wave)
    for column, labels in returns.attrs["value_labels"].items():
        assert q.question(column).value_labels() == labels, column
        if q.question(column).wording:
            assert returns.attrs["variable_labels"][column] == q.question(column).wording, column
    assert set(returns.columns) == set(q.expected_columns)


def test_demo_wave_1_validates_clean_against_core_v1() -> None:
    report = validate_returns(rs.demo_consortium(wave=1), load_questionnaire("core-v1"))
    assert report.clean, str(report)
    assert report.modes == ("postal", "online") and report.n_rows > 6000


def test_demo_wave_2_has_no_errors_against_core_v2() -> None:
    report = validate_returns(rs.demo_consortium(wave=2), load_questionnaire("core-v2"))
    assert report.ok, str(report)
    assert set(report.problems["check"]) <= {"straight_lining"}  # a few respondents tick one SWEMWBS column


_cells = st.one_of(st.none(), st.integers(-3, 12), st.floats(allow_nan=True, allow_infinity=True),
                   st.text(max_size=4), st.booleans(), st.sampled_from(["Yes", "postal", "R001", "Eastmere", "9"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzzed_returns_never_crash_validation(data) -> None:
    mini = load_questionnaire(MINI)
    columns = data.draw(st.lists(st.sampled_from(list(seeded_frame().columns) + ["extra"]), min_size=1, max_size=12,
                                 unique=True))
    frame = data.draw(hpd.data_frames([hpd.column(c, elements=_cells, dtype=object) for c in columns],
                                      index=hpd.range_indexes(max_size=8)))
    before = frame.copy()
    try:
        report = validate_returns(frame, mini)
    except ReturnsError:
        return
    assert list(report.problems.columns) == list(PROBLEM_COLUMNS)
    assert report.problems["row"].dropna().between(0, max(len(frame) - 1, 0)).all()
    pd.testing.assert_frame_equal(frame, before)
    str(report)
