"""Chinese names for audit events and objects, for the audit administrator's pages (codes stay searchable)."""
import json

EVENTS = {
    "duty.replan": "重排值班表", "notice.reask": "要求重新阅知",
    "import.confirmed": "确认导入", "import.reversed": "撤销导入",
    "auth.login": "登录", "auth.logout": "退出登录", "auth.password_change": "修改密码",
    "auth.password_reset": "重置密码", "auth.sessions_ended": "结束登录会话",
    "auth.sessions_cleaned": "清理过期会话", "auth.unlock": "解锁账号",
    "user.roles_change": "变更角色", "access.denied": "拒绝访问", "privacy.reveal": "查看完整个人信息",
    "audit.search": "查询审计日志", "audit.verify": "校验审计链", "audit.purge": "清理过期审计记录",
    "export.audit_csv": "导出审计日志", "export.roster_pdf": "导出窗口人员一览表",
    "export.duty_handover": "导出交接班记录", "export.duty_leave_sheet": "导出临时外出登记表",
    "export.duty_weekly": "导出值班周报", "export.patrol_bulletin": "导出巡查通报",
    "export.sitin_bulletin": "导出坐班通报", "export.cases_month": "导出限时办结月报",
    "notice.published": "发布公告", "notice.acknowledged": "阅知公告",
    "county.hall_switch": "切换大厅", "export.attendance_month": "导出考勤月报",
    "attendance.device_refused": "拒绝未登记的考勤机", "attendance.push_unreadable": "考勤机推送了无法读取的行",
    "complaint.track_failed": "投诉查询码错误",
    "export.ratings_publicity": "导出好差评公示", "export.assessment_sheets": "导出月度考核表",
    "export.assessment_feedback": "导出半年考核反馈", "export.assessment_year": "导出年度考核报告",
}

ACTIONS = {"create": "新增", "update": "修改", "delete": "删除"}

