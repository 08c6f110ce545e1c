"""The api designs and R references used by the model tests (loaded relative to this file)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import residentsurvey as rs

from ..conftest import DATA, load_api

REFERENCE = pd.read_csv(DATA / "models_reference.csv")  # from data/r/make_models_reference.R (survey 4.1.1)


def reference(case: str) -> pd.DataFrame:
    return REFERENCE[REFERENCE["case"] == case].reset_index(drop=True)


def strat() -> rs.SurveyDesign:
    d = load_api("apistrat")
    d["sw"] = d["sch.wide_yes"].astype(float)
    d["mealcat"] = pd.cut(d["meals"], [0, 25, 50, 75, 100], include_lowest=True, labels=False) + 1
    return rs.SurveyDesign(d, weights="pw", strata="stype", fpc="fpc")


def clus1() -> rs.SurveyDesign:
    d = load_api("apiclus1")
    d["sw"] = d["sch.wide_yes"].astype(float)
    return rs.SurveyDesign(d, weights="pw", psu="dnum", fpc="fpc")


def clus1_poststratified() -> rs.SurveyDesign:
    targets = pd.DataFrame({"variable": "stype", "category": ["E", "H", "M"], "total": [4421.0, 755.0, 1018.0]})
    return clus1().calibrate(targets, method="linear")


def clus2() -> rs.SurveyDesign:
    return rs.SurveyDesign(load_api("apiclus2"), psu=["dnum", "snum"], fpc=["fpc1", "fpc2"])


def r_order(names: tuple[str, ...]) -> list[str]:
    """formulaic's coefficient names written as R's (Intercept, C(stype)[T.H] -> stypeH)."""
    out = []
    for name in names:
        name = "(Intercept)" if name == "Intercept" else name
        if name.startswith("C(") and "[T." in name:
            variable = name[2:name.index(")")]
            name = variable + name[name.index("[T.") + 3:-1]
        out.append(name.replace("`", ""))
    return out


def as_array(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=float)
