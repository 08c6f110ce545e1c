"""Codebooks as a tidy table, Markdown, HTML and CSV."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from residentsurvey.errors import OptionError
from residentsurvey.questionnaire import CODEBOOK_COLUMNS, codebook, codebook_table, load_questionnaire


def test_table_has_one_row_per_code() -> None:
    q = load_questionnaire("northbridge-v1")
    table = codebook_table(q)
    assert list(table.columns) == list(CODEBOOK_COLUMNS)
    assert len(table.query("question == 'q_satisfied_area'")) == 6
    assert table.query("question == 'nb_contact'")["column"].tolist() == [f"nb_contact_{k}" for k in range(1, 7)]
    routed = table.query("question == 'nb_contact_satisfied'")["asked_if"].iloc[0]
    assert routed == "council in ['Northbridge'] and nb_contact in [1, 2, 3, 4, 5]"
    assert table.query("question == 'nb_comments'")["code"].isna().all()
    assert table.attrs["questionnaire_sha256"] == q.sha256


def test_markdown_shows_provenance_licence_and_indicators() -> None:
    text = codebook(load_questionnaire("core-v2"))
    assert "sha256 " + load_questionnaire("core-v2").sha256 in text
    assert "### q_trust" in text and "(wording unverified: check before use)" in text
    assert "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) (c) NHS Health Scotland" in text
    assert "(wording licensed; supplied by the licence holder)" in text
    assert "| volunteered_formal |" in text and "respondents routed past it count in the base" in text
    assert "asked if involved_groups_12m in [1]" in text


def test_html_is_a_self_contained_page() -> None:
    page = codebook(load_questionnaire("core-v1"), format="html")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<h3>q_satisfied_area</h3>" in page and '<th scope="col">code</th>' in page
    assert "Don&#x27;t know" in page and "http" not in page


def test_csv_reads_back_as_the_table() -> None:
    q = load_questionnaire("core-v1")
    back = pd.read_csv(io.StringIO(codebook(q, format="csv")))
    assert len(back) == len(codebook_table(q))


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(OptionError, match=r"format='pdf' is not recognised; use one of 'markdown', 'html', 'csv'"):
        codebook(load_questionnaire("core-v1"), format="pdf")
