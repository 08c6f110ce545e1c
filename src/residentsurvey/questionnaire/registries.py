"""Registries of the questionnaire format: the names a YAML file may use, each with what it means."""

from __future__ import annotations

#: Question types and the values a return may hold for each.
QUESTION_TYPES: dict[str, str] = {
    "single": "single choice: one code from the code frame",
    "multiple": "multiple choice: one 0/1 column per option, named <id>_<code>",
    "numeric": "a number within range (integer unless integer: false)",
    "scale": "a whole number on a scale, 0-10 unless range says otherwise, plus any missing codes",
    "text": "free text, not checked beyond being present when required",
}
#: Kinds of code that mean "no substantive answer"; excluded from indicator bases by default.
MISSING_KINDS: dict[str, str] = {
    "dont_know": "Don't know",
    "refused": "Refused / prefer not to say",
    "not_applicable": "Not applicable",
}
#: Where a question comes from.
SOURCE_BODIES: dict[str, str] = {
    "LGA": "Local Government Association, 'Are you being served?' / resident satisfaction question set",
    "ONS": "Office for National Statistics (ONS4 personal well-being, harmonised standards)",
    "CLS": "Community Life Survey (DCMS)",
    "Place Survey": "Place Survey 2008 (CLG / Audit Commission)",
    "Warwick": "Warwick Medical School (WEMWBS / SWEMWBS, licensed)",
    "local": "written for this consortium or council",
}
#: How far a wording has been checked against its primary source (see standards.md).
VERIFICATION: dict[str, str] = {
    "verified": "read in the primary source",
    "partly": "part of the wording, or only secondary copies, were checked",
    "unverified": "from domain knowledge; check against the primary document before publishing",
}
#: Lifecycle of a questionnaire file.
STATUSES: dict[str, str] = {
    "draft": "may still change",
    "published": "in the field or used for results: never edit, publish a new version instead",
    "withdrawn": "kept for the record, not to be used for new fieldwork",
}
#: Survey modes a returns file may record.
MODES: dict[str, str] = {
    "postal": "self-completion paper questionnaire",
    "online": "self-completion web questionnaire",
    "telephone": "interviewer-administered by telephone (LGA benchmarking mode)",
    "face_to_face": "interviewer-administered in person",
}
#: Which direction of an indicator is better: ranks put the best first, and words say better or worse.
POLARITIES: dict[str, str] = {
    "higher_is_better": "a higher value is better (e.g. % satisfied): rank 1 is the highest",
    "lower_is_better": "a lower value is better (e.g. anxiety): rank 1 is the lowest",
    "neutral": "neither direction is better (e.g. visits a month): rank 1 is the highest, and no value is called "
               "better or worse",
}
#: What an indicator's number is measured in, and how a reader sees it. Besides these, any
#: ``score_<low>_<high>`` (whole numbers, low < high) names a score on that range, e.g. ``score_1_7``.
UNITS: dict[str, str] = {
    "percent": "per cent of the base (every share indicator)",
    "score_0_10": "a score from 0 to 10 (ONS personal well-being)",
    "score_0_100": "a score from 0 to 100",
    "score_7_35": "a score from 7 to 35 (SWEMWBS metric score)",
    "score_14_70": "a score from 14 to 70 (WEMWBS)",
    "count": "a count, such as visits in a month",
}
#: Comparability verdicts, from best to worst.
VERDICTS: tuple[str, ...] = ("comparable", "comparable after recoding", "not comparable")


def unit_text(unit: str) -> str:
    """How a unit is shown beside a number: ``"%"`` for ``percent``, ``"0-10"`` for ``score_0_10``, else ``""``.

    Examples
    --------
    >>> unit_text("percent"), unit_text("score_7_35"), unit_text("count")
    ('%', '7-35', '')
    """
    if unit == "percent":
        return "%"
    if unit.startswith("score_"):
        return unit[len("score_"):].replace("_", "-")
    return ""


def is_unit(value: object) -> bool:
    """True for a name in :data:`UNITS` or of the form ``score_<low>_<high>`` with low < high."""
    if not isinstance(value, str):
        return False
    if value in UNITS:
        return True
    parts = value.split("_")
    return (len(parts) == 3 and parts[0] == "score" and parts[1].isdigit() and parts[2].isdigit()
            and int(parts[1]) < int(parts[2]))


def worst(*verdicts: str) -> str:
    """The least comparable of the given verdicts."""
    return max(verdicts, key=VERDICTS.index, default=VERDICTS[0])
