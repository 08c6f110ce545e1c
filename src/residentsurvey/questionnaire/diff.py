"""What changed between two versions of a questionnaire, and whether trends survive it.

:func:`diff` lists every change to every question and indicator with a verdict from
:data:`~residentsurvey.questionnaire.model.VERDICTS`: ``comparable``, ``comparable after
recoding`` (a recode map declared in the newer version expresses the older answers in its
terms) or ``not comparable``. The rules are in docs/questionnaire.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .model import Indicator, Question, Questionnaire, worst

#: Columns of the table :func:`diff` returns.
DIFF_COLUMNS = ("level", "id", "change", "before", "after", "verdict", "overall", "detail")


@dataclass(frozen=True)
class Change:
    """One change to one question or indicator."""

    change: str
    verdict: str
    before: str = ""
    after: str = ""
    detail: str = ""


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _frame_text(q: Question) -> str:
    parts = [f"{c.code} {c.label}" + (f" ({c.missing})" if c.missing else "") for c in q.codes]
    if q.range is not None:
        parts.insert(0, f"range {q.range[0]:g}-{q.range[1]:g}")
    return "; ".join(parts)


def counterpart(old: Questionnaire, q: Question) -> Question | None:
    """The question of ``old`` that ``q`` continues: its ``previous.id`` when declared, else the same id."""
    ids = {x.id for x in old.questions}
    if q.previous is not None and q.previous.id in ids:
        return old.question(q.previous.id)
    return old.question(q.id) if q.id in ids else None


def recode_map(old: Questionnaire, new_q: Question) -> dict[int, int] | None:
    """The recode map ``new_q`` declares from ``old``'s version, or None."""
    prev = new_q.previous
    if prev is None or prev.recode is None or prev.version != old.version:
        return None
    return dict(prev.recode)


def full_recode(old_q: Question, new_q: Question, declared: dict[int, int]) -> tuple[dict[int, int], list[int]]:
    """The declared map completed with unchanged codes (same code and label), and the old codes it leaves out."""
    new_labels = {c.code: _norm(c.label).casefold() for c in new_q.codes}
    old_codes = list(old_q.labels) + [c for c in old_q.substantive_codes if c not in old_q.labels]
    out, uncovered = {}, []
    for code in old_codes:
        if code in declared:
            out[code] = declared[code]
        elif new_labels.get(code) == _norm(old_q.labels.get(code, str(code))).casefold() or (
                old_q.type == "scale" and code in new_q.substantive_codes and code not in new_labels):
            out[code] = code
        else:
            uncovered.append(code)
    return out, uncovered


def compare_questions(old: Questionnaire, new: Questionnaire, a: Question, b: Question) -> list[Change]:
    """Every change from question ``a`` of ``old`` to question ``b`` of ``new``, each with its verdict."""
    changes: list[Change] = []
    prev = b.previous if b.previous is not None and b.previous.version == old.version else None
    note = f" {prev.note}" if prev and prev.note else ""
    if a.id != b.id:
        changes.append(Change("renamed", "comparable", a.id, b.id, "same question under a new id."))
    if a.type != b.type:
        changes.append(Change("type changed", "not comparable", a.type, b.type,
                              "a different kind of answer is not comparable."))
    if _norm(a.wording) != _norm(b.wording):
        minor = prev is not None and prev.wording == "minor"
        changes.append(Change("reworded", "comparable" if minor else "not comparable", a.wording or "", b.wording or "",
                              ("declared a minor wording change." if minor else
                               "a changed wording asks a different question unless declared minor.") + note))
    if (a.codes, a.range) != (b.codes, b.range):
        changes.append(_frame_change(old, a, b, note))
    before, after = old.asked_if(a.id), new.asked_if(b.id)
    if str(before) != str(after):
        changes.append(Change("routing changed", "not comparable", str(before or "everyone"), str(after or "everyone"),
                              "the question is now asked of a different group of respondents." + note))
    if a.required != b.required:
        changes.append(Change("required changed", "comparable", str(a.required), str(b.required),
                              "whether an answer is required does not change what it means."))
    if a.instrument != b.instrument:
        changes.append(Change("instrument changed", "comparable", a.instrument or "", b.instrument or "",
                              "scales built on the instrument see a different set of items."))
    return changes


def _frame_change(old: Questionnaire, a: Question, b: Question, note: str) -> Change:
    before, after = _frame_text(a), _frame_text(b)
    declared = recode_map(old, b)
    if declared is not None:
        mapping, uncovered = full_recode(a, b, declared)
        if uncovered:
            return Change("code frame changed", "not comparable", before, after,
                          f"the recode map does not say what old code(s) {', '.join(map(str, uncovered))} become." + note)
        shown = ", ".join(f"{k}->{v}" for k, v in mapping.items() if k != v)
        return Change("code frame changed", "comparable after recoding", before, after,
                      f"older answers are recoded {shown}." + note)
    if a.type == "numeric" and b.type == "numeric" and a.codes == b.codes:
        return Change("code frame changed", "comparable", before, after, "only the valid range of the number changed.")
    old_frame = {c.code: (_norm(c.label).casefold(), c.missing) for c in a.codes}
    new_frame = {c.code: (_norm(c.label).casefold(), c.missing) for c in b.codes}
    added = set(new_frame) - set(old_frame)
    if a.range == b.range and all(new_frame.get(k) == v for k, v in old_frame.items()) and all(
            new_frame[k][1] for k in added):
        return Change("code frame changed", "comparable", before, after,
                      "adds only non-answer codes (don't know, refused, not applicable)." + note)
    return Change("code frame changed", "not comparable", before, after,
                  "the answer options changed and no recode map from the older version is declared." + note)


