"""The daily digest (每日待办汇总): one mail a day to each person with an address, over the hall's SMTP server."""
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import select

from .. import clock, scheduled
from ..auth.models import User
from ..extensions import db
from . import registry, service, worktime
from .models import InboxDigest


def configured() -> bool:
    """Say whether the hall has an intranet mail server (SMTP settings in the environment)."""
    return bool(current_app.config.get("SMTP_HOST"))


def _message(person, items, now) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"【待办】{clock.local(now):%m月%d日} 您有 {len(items)} 项待办"
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = person.email
    message.set_content(render_template("inbox/digest.txt", person=person,
                                        groups=service.grouped(items, now)))
    return message


def send_all(now=None) -> list[str]:
    """Send today's digest to everyone with an address and something waiting who has not had it yet."""
    now = now or clock.now()
    today = clock.local(now).date()
    sent = set(db.session.execute(select(InboxDigest.user_id).where(InboxDigest.day == today)).scalars())
    lines = []
    for hall_id in scheduled.each_hall():  # in each hall's rulebook and calendar: its people's deadlines
        if not worktime.in_hours(now):  # sent in the hall's own working hours
            continue
        people = db.session.execute(select(User).where(User.hall_id == hall_id, User.active.is_(True),
                                                       User.email != "").order_by(User.id)).scalars().all()
        for person in (p for p in people if p.id not in sent):
            items = registry.collect(person, now=now)
            if not items:
                continue
            _send(_message(person, items, now))
            db.session.add(InboxDigest(user_id=person.id, day=today, address=person.email, items=len(items),
                                       sent_at=now))
            db.session.commit()  # each mail sent is recorded at once: a failure later sends it no second time
            lines.append(f"已发送每日汇总：{person.name}（{len(items)} 项）")
    return lines


def _send(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=30) as smtp:
        smtp.send_message(message)
