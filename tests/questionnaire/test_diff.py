"""The diff of questionnaire versions: every change, with the verdict the rules give."""

from __future__ import annotations

import textwrap

import pytest

from residentsurvey.questionnaire import DIFF_COLUMNS, VERDICTS, load_questionnaire
from residentsurvey.questionnaire.load import from_text

#: Every change made between the shipped core v1 and v2, with its verdict (see core-v2.yaml's header).
CORE_CHANGES = {
    ("item", "q_informed", "reworded", "not comparable"),
    ("item", "q_cohesion", "reworded", "comparable"),
    ("item", "q_safe_after_dark", "code frame changed", "comparable after recoding"),
    ("item", "q_safe_day", "removed", "not comparable"),
    ("item", "involved_groups_12m", "added", "not comparable"),
    ("item", "volunteered_formal_12m", "routing changed", "not comparable"),
    *{("item", f"swemwbs_{k}", "added", "not comparable") for k in range(1, 8)},
    ("indicator", "informed", "item changed", "not comparable"),
    ("indicator", "safe_after_dark", "item changed", "comparable after recoding"),
    ("indicator", "safe_day", "removed", "not comparable"),
    ("indicator", "volunteered_formal", "definition changed", "not comparable"),
    ("indicator", "mean_swemwbs", "added", "not comparable"),
}


@pytest.fixture(scope="module")
def changes():
    return load_questionnaire("core-v1").diff(load_questionnaire("core-v2"))


def test_shipped_v1_to_v2_lists_each_change_with_its_verdict(changes) -> None:
    found = changes[changes["change"] != "unchanged"]
    assert set(map(tuple, found[["level", "id", "change", "verdict"]].values)) == CORE_CHANGES
    assert len(found) == len(CORE_CHANGES)
    assert list(changes.columns) == list(DIFF_COLUMNS)
    assert set(changes["verdict"]) <= set(VERDICTS)


def test_every_item_and_indicator_of_both_versions_gets_a_verdict(changes) -> None:
    v1, v2 = load_questionnaire("core-v1"), load_questionnaire("core-v2")
    items = set(changes.query("level == 'item'")["id"])
    assert items == {q.id for q in v1.questions} | {q.id for q in v2.questions}
    indicators = set(changes.query("level == 'indicator'")["id"])
    assert indicators == {i.id for i in v1.indicators} | {i.id for i in v2.indicators}
    unchanged = changes.query("change == 'unchanged'")
    assert (unchanged["verdict"] == "comparable").all() and "satisfied_area" in set(unchanged["id"])
    assert changes.attrs["from"] == "core-v1" and changes.attrs["to_sha256"] == v2.sha256


def test_details_explain_the_change(changes) -> None:
    row = changes.set_index("id").loc["q_safe_after_dark"]
    assert row["detail"].startswith("older answers are recoded 5->4.")
    assert "5 Very unsafe" in row["before"] and "4 Unsafe" in row["after"]
    routing = changes.set_index("id").loc["volunteered_formal_12m"]
    assert (routing["before"], routing["after"]) == ("everyone", "involved_groups_12m in [1]")


def test_a_questionnaire_compared_with_itself_is_all_comparable() -> None:
    q = load_questionnaire("core-v2")
    table = q.diff(q)
    assert set(table["change"]) == {"unchanged"} and set(table["overall"]) == {"comparable"}


BASE = """\
id: t
version: {version}
title: T
date: 2026-01-01
status: draft
respondent_id: rid
modules:
  - id: core
    owner: core
    questions:
      - id: q1
        wording: How safe do you feel?
        type: {type}
        codes: {codes}
        missing: {{9: dont_know}}
        source: local
{extra}
indicators:
  - {{id: safe, label: '% safe', kind: share, item: q1, codes: [1, 2]}}
"""
FIVE = "{1: Very safe, 2: Fairly safe, 3: Neither, 4: Fairly unsafe, 5: Very unsafe, 9: Don't know}"


def _q(version=1, type="single", codes=FIVE, extra=""):
    return from_text(textwrap.dedent(BASE.format(version=version, type=type, codes=codes, extra=extra)), name="t.yaml")


@pytest.mark.parametrize("new, change, verdict", [
    (dict(codes=FIVE.replace("9: Don't know", "8: Refused, 9: Don't know").replace("missing", "x")), None, None),
    (dict(codes="{1: Very safe, 2: Fairly safe, 3: Unsafe, 9: Don't know}",
          extra="        previous: {version: 1, recode: {4: 3, 5: 3}}"), "code frame changed", "not comparable"),
    (dict(codes="{1: Very safe, 2: Fairly safe, 3: Neither, 4: Unsafe, 9: Don't know}",
          extra="        previous: {version: 1, recode: {4: 4, 5: 4}}"), "code frame changed", "comparable after recoding"),
    (dict(codes="{1: Very safe, 2: Fairly safe, 3: Neither, 4: Unsafe, 9: Don't know}"), "code frame changed",
     "not comparable"),
    (dict(type="scale", codes="{0: Not at all safe, 10: Completely safe, 9: Don't know}".replace(", 9: Don't know", "")),
     "type changed", "not comparable"),
])
def test_verdict_rules(new, change, verdict) -> None:
    if change is None:  # adding a non-answer code keeps the item comparable
        text = BASE.format(version=2, type="single", codes=FIVE.replace("}", ", 8: Refused}"), extra="").replace(
            "missing: {9: dont_know}", "missing: {9: dont_know, 8: refused}")
        table = _q().diff(from_text(text, name="t.yaml"))
        assert table.query("id == 'q1'")[["change", "verdict"]].values.tolist() == [["code frame changed", "comparable"]]
        return
    if new.get("type") == "scale":
        text = BASE.format(version=2, type="scale", codes="{0: Not at all safe, 10: Completely safe}", extra="").replace(
            "        missing: {9: dont_know}\n", "").replace("codes: [1, 2]", "codes: [8, 9, 10]")
        table = _q().diff(from_text(text, name="t.yaml"))
    else:
        table = _q().diff(_q(version=2, **new))
    rows = table.query("id == 'q1' and change == @change")
    assert rows["verdict"].tolist() == [verdict], table
    assert table.query("level == 'indicator'")["overall"].iloc[0] in (verdict, "not comparable")


def test_recode_of_a_share_indicator_is_checked_against_its_codes() -> None:
    old = _q()
    merged_top = _q(version=2, codes="{1: Safe, 2: Neither, 3: Fairly unsafe, 4: Very unsafe, 9: Don't know}",
                    extra="        previous: {version: 1, recode: {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}}")
    table = old.diff(merged_top)
    # the indicator still counts codes [1, 2], which after recoding no longer means "safe"
    assert table.query("level == 'indicator'")[["change", "verdict"]].values.tolist() == [
        ["definition changed", "not comparable"]]
    fixed = from_text(BASE.format(version=2, type="single",
                                  codes="{1: Safe, 2: Neither, 3: Fairly unsafe, 4: Very unsafe, 9: Don't know}",
                                  extra="        previous: {version: 1, recode: {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}}")
                      .replace("codes: [1, 2]", "codes: [1]"), name="t.yaml")
    assert old.diff(fixed).query("level == 'indicator'")["verdict"].tolist() == ["comparable after recoding"]
