"""Parsing one question (code frame, range, routing, source, previous version) from YAML."""

from __future__ import annotations

from ._fields import Fields
from ._yaml import Path
from .model import MISSING_KINDS, QUESTION_TYPES, SOURCE_BODIES, Code, Previous, Question, Source
from .routing import ROUTING_OPERATORS, Condition

QUESTION_KEYS = ("id", "wording", "type", "codes", "missing", "range", "integer", "required", "asked_if",
                 "instrument", "instrument_item", "grid", "source", "previous", "note")
_VERIFIED = {True: "verified", False: "unverified", "partly": "partly", "verified": "verified",
             "unverified": "unverified"}


def parse_question(f: Fields, value: object, path: Path, *, module: str, licensed: bool) -> Question:
    raw = f.mapping(value, path, required=("id", "type", "source"), allowed=QUESTION_KEYS)
    qid = f.slug(raw["id"], (*path, "id"), what="a question id")
    qtype = f.choice(raw["type"], (*path, "type"), QUESTION_TYPES, what="question type")
    if "wording" in raw:
        wording: str | None = f.text(raw["wording"], (*path, "wording"), what="the question wording")
    elif licensed:
        wording = None
    else:
        raise f.error(path, f"question {qid!r} has no wording; only questions in a module with a licence "
                            "(whose wording is supplied by the licence holder) may leave it out.")
    codes = _code_frame(f, raw, path, qtype)
    value_range = _range(f, raw, path, qtype, codes)
    for code in codes:
        if value_range and not code.missing and qtype == "scale" and not value_range[0] <= code.code <= value_range[1]:
            raise f.error((*path, "codes", code.code),
                          f"code {code.code} is outside the scale {value_range[0]:g}-{value_range[1]:g}; declare it "
                          "under missing if it means don't know, refused or not applicable.")
    integer = f.boolean(raw.get("integer", True), (*path, "integer"))
    if "integer" in raw and qtype != "numeric":
        raise f.error((*path, "integer"), "integer applies to numeric questions only.")
    return Question(
        id=qid, wording=wording, type=qtype, module=module, codes=codes, range=value_range, integer=integer,
        required=f.boolean(raw.get("required", False), (*path, "required")),
        asked_if=parse_condition(f, raw["asked_if"], (*path, "asked_if")) if "asked_if" in raw else None,
        instrument=f.slug(raw["instrument"], (*path, "instrument"), what="an instrument id")
        if "instrument" in raw else None,
        instrument_item=f.text(raw["instrument_item"], (*path, "instrument_item")) if "instrument_item" in raw else None,
        grid=f.slug(raw["grid"], (*path, "grid"), what="a grid id") if "grid" in raw else None,
        source=_source(f, raw["source"], (*path, "source")),
        previous=_previous(f, raw["previous"], (*path, "previous"), qid, codes) if "previous" in raw else None,
        note=f.text(raw["note"], (*path, "note")) if "note" in raw else "",
        line=f.line(path),
    )


def _code_frame(f: Fields, raw: dict, path: Path, qtype: str) -> tuple[Code, ...]:
    if qtype in ("single", "multiple") and "codes" not in raw:
        raise f.error(path, f"a {qtype} choice question needs codes: a mapping of code to label.")
    if qtype == "text" and ("codes" in raw or "missing" in raw):
        raise f.error((*path, "codes" if "codes" in raw else "missing"), "free-text questions have no code frame.")
    if "codes" not in raw:
        if "missing" in raw:
            raise f.error((*path, "missing"), "missing codes must also be listed, with their labels, under codes.")
        return ()
    frame = raw["codes"]
    if not isinstance(frame, dict) or not frame:
        raise f.error((*path, "codes"), "expected a mapping of whole-number codes to labels, e.g. {1: Yes, 2: 'No'}.")
    labels: dict[int, str] = {}
    for code, label in frame.items():
        where = (*path, "codes", code)
        labels[f.integer(code, where, what="a whole-number code")] = f.text(label, where, what="a label")
    seen: dict[str, int] = {}
    for code, label in labels.items():
        key = label.strip().casefold()
        if key in seen:
            raise f.error((*path, "codes", code), f"label {label!r} is used for codes {seen[key]} and {code}.")
        seen[key] = code
    kinds: dict[int, str] = {}
    if "missing" in raw:
        declared = raw["missing"]
        if not isinstance(declared, dict):
            raise f.error((*path, "missing"), "expected a mapping of code to kind, e.g. {9: dont_know}.")
        for code, kind in declared.items():
            where = (*path, "missing", code)
            f.integer(code, where, what="a whole-number code")
            if code not in labels:
                raise f.error(where, f"code {code} is not in the code frame ({', '.join(map(str, labels))}).")
            kinds[code] = f.choice(kind, where, MISSING_KINDS, what="kind of missing code")
    return tuple(Code(code, label, kinds.get(code)) for code, label in labels.items())


