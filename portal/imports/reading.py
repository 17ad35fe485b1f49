"""Read an uploaded file into numbered rows of text cells: CSV/.dat in UTF-8 or GBK, Excel by calamine."""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from python_calamine import CalamineError, CalamineWorkbook

from ..refusals import Refusal

ENCODINGS = {"auto": "自动识别", "utf-8": "UTF-8", "gbk": "GBK（GB18030）"}
DELIMITERS = {"auto": "自动", "tab": "制表符", "comma": "逗号"}
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


@dataclass
class Line:
    """One row of the file: its line number (1-based, as a person counts), cells, or why it is unreadable."""

    number: int
    cells: list[str]
    error: str = ""


class FileRefused(Refusal):
    """A file that cannot be read at all (wrong kind, broken workbook)."""


def is_workbook(data: bytes) -> bool:
    """Say whether the bytes are an Excel workbook (.xlsx zip or .xls compound file)."""
    return data[:4] == _ZIP or data[:4] == _OLE


def read_rows(data: bytes, encoding: str = "auto", delimiter: str = "auto") -> list[Line]:
    """Return every row of the file, numbered; undecodable text lines come back with their reason."""
    if not data:
        raise FileRefused("文件是空的")
    if is_workbook(data):
        return _workbook_rows(data)
    return _text_rows(data, encoding, delimiter)


def _workbook_rows(data: bytes) -> list[Line]:
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as e:
        raise FileRefused(f"无法读取这个 Excel 文件（{type(e).__name__}），请确认它是 .xlsx 或 .xls 文件") from None
    return [Line(n, [cell_text(v) for v in row]) for n, row in enumerate(values, start=1)]


def cell_text(value) -> str:
    """Turn a spreadsheet cell into the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def detect_encoding(data: bytes) -> str:
    """Return utf-8-sig, utf-8 or gb18030 (GBK's superset), judged from the bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _text_rows(data: bytes, encoding: str, delimiter: str) -> list[Line]:
    codec = detect_encoding(data) if encoding == "auto" else {"gbk": "gb18030"}.get(encoding, encoding)
    if codec == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    raw_lines = data.splitlines()
    sep = _delimiter(raw_lines, delimiter)
    out = []
    for number, raw in enumerate(raw_lines, start=1):
        try:
            text = raw.decode(codec if number == 1 else codec.replace("-sig", ""))
        except UnicodeDecodeError:
            out.append(Line(number, [], f"第 {number} 行无法按 {ENCODINGS.get(encoding, codec)} 编码读取"))
            continue
        cells = next(csv.reader([text], delimiter=sep), [])
        out.append(Line(number, [c.strip() for c in cells]))
    return out


def _delimiter(lines: list[bytes], chosen: str) -> str:
    if chosen in ("tab", "comma"):
        return "\t" if chosen == "tab" else ","
    head = b"\n".join(lines[:5])
    return "\t" if head.count(b"\t") > head.count(b",") else ","
