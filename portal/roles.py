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
    COUNTY_ADMIN = "county_admin"
    COUNTY_SUPERVISOR = "county_supervisor"

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
    Role.COUNTY_ADMIN: "县级管理员",
    Role.COUNTY_SUPERVISOR: "县级督查",
}

# The order in which a person's roles pick their home page.
HOME_PRIORITY = [Role.AUDITOR, Role.COUNTY_ADMIN, Role.COUNTY_SUPERVISOR, Role.ADMIN, Role.GENERAL_DUTY,
                 Role.DUTY_LEADER, Role.SUPERVISOR, Role.WINDOW_LEADER, Role.STAFF]

# County roles (县级) act in every hall under their own (township stations, village rooms) as the hall's
# own role would: the county admin as its center admin, the county supervisor as its inspector.
COUNTY_ACTS_AS = {Role.COUNTY_ADMIN: Role.ADMIN, Role.COUNTY_SUPERVISOR: Role.SUPERVISOR}
COUNTY_ROLES = frozenset(COUNTY_ACTS_AS)

# Separation of duties (三权分立): the audit administrator holds no other role.
EXCLUSIVE_ROLES = {Role.AUDITOR}


def role_conflict(roles) -> str | None:
    """Return a Chinese message if this set of roles may not be held together."""
    roles = {Role(r) for r in roles}
    for exclusive in EXCLUSIVE_ROLES:
        if exclusive in roles and len(roles) > 1:
            return f"{exclusive.label}不能兼任其他角色（三权分立）"
    return None


# --- role groups: who may open which pages (each defined once, here; add new groups below) ---------------

# Every role but the audit administrator, who reads the audit log and nothing else (三权分立).
READERS = tuple(r for r in Role if r != Role.AUDITOR)
# Who reads the county's league tables across its stations and does the station star-rating (星级评定).
COUNTY = (Role.COUNTY_ADMIN, Role.COUNTY_SUPERVISOR)
# Who rates a station on site (星级评定): the county supervisor.
RATERS = (Role.COUNTY_SUPERVISOR,)
# Who works the duty desk (值班台); only the one holding it today may act (duty.service.may_run_desk).
DESK = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN)
# Who sees the sit-in week (领导坐班周历), who books sit-ins for a department, who reads the register.
SITIN_VIEWERS = (Role.ADMIN, Role.WINDOW_LEADER, Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR)
SITIN_BOOKERS = (Role.ADMIN, Role.WINDOW_LEADER)
SITIN_REGISTER = (Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY)
# Who writes notices (公告) and prints bulletins (通报).
AUTHORS = (Role.ADMIN, Role.SUPERVISOR)
# Who patrols (值班巡查), who reads the rounds and their records, who reads the day's patrol report.
PATROLLERS = (Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR)
PATROL_READERS = PATROLLERS + (Role.ADMIN,)
PATROL_REPORTS = (Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY, Role.DUTY_LEADER)
# The center and the inspection office: edit the patrol checklist, void and hand-enter ledger events.
INSPECTORS = (Role.ADMIN, Role.SUPERVISOR)
# Who sees every unit's and person's scores (考核台账).
LEDGER_ALL = (Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY)
# Who keeps attendance (考勤): imports punches, registers devices, maps device ids, sees the whole hall's month.
ATTENDANCE_KEEPERS = (Role.ADMIN, Role.SUPERVISOR)
# Who sees a month of attendance results: the keepers (whole hall) and window leaders (their department).
ATTENDANCE_MONTH = (*ATTENDANCE_KEEPERS, Role.WINDOW_LEADER)
# Who reads the hall's cases (限时办结), who imports the approval system's exports and prints the 公示.
CASE_READERS = (Role.ADMIN, Role.SUPERVISOR, Role.GENERAL_DUTY, Role.DUTY_LEADER, Role.WINDOW_LEADER)
CASE_IMPORTERS = (Role.ADMIN, Role.SUPERVISOR)
# Who works bad-review cases (差评整改: a window leader for their own unit), and who decides for the center.
RATING_CASE_WORKERS = (Role.ADMIN, Role.SUPERVISOR, Role.WINDOW_LEADER)
RATING_CENTER = INSPECTORS  # the center decides appeals and publishes the figures
# Who records praise received (表扬信、锦旗、媒体表扬) and its bonus: the inspection office.
PRAISE_RECORDERS = (Role.SUPERVISOR,)
