"""Codebooks: a questionnaire as a tidy table (CSV) or a document (Markdown, HTML) for contractors."""

from __future__ import annotations

import html

import pandas as pd

from ..errors import OptionError
from .model import Question, Questionnaire

#: Output formats of :func:`codebook`.
CODEBOOK_FORMATS: dict[str, str] = {
    "markdown": "a Markdown document, one section per module",
    "html": "a self-contained HTML page with the same content",
    "csv": "the tidy table of codebook_table() as CSV text",
}
#: Columns of :func:`codebook_table`.
CODEBOOK_COLUMNS = ("module", "owner", "question", "column", "type", "wording", "code", "label", "missing",
                    "range", "required", "asked_if", "instrument", "grid", "source", "verified", "note")


def _wording(q: Question) -> str:
    return q.wording if q.wording is not None else "(wording licensed; supplied by the licence holder)"


def codebook_table(questionnaire: Questionnaire) -> pd.DataFrame:
    """The codebook as a tidy table: one row per code of every question (one row for uncoded questions).

    Examples
    --------
    >>> from residentsurvey.questionnaire import codebook_table, load_questionnaire
    >>> table = codebook_table(load_questionnaire("core-v1"))
    >>> table.query("question == 'q_trust'")["label"].tolist()
    ['A great deal', 'A fair amount', 'Not very much', 'Not at all', "Don't know"]
    """
    rows = []
    for module in questionnaire.modules:
        for q in module.questions:
            routing = questionnaire.asked_if(q.id)
            common = dict(module=module.id, owner=module.owner, question=q.id, type=q.type, wording=_wording(q),
                          range=f"{q.range[0]:g}-{q.range[1]:g}" if q.range else "", required=q.required,
                          asked_if=str(routing) if routing else "", instrument=q.instrument or "", grid=q.grid or "",
                          source=q.source.body if q.source else "", verified=q.source.verified if q.source else "",
                          note=q.note)
            if not q.codes:
                rows.append(dict(common, column=q.id, code=pd.NA, label="", missing=""))
            for code in q.codes:
                column = f"{q.id}_{code.code}" if q.type == "multiple" else q.id
                rows.append(dict(common, column=column, code=code.code, label=code.label, missing=code.missing or ""))
    table = pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS))
    table["code"] = table["code"].astype("Int64")
    table.attrs.update({"questionnaire": questionnaire.name, "questionnaire_sha256": questionnaire.sha256})
    return table


def codebook(questionnaire: Questionnaire, *, format: str = "markdown") -> str:
    """The codebook of a questionnaire as Markdown, HTML or CSV text.

    Parameters
    ----------
    questionnaire
        From :func:`~residentsurvey.load_questionnaire`.
    format
        One of :data:`CODEBOOK_FORMATS`: ``"markdown"`` (default), ``"html"``, ``"csv"``.

    Returns
    -------
    str
        Every module, question (id, wording with its placeholders, type, routing,
        provenance and verification), code frame, sample field and indicator, with the
        questionnaire's version and sha256. Licensed wordings are not printed; their
        licence notice is.

    Examples
    --------
    >>> from residentsurvey.questionnaire import codebook, load_questionnaire
    >>> text = codebook(load_questionnaire("core-v2"))
    >>> text.splitlines()[0]
    "# Consortium residents' survey - core questionnaire (core-v2)"
    >>> "SWEMWBS" in text and "all rights reserved" in text
    True
    """
    if format not in CODEBOOK_FORMATS:
        raise OptionError.unknown("format", format, CODEBOOK_FORMATS)
    if format == "csv":
        return codebook_table(questionnaire).to_csv(index=False)
    blocks = _blocks(questionnaire)
    return _markdown(blocks) if format == "markdown" else _html(questionnaire, blocks)


Block = tuple[str, object]  # ("h1".."h3", text) | ("p", text) | ("table", (header, rows))


