"""Every printable in the one document layout (GB/T 9704-2012): office, number, date, seal room, page numbers."""
import os
from pathlib import Path

from portal.auth.models import User
from portal.documents.models import IssuedDocument
from portal.extensions import db
from portal.notices.models import Notice
from portal.org.models import Window
from portal.patrol import service as patrol
from portal.roles import Role
from portal.uploads.models import StoredFile
from tests.conftest import sign_in, token
from tests.duty_fixtures import frozen, leaders, on_duty, staffed  # noqa: F401 - pytest fixtures
from tests.pdftools import pdf_pages, pdf_text

HX = {"HX-Request": "true"}
HALL = "测试政务服务中心"


def _text(name: str, data: bytes) -> str:
    """Return a PDF's text without spaces; keep the file when PDF_DUMP_DIR is set (to look at it)."""
    if os.environ.get("PDF_DUMP_DIR"):
        Path(os.environ["PDF_DUMP_DIR"], f"{name}.pdf").write_bytes(data)
    return "".join(pdf_text(data).split())


def _desk(client, on_duty):
    on_duty()
    sign_in(client, "zhiban")
    return token(client, "/duty/")


def test_handover_sheet_has_signature_lines_for_the_outgoing_and_incoming_leader(app, client, frozen, on_duty,
                                                                                   leaders):
    csrf = _desk(client, on_duty)
    client.post("/duty/log/new", headers=HX, data={"csrf_token": csrf, "kind": "fault", "text": "叫号机卡纸"})
    client.post("/duty/handover/new", headers=HX,
                data={"csrf_token": csrf, "to_user_id": leaders["other"], "summary": "今日平稳"})
    from portal.duty.models import DutyHandover
    with app.app_context():
        hid = db.session.query(DutyHandover).one().id
    text = _text("handover", client.get(f"/duty/handover/{hid}.pdf").data)
    for expected in ("值班长交接班记录", "中心主任：", "交班值班长（签字）：", "接班值班长（签字）：", "日期：年月日",
                     f"{HALL}2026年11月25日", "—1—"):
        assert expected in text, expected
    assert "〔2026〕" not in text  # a report to the director carries no document number


def test_weekly_summary_title_carries_the_year(app, client, frozen, on_duty, leaders):
    _desk(client, on_duty)
    text = _text("weekly", client.get("/duty/weekly.pdf?week=2026-11-30").data)
    for expected in ("值班周报（2026年11月30日—12月6日）", "中心主任：", "值班长（签字）：", "总值班长（签字）：",
                     f"{HALL}2026年11月25日"):
        assert expected in text, expected


def test_leave_sheet_is_signed_by_the_duty_leader_under_the_hall_and_the_day(app, client, frozen, on_duty, staffed):
    csrf = _desk(client, on_duty)
    client.post("/duty/leave/new", headers=HX, data={"csrf_token": csrf, "user_id": staffed["a"], "minutes": 20,
                                                     "reason": "送材料"})
    text = _text("leave_sheet", client.get("/duty/leave/sheet.pdf").data)
    for expected in ("临时外出登记表（2026年11月25日）", "送材料", "值班长（签字）：", f"{HALL}2026年11月25日", "—1—"):
        assert expected in text, expected


def _patrol_finding(app, user_id, person_id, serious=False):
    with app.app_context():
        user = db.session.get(User, user_id)
        rnd = patrol.start_round(user)
        label = "工作时间饮酒" if serious else "未按规定着装"
        item = next(i for i in rnd.template.items if i.label == label)
        window = db.session.query(Window).filter_by(number=1).one()
        entry = patrol.Entry("findings", [(item.id, person_id)], serious=serious)
        visit = patrol.record_visit(user, rnd, window, entry)
        patrol.finish_round(rnd)
        db.session.commit()
        return visit.id


def _posted_pdf(app, client, notice_id) -> bytes:
    with app.app_context():
        stored = db.session.query(StoredFile).filter_by(owner_type="notice", owner_id=notice_id).one()
    return client.get(f"/notices/{notice_id}/files/{stored.token}").data


def _posted(app, client, url, csrf):
    answer = client.post(url, data={"csrf_token": csrf})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return int(answer.headers["Location"].rstrip("/").split("/")[-1])


