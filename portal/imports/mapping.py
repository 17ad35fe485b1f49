"""Apply a profile's column mapping to the rows of a file."""
from dataclasses import dataclass

from .reading import FileRefused, Line
from .spec import ImportSpec

HEADER_SEARCH_ROWS = 10  # title rows above a header are found within this many rows


@dataclass
class Mapped:
    """A row after mapping: its line number, its fields, or why it cannot be mapped."""

    number: int
    values: dict
    error: str = ""


def _by_name(wanted) -> bool:
    return isinstance(wanted, str) and not wanted.isdigit()


def _column_index(wanted, header: list[str] | None, label: str) -> int | None:
    if not _by_name(wanted):
        return int(wanted)
    if header is None:
        raise FileRefused(f"方案按列名“{wanted}”读取“{label}”，但没有表头行；请改用列序号或设置表头")
    names = [h.strip() for h in header]
    return names.index(wanted) if wanted in names else None


def resolve(spec: ImportSpec, columns: dict, header: list[str] | None) -> dict:
    """Turn the mapping's names or positions into column indexes; refuse a mapping that does not fit.

    A field of several columns keeps those the file has (a two-punch day has no 上班2 column).
    """
    out = {}
    shown = "、".join(h for h in (header or []) if h)
    for f in spec.fields:
        wanted = columns.get(f.name)
        if wanted in (None, "", []):
            if f.required:
                raise FileRefused(f"方案没有指定“{f.label}”所在的列")
            continue
        many = wanted if isinstance(wanted, list) else [wanted]
        idx = [i for i in (_column_index(w, header, f.label) for w in many) if i is not None]
        if not idx or (not f.many and len(idx) < len(many)):
            raise FileRefused(f"文件的表头里没有“{'、'.join(map(str, many))}”列（{f.label}）；表头是：{shown}")
        out[f.name] = idx if f.many else idx[0]
    return out


def _header_at(body: list[Line], columns: dict) -> int:
    """Find the header among the first rows: the first row holding every column named by the mapping."""
    names = {w for v in columns.values() for w in (v if isinstance(v, list) else [v]) if _by_name(w)}
    singles = {v for v in columns.values() if _by_name(v)}
    for i, line in enumerate(body[:HEADER_SEARCH_ROWS]):
        cells = {c.strip() for c in line.cells}
        if singles <= cells and (names & cells):
            return i
    return 0


def map_lines(spec: ImportSpec, lines: list[Line], mapping: dict, skip_rows: int) -> tuple[list[Mapped], dict]:
    """Skip title rows, find the header if the profile has one, and map every other row to fields."""
    columns = mapping.get("columns", {})
    body, skipped, header = lines[skip_rows:], min(skip_rows, len(lines)), None
    if mapping.get("header", True) and body:
        at = _header_at(body, columns)
        header, body, skipped = body[at].cells, body[at + 1:], skipped + at + 1
    indexes = resolve(spec, columns, header)
    notes = {"skipped": skipped, "blank": 0}
    out = []
    for line in body:
        if line.error:
            out.append(Mapped(line.number, {}, line.error))
        elif not any(c for c in line.cells):
            notes["blank"] += 1
        else:
            out.append(_map_one(spec, line, indexes))
    return out, notes


def _map_one(spec: ImportSpec, line: Line, indexes: dict) -> Mapped:
    values, width = {}, len(line.cells)
    for name, idx in indexes.items():
        many = idx if isinstance(idx, list) else [idx]
        if max(many) >= width and spec.field(name).required:
            return Mapped(line.number, {}, f"只有 {width} 列，缺少“{spec.field(name).label}”（第 {max(many) + 1} 列）")
        cells = [line.cells[i] if i < width else "" for i in many]
        values[name] = cells if isinstance(idx, list) else cells[0]
    return Mapped(line.number, values)
