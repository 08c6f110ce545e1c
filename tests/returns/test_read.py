"""Reading returns files and writing labelled .sav files."""

from __future__ import annotations

import builtins

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import residentsurvey as rs
from residentsurvey.errors import OptionError, ReturnsError
from residentsurvey.questionnaire import load_questionnaire
from residentsurvey.returns import READERS, read_returns, validate_returns, write_sav

from .seeded import MINI, write_csv


@pytest.fixture(scope="module")
def v1():
    return load_questionnaire("core-v1")


@pytest.fixture(scope="module")
def wave1() -> pd.DataFrame:
    return rs.demo_consortium().head(300)


def _as_codes(df: pd.DataFrame, q) -> pd.DataFrame:
    """The demo's label columns (age_band, ...) as codes, for comparing with what comes back."""
    out = df.copy()
    for column in ("age_band", "sex", "tenure", "ethnicity"):
        codes = {label: code for code, label in q.question(column).labels.items()}
        out[column] = df[column].astype(object).map(codes).astype("Int64")
    return out


def test_sav_round_trip_keeps_codes_labels_wordings_and_version(tmp_path, v1, wave1) -> None:
    path = tmp_path / "wave1.sav"
    write_sav(wave1, path, v1)
    back = read_returns(path, v1)
    expected = _as_codes(wave1, v1)
    for column in v1.item_columns:
        pd.testing.assert_series_equal(back[column], expected[column].astype("Int64"), check_names=False)
    assert back["respondent_id"].tolist() == wave1["respondent_id"].tolist()
    np.testing.assert_allclose(back["design_weight"], wave1["design_weight"])
    assert back["council"].tolist() == wave1["council"].astype(str).tolist()
    assert back.attrs["questionnaire"] == "core-v1" and back.attrs["value_label_problems"] == []
    assert back.attrs["value_labels"]["q_trust"][1] == "A great deal"
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True, user_missing=True)
    assert meta.variable_value_labels["q_satisfied_area"][9.0] == "Don't know"
    assert meta.variable_value_labels["age_band"][4.0] == "75+"
    assert meta.variable_value_labels["ons_happy"][10.0] == "Completely happy"
    assert meta.column_names_to_labels["q_trust"] == "How much do you trust [name of council]?"
    assert meta.missing_ranges["q_trust"] == [{"lo": 9.0, "hi": 9.0}]
    assert meta.file_label.startswith("core-v1 " + v1.sha256[:12])
    assert validate_returns(back, v1).clean


def test_dont_know_stays_a_code_when_read_back(tmp_path, v1, wave1) -> None:
    path = tmp_path / "wave1.sav"
    write_sav(wave1, path, v1)
    back = read_returns(path, v1)
    assert (back["q_trust"] == 9).sum() == (wave1["q_trust"] == 9).sum() > 0


def test_sav_labels_that_disagree_with_the_frame_are_reported(tmp_path, v1, wave1) -> None:
    frame = _as_codes(wave1, v1)[["respondent_id", "q_trust"]].astype({"q_trust": float})
    pyreadstat.write_sav(frame, str(tmp_path / "x.sav"),
                         variable_value_labels={"q_trust": {1.0: "A great deal", 9.0: "Refused", 7.0: "Other"}})
    back = read_returns(tmp_path / "x.sav", v1)
    assert back.attrs["value_label_problems"] == [
        {"column": "q_trust", "code": 7, "file_label": "Other", "frame_label": "(not in the code frame)"},
        {"column": "q_trust", "code": 9, "file_label": "Refused", "frame_label": "Don't know"}]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_other_formats_read_to_the_same_codes(tmp_path, v1, wave1, suffix) -> None:
    path = tmp_path / f"wave1{suffix}"
    writer = {".csv": lambda p: wave1.to_csv(p, index=False), ".xlsx": lambda p: wave1.to_excel(p, index=False),
              ".parquet": lambda p: wave1.to_parquet(p)}[suffix]
    writer(path)
    back = read_returns(path, v1)
    for column in ("q_trust", "ons_happy", "volunteered_formal_12m"):
        pd.testing.assert_series_equal(back[column], wave1[column], check_names=False)
    assert back["respondent_id"].tolist() == wave1["respondent_id"].tolist()
    assert back.attrs["format"] == suffix.lstrip(".")
    assert validate_returns(back, v1).clean


def test_csv_keeps_leading_zeros_and_text_for_validation(tmp_path) -> None:
    mini = load_questionnaire(MINI)
    back = read_returns(write_csv(tmp_path / "seeded.csv"), mini)
    assert back["id"].iloc[0] == "R000" and back["q_sat"].dtype == "Int64"
    assert back["age"].tolist()[8] == "forty"  # kept as found, reported by validation
    assert back["weight"].dtype == "float64"


def test_missing_engine_names_the_package(tmp_path, v1, wave1, monkeypatch) -> None:
    path = tmp_path / "wave1.xlsx"
    wave1.head(5).to_excel(path, index=False)
    real_import = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name == "openpyxl":
            raise ImportError("No module named 'openpyxl'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(ReturnsError, match=r"reading \.xlsx files needs the openpyxl package, which is not "
                                           r"installed: pip install openpyxl"):
        read_returns(path, v1)


def test_bad_paths_and_options(tmp_path, v1) -> None:
    with pytest.raises(ReturnsError, match=r"cannot read '\.txt' returns; use one of \.sav, \.csv, \.xlsx, \.parquet"):
        read_returns(tmp_path / "returns.txt", v1)
    with pytest.raises(ReturnsError, match=r"no such returns file"):
        read_returns(tmp_path / "missing.csv", v1)
    (tmp_path / "broken.sav").write_bytes(b"\x00\x01 not a sav file")
    with pytest.raises(ReturnsError, match=r"broken\.sav: cannot be read as \.sav"):
        read_returns(tmp_path / "broken.sav", v1)
    with pytest.raises(OptionError, match=r"mode='carrier pigeon' is not recognised; use one of 'postal'"):
        read_returns(tmp_path / "x.csv", v1, mode="carrier pigeon")
    with pytest.raises(ReturnsError, match="needs a Questionnaire"):
        read_returns(tmp_path / "x.csv", "core-v1")  # type: ignore[arg-type]
    assert set(READERS) == {".sav", ".csv", ".xlsx", ".parquet"}


def test_mode_argument_that_contradicts_the_file_is_refused(tmp_path, v1, wave1) -> None:
    wave1.to_csv(tmp_path / "w.csv", index=False)
    with pytest.raises(ReturnsError, match=r"records mode\(s\) online, postal in 'mode', but mode='telephone'"):
        read_returns(tmp_path / "w.csv", v1, mode="telephone")


def test_write_sav_refuses_unreadable_answers(tmp_path, v1, wave1) -> None:
    bad = wave1.head(5).astype({"q_trust": object})
    bad.loc[2, "q_trust"] = "lots"
    with pytest.raises(ReturnsError, match=r"q_trust: row 2 holds 'lots', which is not a code of q_trust"):
        write_sav(bad, tmp_path / "bad.sav", v1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400), st.sampled_from([".csv", ".sav", ".xlsx", ".parquet"]))
def test_fuzzed_files_raise_only_returns_errors(tmp_path, data: bytes, suffix: str) -> None:
    mini = load_questionnaire(MINI)
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        returns = read_returns(path, mini)
    except ReturnsError:
        return
    validate_returns(returns, mini)
