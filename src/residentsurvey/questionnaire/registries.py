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
#: Comparability verdicts, from best to worst.
VERDICTS: tuple[str, ...] = ("comparable", "comparable after recoding", "not comparable")


def worst(*verdicts: str) -> str:
    """The least comparable of the given verdicts."""
    return max(verdicts, key=VERDICTS.index, default=VERDICTS[0])
