"""The sheet's scheme (考核分类方案): base, cap and categories with their maximum deductions, from the rulebook."""
from dataclasses import dataclass

from ..rulebook import service as rules
from ..scores.service import to_centi

OTHER = "other"
LINKED = "linked"  # the pseudo-source of a unit's person-to-unit cost


@dataclass(frozen=True)
class Category:
    """One category of the sheet (e.g. 到岗, at most 20 points off)."""

    key: str
    label: str
    max_centi: int  # 0: no maximum
    match: tuple[tuple[str, str], ...] = ()  # (source, word in the rule or "")

    def takes(self, source: str, rule: str) -> bool:
        return any(s == source and (not word or word in rule) for s, word in self.match)


@dataclass(frozen=True)
class Scheme:
    """The categories in force, the base and the cap of a hall's sheet."""

    name: str
    base_centi: int
    cap_centi: int
    categories: tuple[Category, ...]

    def category_of(self, source: str, rule: str) -> str:
        """Return the key of the first category taking an event of this source and rule, else other."""
        for category in self.categories:
            if category.takes(source, rule):
                return category.key
        return OTHER


def _match(raw: str) -> tuple[str, str]:
    source, _, word = raw.partition(":")
    return source, word


def current(hall_id: int) -> Scheme:
    """Return the scheme the hall's rulebook has in force now."""
    name = rules.get("sheet.scheme", hall_id)
    table = rules.table("sheet_schemes")[name]
    categories = [Category(c["key"], c["label"], to_centi(rules.get(c["max"], hall_id)),
                           tuple(_match(m) for m in c["match"])) for c in table["categories"]]
    categories.append(Category(OTHER, table.get("other", "其他"), 0))
    return Scheme(name, to_centi(rules.get("sheet.base", hall_id)), to_centi(rules.get("sheet.cap", hall_id)),
                  tuple(categories))
