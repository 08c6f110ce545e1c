"""The ward chart and the ward map draw sae.estimates: ordered, direct beside modelled, empty wards labelled."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.errors import ReportError


@pytest.fixture(scope="module")
def sae() -> rs.FayHerriot:
    rng = np.random.default_rng(7)
    wards = pd.DataFrame({"ward": [f"W{k}" for k in range(12)], "x": rng.uniform(0, 1, 12)})
    n = rng.integers(8, 80, 9)
    direct = pd.DataFrame({"ward": wards["ward"][:9], "estimate": np.clip(0.4 + 0.4 * wards["x"][:9]
                                                                        + rng.normal(0, 0.08, 9), 0.05, 0.95),
                           "n": n, "deff": 1.4})
    direct["se"] = np.sqrt(direct["estimate"] * (1 - direct["estimate"]) * 1.4 / n)
    return rs.fay_herriot(direct, wards, formula="~ x", area="ward", transform="arcsin", method="amrl")


def test_chart_orders_wards_and_labels_the_modelled_only(sae: rs.FayHerriot) -> None:
    figure = rs.ward_chart(sae, percent=True, title="Satisfied with the area")
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    expected = sae.estimates.sort_values("estimate", ascending=False)["ward"].tolist()
    assert [label.splitlines()[0] for label in labels] == expected
    assert sum("no respondents: modelled only" in label for label in labels) == 3
    assert any("from similar wards" in label for label in labels)
    assert "modelled estimate" in [t.get_text() for t in figure.axes[0].get_legend().get_texts()]


def test_map_from_geojson(sae: rs.FayHerriot, tmp_path: Path) -> None:
    features = [{"type": "Feature", "properties": {"code": f"W{k}"},
                 "geometry": {"type": "Polygon", "coordinates": [[[k % 4, k // 4], [k % 4 + 1, k // 4],
                                                                  [k % 4 + 1, k // 4 + 1], [k % 4, k // 4 + 1],
                                                                  [k % 4, k // 4]]]}} for k in range(11)]
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    figure = rs.ward_map(sae.estimates, path, key="code", percent=True)
    collection = figure.axes[0].collections[0]
    assert len(collection.get_paths()) == 11
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "Not on the map (no boundary in the file): W11" in texts and "Hatched wards have no respondents" in texts
    with pytest.raises(ReportError, match=r"feature 0 has no property 'ward'"):
        rs.ward_map(sae, path)


def test_bad_tables_are_named() -> None:
    with pytest.raises(ReportError, match=r"has no column 'n', 'direct'"):
        rs.ward_chart(pd.DataFrame({"ward": ["A"], "estimate": [0.5]}))


def test_ward_table_and_outputs_for_the_annual_report(sae: rs.FayHerriot, tmp_path: Path) -> None:
    from residentsurvey.report.ward_chart import MODELLED_NOTE, ward_table, write_ward_outputs

    table = ward_table(sae, percent=True)
    assert table["Ward"].tolist() == sorted(sae.estimates["ward"])
    assert (table["How estimated"] == "model only: no respondents").sum() == 3
    assert table.loc[table["Respondents"] == 0, "Survey estimate"].eq("").all()
    paths = write_ward_outputs(sae, tmp_path)
    assert [p.name for p in paths] == ["ward-estimates.csv", "ward-table.csv", "wards.png"]
    assert all(p.stat().st_size > 0 for p in paths)
    lines = paths[1].read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f'"Note: {MODELLED_NOTE}"' and len(lines) == len(table) + 2
