"""The report tells one story of significance, with words that are true.

Built from a real ``rs.indicators`` table of the demo consortium (two waves, core-v1 and core-v2),
so the table's words, the funnel flags and the rank words are checked on the numbers a reader sees:

- every council called higher or lower in the table is outside the funnel's limits, and only those;
- the page says which question the comparison, the funnel and the rank intervals answer;
- rank 1 is the best, and the page says so; anxiety says lower is better and higher is worse;
- a measure new in a wave is "New in this wave", a reworded one "wording changed".
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import residentsurvey as rs  # noqa: E402
from residentsurvey.analysis.indicators import indicator_funnel_limits  # noqa: E402
from residentsurvey.demo import demo_design  # noqa: E402
from residentsurvey.questionnaire import load_questionnaire  # noqa: E402
from residentsurvey.report._words import change_text, significance_notes, verdict_text  # noqa: E402

from ._html_check import audit_page  # noqa: E402

SELECT = ["satisfied_area", "mean_anxious", "informed", "mean_swemwbs"]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    waves = {w: (demo_design(wave=w), load_questionnaire(f"core-v{w}")) for w in (1, 2)}
    return rs.indicators(waves=waves, select=SELECT)


@pytest.fixture(scope="module")
def index(table: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> str:
    latest = table[table["wave"] == 2]  # one wave keeps the page small: no trend charts
    latest.attrs = dict(table.attrs)
    folder = tmp_path_factory.mktemp("significance")
    paths = rs.write_html_report(latest, folder, limits=indicator_funnel_limits(latest))
    return Path(paths[0]).read_text(encoding="utf-8")


def _section(page: str, label_start: str) -> list[list[str]]:
    """The rows of the table whose caption starts with ``label_start``."""
    found = re.search(r"<caption>" + re.escape(label_start) + r".*?</table>", page, flags=re.S)
    assert found, label_start
    return [row for row in audit_page("<table>" + found.group(0)).rows if row]


def test_the_table_the_funnel_and_the_words_agree_council_by_council(table: pd.DataFrame, index: str) -> None:
    latest = table[(table["wave"] == 2) & (table["area_type"] == "council")]
    rows = _section(index, "% satisfied with the local area")
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    column = header.index("Compared with all councils")
    called = 0
    for _, row in latest[latest["indicator"] == "satisfied_area"].iterrows():
        words = body[row["area"]][column]
        outside = row["funnel"] not in ("within", "")
        assert words.startswith(("Higher", "Lower")) == outside, (row["area"], words, row["funnel"])
        assert outside == (row["vs_consortium_verdict"] in ("higher", "lower"))
        called += outside
    assert called, "the demo has a council that differs, so the agreement is tested on both sides"


def test_the_page_says_which_question_each_judgement_answers(index: str) -> None:
    text = audit_page(index).text
    assert "answer one question, whether a council differs from all councils, with one test" in text
    assert "A council outside the funnel's inner limits is exactly one the table calls higher or lower" in text
    assert "Rank intervals answer a different question" in text
    assert "still spans most or all positions" in text


def test_a_higher_council_with_a_full_rank_interval_is_explained(table: pd.DataFrame, index: str) -> None:
    latest = table[(table["wave"] == 2) & (table["indicator"] == "satisfied_area") & (table["area_type"] == "council")]
    wide = latest[latest["vs_consortium_verdict"].isin(["higher", "lower"])
                  & (latest["rank_upper"] - latest["rank_lower"] + 1 == len(latest))]
    assert len(wide), "the demo shows the case the issue reported: higher than all councils, ranks 1 to 5 of 5"
    assert "can be higher or lower than all councils while its rank interval still spans" in audit_page(index).text


def test_rank_one_is_the_best_and_anxiety_says_lower_is_better(table: pd.DataFrame, index: str) -> None:
    anxiety = _section(index, "Mean anxiety yesterday")
    assert "Rank interval (1 = best)" in anxiety[0]
    assert "Lower is better for this measure: rank 1 is the lowest value." in index
    assert "Higher is better for this measure: rank 1 is the highest value." in index
    rows = table[(table["wave"] == 2) & (table["indicator"] == "mean_anxious") & (table["area_type"] == "council")]
    best = rows.loc[rows["estimate"].idxmin()]
    assert best["rank"] == 1 and best["rank_lower"] == 1


def test_new_and_reworded_measures_say_so(index: str) -> None:
    swemwbs = _section(index, "Mean mental wellbeing")
    column = swemwbs[0].index("Change since previous wave")
    assert {r[column] for r in swemwbs[1:]} == {"New in this wave"}
    informed = _section(index, "% feel very or fairly well informed")
    assert {r[column] for r in informed[1:]} == {"Not comparable: wording changed"}
    assert "Not comparable (question changed)" not in index


def test_polarity_changes_the_words() -> None:
    assert verdict_text("higher", 0.039, "share", "higher_is_better") == "Higher, better (+3.9 points)"
    assert verdict_text("higher", 0.039, "share", "lower_is_better") == "Higher, worse (+3.9 points)"
    assert verdict_text("higher", 0.039, "share", "neutral") == "Higher (+3.9 points)"
    assert verdict_text("lower", -0.2, "mean", "lower_is_better") == "Lower, better (\u22120.20)"
    assert change_text("up", 0.3, "mean", "lower_is_better", "comparable") == "Up, worse (+0.30)"
    assert change_text("not comparable", None, "share", "neutral", "routing changed") == \
        "Not comparable: asked of a different group"


def test_polarity_changes_the_rank_order_and_the_page(table: pd.DataFrame, tmp_path: Path) -> None:
    one = table[(table["wave"] == 2) & (table["indicator"] == "satisfied_area")].copy()
    one.attrs = dict(table.attrs)
    flipped = one.assign(polarity="lower_is_better")
    councils = one["area_type"] == "council"
    ranks = rs.rank_intervals(one.loc[councils, "estimate"], one.loc[councils, "se"], polarity="lower_is_better")
    assert ranks["rank"].tolist() == (len(ranks) + 1 - one.loc[councils, "rank"]).astype(int).tolist()
    page = Path(rs.write_html_report(flipped, tmp_path)[0]).read_text(encoding="utf-8")
    assert "Lower is better for this measure" in page
    higher = one.loc[councils & (one["vs_consortium_verdict"] == "higher"), "area"]
    assert len(higher)
    rows = {r[0]: r for r in _section(page, "% satisfied with the local area")[1:]}
    assert all(rows[a][4].startswith("Higher, worse") for a in higher)
    assert re.search(r'<td [^>]*class="worse"[^>]*>Higher, worse', page)


def test_under_holm_the_page_says_the_table_may_call_more_councils(table: pd.DataFrame) -> None:
    notes = significance_notes(table, 0.95, {"adjust": "holm", "rank_method": "joint"})
    assert "the funnel's limits use Bonferroni's stricter rule" in notes[0]
    assert "the table may call others higher or lower too" in notes[0]
    assert "no allowance for comparing several councils" in significance_notes(table, 0.95, {"adjust": "none"})[0]
