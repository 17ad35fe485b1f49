"""The hall's roles (角色) and the rules on combining them."""
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    AUDITOR = "auditor"
    GENERAL_DUTY = "general_duty"
    DUTY_LEADER = "duty_leader"
    SUPERVISOR = "supervisor"
    WINDOW_LEADER = "window_leader"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "中心管理员",
    Role.AUDITOR: "审计管理员",
    Role.GENERAL_DUTY: "总值班长",
    Role.DUTY_LEADER: "值班长",
    Role.SUPERVISOR: "督查人员",
    Role.WINDOW_LEADER: "窗口负责人",
    Role.STAFF: "窗口工作人员",
}

# The order in which a person's roles pick their home page.
HOME_PRIORITY = [Role.AUDITOR, Role.ADMIN, Role.GENERAL_DUTY, Role.DUTY_LEADER,
                 Role.SUPERVISOR, Role.WINDOW_LEADER, Role.STAFF]

# Separation of duties (三权分立): the audit administrator holds no other role.
EXCLUSIVE_ROLES = {Role.AUDITOR}


def role_conflict(roles) -> str | None:
    """Return a Chinese message if this set of roles may not be held together."""
    roles = {Role(r) for r in roles}
    for exclusive in EXCLUSIVE_ROLES:
        if exclusive in roles and len(roles) > 1:
            return f"{exclusive.label}不能兼任其他角色（三权分立）"
    return None
