"""The case import's preset profile: the approval system's usual export headers."""
from ..imports import profiles

DEFAULT = "审批系统办件导出"
COLUMNS = {"number": "办件编号", "item_name": "事项名称", "item_code": "事项编码", "accepted_at": "受理时间",
           "legal_days": "法定时限", "promised_days": "承诺时限", "finished_at": "办结时间",
           "pause_from": "补正开始", "pause_to": "补正结束", "window": "窗口", "clerk": "受理人"}


def presets():
    """Return the profiles offered out of the box."""
    return [profiles.preset("case", DEFAULT, dict(COLUMNS))]
