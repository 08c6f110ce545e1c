"""A whole release from one configuration: what ``residentsurvey publish CONFIG.yaml`` runs.

```yaml
report: report.yaml               # the report configuration: waves, returns, design, targets, replicates, disclosure
out: published                    # folder for the release (relative to this file)
title: "Residents' survey 2026"
publisher: Consortium of five councils
licence: OGL-UK-3.0               # OGL-UK-3.0, CC-BY-4.0 or CC0-1.0
release_date: 2026-11-30
microdata:                        # optional: the partner file, from the last wave
  quasi_identifiers: [council, age_band, sex, tenure, ethnicity]
  k: 5
  direct_identifiers: []          # beyond the questionnaire's respondent id
  remove: [issued_in_sector, imd_band]
  recode: {ethnicity: {2: 2, 3: 2, 4: 2, 5: 2}}
  method: bootstrap
  replicates: 50
  seed: 1
  format: parquet                 # parquet, sav or csv
```

Paths are relative to the configuration file; every problem is a
:class:`~residentsurvey.ReportError` naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ReportError, ResidentSurveyError
from .explorer import write_explorer
from .microdata import SafeMicrodata, safe_microdata
from .open_data import OpenDataPackage, open_data

__all__ = ["Release", "publish_release"]

KEYS = {"report", "out", "title", "publisher", "licence", "release_date", "weighting", "microdata"}
MICRODATA_KEYS = {"quasi_identifiers", "k", "direct_identifiers", "remove", "recode", "method", "replicates", "seed",
                  "format", "wave"}


@dataclass(frozen=True)
class Release:
    """What :func:`publish_release` wrote: the open data package, the explorer, the partner file."""

    table: pd.DataFrame
    open_data: OpenDataPackage
    explorer: Path
    microdata: SafeMicrodata | None = None
    paths: list[Path] = field(default_factory=list)


def _fail(path: Path, key: str, message: str) -> ReportError:
    return ReportError(f"{path}: {key}: {message}")


def publish_release(config: str | Path) -> Release:
    """Weight and estimate as the report configuration says, then write open data, explorer and microdata.

    Parameters
    ----------
    config
        A publish configuration (YAML; see the module documentation).

    Returns
    -------
    Release
    """
    from ..analysis import SurveyDesign
    from ..analysis.indicators import indicators
    from ..report.config import load_yaml, read_report_config
    from ..returns import to_codes
    from ..weighting import targets_as_codes

    path = Path(config)
    document = load_yaml(path, kind="publish")
    if not isinstance(document, dict) or "report" not in document:
        raise ReportError(f"{path}: a publish configuration is a mapping with at least `report:` (the report "
                          "configuration file).")
    unknown = sorted(set(document) - KEYS)
    if unknown:
        raise _fail(path, unknown[0], f"unknown key; known keys are {sorted(KEYS)}.")
    micro = document.get("microdata")
    if micro is not None and (not isinstance(micro, dict) or set(micro) - MICRODATA_KEYS
                              or "quasi_identifiers" not in micro):
        raise _fail(path, "microdata", f"expected a mapping with quasi_identifiers and keys from "
                                       f"{sorted(MICRODATA_KEYS)}, found {micro!r}.")
    report = read_report_config(path.parent / str(document["report"]))
    out = (path.parent / str(document.get("out", "published"))).resolve()
    designs = {}
    for label, (returns, questionnaire) in report.waves.items():
        design = SurveyDesign(to_codes(returns, questionnaire), **report.design)
        if report.targets is not None:
            design = design.calibrate(targets_as_codes(report.targets, questionnaire), method=report.method,
                                      by=report.by)
        designs[label] = design
    # standard errors as the report's: Taylor, or replicate weights when the report configuration asks
    estimated = ({label: d.replicate(**report.replicates) for label, d in designs.items()}
                 if report.replicates else designs)
    table = indicators(waves={label: (estimated[label], report.waves[label][1]) for label in designs},
                       by=report.by, level=report.level, rules=report.rules)
    title = str(document.get("title", report.title))
    weighting = document.get("weighting") or (f"{report.method} calibration of each {report.by} to its population"
                                              if report.targets is not None else "design weights")
    questionnaires = {q.name: q.sha256 for _, q in report.waves.values()}
    try:
        package = open_data(table, out / "open-data", title=title, licence=str(document.get("licence", "OGL-UK-3.0")),
                            publisher=str(document.get("publisher", "")), weighting=weighting,
                            release_date=document.get("release_date"), questionnaires=questionnaires,
                            **({"variance": f"replicate weights ({report.replicates['method']}), the weighting re-run "
                                            "in each replicate"} if report.replicates else {}))
    except ResidentSurveyError as error:
        raise _fail(path, "licence", str(error)) from error
    explorer = write_explorer(table, out / "explorer.html", title=f"{title}: explorer",
                              notes=f"Weighting: {weighting}. Released {package.descriptor['provenance']['release_date']}.")
    paths = [package.path, *package.resources.values(), explorer]
    release = None
    if micro is not None:
        wave = micro.get("wave", list(designs)[-1])
        if wave not in designs:
            raise _fail(path, "microdata.wave", f"no wave {wave!r}; the report has {list(designs)}.")
        design = designs[wave]
        fmt = str(micro.get("format", "parquet"))
        try:
            release = safe_microdata(design.data, design, quasi_identifiers=micro["quasi_identifiers"],
                                     k=micro.get("k", 5), questionnaire=report.waves[wave][1],
                                     direct_identifiers=micro.get("direct_identifiers", ()),
                                     remove=micro.get("remove", ()), recode=micro.get("recode"),
                                     method=micro.get("method", "bootstrap"), replicates=micro.get("replicates", 50),
                                     seed=micro.get("seed", 20261130))
            target = release.write(out / f"partner-microdata-wave{wave}.{fmt}", questionnaire=report.waves[wave][1])
        except ResidentSurveyError as error:
            raise _fail(path, "microdata", str(error)) from error
        paths += [target, target.with_name(f"{target.stem}-risk-report.csv")]
    return Release(table, package, explorer, release, paths)
