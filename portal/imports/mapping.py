"""Apply a profile's column mapping to the rows of a file."""
from dataclasses import dataclass

from .reading import FileRefused, Line
from .spec import ImportSpec


@dataclass
class Mapped:
    """A row after mapping: its line number, its fields, or why it cannot be mapped."""

    number: int
    values: dict
    error: str = ""


def _column_index(wanted, header: list[str] | None, label: str) -> int:
    if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.isdigit()):
        return int(wanted)
    if header is None:
        raise FileRefused(f"方案按列名“{wanted}”读取“{label}”，但没有表头行；请改用列序号或设置表头")
    names = [h.strip() for h in header]
    if wanted not in names:
        raise FileRefused(f"文件的表头里没有“{wanted}”列（{label}）；表头是：{'、'.join(n for n in names if n)}")
    return names.index(wanted)


def resolve(spec: ImportSpec, columns: dict, header: list[str] | None) -> dict:
    """Turn the mapping's names or positions into column indexes; refuse a mapping that does not fit."""
    out = {}
    for f in spec.fields:
        wanted = columns.get(f.name)
        if wanted in (None, "", []):
            if f.required:
                raise FileRefused(f"方案没有指定“{f.label}”所在的列")
            continue
        many = wanted if isinstance(wanted, list) else [wanted]
        idx = [_column_index(w, header, f.label) for w in many]
        out[f.name] = idx if f.many else idx[0]
    return out


def map_lines(spec: ImportSpec, lines: list[Line], mapping: dict, skip_rows: int) -> tuple[list[Mapped], dict]:
    """Skip title rows, read the header if the profile has one, and map every other row to fields."""
    body = lines[skip_rows:]
    header = None
    if mapping.get("header", True) and body:
        header, body = body[0].cells, body[1:]
    indexes = resolve(spec, mapping.get("columns", {}), header)
    notes = {"skipped": min(skip_rows, len(lines)) + (1 if header is not None else 0), "blank": 0}
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
