"""Attendance's use of the shared import mechanism: its punch profiles."""
from ..imports import profiles as saved_profiles
from . import formats
from .punches import SPEC


def profiles(hall_id: int):
    """Return the punch profiles the hall can import with."""
    return saved_profiles.available(hall_id, SPEC.kind, formats.presets())


def profile(hall_id: int, name: str):
    """Return the punch profile of this name, or refuse."""
    return saved_profiles.find(hall_id, SPEC.kind, name, formats.presets())
