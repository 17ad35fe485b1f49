"""View helpers shared by the notice board pages."""
from flask_login import current_user

from ..records import refuse_record
from . import service
from .models import Notice


def notice_or_404(notice_id: int, manage: bool = False) -> Notice:
    """Return a notice the signed-in person may see (or manage), else an audited 404."""
    try:
        return service.notice_for(current_user, notice_id, manage=manage)
    except service.NoticeError:
        refuse_record(Notice.__tablename__, notice_id, "not manager" if manage else "not addressed or not live")