def test_patrol_bulletin_is_numbered_when_posted_not_when_previewed(app, client, frozen, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    visit = _patrol_finding(app, sup, staffed["a"], serious=True)
    preview = _text("patrol_bulletin_preview", client.get("/patrol/bulletin.pdf?quarter=2026-4").data)
    for expected in ("测试政服〔2026〕号", "样稿", "值班巡查情况通报（2026年第4季度，截至11月25日）", "各窗口单位：",
                     "抄送：中心领导", f"{HALL}2026年11月25日"):
        assert expected in preview, expected
    _text("patrol_immediate_preview", client.get(f"/patrol/visits/{visit}/bulletin.pdf").data)
    csrf = token(client, "/patrol/")
    first = _posted(app, client, "/patrol/bulletin/post?quarter=2026-4", csrf)
    second = _posted(app, client, f"/patrol/visits/{visit}/bulletin/post", csrf)
    quarterly = _text("patrol_bulletin", _posted_pdf(app, client, first))
    assert "测试政服〔2026〕1号" in quarterly and "样稿" not in quarterly
    immediate = _text("patrol_immediate", _posted_pdf(app, client, second))
    assert "测试政服〔2026〕2号" in immediate and "1号窗口值班巡查即时通报" in immediate
    with app.app_context():
        assert db.session.get(Notice, second).category == "bulletin"
    assert "测试政服〔2026〕2号" in _text("notice_of_bulletin", client.get(f"/notices/{second}/print.pdf").data)


def test_patrol_day_report_is_addressed_to_the_director_and_signed_by_the_patroller(app, client, frozen,
                                                                                      login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    _patrol_finding(app, sup, staffed["a"])
    text = _text("patrol_day", client.get("/patrol/report.pdf?day=2026-11-25").data)
    for expected in ("值班巡查日报（2026年11月25日）", "中心主任：", "巡查人（签字）：", f"{HALL}2026年11月25日"):
        assert expected in text, expected
    assert "〔2026〕" not in text


def test_sitin_bulletin_gets_the_next_number_when_posted(app, client, frozen, login_as):
    login_as(Role.SUPERVISOR)
    here = "/sitin/register?week=2026-11-30"
    preview = _text("sitin_bulletin_preview", client.get("/sitin/bulletin.pdf?week=2026-11-30").data)
    assert "测试政服〔2026〕号" in preview and "领导坐班情况通报" in preview
    notice = _posted(app, client, "/sitin/bulletin/post?week=2026-11-30", token(client, here))
    assert "测试政服〔2026〕1号" in _text("sitin_bulletin", _posted_pdf(app, client, notice))


def _notice(client, category, body="正文"):
    csrf = token(client, "/notices/new")
    client.post("/notices/new", data={"csrf_token": csrf, "title": f"关于窗口服务的{category}", "body": body,
                                      "category": category, "audience": "staff", "publish": "y"})


def test_a_published_publicity_notice_carries_a_number_and_a_plain_notice_does_not(app, client, frozen, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        from portal.notices import service
        user = db.session.query(User).one()
        publicity = service.create(user, service.Draft(title="2026年度优秀窗口评选结果公示", body="经评议……",
                                                       category="publicity", audience="staff"))
        plain = service.create(user, service.Draft(title="关于元旦放假的通知", body="元旦放假一天。" * 400,
                                                   category="notice", audience="staff"))
        draft = service.create(user, service.Draft(title="待发的通报", body="草稿", category="bulletin",
                                                   audience="staff"))
        for n in (publicity, plain):
            service.publish(user, n)
        db.session.commit()
        ids = publicity.id, plain.id, draft.id
    numbered = _text("notice_publicity", client.get(f"/notices/{ids[0]}/print.pdf").data)
    assert "测试政服〔2026〕1号" in numbered and f"{HALL}2026年11月25日" in numbered
    long_notice = _text("notice_plain", client.get(f"/notices/{ids[1]}/print.pdf").data)
    assert "〔2026〕" not in long_notice and "—1—" in long_notice and "—2—" in long_notice
    preview = _text("notice_draft", client.get(f"/notices/{ids[2]}/print.pdf").data)
    assert "测试政服〔2026〕号" in preview and "样稿" in preview


def test_roster_carries_the_hall_and_the_date_at_its_foot(app, client, frozen, login_as):
    login_as(Role.ADMIN)
    text = _text("roster", client.get("/admin/roster.pdf").data)
    assert "窗口人员一览表" in text and f"{HALL}2026年11月25日" in text and "—1—" in text


def test_posting_the_same_quarter_bulletin_twice_in_a_day_posts_it_once(app, client, frozen, login_as, staffed):
    sup = login_as(Role.SUPERVISOR)
    _patrol_finding(app, sup, staffed["a"], serious=True)
    csrf = token(client, "/patrol/")
    first = _posted(app, client, "/patrol/bulletin/post?quarter=2026-4", csrf)
    again = _posted(app, client, "/patrol/bulletin/post?quarter=2026-4", csrf)  # a reload and a second tap
    assert again == first
    with app.app_context():
        assert db.session.query(Notice).filter_by(title="2026年第4季度巡查通报").count() == 1
        assert db.session.query(IssuedDocument).count() == 1


def test_handover_sheet_with_six_open_items_fits_on_one_page(app, client, frozen, on_duty, leaders, hall):
    from portal import clock
    from portal.duty.models import DutyHandover
    _desk(client, on_duty)
    lines = [f"[故障·处理中] #{i} 第{i}号窗口叫号机卡纸，已报信息科，等待厂家上门维修" for i in range(1, 7)]
    with app.app_context():
        h = DutyHandover(hall_id=hall["hall"], day=clock.today(), from_user_id=leaders["zhiban"],
                         to_user_id=leaders["other"], summary="今日大厅秩序平稳，设备运行正常。",
                         open_items="\n".join(lines))
        db.session.add(h)
        db.session.commit()
        hid = h.id
    data = client.get(f"/duty/handover/{hid}.pdf").data
    text = _text("handover6", data)
    assert "#6第6号窗口" in text and "接班值班长（签字）：" in text
    assert pdf_pages(data) == 1
