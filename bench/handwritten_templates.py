"""The hand-written comparison pages' templates: one each, with the portal's markup for the same data."""

HEAD = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<link rel="stylesheet" href="/static/css/app.css"><script src="/static/vendor/htmx.min.js" defer></script></head>
<body><header class="topbar"><a class="brand" href="/">政务大厅值守门户</a>
<nav class="top-links"><a class="btn" href="/">首页</a><a class="btn" href="/notices/">公告栏</a>
<a class="btn" href="/inbox/">待办</a><a class="btn" href="/password">修改密码</a></nav></header><main>
"""
FOOT = "</main></body></html>"

DESK = HEAD.format(title="值班台") + """
<section class="panel"><h1>值班台 {{ today }}</h1><p>值班领导：{{ me.name }}</p>
<nav class="duty-actions"><a class="btn btn-big" href="/duty/log/new" hx-get="/duty/log/new"
hx-target="#duty-work">登记</a>
<a class="btn btn-big" href="/duty/log" hx-get="/duty/log" hx-target="#duty-work">值班记录</a>
<a class="btn btn-big" href="/duty/leave" hx-get="/duty/leave" hx-target="#duty-work">离岗登记</a></nav></section>
<section id="duty-live" class="panel duty-live" hx-get="/duty/live" hx-trigger="every 20s" hx-swap="outerHTML">
<div class="duty-counts">
{% for state, label in [("registered", "待报告（已登记）"), ("reported", "待落实（已报告）"),
                        ("acted", "待反馈（已落实）")] %}
<a class="count count-{{ state }}" href="/duty/log?state={{ state }}"><strong id="count-{{ state }}">{{
counts[state] }}</strong>
<span>{{ label }}</span></a>{% endfor %}
{% for c in checks %}<a class="count" href="/duty/checks/{{ c[0] }}"><strong>{{ c[0] }}</strong>
<span>{{ c[1] }}</span></a>{% endfor %}
<a class="count" href="/duty/leave"><strong id="count-out">{{ away|length }}</strong> <span>人外出</span></a></div>
<div class="duty-grid" id="duty-grid">
{% for w in windows %}{% set a = away.get(w.a_post_id) %}{% set b = away.get(w.b_post_id) %}
<a class="wcell {{ 'wcell-covered' if a else 'wcell-staffed' }}" title="{{ 'B岗替岗' if a else '在岗' }}"
 href="/duty/leave?window={{ w.id }}" hx-get="/duty/leave?window={{ w.id }}" hx-target="#duty-work"
 hx-swap="innerHTML show:top"><strong>{{ w.number }}</strong> <span>{{ 'B岗替岗 请假' if a else '在岗' }}</span></a>
{% endfor %}</div></section>
<section class="panel" id="duty-work"><h2>登记</h2>
<form method="post" action="/duty/log/new" hx-post="/duty/log/new" hx-target="#duty-work">
<label>类别 <select name="kind"><option value="consultation">咨询</option><option value="complaint">投诉</option>
<option value="other">其他</option></select></label>
<label>窗口 <select name="window_id"><option value="">（无）</option>
{% for w in windows %}<option value="{{ w.id }}">{{ w.number }}号 {{ w.name }}</option>{% endfor %}</select></label>
<label>内容 <textarea name="text" rows="3"></textarea></label><button class="btn btn-big">登记</button></form>
<ul class="log-items">{% for i in items %}<li class="log-item state-{{ i.state }}"><span>{{ i.kind }}</span>
{{ i.text }} <time>{{ i.created_at }}</time></li>{% endfor %}</ul></section>
""" + FOOT

CARD = """<article id="win-{{ w.id }}" class="window-card patrol-card state-{{ 'done' if visits else 'todo' }}">
  <div class="window-no">{{ w.number }}</div>
  <div class="window-name">{{ w.name }}</div>
  <div class="posts">
    <span>A {{ w.a_name or '（空）' }}{% if w.a_post_id in out %}（外出）{% endif %}</span>
    <span>B {{ w.b_name or '（空）' }}{% if w.b_post_id in out %}（外出）{% endif %}</span>
  </div>
  {% for v in visits %}<p class="visit visit-{{ v.outcome }}">{{ v.outcome }} {{ v.label or '' }}</p>{% endfor %}
  <div class="card-actions">
    <form method="post" action="/patrol/rounds/{{ round_id }}/windows/{{ w.id }}/ok" class="inline"
        hx-post="/patrol/rounds/{{ round_id }}/windows/{{ w.id }}/ok" hx-target="#win-{{ w.id }}" hx-swap="outerHTML">
    <button type="submit" class="btn btn-small">全部正常</button>
  </form>
    <a class="btn btn-small btn-primary" href="/patrol/rounds/{{ round_id }}/windows/{{ w.id }}/check"
       hx-get="/patrol/rounds/{{ round_id }}/windows/{{ w.id }}/check" hx-target="#win-{{ w.id }}"
       hx-swap="outerHTML">检查</a>
  </div>
