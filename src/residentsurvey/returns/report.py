"""The validation report: every problem found in a returns file, a summary, and exports."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from ..errors import ReturnsError
from .checks import CHECKS

#: Columns of :attr:`ValidationReport.problems`.
PROBLEM_COLUMNS = ("row", "location", "respondent_id", "column", "value", "check", "severity", "message")
#: Columns of :meth:`ValidationReport.summary`.
SUMMARY_COLUMNS = ("check", "severity", "problems", "rows", "columns", "description")
#: Columns of :attr:`ValidationReport.counts`.
COUNT_COLUMNS = ("part", "item", "rows")


def _no_counts() -> pd.DataFrame:
    return pd.DataFrame(columns=list(COUNT_COLUMNS))


@dataclass(frozen=True, eq=False)
class ValidationReport:
    """What :func:`~residentsurvey.validate_returns` found; the returns themselves are untouched.

    Attributes
    ----------
    questionnaire, questionnaire_sha256
        The questionnaire the returns were checked against.
    n_rows, n_columns
        Size of the returns.
    modes
        Survey modes recorded in the returns (``("postal", "online")``), or the file's mode.
    problems
        One row per problem: ``row`` (0-based position in the returns; missing for problems
        with the whole file or a whole column), ``location`` (where a person finds the row in
        the file: ``"line 37"`` in a CSV file, counting the header and any title lines;
        ``"Sheet1 row 12"`` in a workbook, as Excel numbers rows; ``"case 5"`` in a .sav
        file; missing when the returns did not come from :func:`~residentsurvey.read_returns`
        unchanged), ``respondent_id``, ``column`` (a grid id for
        straight-lining), ``value`` (as found), ``check`` (a name in
        :data:`~residentsurvey.returns.checks.CHECKS`), ``severity`` (``"error"`` or
        ``"warning"``) and ``message``.
    source
        The file the returns came from, when known.
    notes
        What reading did that is not a problem but should be known: read as Windows-1252, a
        semicolon delimiter, title rows above the header skipped, sheets stacked, blank rows.
    counts
        Every line (or sheet row) of the file and every respondent, each counted once:
        ``part`` ``"file"`` rows add up to :attr:`file_rows` (title rows, header, blank rows
        skipped, respondent rows, line breaks inside quoted values, sheets not read) and
        ``part`` ``"respondents"`` rows add up to :attr:`n_rows` (design weight not a number,
        missing, negative or infinite, zero; no answer to any question; in the analysis).
    """

    questionnaire: str
    questionnaire_sha256: str
    n_rows: int
    n_columns: int
    modes: tuple[str, ...]
    problems: pd.DataFrame
    source: str | None = None
    notes: tuple[str, ...] = ()
    counts: pd.DataFrame = field(default_factory=_no_counts)

    @property
    def file_rows(self) -> int | None:
        """Lines (or sheet rows) in the file the returns were read from, or ``None`` when not read from a file."""
        part = self.counts[self.counts["part"] == "file"]
        return int(part["rows"].sum()) if len(part) else None

    @property
    def n_excluded(self) -> int:
        """Respondents who are in no estimate (an unusable or zero design weight, or no answer at all)."""
        part = self.counts[self.counts["part"] == "respondents"]
        return int(part.loc[part["item"] != "in the analysis", "rows"].sum())

    @property
    def n_errors(self) -> int:
        """Number of problems of severity ``"error"``."""
        return int((self.problems["severity"] == "error").sum())

    @property
    def n_warnings(self) -> int:
        """Number of problems of severity ``"warning"``."""
        return int((self.problems["severity"] == "warning").sum())

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return self.n_errors == 0

    @property
    def clean(self) -> bool:
        """No problems at all."""
        return len(self.problems) == 0

    def summary(self) -> pd.DataFrame:
        """One row per check that found something: problems, distinct rows and columns, description."""
        rows = []
        for check, (_, description) in CHECKS.items():
            found = self.problems[self.problems["check"] == check]
            if len(found):
                rows.append({"check": check, "severity": found["severity"].iloc[0], "problems": len(found),
                             "rows": int(found["row"].dropna().nunique()),
                             "columns": ", ".join(dict.fromkeys(found["column"].dropna().astype(str))),
                             "description": description})
        return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        head = (f"{where}{self.n_rows:,} respondents, {self.n_columns} columns, checked against {self.questionnaire} "
                f"(sha256 {self.questionnaire_sha256[:12]}); mode: {', '.join(self.modes) or 'not recorded'}.")
        lines = [head]
        lines += [f"Note: {note}" for note in self.notes]
        lines += self._count_lines()
        if self.clean:
            return "\n".join(lines + ["No problems found."])
        lines.append(f"{self.n_errors:,} error(s), {self.n_warnings:,} warning(s):")
        for item in self.summary().itertuples(index=False):
            lines.append(f"  {item.severity:<8}{item.check:<22}{item.problems:>7,}  {item.description}")
            columns = item.columns if len(item.columns) <= 70 else item.columns[:67] + "..."
            if columns:
                lines.append(f"  {'':<30}columns: {columns}")
        first = self.problems.head(10)
        lines.append("First problems:")
        for p in first.itertuples(index=False):
            place = p.location if isinstance(p.location, str) else f"row {p.row}"
            at = "file" if pd.isna(p.row) else place + (f" ({p.respondent_id})" if isinstance(p.respondent_id, str)
                                                         and p.respondent_id else "")
            lines.append(f"  {at}: {p.column + ': ' if isinstance(p.column, str) else ''}{p.message}")
        return "\n".join(lines)

    def _count_lines(self) -> list[str]:
        out = []
        for part in ("file", "respondents"):
            found = self.counts[(self.counts["part"] == part) & (self.counts["rows"] > 0)]
            if len(found):
                items = ", ".join(f"{r.rows:,} {r.item}" for r in found.itertuples(index=False))
                total = int(found["rows"].sum())
                unit = "rows (lines) in the file" if part == "file" else "respondents"
                out.append(f"Counts: {total:,} {unit} = {items}.")
        return out

    def __repr__(self) -> str:
        return (f"<ValidationReport {self.questionnaire}: {self.n_rows} rows, {self.n_errors} errors, "
                f"{self.n_warnings} warnings>")

    def _repr_html_(self) -> str:
        head = html.escape(str(self).splitlines()[0])
        verdict = "No problems found." if self.clean else f"{self.n_errors:,} error(s), {self.n_warnings:,} warning(s)."
        parts = [f"<p><strong>Validation against {html.escape(self.questionnaire)}</strong>: {html.escape(verdict)}"
                 f"<br>{head}</p>"]
        if self.notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in self.notes) + "</ul>")
        parts += [f"<p>{html.escape(line)}</p>" for line in self._count_lines()]
        if not self.clean:
            parts.append(self.summary().to_html(index=False, escape=True))
            parts.append(f"<p>First {min(20, len(self.problems))} of {len(self.problems):,} problems:</p>")
            parts.append(self.problems.head(20).to_html(index=False, escape=True, na_rep=""))
        return "\n".join(parts)

    def _about(self) -> pd.DataFrame:
        return pd.DataFrame({"item": ["questionnaire", "questionnaire_sha256", "source", "respondents", "columns",
                                      "modes", "errors", "warnings"] + ["note"] * len(self.notes),
                             "value": [self.questionnaire, self.questionnaire_sha256, self.source or "", self.n_rows,
                                       self.n_columns, ", ".join(self.modes), self.n_errors, self.n_warnings,
                                       *self.notes]})

    def to_csv(self, path: str | PathLike[str]) -> None:
        """Write :attr:`problems` as CSV (one row per problem)."""
        self.problems.to_csv(path, index=False)

    def to_excel(self, path: str | PathLike[str]) -> None:
        """Write an Excel workbook with sheets ``summary``, ``problems``, ``counts`` and ``about`` (needs openpyxl)."""
        try:
            import openpyxl  # noqa: F401
        except ImportError as error:
            raise ReturnsError("writing .xlsx needs the openpyxl package: pip install openpyxl.") from error
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            self.summary().to_excel(writer, sheet_name="summary", index=False)
            problems = self.problems.assign(value=self.problems["value"].map(lambda v: v if v is None else str(v)))
            problems.to_excel(writer, sheet_name="problems", index=False)
            self.counts.to_excel(writer, sheet_name="counts", index=False)
            self._about().to_excel(writer, sheet_name="about", index=False)
