"""One test per delivery mistake seen in contractors' files (issue 10): each on a small file the test writes.

Every message must name the file, the line or sheet row, the column where there is one, and
the fix; every report's counts must add up to the lines (or rows) in the file and to the
respondents read.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pyreadstat
import pytest

import residentsurvey as rs
from residentsurvey.errors import ReturnsError
from residentsurvey.questionnaire import load_questionnaire
from residentsurvey.returns import read_returns, validate_returns

from .seeded import MINI, seeded_frame


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(MINI)


def clean(n: int = 4) -> pd.DataFrame:
    """The first ``n`` rows of the seeded file: clean respondents (rows 0-2 are clean; 3 has a bad mode)."""
    frame = seeded_frame().iloc[[0, 1, 2, 15][:n]].reset_index(drop=True)
    return frame


def csv_text(frame: pd.DataFrame, sep: str = ",") -> str:
    return frame.to_csv(index=False, sep=sep, lineterminator="\n")


def counted(report) -> None:
    """The report's counts add up: the file's lines or rows, and the respondents read."""
    counts = report.counts
    assert counts.loc[counts["part"] == "respondents", "rows"].sum() == report.n_rows
    read = counts[(counts["part"] == "file") & counts["item"].str.startswith("respondent rows")]["rows"].sum()
    assert read == report.n_rows


def lines_in(path) -> int:
    return len(io.StringIO(path.read_bytes().decode("latin-1"), newline="").readlines())


def problems(report, check: str) -> pd.DataFrame:
    return report.problems[report.problems["check"] == check]


# --- 1. workbooks: every sheet considered -----------------------------------------------------------------------

def test_sheets_with_the_same_columns_are_stacked_with_their_source_and_counted(tmp_path, mini) -> None:
    path = tmp_path / "wave1.xlsx"
    postal, online = clean(2), clean(4).iloc[2:]
    with pd.ExcelWriter(path) as writer:
        postal.to_excel(writer, sheet_name="postal", index=False)
        online.to_excel(writer, sheet_name="online", index=False)
    returns = read_returns(path, mini)
    assert len(returns) == 4 and returns["source_sheet"].tolist() == ["postal", "postal", "online", "online"]
    returns.loc[3, "q_sat"] = 7
    report = validate_returns(returns, mini)
    assert problems(report, "unexpected_column")["column"].tolist() == ["interviewer_notes"]  # not source_sheet
    bad = problems(report, "code_not_in_frame")
    assert bad["location"].tolist() == ["online row 3"] and bad["column"].tolist() == ["q_sat"]
    assert any("2 sheets with the same columns were stacked ('postal' 2, 'online' 2 respondents)" in n
               for n in report.notes)
    counted(report)
    assert report.file_rows == 6  # a header and two respondents on each sheet


def test_sheets_whose_columns_differ_are_refused_with_their_names_and_the_choice(tmp_path, mini) -> None:
    path = tmp_path / "wave1.xlsx"
    with pd.ExcelWriter(path) as writer:
        clean().to_excel(writer, sheet_name="Respondents", index=False)
        pd.DataFrame({"note": ["weighted by the contractor"]}).to_excel(writer, sheet_name="Notes", index=False)
    with pytest.raises(ReturnsError) as error:
        read_returns(path, mini)
    message = str(error.value)
    assert str(path) in message and "'Respondents' (4 rows; 18 columns: id, council, mode, qversion, ...)" in message
    assert "'Notes' (1 rows; 1 columns: note)" in message
    assert "read_returns(..., sheets='Respondents')" in message and "--sheet Respondents" in message
    chosen = read_returns(path, mini, sheets="Respondents")
    report = validate_returns(chosen, mini)
    assert len(chosen) == 4 and "source_sheet" not in chosen.columns
    assert any("sheet 'Notes' was not read" in n for n in report.notes)
    counted(report)
    assert report.file_rows == 5 + 2  # every row of both sheets is accounted for
    with pytest.raises(ReturnsError, match=r"has no sheet 'Respondent'\. Did you mean 'Respondents'\?"):
        read_returns(path, mini, sheets="Respondent")
    with pytest.raises(ReturnsError, match=r"sheets='Notes' applies only to \.xlsx"):
        clean().to_csv(tmp_path / "w.csv", index=False)
        read_returns(tmp_path / "w.csv", mini, sheets="Notes")


def test_an_empty_second_sheet_is_noted_not_refused(tmp_path, mini) -> None:
    path = tmp_path / "wave1.xlsx"
    with pd.ExcelWriter(path) as writer:
        clean().to_excel(writer, sheet_name="Sheet1", index=False)
        pd.DataFrame().to_excel(writer, sheet_name="Sheet2", index=False)
    report = validate_returns(read_returns(path, mini), mini)
    assert report.n_rows == 4 and f"{path}: sheet 'Sheet2' is empty and was ignored." in report.notes


# --- spreadsheet error values --------------------------------------------------------------------------------------

def test_excel_error_values_are_invalid_cells_never_no_answer(tmp_path, mini) -> None:
    path = tmp_path / "wave1.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    frame = clean()
    sheet.append(list(frame.columns))
    for row in frame.values.tolist():
        sheet.append(row)
    at = {c: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(frame.columns)}
    sheet[f"{at['q_sat']}3"] = "#N/A"  # q_sat of the second respondent (sheet row 3), a real error cell
    sheet[f"{at['weight']}4"] = "#DIV/0!"  # the weight of the third
    assert sheet[f"{at['q_sat']}3"].data_type == "e"
    workbook.save(path)
    returns = read_returns(path, mini)
    assert returns.loc[1, "q_sat"] == "#N/A"  # kept as found, not blank
    report = validate_returns(returns, mini)
    found = problems(report, "spreadsheet_error")
    assert found[["location", "column", "value"]].values.tolist() == [
        ["Returns row 3", "q_sat", "#N/A"], ["Returns row 4", "weight", "#DIV/0!"]]
    assert "a formula or lookup failed" in found["message"].iloc[0] and "fix the cell in the workbook" in \
        found["message"].iloc[0]
    assert "not_a_number" not in set(report.problems["check"])  # one problem per cell
    assert "required_missing" not in set(report.problems["check"])  # #N/A is not "no answer"
    counts = report.counts.set_index("item")["rows"]
    assert counts["design weight not a number"] == 1
    counted(report)


def test_error_values_in_a_csv_file_are_reported_with_their_line(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    frame = clean().astype(object)
    frame.loc[2, "life"] = "#VALUE!"
    path.write_text(csv_text(frame))
    report = validate_returns(read_returns(path, mini), mini)
    found = problems(report, "spreadsheet_error")
    assert found[["location", "column", "value"]].values.tolist() == [["line 4", "life", "#VALUE!"]]


# --- short and long lines -------------------------------------------------------------------------------------------

def test_a_last_line_cut_short_is_reported_with_its_line(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    lines = csv_text(clean()).splitlines()
    path.write_text("\n".join(lines[:-1] + [",".join(lines[-1].split(",")[:15])]))  # an interrupted export
    report = validate_returns(read_returns(path, mini), mini)
    found = problems(report, "ragged_row")
    assert found["location"].tolist() == ["line 5"] and found["severity"].tolist() == ["error"]
    message = found["message"].iloc[0]
    assert "line 5 has 15 fields but the header has 18" in message and "cut short" in message
    assert "Export the file again" in message
    of_row = report.problems[report.problems["row"] == 3]
    assert of_row["check"].iloc[0] == "ragged_row"  # before anything it may cause on that row
    assert report.file_rows == lines_in(path) == 5
    counted(report)


def test_a_line_with_more_fields_than_the_header_names_the_values_not_read(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    lines = csv_text(clean()).splitlines()
    lines[2] += ",extra,values"
    path.write_text("\n".join(lines) + "\n")
    found = problems(validate_returns(read_returns(path, mini), mini), "ragged_row")
    assert found["location"].tolist() == ["line 3"] and found["value"].tolist() == ["extra, values"]
    assert "the values beyond the header ('extra', 'values') were not read" in found["message"].iloc[0]
    assert "Quote it, or name the extra column in the header" in found["message"].iloc[0]


def test_a_quote_left_open_that_swallows_lines_is_reported(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    lines = csv_text(clean()).splitlines()
    lines[1] = lines[1].replace("Eastmere", '"Eastmere', 1)
    path.write_text("\n".join(lines) + "\n")
    report = validate_returns(read_returns(path, mini), mini)
    assert report.n_rows == 1
    assert any("a quoted value runs from line 2 to line 5" in m and "a quote (\") left open?" in m
               for m in problems(report, "ragged_row")["message"])
    assert report.counts.set_index("item").loc["line breaks inside quoted values", "rows"] == 3
    assert report.file_rows == lines_in(path)


# --- duplicate and unnamed columns ----------------------------------------------------------------------------------

def test_duplicate_header_names_are_refused_before_pandas_renames_one(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    lines = csv_text(clean()).splitlines()
    lines[0] = lines[0].replace("g3", "g2")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReturnsError) as error:
        read_returns(path, mini)
    assert str(error.value) == (
        f"{path}: the header (line 1) names the same column more than once: 'g2' in field 10 and field 11. Each "
        f"would hide the other's answers; rename or remove the duplicates and read the file again.")
    book = tmp_path / "wave1.xlsx"
    frame = clean()
    workbook = openpyxl.Workbook()
    workbook.active.append([c if c != "g3" else "g2" for c in frame.columns])
    workbook.save(book)
    with pytest.raises(ReturnsError, match=r"sheet 'Sheet': the header \(row 1\) names the same column more than "
                                           r"once: 'g2' in column J and column K"):
        read_returns(book, mini)


def test_a_column_with_values_but_no_name_is_refused_an_empty_one_ignored(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    lines = csv_text(clean()).splitlines()
    path.write_text("\n".join([lines[0] + ",,"] + [line + ",,5" if i == 2 else line + ",,"
                                                    for i, line in enumerate(lines[1:], 1)]) + "\n")
    with pytest.raises(ReturnsError, match=r"field 20 has no name in the header \(line 1\) but holds 1 value\(s\), "
                                           r"the first '5' on line 3; give the column its name"):
        read_returns(path, mini)
    path.write_text("\n".join([lines[0] + ",,x"] + [line + ",," for line in lines[1:]]) + "\n")
    report = validate_returns(read_returns(path, mini), mini)
    assert any("1 column(s) with no name and no values (field 19) were ignored" in n for n in report.notes)


# --- title rows above the header ---------------------------------------------------------------------------------

def test_a_title_above_the_header_in_excel_is_named_and_skipped(tmp_path, mini) -> None:
    path = tmp_path / "wave1.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(["Resident survey 2026 - wave 1 returns"])
    sheet.append([])
    frame = clean()
    sheet.append(list(frame.columns))
    for row in frame.values.tolist():
        sheet.append(row)
    sheet["H5"] = 7
    workbook.save(path)
    report = validate_returns(read_returns(path, mini), mini)
    assert problems(report, "missing_column")["column"].tolist() == ["comments"]  # as in the clean file
    assert report.notes[0] == (
        f"{path} sheet 'Sheet1': row 1 looks like a title ('Resident survey 2026 - wave 1 returns'), not the header; "
        f"the header is on row 3, so rows 1-2 above it were skipped (read_returns(..., header_row=3) says so "
        f"explicitly).")
    assert problems(report, "code_not_in_frame")["location"].tolist() == ["Sheet1 row 5"]
    assert report.file_rows == 7
    counted(report)


def test_a_title_above_the_header_in_csv_and_an_explicit_header_row(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    path.write_text("Resident survey 2026\n\n" + csv_text(clean()))
    returns = read_returns(path, mini)
    assert list(returns.columns)[:2] == ["id", "council"] and len(returns) == 4
    report = validate_returns(returns, mini)
    assert "line 1 looks like a title ('Resident survey 2026')" in report.notes[0]
    assert report.counts.set_index("item").loc["title or blank rows above the header", "rows"] == 2
    assert report.file_rows == lines_in(path) == 7
    explicit = read_returns(path, mini, header_row=3)
    pd.testing.assert_frame_equal(explicit, returns)
    wrong = validate_returns(read_returns(path, mini, header_row=1), mini)
    assert problems(wrong, "missing_column")["column"].tolist()[:2] == ["id", "weight"]
    with pytest.raises(ReturnsError, match=r"header_row=40 is beyond the end \(the last line is 7\)"):
        read_returns(path, mini, header_row=40)
    with pytest.raises(ReturnsError, match=r"header_row must be a line or sheet row number \(1 or more\)"):
        read_returns(path, mini, header_row=0)


# --- encodings ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, name", [("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "Windows-1252 (cp1252)")])
def test_a_windows_or_latin1_file_is_read_with_a_note_naming_the_line(tmp_path, mini, encoding, name) -> None:
    path = tmp_path / "wave1.csv"
    frame = clean().astype(object)
    frame["interviewer_notes"] = ["", "", "paid £5", ""]
    path.write_bytes(csv_text(frame).encode(encoding))
    returns = read_returns(path, mini)
    assert returns.loc[2, "interviewer_notes"] == "paid £5"
    report = validate_returns(returns, mini)
    assert report.notes[0] == (f"{path}: the file is not UTF-8: line 4 has byte 0xA3 ('£' in {name}); it was read "
                               f"as {name}. Check the accented letters and symbols, and ask for CSV UTF-8 next time.")
    assert "'utf-8' codec" not in str(report)


def test_utf8_with_a_byte_order_mark_and_utf16_are_read_silently(tmp_path, mini) -> None:
    for encoding in ("utf-8-sig", "utf-16"):
        path = tmp_path / f"wave1-{encoding}.csv"
        path.write_bytes(csv_text(clean(), sep="\t" if encoding == "utf-16" else ",").encode(encoding))
        returns = read_returns(path, mini)
        assert list(returns.columns)[0] == "id" and len(returns) == 4
        assert not any("UTF-8" in n for n in validate_returns(returns, mini).notes)


# --- delimiters ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep, name", [(";", "semicolon"), ("\t", "tab"), ("|", "vertical bar")])
def test_other_delimiters_are_sniffed_and_noted(tmp_path, mini, sep, name) -> None:
    path = tmp_path / "wave1.csv"
    frame = clean().astype(object)
    frame["interviewer_notes"] = ["a, b", "", "", ""]
    path.write_text(csv_text(frame, sep=sep))
    returns = read_returns(path, mini)
    assert returns.loc[0, "interviewer_notes"] == "a, b" and returns["q_sat"].dtype == "Int64"
    report = validate_returns(returns, mini)
    assert f"{path}: the file is {name}-delimited, not comma-delimited; it was read with {name}s as the " \
           f"delimiter." in report.notes
    assert "missing_column" not in set(report.problems["check"]) or \
        problems(report, "missing_column")["column"].tolist() == ["comments"]


# --- near-miss column names ----------------------------------------------------------------------------------------

def test_near_miss_column_names_say_did_you_mean(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    path.write_text(csv_text(clean().rename(columns={"q_use_sat": "q_use_sta", "life": "Life "})))
    report = validate_returns(read_returns(path, mini), mini)
    missing = problems(report, "missing_column").set_index("column")["message"]
    unexpected = problems(report, "unexpected_column").set_index("column")["message"]
    assert missing["q_use_sat"].endswith("The file has 'q_use_sta', which looks like it: rename that column to "
                                         "'q_use_sat'.")
    assert unexpected["q_use_sta"] == ("column 'q_use_sta' is neither a question nor a sample field of mini-v1. "
                                       "Did you mean 'q_use_sat' (missing)? Rename the column to 'q_use_sat'.")
    assert "Did you mean 'life' (missing)?" in unexpected["Life"]  # case and spaces
    assert any("spaces around 1 column name(s) were removed" in n for n in report.notes)


# --- the real type of a mis-named file -------------------------------------------------------------------------------

def test_mis_named_files_are_named_for_what_they_are(tmp_path, mini) -> None:
    book = tmp_path / "book.xlsx"
    clean().to_excel(book, index=False)
    (tmp_path / "wave1.csv").write_bytes(book.read_bytes())
    with pytest.raises(ReturnsError) as error:
        read_returns(tmp_path / "wave1.csv", mini)
    assert str(error.value) == (f"{tmp_path / 'wave1.csv'}: the file is named .csv but is really an Excel workbook "
                                f"(.xlsx, a zip archive) (it starts with b'PK\\x03\\x04'); rename it to wave1.xlsx "
                                f"and read it again.")
    (tmp_path / "wave2.sav").write_text(csv_text(clean()))
    with pytest.raises(ReturnsError, match=r"wave2\.sav: the file is named \.sav but is really a text \(CSV\) file; "
                                           r"rename it to wave2\.csv"):
        read_returns(tmp_path / "wave2.sav", mini)
    frame = clean()[["id", "weight"]].astype({"weight": float})
    pyreadstat.write_sav(frame, str(tmp_path / "spss.sav"))
    (tmp_path / "wave3.csv").write_bytes((tmp_path / "spss.sav").read_bytes())
    with pytest.raises(ReturnsError, match=r"wave3\.csv: the file is named \.csv but is really an SPSS data file "
                                           r"\(\.sav\) .* rename it to wave3\.sav"):
        read_returns(tmp_path / "wave3.csv", mini)
    (tmp_path / "wave4.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(ReturnsError, match=r"really an old Excel workbook \(\.xls\).*save it as \.xlsx"):
        read_returns(tmp_path / "wave4.xlsx", mini)


# --- empty deliveries ----------------------------------------------------------------------------------------------

def test_empty_deliveries_are_refused(tmp_path, mini) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ReturnsError, match=r"empty\.csv: the file is empty \(0 bytes\): no returns were delivered"):
        read_returns(tmp_path / "empty.csv", mini)
    (tmp_path / "header.csv").write_text(",".join(clean().columns) + "\n\n")
    with pytest.raises(ReturnsError, match=r"header\.csv: there are no respondents in it \(only a header with 18 "
                                           r"columns\): an empty delivery; ask the contractor"):
        read_returns(tmp_path / "header.csv", mini)
    clean().iloc[:0].to_excel(tmp_path / "header.xlsx", index=False)
    with pytest.raises(ReturnsError, match=r"header\.xlsx: there are no respondents in it"):
        read_returns(tmp_path / "header.xlsx", mini)
    pyreadstat.write_sav(pd.DataFrame({"id": pd.Series([], dtype=str)}), str(tmp_path / "none.sav"))
    with pytest.raises(ReturnsError, match=r"none\.sav: there are no respondents in it"):
        read_returns(tmp_path / "none.sav", mini)


# --- numeric sample fields, weights and exclusions counted ------------------------------------------------------------

def test_text_in_a_design_weight_is_reported_with_its_line_and_counted(tmp_path) -> None:
    v1 = load_questionnaire("core-v1")
    frame = rs.demo_consortium().head(6).astype({"design_weight": object})
    frame.loc[2, "design_weight"] = "tbc"
    frame.loc[3, "design_weight"] = 0
    frame.loc[4, "design_weight"] = None
    path = tmp_path / "wave1.csv"
    frame.to_csv(path, index=False)
    report = validate_returns(read_returns(path, v1), v1)
    tbc = problems(report, "not_a_number")
    assert tbc[["location", "column", "value"]].values.tolist() == [["line 4", "design_weight", "tbc"]]
    assert tbc["message"].iloc[0] == ("'tbc' is not a number, but core-v1 declares design_weight numeric; put the "
                                      "number in (or leave the cell blank if it is not known).")
    assert problems(report, "zero_weight")["location"].tolist() == ["line 5"]
    assert problems(report, "unusable_weight")["location"].tolist() == ["line 6"]
    counts = report.counts[report.counts["part"] == "respondents"].set_index("item")["rows"]
    assert counts.to_dict() == {"design weight not a number": 1, "design weight missing": 1,
                                "design weight negative or infinite": 0, "design weight zero": 1,
                                "no answer to any question": 0, "in the analysis": 3}
    assert report.n_excluded == 3 and counts.sum() == report.n_rows == 6
    assert report.file_rows == 7
    assert "Counts: 6 respondents = 1 design weight not a number, 1 design weight missing, " \
           "1 design weight zero, 3 in the analysis." in str(report)


def test_a_negative_weight_and_a_respondent_with_no_answers_are_out_of_every_base(tmp_path, mini) -> None:
    frame = clean().astype(object)
    frame.loc[0, "weight"] = "-2"
    for column in ["q_sat", "g1", "g2", "g3"]:
        frame.loc[1, column] = "9"
    for column in ["q_use", "q_use_sat", "age", "life", "channels_1", "channels_2", "q_local"]:
        frame.loc[1, column] = ""
    path = tmp_path / "wave1.csv"
    path.write_text(csv_text(frame))
    report = validate_returns(read_returns(path, mini), mini)
    assert problems(report, "unusable_weight")[["location", "value"]].values.tolist() == [["line 2", -2]]
    assert "a weight must be a positive, finite number" in problems(report, "unusable_weight")["message"].iloc[0]
    assert problems(report, "no_answers")["location"].tolist() == ["line 3"]
    counts = report.counts.set_index("item")["rows"]
    assert counts["design weight negative or infinite"] == 1 and counts["no answer to any question"] == 1
    assert counts["in the analysis"] == 2
    counted(report)


def test_weights_can_be_named_or_switched_off(mini) -> None:
    frame = clean().astype(object)
    frame.loc[0, "weight"] = "0"
    assert len(problems(validate_returns(frame, mini), "zero_weight")) == 1
    assert len(problems(validate_returns(frame, mini, weights=None), "zero_weight")) == 0
    with pytest.raises(ReturnsError, match=r"weights='wieght' is not a column of the returns\. Did you mean 'weight'"):
        validate_returns(frame, mini, weights="wieght")


def test_blank_lines_are_skipped_counted_and_lines_stay_right(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    lines = csv_text(clean()).splitlines()
    path.write_text("\n".join(lines[:2] + ["", ",,,"] + lines[2:]) + "\n")
    returns = read_returns(path, mini)
    returns.loc[1, "q_sat"] = 7
    report = validate_returns(returns, mini)
    assert problems(report, "code_not_in_frame")["location"].tolist() == ["line 5"]
    assert report.counts.set_index("item").loc["blank rows skipped", "rows"] == 2
    assert report.file_rows == lines_in(path) == 7
    counted(report)


def test_returns_changed_after_reading_say_so_instead_of_giving_wrong_lines(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    path.write_text(csv_text(clean()))
    returns = read_returns(path, mini).iloc[1:]
    report = validate_returns(returns, mini)
    assert report.problems["location"].isna().all()
    assert any("they were changed after reading" in n for n in report.notes)


# --- 2. the most important error first ---------------------------------------------------------------------------

def test_another_version_comes_before_the_column_problems_it_explains() -> None:
    report = validate_returns(rs.demo_consortium(wave=2), load_questionnaire("core-v1"))
    first = report.problems.iloc[0]
    assert first["check"] == "questionnaire_version" and first["value"] == "core-v2"
    assert "--questionnaire core-v2" in first["message"]
    assert str(report).split("First problems:\n")[1].startswith("  file: the columns fit core-v2 exactly, not core-v1")


# --- the command line benefits without changes but --sheet ---------------------------------------------------------

def test_the_validate_command_names_the_sheets_and_takes_sheet(tmp_path, capsys) -> None:
    from residentsurvey.cli import main

    path = tmp_path / "wave1.xlsx"
    with pd.ExcelWriter(path) as writer:
        clean().to_excel(writer, sheet_name="Respondents", index=False)
        pd.DataFrame({"note": ["weighted by the contractor"]}).to_excel(writer, sheet_name="Notes", index=False)
    assert main(["validate", str(path), "-q", str(MINI)]) == 2
    assert "--sheet Respondents" in capsys.readouterr().err
    assert main(["validate", str(path), "-q", str(MINI), "--sheet", "Respondents"]) == 1  # the seeded file's
    printed = capsys.readouterr().out
    assert "Note: " + f"{path}: sheet 'Notes' was not read" in printed
    assert ("Counts: 7 rows (lines) in the file = 2 rows not read (sheet 'Notes'), 1 header (sheet 'Respondents'), "
            "4 respondent rows (sheet 'Respondents').") in printed


def test_notes_and_counts_show_in_the_notebook_view(tmp_path, mini) -> None:
    path = tmp_path / "wave1.csv"
    path.write_text("Resident survey 2026\n" + csv_text(clean()))
    page = validate_returns(read_returns(path, mini), mini)._repr_html_()
    assert "<li>" in page and "looks like a title" in page and "Counts: 6 rows (lines) in the file" in page
