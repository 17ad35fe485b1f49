"""The punch files halls really have, as ready-made import profiles (a hall may save its own version)."""
from ..imports.profiles import preset

KIND = "punch"
ZKTECO = "中控考勤机 1_attlog.dat"
CHECKINOUT = "考勤管理系统 CHECKINOUT"
DINGTALK_RAW = "钉钉 原始记录"
DINGTALK_DAILY = "钉钉 每日统计"
GENERIC = "通用 CSV/Excel"
DAILY_TIMES = ["上班1打卡时间", "下班1打卡时间", "上班2打卡时间", "下班2打卡时间"]


def presets():
    """Return the profiles every hall starts with."""
    return [
        # PIN and time come first; verify / in-out / work code follow in an order that varies by firmware.
        preset(KIND, ZKTECO, {"pin": 0, "datetime": 1, "verify": 2, "direction": 3},
               header=False, delimiter="tab", options={"source": "zkteco"}),
        # USERID is the desktop database's own user number, not the badge number on the device.
        preset(KIND, CHECKINOUT, {"pin": "USERID", "datetime": "CHECKTIME", "direction": "CHECKTYPE",
                                  "verify": "VERIFYCODE", "device": "SENSORID"}, options={"source": "zk_desktop"}),
        preset(KIND, DINGTALK_RAW, {"pin": "工号", "name": "姓名", "date": "考勤日期", "datetime": "打卡时间",
                                    "device": "打卡设备"}, options={"source": "dingtalk"}),
        preset(KIND, DINGTALK_DAILY, {"pin": "工号", "name": "姓名", "date": "日期", "times": DAILY_TIMES},
               skip_rows=2, options={"source": "dingtalk"}),
        preset(KIND, GENERIC, {"pin": "工号", "name": "姓名", "datetime": "打卡时间"}, options={"source": "generic"}),
    ]
