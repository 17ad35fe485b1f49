"""duty check items seeded per hall: halls made before seeding-at-creation get the default checklists

A read used to save the defaults on first view; now a new hall gets them when it is made. Halls that
never had their checklist opened get the same defaults here, once.

Revision ID: c5e9a0b7d412
Revises: b84d2f6e1c37
Create Date: 2026-12-01 09:20:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'c5e9a0b7d412'
down_revision = 'b84d2f6e1c37'
branch_labels = None
depends_on = None

# The defaults as they stood when this revision was written (a migration does not follow later edits).
DEFAULTS = {
    "opening": ["考勤机", "触摸屏", "评价器", "LED 显示屏", "排队叫号机", "窗口电脑", "办事材料", "环境卫生"],
    "closing": ["照明灯关闭", "电源关闭", "电脑关机", "门窗关闭", "文件资料锁好"],
}


def upgrade():
    conn = op.get_bind()
    hall = sa.table("hall", sa.column("id", sa.Integer))
    item = sa.table("duty_check_item", sa.column("hall_id", sa.Integer), sa.column("kind", sa.String),
                    sa.column("label", sa.String), sa.column("sort_order", sa.Integer),
                    sa.column("active", sa.Boolean), sa.column("created_at", UTCDateTime),
                    sa.column("updated_at", UTCDateTime))
    now = datetime.now(UTC)
    for kind, labels in DEFAULTS.items():
        has = sa.select(item.c.hall_id).where(item.c.kind == kind)
        for (hall_id,) in conn.execute(sa.select(hall.c.id).where(hall.c.id.not_in(has))):
            conn.execute(item.insert(), [dict(hall_id=hall_id, kind=kind, label=label, sort_order=i, active=True,
                                              created_at=now, updated_at=now) for i, label in enumerate(labels)])


def downgrade():
    pass  # the seeded items are ordinary checklist lines now; removing them would lose admins' edits