OBJECTS = {
    "attendance_device_user": "考勤机人员对应", "attendance_punch": "打卡记录",
    "import_batch": "导入记录", "import_preview": "导入预览", "import_profile": "导入方案",
    "import_reversal": "撤销导入", "patrol_finding_void": "巡查问题作废",
    "case_report": "办件状态", "case_reminder": "办件期限提醒",
    "user": "人员账号", "user_role": "人员角色", "user_session": "登录会话", "password_history": "密码历史",
    "hall": "大厅", "department": "部门", "window": "窗口", "endpoint": "页面", "audit_event": "审计日志",
    "rule_setting": "规则设置",
    "hall_rule_setting": "本站规则设置", "rule_overridable": "允许各站修改的规则",
    "rule_change": "规则变更", "calendar_day": "工作日历", "calendar_year": "日历年度",
    "hall_calendar_day": "本站工作日历",
    "stored_file": "上传文件", "stored_blob": "上传文件内容", "display_screen": "大厅屏幕", "score_event": "考核记分",
    "duty_rotation_member": "轮值人员", "duty_day": "值班日", "duty_override": "替岗/离岗申请",
    "duty_check_item": "检查项目", "duty_check": "开闭厅检查", "duty_check_result": "检查结果",
    "duty_log_item": "值班日志", "duty_log_step": "日志办理步骤", "duty_log_amendment": "日志更正",
    "duty_short_leave": "临时外出", "duty_handover": "交接班", "duty_pulse": "值班台版本", "change_signal": "变更信号",
    "patrol_checklist": "巡查清单", "patrol_checklist_item": "巡查项目", "patrol_round": "巡查",
    "patrol_visit": "巡查记录", "patrol_finding": "巡查问题", "patrol_slot": "巡查时间",
    "sitin_booking": "坐班预约", "sitin_visit": "坐班登记", "notice": "公告", "notice_department": "公告对象",
    "notice_version": "公告历史版本", "notice_read": "公告阅读", "notice_board_stamp": "公告栏版本",
    "submission_key": "表单提交记录", "background_job": "后台任务", "job_run": "定时任务运行",
    "document_series": "发文字号设置", "issued_document": "发文字号",
    "station_rating": "星级评定", "station_rating_finding": "星级评定问题",
    "complaint": "投诉件", "complaint_step": "投诉办理记录", "complaint_track_failure": "投诉查询错误",
    "complaint_hotline_order": "12345工单",
    "rating_evaluator": "评价器", "rating_tag_set": "评价指标版本", "rating_invitation": "评价邀请",
    "rating": "好差评", "rating_case": "差评整改", "rating_case_step": "差评整改步骤",
    "inbox_pulse": "待办版本", "inbox_reminder": "待办提醒", "inbox_digest": "每日待办汇总",
    "attendance_device": "考勤机", "attendance_device_contact": "考勤机联系记录",
    "attendance_leave": "请假单", "attendance_leave_step": "请假审批步骤", "attendance_leave_director": "请假审批人",
    "attendance_correction": "补卡申请", "attendance_month": "考勤月度公示",
    "assessment_month": "月度考核", "assessment_sheet": "月度考核表", "assessment_line": "考核表明细",
    "assessment_objection": "考核异议",
    "attendance_sendback_flag": "退回原单位提示", "attendance_sendback_decision": "退回原单位研究意见",
    "rating_tap_count": "评价器点击计数", "rating_praise": "表扬登记",
    "rating_month_figure": "好差评本月统计",
    "red_flag_vote": "流动红旗投票", "red_flag_award": "流动红旗",
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


# Chinese names of the fields an audit record's detail carries (columns of the changed record, and the
# keys explicit records use); a field without a name here is shown by its code.
FIELDS = {
    "attempts": "尝试次数", "error": "错误原因", "payload": "任务参数",
    # attendance leave (请假), 补卡 and the month's 公示
    "chain": "审批流程", "decision": "审批结果", "first_half": "开始半天", "halves": "请假半天数",
    "last_half": "结束半天", "leave_id": "请假单", "month": "月份", "named_at": "指定时间", "named_by_id": "指定人",
    "paperwork_due": "补办期限", "published_at": "公示时间", "published_by_id": "公示人",
    "flag_id": "退回提示", "flagged_on": "达到标准日期", "flagged_at": "提示时间",
    # cases, complaints and ratings
    "accepted_at": "受理时间", "action": "操作", "case_id": "差评件", "case_number": "办件编号",
    "channel": "渠道", "clerk_id": "受理人", "clerk_name": "受理人姓名", "complaint_id": "投诉件",
    "duty_log_item_id": "值班日志事项", "extended": "已延期", "first_owner_id": "首问责任人",
    "from_state": "原状态", "invitation_id": "评价邀请", "invited_at": "邀请时间", "item_code": "事项编码",
    "item_name": "事项名称", "legal_days": "法定时限（工作日）", "numbers": "办件编号", "pause_from": "补正开始",
    "pause_to": "补正结束", "promised_days": "承诺时限（工作日）", "query_code": "查询码", "rated_at": "评价时间",
    "rater_name": "评价人姓名", "rater_phone": "评价人电话", "rating_id": "评价", "received_at": "接收时间",
    "reminded_at": "提醒时间", "reminded_by_id": "提醒人", "round_start": "本轮起算", "staff_event_id": "个人扣分记录",
    "staff_id": "工作人员", "tag_set_id": "评价标签版本", "tags": "评价标签", "to_state": "新状态",
    "unit_id": "责任单位", "unit_name": "单位名称", "work_order": "工单编号",
    # the monthly assessment (月度考核)
    "review_mark": "复核时台账标记", "reviewed_by_id": "复核人", "reviewed_at": "复核时间",
    "objection_until": "异议截止日", "closed_by_id": "结束人", "base_centi": "基础分",
    "cap_centi": "封顶分", "categories": "分类小计", "bonus_centi": "加分", "adjustment_centi": "往月调整",
    "total_centi": "总分", "rank": "名次", "sheet_id": "考核表", "event_id": "记分记录", "origin": "原月份",
    "linked_user_id": "连带人员", "line_id": "考核明细", "month_id": "考核月份",
    "raised_by_id": "提出人", "raised_at": "提出时间",
    "ruled_by_id": "裁定人", "ruled_at": "裁定时间", "ruling_note": "裁定意见", "reversal_event_id": "冲正记录",
    # red flags (流动红旗)
    "voter_id": "投票人", "cast_at": "投票时间", "place": "名次", "shared": "并列授予", "awarded_by_id": "评定人",
    "awarded_at": "评定时间",
    # county: star ratings, rulebook per hall, uploads in the database, job runs
    "centi": "扣分", "county_hall_id": "评定单位", "data": "文件内容", "file_id": "文件", "full_centi": "满分",
    "host": "服务器", "item": "评定项目", "marked_at": "设置时间", "marked_by_id": "设置人", "score_centi": "得分",
    "severity": "问题程度", "stars": "星级",
    "id": "编号", "hall_id": "大厅", "home_hall_id": "所属大厅",
    "department_id": "部门", "window_id": "窗口", "user_id": "人员",
    "person_id": "人员", "office_id": "科室", "zone_office_id": "责任科室", "zone_note": "责任区域说明",
    "name": "名称", "login": "登录名", "phone": "电话", "address": "地址", "title": "标题", "body": "正文",
    "text": "内容", "new_text": "更正后内容", "old_text": "原内容", "note": "说明", "summary": "小结",
    "reason": "理由", "why": "原因", "kind": "类型", "category": "类别", "state": "状态", "step": "步骤",
    "level": "层级", "role": "角色", "active": "启用", "number": "编号", "label": "名称", "section": "类别",
    "position": "顺序", "sort_order": "排序", "version": "版本", "revision": "修订", "value": "值",
    "generation": "变更计数",
    "old_value": "原值", "new_value": "新值", "key": "设置项", "day": "日期", "first_day": "起始日",
    "last_day": "结束日", "half": "时段", "full_day": "全天", "year": "年度", "week": "周", "period": "期间",
    "quarter": "季度", "at": "时间", "starts_at": "开始时间", "ends_at": "结束时间", "due_at": "应返回时间",
    "out_at": "外出时间", "returned_at": "返回时间", "publish_at": "发布时间", "expires_at": "失效时间",
    "archived_at": "归档时间", "created_at": "创建时间", "updated_at": "修改时间", "filed_at": "报备时间",
    "cancelled_at": "取消时间", "decided_at": "审批时间", "confirmed_at": "确认时间", "arrived_at": "到岗时间",
    "started_at": "开始时间", "finished_at": "完成时间", "checked_at": "检查时间", "done_at": "完成时间",
    "read_at": "阅读时间", "acknowledged_at": "阅知时间", "revoked_at": "撤销时间", "recorded_at": "登记时间",
    "noted_at": "记录时间", "saved_at": "保存时间", "entered_at": "录入时间", "changed_at": "变更时间",
    "locked_until": "锁定至", "password_changed_at": "密码修改时间", "looked_at": "查看时间",
    "leader_id": "值班长", "general_leader_id": "总值班长", "substitute_id": "替岗人", "covered_by_id": "替岗人员",
    "a_post_id": "A岗", "b_post_id": "B岗", "from_user_id": "交班人", "to_user_id": "接班人",
    "subject_user_id": "被记分人员", "patroller_id": "巡查人", "author_id": "撰稿人", "owner_id": "负责人",
    "requested_by_id": "申请人", "approved_by_id": "批准人", "decided_by_id": "审批人", "created_by_id": "创建人",
    "changed_by_id": "变更人", "edited_by_id": "修改人", "booked_by_id": "预约人", "cancelled_by_id": "取消人",
    "checked_by_id": "检查人", "done_by_id": "完成人", "by_id": "操作人", "drawn_by_id": "抽取人",
    "noted_by_id": "记录人", "recorded_by_id": "登记人", "returned_recorded_by_id": "返回登记人",
    "revoked_by_id": "撤销人", "uploaded_by_id": "上传人", "parent_id": "上级", "notice_id": "公告",
    "item_id": "事项", "log_item_id": "日志事项", "check_id": "检查", "round_id": "巡查", "visit_id": "巡查记录",
    "template_id": "清单版本", "reverses_id": "冲正的记录", "term_no": "任期", "desk_no": "台号",
    "people": "涉及人员", "major": "重大事项", "must_read": "必读", "pinned": "置顶", "audience": "对象",
    "serious": "严重", "corrected": "当场纠正", "late": "迟到", "filed_late": "逾期报备", "emergency": "紧急",
    "cancelled_late": "逾期取消", "cancel_reason": "取消理由", "attendance": "到岗情况", "outcome": "结果",
    "solved": "解决的问题", "proposed": "提议", "open_items": "未办结事项", "na_reason": "不适用原因",
    "ok": "正常", "rule": "记分规则", "source": "来源", "evidence": "证据", "centipoints": "分值（百分之一分）",
    "person_centi": "个人分值（百分之一分）", "unit_centi": "单位分值（百分之一分）", "slot": "时段",
    "moments": "时刻", "location": "位置", "token": "令牌", "calendar_token": "日历订阅令牌",
    "poll_seconds": "刷新间隔（秒）", "rotate_seconds": "轮播间隔（秒）", "failed_logins": "连续失败次数",
    "must_change_password": "须修改密码", "password_hash": "密码", "revoked_reason": "撤销原因",
    "user_agent": "浏览器", "ip": "来源IP", "original_name": "文件名", "mime": "文件类型", "size": "大小",
    "sha256": "校验值", "path": "路径", "owner_type": "所属类型", "dedupe_key": "去重键", "charge_no": "同键第几次记分",
    "releases_key": "更正撤销（可再次记分）",
    "changes": "变更", "count": "数量", "field": "字段", "filter": "查询条件", "via": "方式", "method": "请求方式",
    "other_sessions_ended": "结束的其他会话", "problems": "异常数", "rows": "行数", "deleted": "删除条数",
    "before": "清理截止日", "anchor": "衔接哈希", "failures": "失败次数", "locked": "已锁定",
    "ack_round": "阅知轮次", "round": "阅知轮次", "checked_late": "补登",
    # imports, attendance devices, document numbers, the inbox and the chain's own columns
    "profile_name": "导入方案", "file_name": "文件名", "counts": "统计", "saved": "保存条数", "removed": "撤销条数",
    "imported_at": "导入时间", "imported_by_id": "导入人", "import_id": "导入批次", "reversed_at": "撤销时间",
    "reversed_by_id": "撤销人", "encoding": "文件编码", "skip_rows": "跳过行数", "mapping": "列对应",
    "field_order": "字段顺序", "new": "新增", "duplicate": "已导入", "unreadable": "无法读取", "empty": "无可导入内容",
    "skipped": "跳过", "blank": "空行", "unknown_id": "考勤号未对应", "off_day": "非工作日",
    "device": "设备", "device_id": "考勤机", "device_user_id": "考勤号", "name_on_device": "设备上的姓名",
    "serial": "序列号", "verify": "验证方式", "direction": "进出", "punched_at": "打卡时间", "pushed": "推送条数",
    "last_push_at": "最近推送时间", "last_seen_at": "最近联系时间", "registered_at": "登记时间",
    "registered_by_id": "登记人", "mapped_at": "对应时间", "mapped_by_id": "对应人", "prefix": "机关代字",
    "issuer": "发文机关", "next_number": "下一个编号", "issued_at": "发文时间", "issued_by_id": "发文人",
    "email": "电子邮箱", "item_key": "待办事项", "items": "事项数", "link": "链接", "deadline": "截止时间",
    "given_at": "提醒时间", "sent_at": "发送时间", "closed_at": "关闭时间", "supersedes_id": "取代的申请",
    "finding_id": "巡查问题", "person_event_id": "个人记分记录", "unit_event_id": "单位记分记录",
    "endpoint": "页面", "headers": "请求头", "status": "状态码", "detail": "详情", "event": "事件",
    "result": "结果", "object_type": "对象类型", "object_id": "对象编号", "user_login": "登录名",
    "hash": "哈希", "prev_hash": "前一条哈希",
    # the keys of a re-plan (duty.replan)
    "from": "起始日", "to": "结束日", "closed": "不再值班的日子", "unstaffed": "无人可排的日子", "days": "重排天数",
    # ratings: the tap limit
    "evaluator_id": "评价器", "minute": "分钟", "taps": "点击次数",
    "pending": "待审批申请", "unable": "无法整改", "received_on": "收到日期",
    "good": "好评数", "bad": "差评数", "counted_at": "统计时间", "visits": "办件数", "unrated": "未评价数",
}


def field_label(key: str) -> str:
    """Return the Chinese name of a detail field."""
    return FIELDS.get(key, key)


def detail_lines(detail: str) -> list[tuple[str, str]]:
    """Turn a record's JSON detail into (Chinese field name, value) lines; a change reads old → new."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return [("详情", detail)]
    if not isinstance(data, dict):
        return [("详情", str(data))]
    lines = []
    for key, value in data.items():
        if key == "changes" and isinstance(value, dict):
            lines += [(field_label(k), _change(v)) for k, v in value.items()]
        else:
            lines.append((field_label(key), _shown(value)))
    return lines


def _change(value) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_shown(value[0])} → {_shown(value[1])}"
    return _shown(value)


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True or value is False:
        return "是" if value else "否"
    if isinstance(value, dict):
        return "，".join(f"{field_label(k)}：{_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    return str(value)