def _indicator_changes(old: Questionnaire, new: Questionnaire, a: Indicator, b: Indicator,
                       item_verdicts: dict[str, str]) -> Change:
    def spec(ind: Indicator) -> str:
        if ind.kind == "scale":
            return f"{ind.statistic} of {ind.instrument} {ind.score or ''} {list(ind.bands) or ''}".strip()
        return f"{ind.kind} of {ind.item} codes {list(ind.codes)} excluding {list(ind.exclude or [])} base {ind.base}" + (
            ", routed-out counted as other" if ind.routed_out == "count_as_other" else "")

    if a.kind != b.kind or (a.instrument, a.statistic, a.score, a.bands) != (b.instrument, b.statistic, b.score, b.bands):
        return Change("definition changed", "not comparable", spec(a), spec(b), "the indicator measures something else.")
    if a.kind == "scale":
        items_b = new.instrument_items(b.instrument or "")
        matched = [counterpart(old, new.question(i)) for i in items_b]
        if any(m is None for m in matched) or len(items_b) != len(old.instrument_items(a.instrument or "")):
            return Change("items changed", "not comparable", ", ".join(old.instrument_items(a.instrument or "")),
                          ", ".join(items_b), "the instrument's items differ between the versions.")
        verdict = worst(*(item_verdicts[i] for i in items_b))
        return Change("unchanged" if verdict == "comparable" else "items changed", verdict, spec(a), spec(b),
                      "" if verdict == "comparable" else f"its items are {verdict}.")
    qb = new.question(b.item or "")
    qa = counterpart(old, qb)
    if qa is None or qa.id != a.item:
        return Change("definition changed", "not comparable", spec(a), spec(b), "the indicator is built on another item.")
    mapping = {code: code for code in list(qa.labels) + list(qa.substantive_codes)}
    if item_verdicts[qb.id] == "comparable after recoding":
        mapping, _ = full_recode(qa, qb, recode_map(old, qb) or {})
    exclude_a = a.exclude if a.exclude is not None else tuple(qa.missing_codes)
    exclude_b = b.exclude if b.exclude is not None else tuple(qb.missing_codes)
    same = ({mapping.get(c) for c in a.codes} == set(b.codes)
            and {mapping.get(c) for c in exclude_a} == set(exclude_b) and (a.base, a.routed_out) == (b.base, b.routed_out))
    if not same:
        return Change("definition changed", "not comparable", spec(a), spec(b),
                      "codes, excluded codes or base differ, even after recoding the item.")
    verdict = item_verdicts[qb.id]
    return Change("unchanged" if verdict == "comparable" else "item changed", verdict, spec(a), spec(b),
                  "" if verdict == "comparable" else f"its item {qb.id} is {verdict}.")


def diff(old: Questionnaire, new: Questionnaire) -> pd.DataFrame:
    """Every change from ``old`` to ``new``, per question and per indicator, with verdicts.

    Parameters
    ----------
    old, new
        Two questionnaires, usually two versions of one (``q1.diff(q2)`` calls this).

    Returns
    -------
    pandas.DataFrame
        One row per change, columns ``level`` (``"item"`` or ``"indicator"``), ``id`` (in
        ``new``, or in ``old`` when removed), ``change`` (``added``, ``removed``,
        ``renamed``, ``reworded``, ``code frame changed``, ``routing changed``, ``type
        changed``, ``required changed``, ``instrument changed``, ``definition changed``,
        ``item changed``, ``items changed`` or ``unchanged``), ``before``, ``after``,
        ``verdict`` (of this change), ``overall`` (of the item or indicator: its least
        comparable change) and ``detail``. Every question and indicator of either version
        appears at least once. ``attrs`` records both names and hashes.

    Examples
    --------
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> table = load_questionnaire("core-v1").diff(load_questionnaire("core-v2"))
    >>> table.query("id == 'q_safe_after_dark'")[["change", "verdict"]].values.tolist()
    [['code frame changed', 'comparable after recoding']]
    """
    rows: list[dict[str, str]] = []
    item_verdicts: dict[str, str] = {}
    matched_old: set[str] = set()
    for q in new.questions:
        a = counterpart(old, q)
        if a is None:
            changes = [Change("added", "not comparable", "", q.wording or "", f"new in {new.name}.")]
        else:
            matched_old.add(a.id)
            changes = compare_questions(old, new, a, q) or [Change("unchanged", "comparable")]
        overall = worst(*(c.verdict for c in changes))
        item_verdicts[q.id] = overall
        rows += [dict(level="item", id=q.id, **_row(c), overall=overall) for c in changes]
    for a in old.questions:
        if a.id not in matched_old:
            rows.append(dict(level="item", id=a.id, **_row(Change("removed", "not comparable", a.wording or "", "",
                                                                   f"not asked in {new.name}.")),
                             overall="not comparable"))
    old_indicators = {i.id: i for i in old.indicators}
    for ind in new.indicators:
        if ind.id in old_indicators:
            change = _indicator_changes(old, new, old_indicators[ind.id], ind, item_verdicts)
        else:
            change = Change("added", "not comparable", "", ind.label, f"new in {new.name}.")
        rows.append(dict(level="indicator", id=ind.id, **_row(change), overall=change.verdict))
    for ind in old.indicators:
        if ind.id not in {i.id for i in new.indicators}:
            rows.append(dict(level="indicator", id=ind.id, **_row(Change("removed", "not comparable", ind.label, "",
                                                                          f"not in {new.name}.")),
                             overall="not comparable"))
    table = pd.DataFrame(rows, columns=list(DIFF_COLUMNS))
    table.attrs.update({"from": old.name, "to": new.name, "from_sha256": old.sha256, "to_sha256": new.sha256})
    return table


