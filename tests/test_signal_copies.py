"""The rulebook and a hall's window choices: kept in the worker while the change signal says their tables are unchanged.

A write used to read the rulebook afresh on every request; it now takes the worker's copy while no rulebook table
has changed anywhere (on PostgreSQL the listener hears every server's commits; on SQLite the watcher sees
data_version move), and reads it again as soon as one has.
"""
import re
import time

import pytest

from portal import signals
from portal.extensions import db
from portal.org import service as org
from portal.rulebook import service as rules
from tests.conftest import PG_URL, change_elsewhere, listening
from tests.querycount import count_queries

KEY = "duty.desk_poll_seconds"


@pytest.fixture(autouse=True)
def _signals_on(app):
    app.config["CHANGE_SIGNALS"] = True  # as served (config.Config); the rest of the suite reads each time
    app.config["RULEBOOK_CACHE_SECONDS"] = 0  # no time-limited copy: only the signal may keep one
    listening(app)
    signals.forget_all()  # nothing kept by an earlier test's app in this process


def _in_write(app, read):
    """What read() gives inside a POST request, and the statements it ran there."""
    with app.test_request_context("/", method="POST"), count_queries(app) as queries:
        return read(), queries


def _soon(app, read, expected, seconds=5.0):
    """read() in a POST request until it gives expected (PostgreSQL: the notice takes a moment)."""
    deadline = time.monotonic() + (seconds if PG_URL else 0.0)
    while True:
        got, _ = _in_write(app, read)
        if got == expected or time.monotonic() > deadline:
            return got
        time.sleep(0.02)


def test_a_write_takes_the_rulebook_from_the_copy_until_a_rule_changes_elsewhere(app):
    first, _read = _in_write(app, lambda: rules.get(KEY))
    deadline = time.monotonic() + 5  # PostgreSQL: an earlier test's late notices may still move the tables once
    while True:
        again, kept = _in_write(app, lambda: rules.get(KEY))
        if not any("rule_setting" in q for q in kept) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert again == first and not any("rule_setting" in q for q in kept), kept
    change_elsewhere(app, f"insert into rule_setting (key, value, version, changed_at) "
                    f"values ('{KEY}', '{first + 7}', 1, '2026-11-23 00:00:00')")
    assert _soon(app, lambda: rules.get(KEY), first + 7) == first + 7


def test_a_station_opened_elsewhere_ends_the_copy(app, hall):
    """The hall tree is read with the rules: a hall moved under a county elsewhere is a station at the next write."""
    from portal.org.models import Hall
    with app.app_context():
        county = Hall(name="县政务服务中心", level="county")
        db.session.add(county)
        db.session.commit()
        county_id = county.id
    assert _in_write(app, lambda: rules.is_station(hall["hall"]))[0] is False
    change_elsewhere(app, f"update hall set parent_id = {county_id} where id = {hall['hall']}")
    assert _soon(app, lambda: rules.is_station(hall["hall"]), True) is True


def _reads_windows(statement: str) -> bool:
    return re.search(r'window"?\.name', statement) is not None


def test_window_choices_are_kept_until_a_window_changeschange_elsewhere(app, hall):
    def choices():
        return [(w.number, w.name) for w in org.window_choices(hall["hall"])]
    first, read = _in_write(app, choices)
    windows = [q for q in read if _reads_windows(q)]
    assert first == [(1, "税务综合窗口"), (2, "户籍窗口")] and len(windows) == 1, read
    again, kept = _in_write(app, choices)
    assert again == first and not any(_reads_windows(q) for q in kept), kept
    change_elsewhere(app, "update \"window\" set name = '税务窗口' where number = 1")
    assert _soon(app, choices, [(1, "税务窗口"), (2, "户籍窗口")]) == [(1, "税务窗口"), (2, "户籍窗口")]


def test_a_change_in_this_worker_ends_the_copy_at_once(app, hall):
    from portal.org.models import Window
    _in_write(app, lambda: org.window_choices(hall["hall"]))
    with app.app_context():
        db.session.query(Window).filter_by(number=2).update({"name": "出入境窗口"})
        db.session.commit()
    got, _ = _in_write(app, lambda: [w.name for w in org.window_choices(hall["hall"])])
    assert got == ["税务综合窗口", "出入境窗口"]  # no waiting: this worker's own write moved the signal


def test_forget_all_drops_the_copies_a_restore_could_make_stale(app, hall):
    from portal import signals
    _in_write(app, lambda: org.window_choices(hall["hall"]))  # kept
    signals.forget_all()
    _, again = _in_write(app, lambda: org.window_choices(hall["hall"]))
    assert any(_reads_windows(q) for q in again), again
