"""What a capability tells the shared import pages: its rows, profiles, words, steps and who may import."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import url_for

from ..records import hall_record, refuse_record
from . import profiles as saved_profiles
from . import service
from .forms import profile_form
from .models import ImportBatch
from .spec import NEW, ImportSpec

SHOWN_ROWS = 300  # rows of one class listed on a preview or import page; the counts cover them all


@dataclass
class ImportPages:
    """One capability's import pages (导入): its spec, presets, roles, words and the steps it adds.

    confirm(hall_id, token, user) -> ImportBatch and reverse(batch, user, reason) -> ImportReversal
    default to the shared steps; a capability that does more (open cases, settle points) passes its own.
    title, noun and unit make the page's words ("导入打卡记录", "已导入 5 条打卡记录"); intro explains the
    file on the upload page; nav and note are templates of the capability shown above every page and
    on an import's record; details(batch) adds to the note's context; options are the capability's own
    profile settings (name, label), kept in the mapping's "options".
    """

    spec: ImportSpec
    presets: Callable[[], list]
    roles: tuple
    title: str
    noun: str
    file_label: str
    intro: str = ""
    unit: str = "条"
    confirm_step: Callable | None = None
    reverse_step: Callable | None = None
    nav: str | None = None
    note: str | None = None
    details: Callable[[ImportBatch], dict] = lambda batch: {}
    options: Sequence[tuple[str, str]] = ()
    blueprint: str = field(default="", init=False)  # set when the pages are added to a blueprint

    @property
    def profile_form(self):
        """Return the profile form class, with this capability's options."""
        return profile_form(self.options)

    def at(self, view: str, **values) -> str:
        """Return the URL of one of these pages."""
        return url_for(f"{self.blueprint}.{view}", **values)

    def profiles(self, hall_id: int) -> list:
        """Return the profiles the hall can import with: its own, then the presets."""
        return saved_profiles.available(hall_id, self.spec.kind, self.presets())

    def profile(self, hall_id: int, name: str):
        """Return the profile of this name, or refuse with the names there are."""
        return saved_profiles.find(hall_id, self.spec.kind, name, self.presets())

    def confirm(self, hall_id: int, token: str, user) -> ImportBatch:
        """Save what the preview showed, through the capability's step when it has one."""
        if self.confirm_step:
            return self.confirm_step(hall_id, token, user)
        return service.confirm(self.spec, hall_id, token, user)

    def reverse(self, batch: ImportBatch, user, reason: str):
        """Reverse a whole import, through the capability's step when it has one."""
        if self.reverse_step:
            return self.reverse_step(batch, user, reason)
        return service.reverse(self.spec, batch, user, reason)

    def batch(self, hall_id: int, batch_id: int) -> ImportBatch:
        """Return one import of this kind of the hall, or an audited 404."""
        found = hall_record(ImportBatch, batch_id, hall_id=hall_id)
        if found.kind != self.spec.kind:
            refuse_record(ImportBatch.__tablename__, batch_id, "another kind of import")
        return found

    def kept(self, rows: list) -> int:
        """Return how many rows of a preview would be saved."""
        return sum(1 for r in rows if r["cls"] in self.spec.keep)

    def shown(self, rows: list, cls: str | None) -> tuple[list, int]:
        """Return the rows to list (one class, or the problems first) and how many are left out."""
        picked = ([r for r in rows if r["cls"] == cls] if cls else
                  [r for r in rows if r["cls"] != NEW] + [r for r in rows if r["cls"] == NEW])
        return picked[:SHOWN_ROWS], max(0, len(picked) - SHOWN_ROWS)
