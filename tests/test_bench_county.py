"""The county bench's table: every failed answer is counted and named, and a poll's 304 share shown."""
from bench import county, wrk


def _load(rps, **statuses):
    return {"rps": rps, "p50": 5.0, "statuses": {int(k[1:]): v for k, v in statuses.items()},
            "connect": 0, "read": 1, "write": 0, "timeout": 2}


def test_county_bench_names_each_failed_answer_and_the_polls_unchanged_share():
    screen = {"A": [_load(180, s500=700)], "B": [_load(160, s500=640)], "A+B": [_load(130, s500=520)],
              "warm": [_load(150, s500=150)], "wrong": ["answered 500 without an ETag"] * 4, "conditional": True}
    desk = {"A": [_load(2000, s304=8000)], "B": [_load(2100, s304=8400)], "A+B": [_load(1800, s304=7000, s200=1000)],
            "warm": [], "wrong": [], "conditional": True}
    text = county.report({"hall screen poll": screen, "desk poll": desk}, (12, 8, 8), ["Server A logged …"])
    assert "| hall screen poll | 180 | 160 | 0.89 |" in text and "| 0.0% | 2010 × 500 | 0/4/0 | 8 |" in text
    assert "| 95.9% | 0 | 0/3/0 | 6 |" in text
    assert "all loads (warm-ups too): 2031." in text
    assert "Probe of hall screen poll before a load answered 500 without an ETag (4 times)." in text
    assert "League table statements: 8 for 2 halls, 8 for all 12 halls." in text
    assert "No capacity from figures that include failed answers." in text


def test_wrk_counts_answers_by_status_in_its_script():
    assert "response = function(status" in wrk.LUA_STATUSES and 'io.write(string.format("status %d: %d\\n"' in \
        wrk.LUA_STATUSES
