"""Open data: the disclosure-controlled indicator table as a Frictionless Data Package.

Three tidy CSV files and a ``datapackage.json`` describing them (Frictionless Data Package v1,
the form CKAN, data.gov.uk and the ``frictionless`` tools read):

* ``indicators.csv``: one row per wave and indicator: questionnaire version, label, statistic,
  unit and polarity (primary key ``wave, indicator``);
* ``areas.csv``: one row per area (each council, *All councils*, *Average council*) and its type;
* ``estimates.csv``: one row per wave, indicator and area with the estimate, interval, bases,
  flags, comparisons, trends and ranks (primary key ``wave, indicator, area``; foreign keys to
  the other two files).

Missing values carry their reason: a cell suppressed by disclosure control holds ``[c]``
(confidential, the ONS convention), a cell that does not apply (no previous wave, no rank for the
consortium) is empty; the ``flag_reason`` column says why a row was suppressed. A suppressed
estimate is never written as zero.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReportError

__all__ = ["OpenDataPackage", "open_data", "read_open_data", "LICENCES", "SUPPRESSED", "NOT_APPLICABLE"]

#: Cell written where disclosure control withheld a number (ONS's "[c]": confidential).
SUPPRESSED = "[c]"
#: Cell written where a value does not apply (no earlier wave, no rank for a consortium figure).
NOT_APPLICABLE = ""

#: Licences an open data release can carry: name -> (title, path).
LICENCES: dict[str, tuple[str, str]] = {
    "OGL-UK-3.0": ("Open Government Licence v3.0",
                   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
}

_INDICATOR_COLUMNS = ("wave", "indicator", "questionnaire", "label", "statistic", "unit", "polarity")
_AREA_COLUMNS = ("area", "area_type")
# Columns blanked by disclosure control: in a suppressed row a missing one is "[c]".
_WITHHELD = ("estimate", "se", "ci_lower", "ci_upper", "deff", "n_effective", "vs_consortium", "vs_consortium_se",
             "vs_consortium_p", "vs_consortium_p_adjusted", "change", "change_se", "change_p", "rank", "rank_lower",
             "rank_upper", "funnel_n")

_DESCRIPTIONS: dict[str, str] = {
    "wave": "survey wave (1 = first)",
    "indicator": "indicator id from the questionnaire",
    "questionnaire": "questionnaire version the wave's figures come from",
    "label": "what the indicator measures, in words",
    "statistic": "share (a proportion 0-1, shown as %) or mean (on the scale given by unit)",
    "unit": "unit the figure is shown in: % for shares (stored as 0-1), otherwise the answer scale",
    "polarity": "which direction is better: higher_is_better, lower_is_better or neutral",
    "area": "a council, All councils (the consortium's residents) or Average council (each council equal)",
    "area_type": "council, consortium_population or consortium_average",
    "estimate": "weighted estimate ([c] where suppressed)",
    "se": "standard error of the estimate (design-based, Taylor linearisation)",
    "ci_lower": "lower limit of the confidence interval", "ci_upper": "upper limit of the confidence interval",
    "level": "confidence level of the interval", "n": "unweighted base (respondents)",
    "n_effective": "Kish effective base of the weights", "deff": "design effect",
    "flag": "ok, caution, low_reliability or suppressed", "flag_reason": "why the row is flagged or suppressed",
    "vs_consortium": "council minus All councils", "vs_consortium_se": "standard error of that difference",
    "vs_consortium_p": "p-value of the difference", "vs_consortium_p_adjusted": "p-value adjusted across councils",
    "vs_consortium_verdict": "higher, lower or no significant difference",
    "change": "change since the previous wave", "change_se": "standard error of the change",
    "change_p": "p-value of the change", "change_verdict": "up, down, no significant change, new or not comparable",
    "comparability": "why the change can or cannot be tested (from the questionnaire diff)",
"rank_lower": "best rank the council could hold",
    "rank_upper": "worst rank the council could hold", "funnel": "where the council sits in the funnel plot",
    "funnel_n": "equivalent simple-random-sample size in the funnel plot", "funnel_centre": "funnel centre line",
}


@dataclass(frozen=True)
class OpenDataPackage:
    """An open data release on disk: where it is and what ``datapackage.json`` says.

    Attributes
    ----------
    directory
        Folder holding ``datapackage.json`` and the CSV files.
    descriptor
        The package descriptor as written (a dict, JSON-ready).
    suppressed_cells
        How many cells hold ``[c]`` (withheld by disclosure control).
    """

    directory: Path
    descriptor: dict
    suppressed_cells: int

    @property
    def path(self) -> Path:
        """The ``datapackage.json`` file."""
        return self.directory / "datapackage.json"

    @property
    def resources(self) -> dict[str, Path]:
        """``{resource name: CSV path}``."""
        return {r["name"]: self.directory / r["path"] for r in self.descriptor["resources"]}


def _field(name: str, dtype: object) -> dict:
    if pd.api.types.is_bool_dtype(dtype):
        kind = "boolean"
    elif pd.api.types.is_integer_dtype(dtype):
        kind = "integer"
    elif pd.api.types.is_float_dtype(dtype):
        kind = "number"
    else:
        kind = "string"
    field = {"name": name, "type": kind, "description": _DESCRIPTIONS.get(name, "")}
    if name in ("estimate", "se", "ci_lower", "ci_upper", "vs_consortium", "vs_consortium_se", "change",
                "change_se", "funnel_centre"):
        field["unit"] = "proportion 0-1 where statistic is share; the answer scale (see unit) where mean"
    if name in ("wave", "indicator", "area"):
        field["constraints"] = {"required": True}
    return field


def _cells(frame: pd.DataFrame, suppressed: np.ndarray | None) -> tuple[pd.DataFrame, int]:
    """Text cells: numbers in full precision, withheld ones as ``[c]``, inapplicable ones empty."""
    out = pd.DataFrame(index=frame.index)
    count = 0
    for name in frame.columns:
        column = frame[name]
        missing = column.isna().to_numpy()
        if pd.api.types.is_float_dtype(column.dtype):
            text = np.array([repr(float(v)) for v in column.to_numpy(dtype=float)], dtype=object)
        else:
            text = column.astype(object).map(str).to_numpy(dtype=object)
        text[missing] = NOT_APPLICABLE
        if suppressed is not None and name in _WITHHELD:
            withheld = missing & suppressed
            text[withheld] = SUPPRESSED
            count += int(withheld.sum())
        out[name] = text
    return out, count


def open_data(table: pd.DataFrame, out_dir: str | Path, *, name: str = "resident-survey-indicators",
              title: str = "Residents' survey: council indicators", licence: str = "OGL-UK-3.0",
              publisher: str = "", release_date: str | _dt.date | None = None, weighting: str = "",
              variance: str = "Taylor linearisation (agrees with R survey)",
              questionnaires: Mapping[str, str] | None = None) -> OpenDataPackage:
    """Write the indicator table as a Frictionless Data Package: tidy CSV files and ``datapackage.json``.

    Parameters
    ----------
    table
        The table from :func:`residentsurvey.indicators` (disclosure control already applied).
    out_dir
        Folder to write into (created if needed).
    name, title, publisher
        The package's name (lower case, ``-`` and ``_`` allowed), title and publishing body.
    licence
        One of :data:`LICENCES` (default the Open Government Licence v3.0).
    release_date
        Date of release (ISO text or a date; default today).
    weighting
        How the weights were made, in words (e.g. "raked to age x sex, tenure and ethnicity by council").
    variance
        How the standard errors were computed, in words (say so when they come from replicate weights).
    questionnaires
        ``{questionnaire name: sha256}`` recorded as provenance (the table names the versions;
        pass ``{q.name: q.sha256}`` to record their content hashes too).

    Returns
    -------
    OpenDataPackage

    Notes
    -----
    Shares are stored as proportions (0-1), as in the table; ``unit`` says how they are shown.
    Point ranks are left out, as in every published output (rank intervals are kept).
    Suppressed cells hold ``[c]`` and the row's ``flag_reason`` says why; the schema lists ``[c]``
    and the empty cell as missing-value codes, so tools read both as missing, never as zero.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> t = pd.DataFrame({"wave": [1, 1], "questionnaire": "core-v1", "indicator": "trust", "label": "% trust",
    ...                   "statistic": "share", "unit": "%", "polarity": "higher_is_better",
    ...                   "area": ["Eastmere", "All councils"], "area_type": ["council", "consortium_population"],
    ...                   "estimate": [float("nan"), 0.61], "n": [12, 900], "flag": ["suppressed", "ok"],
    ...                   "flag_reason": ["unweighted base 12 is below 30", ""]})
    >>> package = open_data(t, tempfile.mkdtemp(), release_date="2026-11-30")
    >>> package.suppressed_cells, sorted(package.resources)
    (1, ['areas', 'estimates', 'indicators'])
    >>> package.resources["estimates"].read_text().splitlines()[1]
    '1,trust,Eastmere,[c],12,suppressed,unweighted base 12 is below 30'
    """
    if licence not in LICENCES:
        from ..errors import OptionError

        raise OptionError(f"licence={licence!r} is not known; choose one of {', '.join(LICENCES)}.")
    needed = ["wave", "indicator", "area", "estimate", "flag"]
    lacking = [c for c in needed + ["questionnaire", "area_type"] if c not in table.columns]
    if lacking:
        raise ReportError(f"the indicator table lacks column(s) {lacking}; open_data needs the table from "
                          "rs.indicators(...), which has them.")
    table = table.reset_index(drop=True)
    twice = np.flatnonzero(table.duplicated(["wave", "indicator", "area"]).to_numpy())
    if len(twice):
        key = tuple(v.item() if hasattr(v, "item") else v for v in table.loc[twice[0], ["wave", "indicator", "area"]])
        raise ReportError(f"the indicator table has more than one row for wave, indicator, area {key} (row "
                          f"{twice[0]}, {len(twice)} repeated rows in all); each must be unique.")
    from ..report.annual import UNPUBLISHED_COLUMNS

    table = table.drop(columns=[c for c in UNPUBLISHED_COLUMNS if c in table.columns])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    indicators = table[[c for c in _INDICATOR_COLUMNS if c in table.columns]].drop_duplicates(["wave", "indicator"])
    areas = table[list(_AREA_COLUMNS)].drop_duplicates("area")
    estimates = table[["wave", "indicator", "area"] + [c for c in table.columns if c not in
                                                         set(_INDICATOR_COLUMNS) | set(_AREA_COLUMNS)]]
    suppressed = (table["flag"] == "suppressed").to_numpy()
    frames = {"indicators": (indicators, ["wave", "indicator"], None),
              "areas": (areas, ["area"], None),
              "estimates": (estimates, ["wave", "indicator", "area"], suppressed)}
    resources, withheld = [], 0
    for resource, (frame, key, mask) in frames.items():
        cells, count = _cells(frame, mask)
        withheld += count
        cells.to_csv(out / f"{resource}.csv", index=False, lineterminator="\n")
        schema = {"fields": [_field(c, frame[c].dtype) for c in frame.columns], "primaryKey": key,
                  "missingValues": [NOT_APPLICABLE, SUPPRESSED]}
        if resource == "estimates":
            schema["foreignKeys"] = [
                {"fields": ["wave", "indicator"], "reference": {"resource": "indicators", "fields": ["wave", "indicator"]}},
                {"fields": ["area"], "reference": {"resource": "areas", "fields": ["area"]}}]
        resources.append({"name": resource, "path": f"{resource}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    when = release_date or _dt.date.today()
    when = when.isoformat() if isinstance(when, _dt.date) else str(when)
    attrs = table.attrs
    licence_title, licence_path = LICENCES[licence]
    versions = sorted(table["questionnaire"].astype(str).unique())
    descriptor = {
        "profile": "tabular-data-package", "name": name, "title": title,
        "description": ("Design-based estimates from a jointly commissioned residents' survey, by council, with "
                        "confidence intervals, comparisons with all councils, trends and disclosure control. "
                        f"'{SUPPRESSED}' marks a cell withheld by disclosure control (see flag_reason); an empty "
                        "cell does not apply."),
        "licenses": [{"name": licence, "title": licence_title, "path": licence_path}],
        "created": f"{when}T00:00:00Z",
        "version": when,
        "contributors": [{"title": publisher, "role": "publisher"}] if publisher else [],
        "sources": [{"title": f"Questionnaire {v}", **({"sha256": questionnaires[v]} if questionnaires and v in questionnaires
                                                         else {})} for v in versions],
        "provenance": {
            "questionnaires": versions,
            "weighting": weighting,
            "confidence_level": attrs.get("level"),
            "share_interval": attrs.get("share_ci", "logit"),
            "mean_interval": "wald",
            "variance": variance,
            "multiple_comparisons": attrs.get("adjust"),
            "rank_method": attrs.get("rank_method"),
            "disclosure": attrs.get("disclosure"),
            "release_date": when,
            "software": "residentsurvey",
        },
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2, default=str) + "\n", encoding="utf-8")
    return OpenDataPackage(out, descriptor, withheld)


def read_open_data(path: str | Path) -> pd.DataFrame:
    """Read a package written by :func:`open_data` back into one indicator table.

    ``[c]`` and empty cells become missing; the estimates are joined to their indicators and areas.
    Columns come back in the order indicator, area, then the estimates' columns.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> t = pd.DataFrame({"wave": [1], "questionnaire": "core-v1", "indicator": "trust", "area": "Eastmere",
    ...                   "area_type": "council", "estimate": [0.5], "flag": "ok"})
    >>> back = read_open_data(open_data(t, tempfile.mkdtemp()).path)
    >>> back[t.columns].equals(t)
    True
    """
    path = Path(path)
    folder = path.parent if path.is_file() else path
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    frames = {}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        dtypes = {f["name"]: {"integer": "Int64", "number": "float64", "boolean": "boolean"}.get(f["type"], object)
                  for f in fields}
        frame = pd.read_csv(folder / resource["path"], dtype=str, keep_default_na=False)
        for f in fields:
            column = frame[f["name"]].mask(frame[f["name"]].isin(resource["schema"]["missingValues"]))
            if f["type"] == "string":
                frame[f["name"]] = column.fillna("").astype(str)
            elif f["type"] == "integer" and column.notna().all():
                frame[f["name"]] = pd.to_numeric(column).astype("int64")
            else:
                frame[f["name"]] = pd.to_numeric(column).astype(dtypes[f["name"]])
        frames[resource["name"]] = frame
    table = (frames["estimates"].merge(frames["indicators"], on=["wave", "indicator"], how="left", validate="m:1")
             .merge(frames["areas"], on="area", how="left", validate="m:1"))
    order = [c for c in _INDICATOR_COLUMNS if c in frames["indicators"].columns] + list(_AREA_COLUMNS)
    order += [c for c in frames["estimates"].columns if c not in order]
    return table[order]
