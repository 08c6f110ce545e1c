"""The words a report prints about significance, ranks and comparability, from one place.

Every renderer takes its verdict words, rank direction and comparability words from here, so the
table, the charts and the notes tell one story: "Higher, better (+3.9 points)" where higher is
better, "Higher, worse" where lower is better (anxiety), and plain "Higher" where neither is.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ._format import difference_text

__all__ = ["VERDICT_WORDS", "COMPARABILITY_WORDS", "judgement", "verdict_text", "change_text", "rank_one",
           "rank_header", "direction_sentence", "judgement_class", "significance_notes"]

#: Table words for each verdict of the indicator table.
VERDICT_WORDS: dict[str, str] = {
    "higher": "Higher", "lower": "Lower", "no significant difference": "No significant difference",
    "up": "Up", "down": "Down", "no significant change": "No significant change",
    "new in this wave": "New in this wave", "not comparable": "Not comparable",
}
#: Why a change is or is not tested, from the questionnaire diff (``comparability`` column).
COMPARABILITY_WORDS: dict[str, str] = {
    "comparable": "comparable",
    "comparable after recoding": "comparable after recoding",
    "new in this wave": "new in this wave",
    "wording changed": "wording changed (not comparable)",
    "answer options changed": "answer options changed (not comparable)",
    "routing changed": "asked of a different group (not comparable)",
    "definition changed": "definition changed (not comparable)",
}
_MOVES = {"higher": 1, "up": 1, "lower": -1, "down": -1}


def judgement(verdict: str, polarity: str) -> str:
    """``"better"``, ``"worse"`` or ``""``: what a significant move means for an indicator of this polarity.

    Examples
    --------
    >>> judgement("higher", "lower_is_better"), judgement("down", "lower_is_better"), judgement("higher", "neutral")
    ('worse', 'better', '')
    """
    move = _MOVES.get(verdict, 0)
    if not move or polarity not in ("higher_is_better", "lower_is_better"):
        return ""
    return "better" if (move > 0) == (polarity == "higher_is_better") else "worse"


def judgement_class(verdict: str, polarity: str) -> tuple[str, ...]:
    """CSS classes for a verdict cell: ``("better",)``, ``("worse",)`` or none (words carry it; colour only adds)."""
    word = judgement(verdict, polarity)
    return (word,) if word else ()


def verdict_text(verdict: str, difference: object, statistic: str, polarity: str = "neutral") -> str:
    """A comparison with all councils in words, e.g. ``"Higher, better (+3.9 points)"``; ``"–"`` when blank.

    Examples
    --------
    >>> verdict_text("higher", 0.039, "share", "higher_is_better")
    'Higher, better (+3.9 points)'
    >>> verdict_text("higher", 0.15, "mean", "lower_is_better")
    'Higher, worse (+0.15)'
    >>> verdict_text("no significant difference", 0.01, "share", "lower_is_better")
    'No significant difference (+1.0 points)'
    """
    if not verdict:
        return "–"
    words = VERDICT_WORDS.get(verdict, verdict)
    better = judgement(verdict, polarity)
    if better:
        words += f", {better}"
    amount = difference_text(difference, statistic)
    return f"{words} ({amount})" if amount else words


def change_text(verdict: str, change: object, statistic: str, polarity: str = "neutral",
                comparability: str = "") -> str:
    """A change since the previous wave in words, naming why it is not tested or how it was made comparable.

    Examples
    --------
    >>> change_text("not comparable", None, "share", comparability="wording changed")
    'Not comparable: wording changed'
    >>> change_text("new in this wave", None, "mean")
    'New in this wave'
    >>> change_text("down", -0.021, "share", "higher_is_better", "comparable after recoding")
    'Down, worse (−2.1 points; comparable after recoding)'
    """
    if verdict == "not comparable":
        reason = COMPARABILITY_WORDS.get(comparability, "")
        return "Not comparable: " + reason.replace(" (not comparable)", "") if reason else "Not comparable"
    text = verdict_text(verdict, change, statistic, polarity)
    if comparability == "comparable after recoding" and verdict not in ("", "new in this wave"):
        text = text[:-1] + "; comparable after recoding)" if text.endswith(")") else text + " (comparable after recoding)"
    return text


def rank_one(polarity: str) -> str:
    """What rank 1 means: ``"best"`` when a direction is better, else ``"highest"``."""
    return "best" if polarity in ("higher_is_better", "lower_is_better") else "highest"


def rank_header(polarity: str) -> str:
    """The rank column's header, e.g. ``"Rank interval (1 = best)"``."""
    return f"Rank interval (1 = {rank_one(polarity)})"


def direction_sentence(polarity: str) -> str:
    """One sentence on which direction is better and what rank 1 is.

    Examples
    --------
    >>> direction_sentence("lower_is_better")
    'Lower is better for this measure: rank 1 is the lowest value.'
    """
    return {"higher_is_better": "Higher is better for this measure: rank 1 is the highest value.",
            "lower_is_better": "Lower is better for this measure: rank 1 is the lowest value."}.get(
        polarity, "Neither higher nor lower is better for this measure: rank 1 is simply the highest value.")


def _level(level: float) -> str:
    return f"{level * 100:.10g}%"


def significance_notes(table: pd.DataFrame, level: float, attrs: Mapping[str, object] | None = None) -> list[str]:
    """The sentences that say which question each judgement answers, and on what basis.

    The comparison with all councils and the funnel plot answer one question on one basis; rank
    intervals answer another. ``attrs`` (default ``table.attrs``) gives ``adjust`` and ``rank_method``.
    """
    attrs = table.attrs if attrs is None else attrs
    adjust = str(attrs.get("adjust") or "bonferroni")
    lv = _level(level)
    rule = {"bonferroni": "Bonferroni's rule", "holm": "Holm's rule", "bh": "the Benjamini-Hochberg rule"}.get(adjust)
    if adjust == "none":
        same = (f"The table's \"Compared with all councils\" and the funnel plot answer one question, whether a "
                f"council differs from all councils, with one test: the same difference, the same standard error "
                f"(which allows for the council being part of all councils) and the same {lv} level, with no "
                "allowance for comparing several councils. A council outside the funnel's inner limits is exactly "
                "one the table calls higher or lower.")
    elif adjust == "bonferroni":
        same = (f"The table's \"Compared with all councils\" and the funnel plot answer one question, whether a "
                f"council differs from all councils, with one test: the same difference, the same standard error "
                f"(which allows for the council being part of all councils), the same {lv} level and the same "
                "allowance for comparing every council at once (Bonferroni's rule). A council outside the "
                "funnel's inner limits is exactly one the table calls higher or lower.")
    else:
        same = (f"The table's \"Compared with all councils\" and the funnel plot answer one question, whether a "
                f"council differs from all councils, with the same difference, standard error and {lv} level. "
                f"The table allows for comparing every council at once by {rule or adjust}, which a funnel cannot "
                "draw, so the funnel's limits use Bonferroni's stricter rule: every council outside them is called "
                "higher or lower in the table, and the table may call others higher or lower too.")
    basis = {"joint": ", and the intervals allow for every pair of councils being compared at once",
             "marginal": ", and each interval allows for that council being compared with every other",
             "simulation": ""}.get(str(attrs.get("rank_method") or "joint"), "")
    ranks = ("Rank intervals answer a different question: where a council stands among the councils, from "
             "comparing it with each other council rather than with all councils together. Telling two councils "
             f"apart needs more evidence{basis}, so a council can be higher or lower than all councils while its "
             "rank interval still spans most or all positions.")
    return [same, ranks]