def _row(c: Change) -> dict[str, str]:
    return {"change": c.change, "before": c.before, "after": c.after, "verdict": c.verdict, "detail": c.detail}


#: What a questionnaire change means for an indicator's trend, in words a reader can trust: each
#: name with its explanation. ``comparable`` and ``comparable after recoding`` allow a change to be
#: tested; the others say why it is not.
COMPARABILITY: dict[str, str] = {
    "comparable": "measured the same way in both waves",
    "comparable after recoding": "the older answers are recoded to the newer answer options before comparing",
    "new in this wave": "not measured in the previous wave, so there is nothing to compare with",
    "wording changed": "the question was reworded, so the answers are not comparable",
    "answer options changed": "the answer options changed with no recode map, so the answers are not comparable",
    "routing changed": "the question is asked of a different group of respondents, so the results are not comparable",
    "definition changed": "the indicator is computed differently (codes, base or items), so it is not comparable",
}
#: Item-level change kinds (of :func:`diff`) and the comparability they make, most telling first.
_ITEM_REASONS = {"reworded": "wording changed", "type changed": "answer options changed",
                 "code frame changed": "answer options changed", "routing changed": "routing changed",
                 "added": "definition changed", "removed": "definition changed"}
COMPARABILITY_COLUMNS = ("id", "comparability", "verdict", "detail")


def indicator_comparability(old: Questionnaire, new: Questionnaire) -> pd.DataFrame:
    """For every indicator of ``new``: can its trend from ``old`` be tested, and if not, why not.

    Reads the verdicts of :func:`diff` and names the reason in words from :data:`COMPARABILITY`:
    an indicator missing from ``old`` is ``new in this wave`` (not "not comparable"); one whose
    item was reworded is ``wording changed``; one whose answer options changed without a recode
    map is ``answer options changed``; one asked of a different group is ``routing changed``;
    one computed differently is ``definition changed`` (when its question changed too, the
    question's change is named: it is what a reader can check).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``comparability`` (a key of :data:`COMPARABILITY`), ``verdict`` (of
        :data:`~residentsurvey.questionnaire.VERDICTS`; ``not comparable`` for new indicators) and
        ``detail``, one row per indicator of ``new`` in its order.

    Examples
    --------
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> table = indicator_comparability(load_questionnaire("core-v1"), load_questionnaire("core-v2"))
    >>> dict(zip(table["id"], table["comparability"]))["mean_swemwbs"]
    'new in this wave'
    >>> table.set_index("id").loc[["informed", "safe_after_dark", "volunteered_formal"], "comparability"].tolist()
    ['wording changed', 'comparable after recoding', 'routing changed']
    """
    changes = diff(old, new)
    items = changes[changes["level"] == "item"]
    rows = []
    for ind in new.indicators:
        row = changes[(changes["level"] == "indicator") & (changes["id"] == ind.id)].iloc[0]
        verdict, detail = row["overall"], row["detail"]
        if row["change"] == "added":
            words = "new in this wave"
        elif verdict != "not comparable":
            words = verdict
        else:  # the question behind it changed (say how), or else the indicator's own definition did
            ids = [ind.item] if ind.item else list(new.instrument_items(ind.instrument or ""))
            found = items[items["id"].isin(ids) & (items["verdict"] == "not comparable")]
            kinds = [_ITEM_REASONS[c] for c in _ITEM_REASONS if c in set(found["change"])]
            words = kinds[0] if kinds else "definition changed"
            if kinds:
                first = found[found["change"].map(lambda c: _ITEM_REASONS.get(c) == words)].iloc[0]
                detail = f"{first['id']}: {first['detail']}" + (f" The indicator also changed: {detail}"
                                                                 if row["change"] == "definition changed" else "")
        rows.append({"id": ind.id, "comparability": words, "verdict": verdict, "detail": detail})
    return pd.DataFrame(rows, columns=list(COMPARABILITY_COLUMNS))
