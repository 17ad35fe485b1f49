"""Chinese names for audit events and objects, for the audit administrator's pages (codes stay searchable)."""

EVENTS = {
    "auth.login": "登录", "auth.logout": "退出登录", "auth.password_change": "修改密码",
    "auth.password_reset": "重置密码", "auth.sessions_ended": "结束登录会话", "auth.unlock": "解锁账号",
    "user.roles_change": "变更角色", "access.denied": "拒绝访问", "privacy.reveal": "查看完整个人信息",
    "audit.search": "查询审计日志", "audit.verify": "校验审计链", "audit.purge": "清理过期审计记录",
    "export.audit_csv": "导出审计日志", "export.roster_pdf": "导出窗口人员一览表",
    "export.duty_handover": "导出交接班记录", "export.duty_leave_sheet": "导出临时外出登记表",
    "export.duty_weekly": "导出值班周报", "export.patrol_bulletin": "导出巡查通报",
    "export.sitin_bulletin": "导出坐班通报", "notice.published": "发布公告", "notice.acknowledged": "阅知公告",
}

ACTIONS = {"create": "新增", "update": "修改", "delete": "删除"}

OBJECTS = {
    "user": "人员账号", "user_role": "人员角色", "user_session": "登录会话", "password_history": "密码历史",
    "hall": "大厅", "department": "部门", "window": "窗口", "endpoint": "页面", "audit_event": "审计日志",
    "rule_setting": "规则设置", "rule_change": "规则变更", "calendar_day": "工作日历", "calendar_year": "日历年度",
    "stored_file": "上传文件", "display_screen": "大厅屏幕", "score_event": "考核记分",
    "duty_rotation_member": "轮值人员", "duty_day": "值班日", "duty_override": "替岗/离岗申请",
    "duty_check_item": "检查项目", "duty_check": "开闭厅检查", "duty_check_result": "检查结果",
    "duty_log_item": "值班日志", "duty_log_step": "日志办理步骤", "duty_log_amendment": "日志更正",
    "duty_short_leave": "临时外出", "duty_handover": "交接班", "duty_pulse": "值班台版本",
    "patrol_checklist": "巡查清单", "patrol_checklist_item": "巡查项目", "patrol_round": "巡查",
    "patrol_visit": "巡查记录", "patrol_finding": "巡查问题", "patrol_slot": "巡查时间",
    "patrol_finding_void": "巡查问题撤销",
    "sitin_booking": "坐班预约", "sitin_visit": "坐班登记", "notice": "公告", "notice_department": "公告对象",
    "notice_version": "公告历史版本", "notice_read": "公告阅读", "notice_board_stamp": "公告栏版本",
}


def event_label(code: str) -> str:
    """Return the Chinese name of an event code (a business write reads as 新增值班日志 and so on)."""
    if code in EVENTS:
        return EVENTS[code]
    table, _, action = code.rpartition(".")
    if table in OBJECTS and action in ACTIONS:
        return ACTIONS[action] + OBJECTS[table]
    return code


def object_label(object_type: str) -> str:
    """Return the Chinese name of an object type."""
    return OBJECTS.get(object_type, object_type)
