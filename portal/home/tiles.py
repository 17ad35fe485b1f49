"""The links on each role's home page: every page a role may use is reachable from here."""
from dataclasses import dataclass

from flask import url_for

from ..roles import Role


@dataclass(frozen=True)
class Tile:
    title: str
    note: str
    endpoint: str
    roles: frozenset


def _t(title, note, endpoint, *roles):
    return Tile(title, note, endpoint, frozenset(roles))


SECTIONS = [
    ("县级", [
        _t("各站对比", "按月对比各便民服务站的巡查与考核", "county.league_table", Role.COUNTY_ADMIN,
           Role.COUNTY_SUPERVISOR),
        _t("星级评定", "便民服务站现场评定、评定表 PDF", "county.ratings", Role.COUNTY_ADMIN,
           Role.COUNTY_SUPERVISOR),
    ]),
    ("中心管理", [
        _t("窗口", "窗口一览（按编号）与 AB 岗", "org.windows", Role.ADMIN),
        _t("部门", "进驻部门与中心科室", "org.departments", Role.ADMIN),
        _t("人员与账号", "人员、角色、账号解锁", "org.people", Role.ADMIN),
        _t("大厅", "本大厅与下级便民服务站", "org.halls", Role.ADMIN),
        _t("规则设置", "作息、考勤、考核分值等", "rulebook.settings", Role.ADMIN),
        _t("工作日历", "法定节假日、调休与闭厅", "rulebook.calendar_view", Role.ADMIN),
        _t("发文字号", "通报、公示的机关代字与年度编号", "documents.settings", Role.ADMIN),
        _t("窗口人员一览表", "打印 PDF", "org.roster_pdf", Role.ADMIN),
    ]),
    ("领导坐班", [
        _t("坐班周历", "按周查看、预约领导坐班", "sitin.week", Role.WINDOW_LEADER, Role.ADMIN,
           Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.SUPERVISOR),
        _t("本部门坐班", "报备情况、坐班记录、日历订阅", "sitin.department", Role.WINDOW_LEADER, Role.ADMIN),
        _t("今日坐班登记", "到岗、缺席一键登记", "sitin.today", Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN),
        _t("坐班登记与通报", "按周、按月统计，打印通报", "sitin.register", Role.ADMIN, Role.SUPERVISOR,
           Role.GENERAL_DUTY),
    ]),
    ("公告栏", [
        _t("公告栏", "通知、公示、通报、制度、办事指南", "notices.index", *(r for r in Role if r != Role.AUDITOR)),
        _t("公告管理", "写公告、定时发布、阅知情况", "notices.manage", Role.ADMIN, Role.SUPERVISOR),
        _t("大厅屏幕", "大厅电视/LED 屏地址与停用", "display.screens", Role.ADMIN),
    ]),
    ("值班长", [
        _t("值班台", "大厅概况、检查、日志、外出、交接", "duty.desk_page",
           Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN),
        _t("值班日志", "登记、报告、落实、反馈", "duty.log_list", Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN),
        _t("值班表", "按月查看值班长和总值班长", "duty.roster", Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN),
        _t("替岗与离岗", "申请、审批替岗，日历订阅", "duty.overrides", Role.DUTY_LEADER, Role.GENERAL_DUTY, Role.ADMIN),
        _t("轮值设置", "轮值顺序，生成值班表", "duty.rotation_page", Role.ADMIN),
        _t("检查项目", "开厅、闭厅检查清单", "duty.check_items", Role.ADMIN),
    ]),
    ("投诉处理", [
        _t("投诉处理", "受理登记、派单签收、答复回访", "complaints.index", *(r for r in Role if r != Role.AUDITOR)),
        _t("12345 工单导入", "导入热线平台导出的工单", "complaints.import_page", Role.ADMIN, Role.GENERAL_DUTY,
           Role.DUTY_LEADER),
        _t("投诉统计", "按单位、渠道、类别的月度统计", "complaints.figures_page", Role.ADMIN, Role.GENERAL_DUTY,
           Role.SUPERVISOR),
    ]),
    ("巡查与考核", [
        _t("值班巡查", "开始巡查、今日完成情况、随机巡查时间", "patrol.index", Role.DUTY_LEADER, Role.GENERAL_DUTY,
           Role.SUPERVISOR, Role.ADMIN),
        _t("巡查清单", "检查项与扣分（按版本保存）", "patrol.checklist_edit", Role.ADMIN, Role.SUPERVISOR),
        _t("考核台账", "本月单位和个人得分、扣分明细与证据", "scores.index", *(r for r in Role if r != Role.AUDITOR)),
        _t("月度考核", "考核表、排名、公示与异议", "assessment.index", *(r for r in Role if r != Role.AUDITOR)),
    ]),
    ("考勤", [
        _t("月度考勤", "每人每半天的出勤、迟到、早退、旷工", "attendance.month_grid", Role.ADMIN, Role.SUPERVISOR,
           Role.WINDOW_LEADER),
        _t("导入打卡", "考勤机、钉钉导出文件，预览后导入", "attendance.import_page", Role.ADMIN, Role.SUPERVISOR),
        _t("考勤机", "实时推送的考勤机登记与最近联系", "attendance.devices_page", Role.ADMIN, Role.SUPERVISOR),
        _t("我的考勤", "本人每天的打卡与考勤结果", "attendance.my_month", *(r for r in Role if r != Role.AUDITOR)),
    ]),
    ("好差评", [
        _t("窗口评价", "办完一件，邀请群众在评价器上评价", "ratings.window", Role.STAFF, Role.WINDOW_LEADER),
        _t("差评整改", "核实、整改、回访、申诉", "ratings.case_list", Role.WINDOW_LEADER, Role.ADMIN, Role.SUPERVISOR,
           Role.GENERAL_DUTY),
        _t("好差评统计", "按窗口、单位、人员、月份统计与公示", "ratings.index", Role.WINDOW_LEADER, Role.ADMIN,
           Role.SUPERVISOR, Role.GENERAL_DUTY),
        _t("评价器", "窗口评价器地址与停用", "ratings.evaluators", Role.ADMIN),
    ]),
    ("我的", [
        _t("修改密码", "定期修改，保护账号安全", "auth.change_password", *Role),
    ]),
]


def sections_for(user):
    """Return the home sections with the tiles this person may open."""
    out = []
    for title, tiles in SECTIONS:
        visible = [(t, url_for(t.endpoint)) for t in tiles if user.roles & t.roles]
        if visible:
            out.append((title, visible))
    return out
