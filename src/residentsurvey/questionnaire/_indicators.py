"""Parsing indicators: named derived measures the analysis layer estimates."""

from __future__ import annotations

from ._fields import Fields
from .model import Indicator, Questionnaire, _unknown

#: Kinds of indicator, the keys each takes, and what it estimates.
INDICATOR_KINDS: dict[str, str] = {
    "share": "share of the base answering one of codes (e.g. % very or fairly satisfied)",
    "mean": "mean of a numeric or scale item, excluded codes left out",
    "scale": "a statistic (mean, or share in bands) of an instrument's score, computed by the scales module",
}
_INDICATOR_KEYS = {
    "share": ("item", "codes", "exclude", "base", "routed_out"),
    "mean": ("item", "exclude"),
    "scale": ("instrument", "statistic", "score", "bands"),
}


def parse_indicators(f: Fields, doc: dict, q: Questionnaire, base: Questionnaire | None) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    known = [i.id for i in base.indicators] if base else []
    for i, raw_ind in enumerate(f.sequence(doc.get("indicators", []), ("indicators",), what="indicators", empty=True)):
        path = ("indicators", i)
        if not isinstance(raw_ind, dict):
            raise f.error(path, "expected an indicator: a mapping with id, label, kind and its fields.")
        kind = f.choice(raw_ind.get("kind"), (*path, "kind"), INDICATOR_KINDS, what="indicator kind")
        required = ("id", "label", "kind") + {"share": ("item", "codes"), "mean": ("item",),
                                              "scale": ("instrument", "statistic")}[kind]
        raw = f.mapping(raw_ind, path, required=required, allowed=("id", "label", "kind", "note") + _INDICATOR_KEYS[kind])
        iid = f.slug(raw["id"], (*path, "id"), what="an indicator id")
        if iid in known:
            raise f.error((*path, "id"), f"indicator id {iid!r} is used twice.")
        known.append(iid)
        item, codes, exclude, base_kind, routed_out = None, (), None, "valid", "exclude"
        if kind in ("share", "mean"):
            item = f.slug(raw["item"], (*path, "item"), what="a question id")
            if item not in {x.id for x in q.questions}:
                raise f.error((*path, "item"), _unknown("question", item, [x.id for x in q.questions], q.id))
            question = q.question(item)
            allowed = {"share": ("single", "multiple", "scale"), "mean": ("numeric", "scale")}[kind]
            if question.type not in allowed:
                raise f.error((*path, "item"), f"a {kind} indicator needs a {' or '.join(allowed)} question; "
                                               f"{item!r} is {question.type}.")
            valid = set(question.labels) | set(question.substantive_codes)
            for key in ("codes", "exclude"):
                if key in raw:
                    listed = f.codes(raw[key], (*path, key))
                    for j, code in enumerate(listed):
                        if code not in valid:
                            raise f.error((*path, key, j), f"code {code} is not in {item!r}'s code frame "
                                                           f"({', '.join(map(str, sorted(valid)))}).")
                    if key == "codes":
                        codes = listed
                    else:
                        exclude = listed
            base_kind = f.choice(raw.get("base", "valid"), (*path, "base"), {"valid": "", "all": ""}, what="base")
            routed_out = f.choice(raw.get("routed_out", "exclude"), (*path, "routed_out"),
                                  {"exclude": "", "count_as_other": ""}, what="treatment of routed-out respondents")
        instrument = statistic = score = None
        bands: tuple[str, ...] = ()
        if kind == "scale":
            instrument = f.slug(raw["instrument"], (*path, "instrument"), what="an instrument id")
            if not q.instrument_items(instrument):
                used = sorted({x.instrument for x in q.questions if x.instrument})
                raise f.error((*path, "instrument"), f"no question belongs to instrument {instrument!r}; instruments "
                                                     f"here: {', '.join(used) or 'none'}.")
            statistic = f.choice(raw["statistic"], (*path, "statistic"), {"mean": "", "share": ""}, what="statistic")
            score = f.text(raw["score"], (*path, "score")) if "score" in raw else None
            if "bands" in raw:
                items = f.sequence(raw["bands"], (*path, "bands"), what="band names")
                bands = tuple(f.text(b, (*path, "bands", j)) for j, b in enumerate(items))
            if statistic == "share" and not bands:
                raise f.error(path, "a share of a scale needs bands: the band names whose share is estimated.")
        out.append(Indicator(iid, f.text(raw["label"], (*path, "label")), kind, item, codes, exclude, base_kind,
                             routed_out, instrument, statistic, score, bands,
                             f.text(raw["note"], (*path, "note")) if "note" in raw else "", f.line(path)))
    return tuple(out)
