"""What a capability tells the import mechanism about its rows."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

NEW = "new"
DUPLICATE = "duplicate"
UNREADABLE = "unreadable"
EMPTY = "empty"  # a readable row with nothing to import (a DingTalk day without punches, say)
CLASS_LABELS = {NEW: "新增", DUPLICATE: "已导入", UNREADABLE: "无法读取", EMPTY: "无可导入内容"}


class RowError(ValueError):
    """A row that cannot be read; the message is the Chinese reason shown in the preview."""


@dataclass(frozen=True)
class Field:
    """A field a column mapping can point at: one column, or several (`many`) for wide layouts."""

    name: str
    label: str
    required: bool = False
    many: bool = False


@dataclass(frozen=True)
class ImportSpec:
    """A capability's import: how to read its rows, key them, classify and save them.

    parse(cells, options) -> list of records (dicts of JSON-able values), [] for nothing; raise RowError.
    key(record) -> the idempotency key (unique per hall in `model`).
    classify(hall_id, records) -> for each record None (new) or (class, Chinese reason).
    to_row(record) -> the model's column values (hall_id, import_id and key are added).
    columns: the (record field, label) pairs the preview table shows; shown[field](value) formats one.
    """

    kind: str
    label: str
    fields: Sequence[Field]
    model: type
    parse: Callable[[dict, dict], list[dict]]
    key: Callable[[dict], str]
    to_row: Callable[[dict], dict]
    columns: Sequence[tuple[str, str]]
    classify: Callable[[int, list[dict]], list] = lambda hall_id, records: [None] * len(records)
    class_labels: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)
    keep: frozenset = frozenset({NEW})

    @property
    def labels(self) -> dict:
        """Return the Chinese name of every preview class this import can give."""
        return {**CLASS_LABELS, **self.class_labels}

    def label_of(self, cls: str) -> str:
        """Return the Chinese name of a preview class."""
        return self.class_labels.get(cls) or CLASS_LABELS.get(cls, cls)

    def cell(self, name: str, record: dict | None) -> str:
        """Return one field of a record as the preview table shows it."""
        value = (record or {}).get(name, "")
        return self.shown[name](value) if name in self.shown and value != "" else value

    def field(self, name: str) -> Field:
        """Return the field of this name."""
        return next(f for f in self.fields if f.name == name)

