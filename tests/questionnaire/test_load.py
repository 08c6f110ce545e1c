"""Loading questionnaires: the shipped files, and errors that give file, line and key path."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residentsurvey.errors import QuestionnaireError
from residentsurvey.questionnaire import available_questionnaires, load_questionnaire
from residentsurvey.questionnaire.load import SHIPPED, from_text

#: sha256 of each published questionnaire's bytes. A published file is never edited: if this
#: test fails, restore the file and publish a new version instead.
PUBLISHED = {
    "core-v1": "50ad1265f79927cd7b220d5f111872367db5a02d4cc8deb87e17a69bda830fc5",
    "core-v2": "cc915e26548c4be67ac12c81a1e2f2514af38ff6a1181a39da71ba3db0da8bb5",
    "northbridge-v1": "324e8390073ad270abfe595333e1573e1b058734c4b4c2e0e4c1cde92333d54e",
}

HEADER = """\
id: test
version: 1
title: Test
date: 2026-01-01
status: draft
respondent_id: rid
"""
QUESTION = """\
modules:
  - id: core
    owner: core
    questions:
      - id: q1
        wording: Are you satisfied?
        type: single
        codes: {1: "Yes", 2: "No", 9: Don't know}
        missing: {9: dont_know}
        source: local
"""


def load(text: str):
    return from_text(textwrap.dedent(text), name="test.yaml")


def test_shipped_questionnaires_load_by_name_and_by_path() -> None:
    assert {"core-v1", "core-v2", "northbridge-v1"} <= set(available_questionnaires())
    for name in available_questionnaires():
        q = load_questionnaire(name)
        assert q.name == name
        assert load_questionnaire(SHIPPED / f"{name}.yaml") == q
    assert (Path(__file__).parents[2] / "questionnaires" / "core-v1.yaml").resolve() == (SHIPPED / "core-v1.yaml").resolve()


def test_published_questionnaires_are_never_edited() -> None:
    for name, digest in PUBLISHED.items():
        assert hashlib.sha256((SHIPPED / f"{name}.yaml").read_bytes()).hexdigest() == digest, name
        q = load_questionnaire(name)
        if q.based_on is None:  # a based_on questionnaire's hash also covers the file it builds on
            assert q.sha256 == digest
    assert load_questionnaire("core-v2").status == "published"


def test_content_hash_covers_the_base_file() -> None:
    child, base = load_questionnaire("northbridge-v1"), load_questionnaire("core-v2")
    own = (SHIPPED / "northbridge-v1.yaml").read_bytes()
    assert child.sha256 == hashlib.sha256(base.sha256.encode() + own).hexdigest()
    assert child.based_on == "core-v2" and child.questions[: len(base.questions)] == base.questions


def test_the_model_holds_what_the_file_says() -> None:
    q = load_questionnaire("core-v2")
    area = q.question("q_satisfied_area")
    assert area.labels[9] == "Don't know" and area.missing_codes == {9: "dont_know"}
    assert area.substantive_codes == (1, 2, 3, 4, 5) and area.source.body == "LGA"
    assert q.question("q_trust").source.verified == "unverified"
    assert q.question("ons_happy").range == (0.0, 10.0) and q.question("ons_happy").instrument == "ons4"
    assert str(q.asked_if("volunteered_formal_12m")) == "involved_groups_12m in [1]"
    assert q.grids["swemwbs"] == tuple(f"swemwbs_{k}" for k in range(1, 8))
    assert q.question("swemwbs_1").wording is None  # licensed wording is not shipped
    assert q.instrument_items("swemwbs") == q.grids["swemwbs"]
    assert q.indicator("mean_swemwbs").kind == "scale"
    assert q.question("q_trust").fill({"[name of council]": "Eastmere Council"}) == "How much do you trust Eastmere Council?"
    assert q.question("volunteered_formal_12m").labels == {1: "Yes", 2: "No"}


def test_unquoted_yes_and_no_stay_labels() -> None:
    q = load(HEADER + QUESTION.replace('{1: "Yes", 2: "No"', "{1: Yes, 2: No"))
    assert q.question("q1").labels == {1: "Yes", 2: "No", 9: "Don't know"}


BAD = [
    ("codes: {1: \"Yes\", 2: \"No\", 9: Don't know}", "codes: {1: \"Yes\", 9: \"No\", 9: Don't know}",
     r"test\.yaml:14 modules\[0\]\.questions\[0\]\.codes\[9\]: code 9 used twice\."),
    ("type: single", "type: singel",
     r"test\.yaml:13 modules\[0\]\.questions\[0\]\.type: 'singel' is not a known question type; use one of 'single'"),
    ("wording: Are you satisfied?", "wordng: Are you satisfied?",
     r"test\.yaml:12 modules\[0\]\.questions\[0\]\.wordng: unknown key 'wordng'; allowed keys here are id, wording"),
    ("missing: {9: dont_know}", "missing: {8: dont_know}",
     r"test\.yaml:15 modules\[0\]\.questions\[0\]\.missing\[8\]: code 8 is not in the code frame \(1, 2, 9\)\."),
    ("missing: {9: dont_know}", "missing: {9: unknown}",
     r":15 modules\[0\]\.questions\[0\]\.missing\[9\]: 'unknown' is not a known kind of missing code; use one of 'dont_know'"),
    ("source: local", "source: Wikipedia", r":16 modules\[0\]\.questions\[0\]\.source: 'Wikipedia' is not a known source"),
    ("wording: Are you satisfied?", "wording: Are you satisfied with [name of council]?",
     r":12 modules\[0\]\.questions\[0\]\.wording: placeholder \[name of council\] is not declared under templates"),
    ("id: q1", "id: Q 1", r":11 modules\[0\]\.questions\[0\]\.id: expected a question id in lower case"),
    ("owner: core", "owner: Eastmere", r":9 modules\[0\]\.owner: module 'core' belongs to 'Eastmere', so the "
                                       r"questionnaire needs council_field"),
    ("source: local", "source: local\n        asked_if: {item: q2, in: [1]}",
     r":17 modules\[0\]\.questions\[0\]\.asked_if\.item: routing refers to 'q2', which is neither an earlier question"),
    ("source: local", "source: local\n        previous: {version: 1, recode: {5: 3}}",
     r":17 modules\[0\]\.questions\[0\]\.previous\.recode\[5\]: old code 5 is recoded to 3, which is not in this "
     r"question's code frame"),
    ("type: single", "type: scale\n        range: [10, 0]", r":14 modules\[0\]\.questions\[0\]\.range: smallest value 10 is above"),
]


@pytest.mark.parametrize("old, new, message", BAD, ids=[m[:40] for _, _, m in BAD])
def test_errors_name_file_line_and_key_path(old, new, message) -> None:
    text = HEADER + QUESTION
    assert old in text
    with pytest.raises(QuestionnaireError, match=message):
        load(text.replace(old, new, 1))


@pytest.mark.parametrize("text, message", [
    ("id: [unclosed", r"test\.yaml:1 is not valid YAML"),
    ("", r"test\.yaml:1 is empty"),
    ("- a\n- b\n", r"test\.yaml:1 \(document\): expected a mapping"),
    (HEADER, r"test\.yaml:1 \(document\): missing required key 'modules'"),
    (HEADER.replace("version: 1", "version: one") + QUESTION, r":2 version: expected a whole-number version"),
    (HEADER.replace("date: 2026-01-01", "date: soon") + QUESTION, r":4 date: expected a date as YYYY-MM-DD"),
    (HEADER.replace("status: draft", "status: final") + QUESTION, r":5 status: 'final' is not a known status"),
    (HEADER + "id: again\n" + QUESTION, r":7 id: key 'id' used twice"),
    ("a: &x [*x]\n", r"(recursive|cannot read|not valid YAML|expected)"),
])
def test_document_level_errors(text, message) -> None:
    with pytest.raises(QuestionnaireError, match=message):
        load(text)


def test_routing_and_indicator_errors_point_at_the_culprit() -> None:
    routed = HEADER + QUESTION + """\
      - id: q2
        wording: Why?
        type: text
        asked_if: {item: q1, in: [3]}
        source: local
"""
    with pytest.raises(QuestionnaireError, match=r":20 modules\[0\]\.questions\[1\]\.asked_if\.in\[0\]: 3 is not a code of 'q1'"):
        load(routed)
    indicator = HEADER + QUESTION + "indicators:\n  - {id: yes, label: '% yes', kind: share, item: q1, codes: [1, 4]}\n"
    with pytest.raises(QuestionnaireError, match=r":18 indicators\[0\]\.codes\[1\]: code 4 is not in 'q1'"):
        load(indicator)
    unknown_kind = HEADER + QUESTION + "indicators:\n  - {id: yes, label: '% yes', kind: median, item: q1}\n"
    with pytest.raises(QuestionnaireError, match=r"'median' is not a known indicator kind; use one of 'share', 'mean', 'scale'"):
        load(unknown_kind)


def test_unknown_names_and_missing_files() -> None:
    with pytest.raises(QuestionnaireError, match=r"has no shipped questionnaire 'core-v3'\. Did you mean 'core-v2', 'core-v1'"):
        load_questionnaire("core-v3")
    with pytest.raises(QuestionnaireError, match=r"no such questionnaire file"):
        load_questionnaire("missing/core.yaml")
    with pytest.raises(QuestionnaireError, match=r"expected a questionnaire name"):
        load_questionnaire(3)  # type: ignore[arg-type]
    with pytest.raises(QuestionnaireError, match=r"has no question 'q_trsut'\. Did you mean 'q_trust'"):
        load_questionnaire("core-v1").question("q_trsut")


def test_a_questionnaire_is_frozen() -> None:
    q = load_questionnaire("core-v1")
    with pytest.raises(AttributeError):
        q.version = 3  # type: ignore[misc]


_yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-20, 20), st.text(max_size=8),
                          st.sampled_from(["single", "scale", "core", "dont_know", "q1", "local", "[x]"]))
_yaml_values = st.recursive(_yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.integers(0, 10), st.sampled_from(
        ["id", "type", "codes", "missing", "modules", "questions", "owner", "wording", "source", "range", "asked_if",
         "item", "in", "indicators", "kind", "version", "previous", "recode"])), inner, max_size=5)), max_leaves=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_fuzzed_text_raises_only_questionnaire_errors(text: str) -> None:
    try:
        load(text)
    except QuestionnaireError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_yaml_values, st.integers(0, 2))
def test_fuzzed_structures_raise_only_questionnaire_errors(value, where: int) -> None:
    import yaml

    base = yaml.safe_load(HEADER + QUESTION)
    if where == 0:
        base["modules"][0]["questions"][0]["codes"] = value
    elif where == 1:
        base["modules"][0]["questions"].append(value)
    else:
        base["indicators"] = value
    try:
        from_text(yaml.safe_dump(base), name="fuzz.yaml")
    except QuestionnaireError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.text(min_size=1, max_size=5))
def test_mutated_shipped_file_raises_only_questionnaire_errors(position: int, insert: str) -> None:
    text = (SHIPPED / "core-v2.yaml").read_text()
    position = position % len(text)
    try:
        from_text(text[:position] + insert + text[position + len(insert):], name="core-v2.yaml")
    except QuestionnaireError:
        pass
