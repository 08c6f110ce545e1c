"""A returns file for mini-v1 seeded with exactly one example of every kind of problem.

``SEEDED`` lists them as (check, row, column): rows are 0-based positions; file-level
problems have row None. Rows 0-2 are clean.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini-v1.yaml"

CLEAN = {"id": "R001", "council": "Eastmere", "mode": "postal", "qversion": "mini-v1", "weight": "1.5",
         "q_sat": "1", "q_use": "1", "q_use_sat": "2", "g1": "1", "g2": "2", "g3": "3", "age": "34",
         "life": "7", "channels_1": "1", "channels_2": "0", "channels_3": "", "q_local": "1",
         "interviewer_notes": ""}

#: (check, row, column, change to a clean row); file-level problems use row None and no change.
SEEDED = [
    ("missing_column", None, "comments", {}),
    ("unexpected_column", None, "interviewer_notes", {}),
    ("mode", 3, "mode", {"mode": "carrier pigeon"}),
    ("missing_id", 4, "id", {"id": ""}),
    ("duplicate_id", 6, "id", {"id": "R005"}),  # row 5 is R005 too
    ("questionnaire_version", 7, "qversion", {"qversion": "mini-v2"}),
    ("value_labels", None, "q_sat", {}),  # .sav only: code 1 labelled "Very happy"
    ("not_a_number", 8, "age", {"age": "forty"}),
    ("code_not_in_frame", 9, "q_sat", {"q_sat": "7"}),
    ("out_of_range", 10, "age", {"age": "150"}),
    ("required_missing", 11, "q_sat", {"q_sat": ""}),
    ("routing_answered", 12, "q_use_sat", {"q_use": "2", "q_use_sat": "3"}),
    ("routing_missing", 13, "q_use_sat", {"q_use": "1", "q_use_sat": ""}),
    ("straight_lining", 14, "park", {"g1": "2", "g2": "2", "g3": "2"}),
    ("spreadsheet_error", 16, "age", {"age": "#N/A"}),  # not also "not a number"
    ("zero_weight", 17, "weight", {"weight": "0"}),
    ("unusable_weight", 18, "weight", {"weight": ""}),
    ("no_answers", 19, None, {"q_sat": "9", "q_use": "", "q_use_sat": "", "g1": "9", "g2": "9", "g3": "9",
                              "age": "", "life": "", "channels_1": "", "channels_2": "", "q_local": ""}),
]
#: Rows of the seeded file.
N_ROWS = 20


def seeded_frame() -> pd.DataFrame:
    """The seeded returns as text, as a contractor's CSV would hold them (blank = missing)."""
    rows = []
    for i in range(N_ROWS):
        row = dict(CLEAN, id=f"R{i:03d}")
        if i == 15:  # a clean Northbridge-free row from another council: the Eastmere module is blank
            row.update(council="Westhaven", q_local="")
        rows.append(row)
    for _, row, _, change in SEEDED:
        if row is not None:
            rows[row].update(change)
    return pd.DataFrame(rows, dtype=object)


def write_csv(path: Path) -> Path:
    seeded_frame().to_csv(path, index=False)
    return path


def write_sav(path: Path) -> Path:
    """The same returns as a .sav file whose q_sat labels disagree with the code frame once."""
    import pyreadstat

    frame = seeded_frame()
    numeric = ["weight", "q_sat", "q_use", "q_use_sat", "g1", "g2", "g3", "life", "channels_1", "channels_2",
               "channels_3", "q_local"]
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype(float)
    labels = {"q_sat": {1.0: "Very happy", 2.0: "Fairly satisfied", 9.0: "Don't know"},
              "q_use": {1.0: "Yes", 2.0: "No"}}
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    return path
