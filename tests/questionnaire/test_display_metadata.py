"""Indicator polarity and unit: declared inline in new files, or in an annotations file beside a published one.

A published questionnaire is pinned by its sha256 (test_load.PUBLISHED); the annotations file adds
display metadata without changing it, and is itself pinned to the exact content it describes.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from residentsurvey.errors import QuestionnaireError
from residentsurvey.questionnaire import POLARITIES, UNITS, indicator_comparability, load_questionnaire
from residentsurvey.questionnaire.load import SHIPPED, from_text
from residentsurvey.questionnaire.registries import is_unit, unit_text

from .test_load import HEADER, PUBLISHED, QUESTION

SCALE = """\
      - id: q2
        wording: How anxious did you feel yesterday?
        type: scale
        range: [0, 10]
        source: local
indicators:
  - {id: share_yes, label: "% yes", kind: share, item: q1, codes: [1]}
  - {id: mean_anxious, label: Mean anxiety, kind: mean, item: q2}
"""


def load(text: str):
    return from_text(textwrap.dedent(text), name="test.yaml")


def test_published_files_keep_their_hash_and_gain_polarity_and_unit_from_annotations() -> None:
    for name, digest in PUBLISHED.items():
        assert hashlib.sha256((SHIPPED / f"{name}.yaml").read_bytes()).hexdigest() == digest
        q = load_questionnaire(name)
        assert q.annotations_sha256, name
        assert all(i.polarity in POLARITIES and is_unit(i.unit) for i in q.indicators), name
    v2 = load_questionnaire("core-v2")
    assert (v2.indicator("mean_anxious").polarity, v2.indicator("mean_anxious").unit) == ("lower_is_better", "score_0_10")
    assert v2.indicator("share_high_anxiety").polarity == "lower_is_better"
    assert (v2.indicator("satisfied_area").polarity, v2.indicator("satisfied_area").unit) == ("higher_is_better", "percent")
    assert v2.indicator("mean_swemwbs").unit == "score_7_35"  # not read from the label
    nb = load_questionnaire("northbridge-v1")
    assert nb.indicator("mean_anxious") == v2.indicator("mean_anxious")  # inherited with its annotations
    assert (nb.indicator("nb_mean_visits").polarity, nb.indicator("nb_mean_visits").unit) == ("neutral", "count")
    own = (SHIPPED / "annotations" / "northbridge-v1.yaml").read_bytes()
    assert nb.annotations_sha256 == hashlib.sha256(v2.annotations_sha256.encode() + own).hexdigest()


def test_inline_declarations_and_defaults() -> None:
    q = load(HEADER + QUESTION + SCALE)
    assert (q.indicator("share_yes").polarity, q.indicator("share_yes").unit) == ("neutral", "percent")
    assert q.indicator("mean_anxious").unit == "score_0_10"  # the item's declared range, not the label
    q = load(HEADER + QUESTION + SCALE.replace("kind: mean, item: q2}",
                                               "kind: mean, item: q2, polarity: lower_is_better, unit: score_0_10}"))
    assert q.indicator("mean_anxious").polarity == "lower_is_better"
    assert q.annotations_sha256 == ""
    assert unit_text("percent") == "%" and unit_text("score_1_7") == "1-7" and unit_text("count") == ""
    assert set(UNITS) >= {"percent", "score_0_10", "score_7_35"}


@pytest.mark.parametrize("change, message", [
    ("polarity: up", r"test\.yaml:\d+ indicators\[1\]\.polarity: 'up' is not a known polarity; use one of "
                     r"'higher_is_better', 'lower_is_better', 'neutral'"),
    ("unit: stars", r"indicators\[1\]\.unit: 'stars' is not a known unit; use one of 'percent', .*score_<low>_<high>"),
    ("unit: score_10_0", r"indicators\[1\]\.unit: 'score_10_0' is not a known unit"),
    ("unit: percent", r"indicators\[1\]\.unit: a mean indicator is measured in a score or count, not percent; "
                      r"found 'percent'"),
])
def test_bad_polarity_or_unit_names_the_line_and_the_valid_values(change: str, message: str) -> None:
    with pytest.raises(QuestionnaireError, match=message):
        load(HEADER + QUESTION + SCALE.replace("kind: mean, item: q2}", f"kind: mean, item: q2, {change}}}"))


def _copy_with_annotations(tmp_path: Path, text: str) -> Path:
    """core-v1 copied into tmp_path with the given annotations file."""
    shutil.copy(SHIPPED / "core-v1.yaml", tmp_path / "core-v1.yaml")
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "core-v1.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "core-v1.yaml"


def _shipped_annotations() -> str:
    return (SHIPPED / "annotations" / "core-v1.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("sha256: 50ad", "sha256: 00ad"),
     r"annotations/core-v1\.yaml:\d+ sha256: the annotations were written for content sha256 00ad1265f799\.\.\., but "
     r"core-v1 now has sha256 50ad1265f799"),
    (lambda t: t.replace("annotates: core-v1", "annotates: core-v2"),
     r"annotations/core-v1\.yaml:\d+ annotates: this file annotates 'core-v2' but sits beside 'core-v1'"),
    (lambda t: t.replace("  mean_anxious:", "  mean_anxius:"),
     r"indicators\.mean_anxius: unknown key 'mean_anxius'; allowed keys here are satisfied_area"),
    (lambda t: t.replace("{polarity: lower_is_better, unit: score_0_10}", "{polarity: lower}"),
     r"indicators\.mean_anxious\.polarity: 'lower' is not a known polarity"),
    (lambda t: t.replace("{polarity: lower_is_better, unit: score_0_10}", "{polarity: lower_is_better, codes: [1]}"),
     r"indicators\.mean_anxious\.codes: unknown key 'codes'; allowed keys here are polarity, unit"),
    (lambda t: "\n".join(line for line in t.splitlines() if "influence:" not in line),
     r"annotations/core-v1\.yaml:\d+ indicators: no annotation for 'influence'; every indicator of core-v1 needs one"),
])
def test_annotations_must_match_the_file_they_describe(tmp_path: Path, edit, message: str) -> None:
    path = _copy_with_annotations(tmp_path, edit(_shipped_annotations()))
    with pytest.raises(QuestionnaireError, match=message):
        load_questionnaire(path)


def test_annotations_describe_only_the_files_own_indicators(tmp_path: Path) -> None:
    for name in ("core-v2", "northbridge-v1"):
        shutil.copy(SHIPPED / f"{name}.yaml", tmp_path / f"{name}.yaml")
    (tmp_path / "annotations").mkdir()
    shutil.copy(SHIPPED / "annotations" / "core-v2.yaml", tmp_path / "annotations" / "core-v2.yaml")
    text = (SHIPPED / "annotations" / "northbridge-v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "annotations" / "northbridge-v1.yaml").write_text(
        text + "  mean_anxious: {polarity: higher_is_better}\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"indicators\.mean_anxious: 'mean_anxious' is inherited from core-v2; "
                                                 r"annotate it in that questionnaire's annotations file"):
        load_questionnaire(tmp_path / "northbridge-v1.yaml")
    # without an annotations file, a copied questionnaire loads with the defaults
    shutil.copy(SHIPPED / "core-v1.yaml", tmp_path / "core-v1.yaml")
    plain = load_questionnaire(tmp_path / "core-v1.yaml")
    assert plain.sha256 == load_questionnaire("core-v1").sha256 and plain.annotations_sha256 == ""
    assert plain.indicator("mean_anxious").polarity == "neutral"


def test_comparability_words_come_from_the_diff() -> None:
    v1, v2 = load_questionnaire("core-v1"), load_questionnaire("core-v2")
    words = dict(zip(*indicator_comparability(v1, v2)[["id", "comparability"]].T.values))
    assert words["mean_swemwbs"] == "new in this wave"          # not "not comparable"
    assert words["informed"] == "wording changed"               # q_informed reworded
    assert words["safe_after_dark"] == "comparable after recoding"
    assert words["volunteered_formal"] == "routing changed"     # now asked only of those in groups
    assert words["cohesion"] == "comparable"                    # declared a minor rewording
    assert words["satisfied_area"] == "comparable"
    assert list(indicator_comparability(v1, v2)["id"]) == [i.id for i in v2.indicators]
    same = indicator_comparability(v2, v2)
    assert set(same["comparability"]) == {"comparable"}


def test_a_changed_code_frame_without_a_recode_map_is_answer_options_changed() -> None:
    text = HEADER + QUESTION + "indicators:\n  - {id: share_yes, label: \"% yes\", kind: share, item: q1, codes: [1]}\n"
    old = load(text)
    new = load(text.replace("version: 1", "version: 2").replace('2: "No"', '2: "No", 3: "Maybe"'))
    table = indicator_comparability(old, new)
    assert table["comparability"].tolist() == ["answer options changed"]
    assert "q1:" in table["detail"].iloc[0]
