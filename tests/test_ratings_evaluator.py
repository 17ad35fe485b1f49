"""The evaluator at the window (评价器): one visit one rating, the unrated rule, refusals, the idle poll."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.ratings.models import Invitation, Rating, RatingCase
from tests.ratings_fixtures import TOKEN, evaluator_device, frozen, invite, people, signed_in, tap  # noqa: F401 - fixtures


def _ratings(app):
    with app.app_context():
        return db.session.execute(select(func.count(Rating.id))).scalar_one()


def test_one_visit_gets_one_rating(app, client, frozen, evaluator_device, people):
    inv = invite(app, people)
    assert tap(client, inv, 1).status_code == 200
    second = tap(client, inv, 5, detail="1")
    assert second.status_code == 409 and "已经评价过了" in second.get_data(as_text=True)
    assert _ratings(app) == 1


def test_the_evaluator_asks_only_while_an_invitation_waits(app, client, frozen, evaluator_device, people):
    idle = client.get(f"/evaluator/{TOKEN}").get_data(as_text=True)
    assert "欢迎您对我们的服务进行评价" in idle and 'name="level"' not in idle
    invite(app, people)
    page = client.get(f"/evaluator/{TOKEN}").get_data(as_text=True)
    assert page.count('class="level"') == 5
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f">{label}</button>" in page


def test_the_evaluator_shows_no_staff_data_and_no_portal_link(app, client, frozen, evaluator_device, people):
    invite(app, people)
    page = client.get(f"/evaluator/{TOKEN}").get_data(as_text=True)
    assert "张小明" not in page and "/ratings" not in page and "/login" not in page
    hrefs = [h for h in page.split('href="')[1:]]
    assert all(h.startswith("/static/") for h in hrefs)


def test_a_bad_level_asks_for_tags_then_saves_them_and_opens_a_case(app, client, frozen, evaluator_device, people):
    inv = invite(app, people)
    detail = tap(client, inv, 4)
    assert "服务态度差" in detail.get_data(as_text=True) and _ratings(app) == 0
    saved = tap(client, inv, 4, detail="1", tag=["服务态度差", "等候时间长"], text="排队太久",
                name="刘德华", phone="13812345678")
    assert saved.status_code == 200 and "感谢" in saved.get_data(as_text=True)
    with app.app_context():
        rating = db.session.execute(select(Rating)).scalar_one()
        assert rating.tag_list == ["服务态度差", "等候时间长"] and rating.rater_phone == "13812345678"
        assert db.session.execute(select(RatingCase)).scalar_one().state == "verify"


def test_an_expired_invitation_is_refused_and_counts_as_unrated(app, client, frozen, evaluator_device, people):
    inv = invite(app, people)
    frozen(clock.now() + timedelta(minutes=10))
    answer = tap(client, inv, 2)
    assert answer.status_code == 409 and "已过期" in answer.get_data(as_text=True)
    assert _ratings(app) == 0


def test_a_newer_invitation_supersedes_an_unrated_one(app, client, frozen, evaluator_device, people):
    first = invite(app, people)
    second = invite(app, people)
    assert tap(client, first, 1).status_code == 409
    assert tap(client, second, 1).status_code == 200


def test_a_forged_level_or_tag_is_refused_and_nothing_saved(app, client, frozen, evaluator_device, people):
    inv = invite(app, people)
    assert tap(client, inv, 9).status_code == 422
    assert tap(client, inv, "满意").status_code == 422
    assert tap(client, inv, 4, detail="1", tag=["伪造的指标"]).status_code == 422
    assert tap(client, inv, 4, detail="1", phone="abc").status_code == 422
    assert _ratings(app) == 0


def test_a_revoked_evaluator_is_stopped_and_saves_nothing(app, client, frozen, evaluator_device, people):
    from portal.auth.models import User
    from portal.ratings import evaluator
    from tests.ratings_fixtures import csrf_of
    inv = invite(app, people)
    csrf = csrf_of(client.get(f"/evaluator/{TOKEN}").get_data(as_text=True))  # the device's open page
    with app.app_context():
        evaluator.revoke(db.session.get(User, people["admin"]), evaluator_device)
        db.session.commit()
    assert client.get(f"/evaluator/{TOKEN}").status_code == 404
    answer = client.post(f"/evaluator/{TOKEN}/rate", data={"csrf_token": csrf, "invitation": inv, "level": 1})
    assert answer.status_code == 404 and "已停用" in answer.get_data(as_text=True)
    assert _ratings(app) == 0


def test_a_flood_of_taps_from_one_device_is_limited(app, client, frozen, evaluator_device, people):
    from portal.rulebook import service as rules
    with app.app_context():
        limit = rules.get("evaluation.taps_per_minute")
    inv = invite(app, people)
    answers = [tap(client, inv, 9).status_code for _ in range(limit + 1)]
    assert answers[:limit] == [422] * limit and answers[-1] == 429


def test_the_idle_poll_is_a_304_without_the_database(app, client, frozen, evaluator_device, people):
    from tests.querycount import count_queries
    first = client.get(f"/evaluator/{TOKEN}/state")
    etag = first.headers["ETag"]
    client.get(f"/evaluator/{TOKEN}/state", headers={"If-None-Match": etag})
    with count_queries(app) as seen:
        again = client.get(f"/evaluator/{TOKEN}/state", headers={"If-None-Match": etag})
    assert again.status_code == 304 and len(seen) == 0
    invite(app, people)
    changed = client.get(f"/evaluator/{TOKEN}/state", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and 'name="level"' in changed.get_data(as_text=True)


def test_the_clerk_invites_from_their_page_and_never_sees_the_rater(app, frozen, evaluator_device, people):
    clerk = signed_in(app, "clerk")
    page = clerk.get("/ratings/window").get_data(as_text=True)
    from tests.ratings_fixtures import csrf_of
    answer = clerk.post("/ratings/window/invite", data={"csrf_token": csrf_of(page)})
    assert answer.status_code == 200 and "已邀请评价" in answer.get_data(as_text=True)
    with app.app_context():
        inv = db.session.execute(select(Invitation)).scalar_one()
    tap(app.test_client(), inv.id, 5, detail="1", name="刘德华", phone="13812345678")
    shown = clerk.get("/ratings/window").get_data(as_text=True)
    assert "非常不满意" in shown and "刘" not in shown and "1381" not in shown and "5678" not in shown


def test_a_person_without_a_window_cannot_invite(app, frozen, evaluator_device, people):
    leader = signed_in(app, "leader")
    from tests.ratings_fixtures import csrf_of
    page = leader.get("/ratings/window").get_data(as_text=True)
    assert "还没有分配窗口" in page
    assert leader.post("/ratings/window/invite", data={"csrf_token": csrf_of(page)}).status_code == 409


@pytest.mark.demo
def test_the_demo_evaluator_is_paired_to_the_demo_clerks_window(app):
    from portal.auth.models import User
    from portal.ratings.models import Evaluator
    with app.app_context():
        device = db.session.execute(select(Evaluator).where(Evaluator.token == "demo-evaluator-1")).scalar_one()
        clerk = db.session.execute(select(User).where(User.login == "chuangkou")).scalar_one()
        assert device.window_id == clerk.window_id
        states = set(db.session.execute(select(RatingCase.state)).scalars())
        assert {"verify", "classify", "rectify", "closed", "appealed", "void"} <= states
        assert "extend" in set(db.session.execute(select(RatingCase.pending)).scalars())
    assert app.test_client().get("/evaluator/demo-evaluator-1").status_code == 200


def test_the_centers_tags_are_versioned_and_a_rating_keeps_its_version(app, client, frozen, evaluator_device, people):
    from tests.ratings_fixtures import csrf_of
    admin = signed_in(app, "center")
    csrf = csrf_of(admin.get("/ratings/tags").get_data(as_text=True))
    saved = admin.post("/ratings/tags", data={"csrf_token": csrf, "tags": "办事拖沓\n态度生硬"})
    assert "第 1 版" in saved.get_data(as_text=True)
    inv = invite(app, people)
    assert "办事拖沓" in tap(client, inv, 5).get_data(as_text=True)
    assert tap(client, inv, 5, detail="1", tag=["服务态度差"]).status_code == 422  # the old default tag
    assert tap(client, inv, 5, detail="1", tag=["态度生硬"]).status_code == 200
    with app.app_context():
        rating = db.session.execute(select(Rating)).scalar_one()
        assert rating.tag_set_id is not None and rating.tag_list == ["态度生硬"]


def test_an_invitation_number_that_is_no_id_is_refused_as_invalid(app, client, frozen, evaluator_device, people):
    invite(app, people)
    for forged in ("²", "99999999999999999999", "-1", ""):  # once a server error for the first two
        answer = tap(client, forged, 1)
        assert answer.status_code == 409 and "本次评价邀请无效" in answer.get_data(as_text=True), forged
    assert _ratings(app) == 0


def test_a_good_tap_costs_one_read_and_its_writes(app, client, frozen, evaluator_device, people):
    from tests.querycount import count_queries
    from tests.ratings_fixtures import csrf_of
    inv = invite(app, people)
    csrf = csrf_of(client.get(f"/evaluator/{TOKEN}").get_data(as_text=True))
    with count_queries(app) as seen:
        answer = client.post(f"/evaluator/{TOKEN}/rate", data={"csrf_token": csrf, "invitation": inv, "level": 1})
    assert answer.status_code == 200 and "感谢" in answer.get_data(as_text=True)
    # The device and its visit, the flood count, the rulebook, the rating (on PostgreSQL in the count's own
    # statement), its audit row with the chain head (and PostgreSQL's chain lock), the month's row: nothing
    # loaded twice, no savepoints.
    assert len(seen) <= 7, seen


def test_a_bad_tap_reads_everything_before_its_first_write(app, client, frozen, evaluator_device, people):
    from tests.querycount import count_queries
    from tests.ratings_fixtures import csrf_of
    inv = invite(app, people)
    csrf = csrf_of(client.get(f"/evaluator/{TOKEN}").get_data(as_text=True))
    with count_queries(app) as seen:
        answer = client.post(f"/evaluator/{TOKEN}/rate", data={"csrf_token": csrf, "invitation": inv, "level": 5,
                                                               "detail": "1", "tag": "服务态度差"})
    assert answer.status_code == 200 and "感谢" in answer.get_data(as_text=True)
    reads = [s.lstrip().upper().startswith("SELECT") and "INSERT" not in s.upper() for s in seen]
    first_write = reads.index(False)
    # The case's deadline (the hall's calendar) is read before the writes begin: once they have, SQLite's
    # write lock is held, and the only read left is the audit chain's head (with PostgreSQL's chain lock).
    assert any("calendar_day" in s for s in seen[:first_write]), seen
    late = [s for s, read in zip(seen[first_write:], reads[first_write:], strict=True) if read]
    assert all("audit_event.hash" in s or "pg_advisory_xact_lock" in s for s in late), late


def test_a_bad_tap_moves_only_its_own_halls_inbox_version(app, client, frozen, evaluator_device, people):
    from portal.inbox import pulse
    from portal.org.models import Hall
    with app.app_context():
        other = Hall(name="城关镇便民服务站")
        db.session.add(other)
        db.session.commit()
        own, other_id = db.session.get(User, people["clerk"]).hall_id, other.id
        before = {h: pulse.version(h) for h in (own, other_id)}
    assert tap(client, invite(app, people), 4, detail="1").status_code == 200
    with app.app_context():
        # The case and its first step are the rated window's hall's: no person is signed in at the evaluator,
        # and the step's hall is its case's, so no other hall's inbox is told to look again.
        assert pulse.version(own) == before[own] + 1 and pulse.version(other_id) == before[other_id]


def test_a_second_tap_of_a_visit_at_the_same_moment_saves_nothing(app, frozen, evaluator_device, people):
    from portal.ratings import visits
    from portal.ratings.evaluator import EvaluatorError
    inv = invite(app, people)
    answer = visits.Answer("1")
    with app.test_request_context(f"/evaluator/{TOKEN}/rate", method="POST"):
        seen = visits.visit(TOKEN, inv, False)  # both taps read the visit before either was saved
        first = visits.rated(seen, values := visits.rating_values(seen, 1, answer),
                             visits.count_tap(seen.device_id, values))
        db.session.commit()
        with pytest.raises(EvaluatorError) as refused:
            visits.rated(seen, values, visits.count_tap(seen.device_id, visits.rating_values(seen, 1, answer)))
        db.session.commit()
    assert first and refused.value.status == 409 and refused.value.message == visits.RATED
    assert _ratings(app) == 1
