"""What a returns file really is: its type from its first bytes, its text encoding and its delimiter.

Contractors rename files (a workbook saved as ``.csv``), export from Excel in Windows-1252 or
UTF-16, and use semicolons where a comma is a decimal mark. These helpers find out, so the
reader can either go on with a note for the report or refuse with the fix.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ReturnsError

#: File signatures (first bytes) and what they mean, for naming a mis-named file.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", ".xlsx", "an Excel workbook (.xlsx, a zip archive)"),
    (b"\xd0\xcf\x11\xe0", ".xls", "an old Excel workbook (.xls)"),
    (b"$FL2", ".sav", "an SPSS data file (.sav)"),
    (b"$FL3", ".sav", "a compressed SPSS data file (.zsav)"),
    (b"PAR1", ".parquet", "a Parquet file"),
)
#: Delimiters tried when a CSV header does not split on commas, with their names.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_TEXT_SUFFIXES = {".csv"}


def real_type(head: bytes) -> tuple[str, str]:
    """``(suffix, description)`` of a file from its first bytes; text files are ``(".csv", ...)``."""
    for magic, suffix, what in SIGNATURES:
        if head.startswith(magic):
            return suffix, what
    return ".csv", "a text file"


def _looks_like_text(head: bytes) -> bool:
    """No control characters but tab, line ends and form feed (or a UTF-16 byte-order mark)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return not any(b < 9 or 13 < b < 32 and b != 27 for b in head)


def check_type(file: Path, suffix: str) -> None:
    """Refuse a file whose first bytes say it is not what its suffix claims, naming what it is and the fix."""
    with open(file, "rb") as stream:
        head = stream.read(512)
    if not head:
        raise ReturnsError(f"{file}: the file is empty (0 bytes): no returns were delivered; ask the contractor "
                           f"to export it again.")
    actual, what = real_type(head)
    if actual == suffix or (suffix == ".csv" and actual == ".csv"):
        return
    if actual == ".csv" and suffix in _TEXT_SUFFIXES:
        return
    if actual == ".csv":
        if not _looks_like_text(head):
            return  # binary but of no known kind: let the reader say what is wrong
        raise ReturnsError(f"{file}: the file is named {suffix} but is really a text (CSV) file; rename it to "
                           f"{file.with_suffix('.csv').name} and read it again.")
    fix = (f"rename it to {file.with_suffix(actual).name} and read it again" if actual != ".xls"
           else "open it in Excel and save it as .xlsx (or CSV UTF-8)")
    raise ReturnsError(f"{file}: the file is named {suffix} but is really {what} (it starts with {head[:4]!r}); "
                       f"{fix}.")


def decode(data: bytes, file: Path) -> tuple[str, str | None]:
    """The text of a CSV file and a note for the report when it was not UTF-8 (``None`` when it was).

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read
    silently; anything else is read as Windows-1252 (cp1252, what Excel on Windows writes),
    or Latin-1 when a byte has no cp1252 character, with a note naming the first line that is
    not UTF-8, its byte and the character it became.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            raise ReturnsError(f"{file}: the file starts with a UTF-16 byte-order mark but is not valid UTF-16 "
                               f"(byte {error.start}); export it again as CSV UTF-8.") from error
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        position = error.start
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1 (ISO-8859-1)"
    line = data.count(b"\n", 0, position) + 1
    byte = data[position]
    shown = bytes([byte]).decode("cp1252", errors="replace") if "1252" in encoding else chr(byte)
    note = (f"{file}: the file is not UTF-8: line {line} has byte 0x{byte:02X} ({shown!r} in {encoding}); it was read "
            f"as {encoding}. Check the accented letters and symbols, and ask for CSV UTF-8 next time.")
    return text, note


def delimiter(lines: list[str], expected: set[str]) -> tuple[str, str | None]:
    """The delimiter of a CSV file from its first lines, and a note when it is not a comma.

    The delimiter that splits one of the lines (the header, below any title) into the most
    expected column names wins; ties go to the one giving more fields, then to the comma.
    """
    def score(sep: str) -> tuple[int, int]:
        best = (0, 0)
        for line in lines:
            names = [n.strip().strip('"').strip() for n in line.split(sep)]
            best = max(best, (sum(n in expected for n in names), len(names)))
        return best

    scores = {sep: score(sep) for sep in DELIMITERS}
    best = max(DELIMITERS, key=lambda sep: (*scores[sep], sep == ","))
    if best == "," or scores[best][1] <= 1:
        return ",", None
    name = DELIMITERS[best]
    return best, f"the file is {name}-delimited, not comma-delimited; it was read with {name}s as the delimiter."
