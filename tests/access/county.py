"""Access to the county's pages (县级): the hall switcher, league tables, station star ratings."""
from portal.roles import Role

COUNTY = {Role.COUNTY_ADMIN, Role.COUNTY_SUPERVISOR}

ROUTES = {
    "county.switch_hall": (COUNTY, {}),
    "county.league_table": (COUNTY, {}),
    "county.index": (COUNTY, {}),
    "county.ratings": (COUNTY, {}),
    "county.rating_new": ({Role.COUNTY_SUPERVISOR}, {"hall_id": "hall"}),
    "county.rating_view": (COUNTY, {"rating_id": "station_rating"}),
    "county.rating_pdf": (COUNTY, {"rating_id": "station_rating"}),
}


def seed(ids):
    from portal import clock
    from portal.auth.models import User
    from portal.county.models import StationRating
    from portal.extensions import db
    by = db.session.get(User, ids["person"])
    row = StationRating(hall_id=ids["hall"], county_hall_id=ids["hall"], by_id=by.id, day=clock.today(),
                        at=clock.now(), full_centi=500, score_centi=480, stars=4)
    db.session.add(row)
    db.session.commit()
    ids["station_rating"] = row.id
