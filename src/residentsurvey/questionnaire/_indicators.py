"""Parsing indicators: named derived measures the analysis layer estimates."""

from __future__ import annotations

from dataclasses import replace

from ._fields import Fields
from ._yaml import Path
from .model import Indicator, Questionnaire, _unknown
from .registries import POLARITIES, UNITS, is_unit

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
        raw = f.mapping(raw_ind, path, required=required, allowed=("id", "label", "kind", "note", "polarity", "unit") + _INDICATOR_KEYS[kind])
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
        indicator = Indicator(iid, f.text(raw["label"], (*path, "label")), kind, item, codes, exclude, base_kind,
                              routed_out, instrument, statistic, score, bands,
                              f.text(raw["note"], (*path, "note")) if "note" in raw else "", f.line(path))
        out.append(with_display(f, indicator, raw, path, q))
    return tuple(out)


def with_display(f: Fields, indicator: Indicator, raw: dict, path: Path, q: Questionnaire) -> Indicator:
    """The indicator with the ``polarity`` and ``unit`` that ``raw`` declares, checked; undeclared ones defaulted.

    Used for the indicators of a questionnaire file and for those its annotations file describes.
    """
    polarity = (f.choice(raw["polarity"], (*path, "polarity"), POLARITIES, what="polarity")
                if "polarity" in raw else indicator.polarity)
    unit = indicator.unit
    if "unit" in raw:
        unit = raw["unit"]
        if not is_unit(unit):
            raise f.error((*path, "unit"), f"{unit!r} is not a known unit; use one of "
                                           f"{', '.join(repr(k) for k in UNITS)}, or score_<low>_<high> such as "
                                           "'score_1_7'.")
    share = indicator.kind == "share" or (indicator.kind == "scale" and indicator.statistic == "share")
    if not unit:
        unit = "percent" if share else _item_range(indicator, q)
    elif share != (unit == "percent"):
        raise f.error((*path, "unit"), f"a {'share' if share else 'mean'} indicator is measured in "
                                       f"{'percent' if share else 'a score or count, not percent'}; found {unit!r}.")
    return replace(indicator, polarity=polarity, unit=unit)


def _item_range(indicator: Indicator, q: Questionnaire) -> str:
    """``score_<low>_<high>`` for the mean of a scale item with a whole-number range, else ``""``."""
    if indicator.kind != "mean" or indicator.item is None:
        return ""
    question = q.question(indicator.item)
    if question.type != "scale" or question.range is None:
        return ""
    low, high = question.range
    return f"score_{low:g}_{high:g}" if float(low).is_integer() and float(high).is_integer() and low >= 0 else ""