def _blocks(q: Questionnaire) -> list[Block]:
    out: list[Block] = [("h1", f"{q.title} ({q.name})")]
    about = f"Version {q.version}, {q.date}, {q.status}. sha256 {q.sha256}."
    if q.based_on:
        about += f" Based on {q.based_on}: every question, sample field and indicator of it is included."
    out.append(("p", about))
    out.append(("p", f"One row per respondent; respondent id in `{q.respondent_id}`"
                     + (f", survey mode in `{q.mode_field}`" if q.mode_field else "")
                     + (f", council in `{q.council_field}`" if q.council_field else "") + "."))
    if q.templates:
        out.append(("table", (("placeholder", "filled with"), list(q.templates))))
    out.append(("h2", "Sample fields"))
    out.append(("table", (("column", "description"), [(f.id, f.description) for f in q.sample_fields])))
    for module in q.modules:
        out.append(("h2", f"{module.title or module.id} (module `{module.id}`, "
                          f"{'core' if module.owner == 'core' else 'asked in ' + module.owner + ' only'})"))
        if module.licence:
            out.append(("p", module.licence))
        for question in module.questions:
            out.append(("h3", f"{question.id}"))
            out.append(("p", _wording(question)))
            facts = [f"type {question.type}"]
            if question.range:
                facts.append(f"range {question.range[0]:g}-{question.range[1]:g}")
            facts.append("required" if question.required else "optional")
            routing = q.asked_if(question.id)
            facts.append(f"asked if {routing}" if routing else "asked of everyone")
            if question.instrument:
                facts.append(f"instrument {question.instrument}"
                             + (f" ({question.instrument_item})" if question.instrument_item else ""))
            if question.grid:
                facts.append(f"grid {question.grid}")
            if question.source:
                s = question.source
                facts.append(f"source {s.body}" + (f": {s.reference}" if s.reference else "")
                             + ("" if s.verified == "verified" else f" (wording {s.verified}: check before use)")
                             + (f"; {s.note}" if s.note else ""))
            if question.note:
                facts.append(question.note)
            out.append(("p", "; ".join(facts) + "."))
            if question.codes:
                columns = "column" if question.type == "multiple" else None
                header = ("code", "label", "non-answer") + ((columns,) if columns else ())
                rows = [(str(c.code), c.label, c.missing or "") + ((f"{question.id}_{c.code}",) if columns else ())
                        for c in question.codes]
                out.append(("table", (header, rows)))
    if q.indicators:
        out.append(("h2", "Indicators"))
        rows = []
        for ind in q.indicators:
            if ind.kind == "scale":
                what = f"{ind.statistic} of {ind.instrument} {ind.score or 'score'}" + (
                    f" in bands {', '.join(ind.bands)}" if ind.bands else "")
            else:
                excluded = ind.exclude if ind.exclude is not None else tuple(q.question(ind.item or "").missing_codes)
                what = (f"codes {', '.join(map(str, ind.codes))} of {ind.item}" if ind.kind == "share"
                        else f"mean of {ind.item}") + (f", excluding {', '.join(map(str, excluded))}" if excluded else "")
                if ind.routed_out == "count_as_other":
                    what += "; respondents routed past it count in the base"
            rows.append((ind.id, ind.label, ind.kind, what))
        out.append(("table", (("indicator", "label", "kind", "definition"), rows)))
    return out


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + str(content), ""]
        elif kind == "p":
            lines += [str(content), ""]
        else:
            header, rows = content  # type: ignore[misc]
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def _html(q: Questionnaire, blocks: list[Block]) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{html.escape(q.title)} ({html.escape(q.name)})</title>",
             "<style>body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem}"
             "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #999;padding:.2rem .5rem;"
             "text-align:left}</style>", "</head>", "<body>", "<main>"]
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            parts.append(f"<{kind}>{html.escape(str(content))}</{kind}>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(str(content))}</p>")
        else:
            header, rows = content  # type: ignore[misc]
            parts.append("<table>")
            parts.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
                         + "</tr></thead><tbody>")
            parts += ["<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows]
            parts.append("</tbody></table>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