def _range(f: Fields, raw: dict, path: Path, qtype: str, codes: tuple[Code, ...]) -> tuple[float, float] | None:
    if qtype in ("single", "multiple", "text"):
        if "range" in raw:
            raise f.error((*path, "range"), f"range applies to numeric and scale questions, not {qtype}.")
        return None
    if "range" not in raw:
        if qtype == "scale":
            return (0.0, 10.0)
        raise f.error(path, "a numeric question needs range: [smallest, largest] valid value.")
    bounds = f.sequence(raw["range"], (*path, "range"), what="two numbers [smallest, largest]")
    if len(bounds) != 2:
        raise f.error((*path, "range"), f"expected [smallest, largest]; found {len(bounds)} values.")
    low, high = (f.number(b, (*path, "range", i)) for i, b in enumerate(bounds))
    if low > high:
        raise f.error((*path, "range"), f"smallest value {low:g} is above largest {high:g}.")
    if qtype == "scale" and (low != int(low) or high != int(high) or high - low > 100):
        raise f.error((*path, "range"), "a scale runs between two whole numbers at most 100 apart.")
    return (low, high)


def _source(f: Fields, value: object, path: Path) -> Source:
    if isinstance(value, str):
        return Source(f.choice(value, path, SOURCE_BODIES, what="source"))
    raw = f.mapping(value, path, required=("body",), allowed=("body", "reference", "verified", "note"))
    verified = raw.get("verified", True)
    known = isinstance(verified, bool) or isinstance(verified, str) and verified in _VERIFIED
    if not known:
        raise f.error((*path, "verified"), f"expected true, false or partly; found {verified!r}.")
    return Source(
        body=f.choice(raw["body"], (*path, "body"), SOURCE_BODIES, what="source"),
        reference=f.text(raw["reference"], (*path, "reference")) if "reference" in raw else "",
        verified=_VERIFIED[verified],
        note=f.text(raw["note"], (*path, "note")) if "note" in raw else "",
    )


def _previous(f: Fields, value: object, path: Path, qid: str, codes: tuple[Code, ...]) -> Previous:
    raw = f.mapping(value, path, required=("version",), allowed=("version", "id", "recode", "wording", "note"))
    recode = None
    if "recode" in raw:
        mapping = raw["recode"]
        if not isinstance(mapping, dict) or not mapping:
            raise f.error((*path, "recode"), "expected a mapping of old code to new code, e.g. {5: 4}.")
        frame = [c.code for c in codes]
        pairs = []
        for old, new in mapping.items():
            where = (*path, "recode", old)
            f.integer(old, where, what="an old code")
            f.integer(new, where, what="a new code")
            if new not in frame:
                raise f.error(where, f"old code {old} is recoded to {new}, which is not in this question's code "
                                     f"frame ({', '.join(map(str, frame))}).")
            pairs.append((old, new))
        recode = tuple(pairs)
    wording = None
    if "wording" in raw:
        wording = f.choice(raw["wording"], (*path, "wording"), {"minor": "", "changed": ""},
                           what="wording change ('minor': trends survive it; 'changed': they do not)")
    return Previous(
        version=f.integer(raw["version"], (*path, "version"), what="an earlier version number"),
        id=f.slug(raw["id"], (*path, "id"), what="a question id") if "id" in raw else qid,
        recode=recode, wording=wording,
        note=f.text(raw["note"], (*path, "note")) if "note" in raw else "",
    )


def parse_condition(f: Fields, value: object, path: Path) -> Condition:
    """A routing condition; references are checked later, when every question is known."""
    if not isinstance(value, dict):
        raise f.error(path, "expected a condition such as {item: q1, in: [1, 2]}, {all: [...]}, {any: [...]} "
                            f"or {{not: ...}}; found {value!r:.60}.")
    ops = [key for key in value if key in ROUTING_OPERATORS]
    if len(ops) != 1:
        raise f.error(path, f"a condition takes exactly one of {', '.join(ROUTING_OPERATORS)}; found "
                            f"{', '.join(map(str, value)) or 'none'}.")
    op = ops[0]
    if op in ("all", "any"):
        f.mapping(value, path, required=(op,), allowed=(op,))
        parts = f.sequence(value[op], (*path, op), what="conditions")
        return Condition(op, parts=tuple(parse_condition(f, p, (*path, op, i)) for i, p in enumerate(parts)))
    if op == "not":
        f.mapping(value, path, required=("not",), allowed=("not",))
        return Condition("not", parts=(parse_condition(f, value["not"], (*path, "not")),))
    f.mapping(value, path, required=("item", op), allowed=("item", op))
    item = f.slug(value["item"], (*path, "item"), what="a question or sample field id")
    if op == "answered":
        return Condition(op, item, (f.boolean(value[op], (*path, op)),))
    listed = f.sequence(value[op], (*path, op), what="codes or values")
    for i, v in enumerate(listed):
        if isinstance(v, (list, dict)) or v is None:
            raise f.error((*path, op, i), f"expected a code or value; found {v!r:.60}.")
    return Condition(op, item, tuple(listed))