</article>"""

GRID = HEAD.format(title="巡查") + """<h1>巡查</h1><div class="patrol-grid">
{% for w in windows %}{% set visits = seen.get(w.id, []) %}""" + CARD + """{% endfor %}</div>""" + FOOT

SITIN = HEAD.format(title="坐班周历") + """<h1>坐班周历</h1><table class="week"><thead><tr><th>单位</th>
{% for d in days %}<th>{{ d }} {{ named.get(d, '') }}</th>{% endfor %}</tr></thead><tbody>
{% for u in units %}<tr><th>{{ u.name }}</th>{% for d in days %}{% set ds = d|string %}<td>
{% for half, label in [("am", "上午"), ("pm", "下午")] %}{% set b = cell.get((u.id, ds, half)) %}
{% if b %}<span class="booked">{{ label }} {{ b.leader or '' }} {{ b.desk_no }}号席</span>
{% else %}<a class="btn" href="/sitin/book?unit={{ u.id }}&amp;day={{ ds }}&amp;half={{ half }}">{{
label }}可约</a>{% endif %}
{% endfor %}{% set v = came.get((u.id, ds)) %}{% if v %}<span class="came">{{ v.attendance }}</span>{% endif %}
</td>{% endfor %}</tr>{% endfor %}</tbody></table>""" + FOOT

NOTICES = HEAD.format(title="公告栏") + """<h1>公告栏</h1><ul class="notices">
{% for n in notices %}<li class="notice{{ ' pinned' if n.pinned }}"><a href="/notices/{{ n.id }}">{{ n.title }}</a>
<span class="category">{{ n.category }}</span><time>{{ n.publish_at }}</time>
{% if n.must_read and not n.acknowledged_at %}<strong>须阅读确认</strong>
{% elif not n.read_at %}<em>未读</em>{% endif %}
</li>{% endfor %}</ul>""" + FOOT

INBOX = HEAD.format(title="待办") + """<h1>待办</h1><ul class="inbox">
{% for i in items %}<li class="inbox-item kind-{{ i.kind }}"><a href="/inbox/go/{{ i.kind }}-{{ i.id
}}">{{ i.title }}</a>
<time>{{ i.due or '' }}</time></li>{% endfor %}</ul>""" + FOOT

EVALUATOR = """<div id="panel" class="evaluator-idle" data-invitation="{{ e.inv or '' }}">
<p>欢迎评价我们的服务</p></div>"""

MONTH = HEAD.format(title="考勤月表") + """<h1>考勤月表</h1><table class="month"><thead><tr><th>姓名</th><th>单位</th>
{% for d in days %}<th>{{ d[8:] }}</th>{% endfor %}</tr></thead><tbody>
{% for p in people %}<tr><th><a href="/attendance/people/{{ p.id }}">{{ p.name }}</a></th><td>{{ p.unit or '' }}</td>
{% for d in days %}{% set s = seen.get((p.id, d)) %}{% set a = away.get((p.id, d)) %}
<td class="{{ 'off' if off.get(d) else ('leave' if a else ('ok' if s else 'none')) }}">
{% if a %}{{ a }}{% elif s %}<span title="{{ s.first }} {{ s.last }}">√</span>{% elif off.get(d) %}休{%
else %}-{% endif %}
</td>{% endfor %}</tr>{% endfor %}</tbody></table>""" + FOOT

ASSESSMENT = HEAD.format(title="月度考核表") + """{% macro table(title, key, mine) %}{% if mine %}
<h2 id="cat-{{ key }}">{{ title }}</h2><table class="table"><thead><tr><th>日期</th><th>事由</th><th>分值</th>
<th>依据</th><th>异议</th></tr></thead><tbody>{% for line in mine %}{% set o = raised.get(line.id) %}
<tr id="line-{{ line.id }}"><td>{{ line.day|string|truncate(10, True, "") }}</td><td>{{ line.rule }}</td>
<td>{{ line.centipoints / 100 }}</td><td>{% if line.event_id %}<a class="btn btn-small"
href="/scores/events/{{ line.event_id }}">记分详情</a>{% endif %}</td>
<td>{% if o %}<span class="tag">{{ o.state }}</span> <small>{{ o.reason }}</small>{% endif %}</td></tr>
{% endfor %}</tbody></table>{% endif %}{% endmacro %}
<section class="panel"><h1>{{ unit.name }} 考核表 <small>{{ label }}</small></h1><table class="table">
<thead><tr><th>项目</th><th>最多扣分</th><th>记分合计</th><th>计入</th></tr></thead>
<tbody><tr><td>基础分</td><td></td><td></td><td>{{ sheet.base_centi / 100 }}</td></tr>
{% for c in categories %}{% set kept = [c.raw_centi, -c.max_centi]|max if c.max_centi else c.raw_centi %}
<tr><td><a href="#cat-{{ c.key }}">{{ c.label }}</a></td><td>{{ c.max_centi / 100 if c.max_centi else "不限" }}</td>
<td>{{ c.raw_centi / 100 }}</td><td>{{ kept / 100 }}</td></tr>{% endfor %}
<tr><td>加分</td><td></td><td></td><td>{{ sheet.bonus_centi / 100 }}</td></tr>
<tr><td>往月调整</td><td></td><td></td><td>{{ sheet.adjustment_centi / 100 }}</td></tr>
<tr><th>总分（封顶 {{ sheet.cap_centi / 100 }}）</th><td></td><td></td><td>{{ sheet.total_centi / 100 }}</td></tr>
<tr><th>名次</th><td></td><td></td><td>{{ sheet.rank }}</td></tr></tbody></table>
{% set counted = lines|selectattr("kind", "in", ["deduction", "linked"])|list %}
{% for c in categories %}{{ table(c.label, c.key, counted|selectattr("category", "equalto", c.key)|list) }}{% endfor %}
{{ table("加分", "bonus", lines|selectattr("kind", "equalto", "bonus")|list) }}
{{ table("往月调整", "adjustment", lines|selectattr("kind", "equalto", "adjustment")|list) }}
</section>""" + FOOT


PAGES = {"desk.html": DESK, "card.html": CARD, "grid.html": GRID, "sitin.html": SITIN, "notices.html": NOTICES,
         "inbox.html": INBOX, "evaluator.html": EVALUATOR, "month.html": MONTH,
         "assessment.html": ASSESSMENT}
