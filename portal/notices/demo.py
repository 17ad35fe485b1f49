"""Demo notices (公告) and one hall screen at /display/demo-hall-screen."""
from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..extensions import db
from ..org.models import Department
from . import service
from .service import Draft

DEMO_SCREEN_TOKEN = "demo-hall-screen"

GUIDE = """**办理时间**：周一至周五 上午 8:00—12:00，下午 14:30—17:30（夏季 15:00—18:00）。

- 请先到一楼取号机取号，按叫号顺序到对应窗口办理；
- 材料不全的，窗口一次性告知所需材料；
- 对服务满意或不满意，请在窗口评价器上评价。"""

PUBLICITY = """| 窗口单位 | 考核得分 | 等次 |
|---|---|---|
| 税务局 | 98.5 | 优秀 |
| 不动产登记中心 | 97.0 | 优秀 |
| 市场监督管理局 | 95.5 | 良好 |"""

RULE = """各窗口单位：

为进一步规范大厅秩序，自下周一起执行以下要求：

1. 工作人员须提前 10 分钟到岗，统一着装、佩戴工作证；
2. 离开窗口须放置“暂停服务”提示牌，并告知 B 岗；
3. 上班时间不得玩手机、吃零食。

请各位工作人员阅读后点击“我已阅读并知晓”。"""


def seed_demo(hall) -> None:
    """Post a few notices of each kind and add the demo hall screen."""
    from ..display.models import DisplayScreen  # the demo is a leaf: the screen stands on the board
    admin = db.session.execute(select(User).where(User.login == "admin")).scalar()
    ducha = db.session.execute(select(User).where(User.login == "ducha")).scalar() or admin
    tax = db.session.execute(select(Department).where(Department.hall_id == hall.id,
                                                      Department.name == "税务局")).scalar()
    now = clock.now()
    _post(admin, Draft(title="办事群众须知", body=GUIDE, category="guide", audience="public", pinned=True),
          now - timedelta(days=20))
    _post(admin, Draft(title="上月窗口单位考核结果公示", body=PUBLICITY, category="publicity", audience="public",
                       expires_at=now + timedelta(days=10)), now - timedelta(days=2))
    _post(admin, Draft(title="关于进一步规范窗口工作纪律的通知", body=RULE, category="rule", audience="staff",
                       must_read=True), now - timedelta(days=1))
    _post(ducha, Draft(title="上周值班巡查情况通报", body="上周共巡查 10 次，发现空岗 2 次，已通报相关窗口单位。",
                       category="bulletin", audience="staff"), now - timedelta(days=3))
    if tax is not None:
        _post(admin, Draft(title="税务窗口系统升级安排", body="本周六 9:00—17:00 税务系统升级，请提前做好告知。",
                           category="notice", audience="departments", department_ids=[tax.id]),
              now - timedelta(hours=5))
    _post(admin, Draft(title="元旦放假安排", body="元旦放假 1 天，1 月 2 日起正常上班。", category="notice",
                       audience="public", publish_at=now + timedelta(days=3)), None)
    db.session.add(DisplayScreen(hall_id=hall.id, name="一楼大厅 LED 屏", location="一楼大厅入口上方",
                                 token=DEMO_SCREEN_TOKEN, created_by_id=admin.id))
    db.session.commit()


def _post(author, draft: Draft, published_at) -> None:
    notice = service.create(author, draft)
    service.publish(author, notice)
    if published_at is not None:  # back-dated so the board reads like a board in use
        notice.publish_at = published_at
    service.touch_board(notice.hall_id)
