"""Known XSS payloads in a notice body never reach the board, the hall screen or the PDF as markup."""
import re
from html.parser import HTMLParser

import pytest
from flask import render_template

from portal.auth.models import User
from portal.display import service as screens
from portal.extensions import db
from portal.notices import render
from portal.notices.models import Notice
from portal.org.models import Hall
from portal.roles import Role
from tests.conftest import sign_in
from tests.notices_fixtures import frozen, make_notice, office_admin  # noqa: F401 - pytest fixtures

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('xss')>",
    "<svg onload=alert('xss')>",
    "<svg><script>alert('xss')</script></svg>",
    "<body onload=alert('xss')>",
    "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "<a href=\"javascript:alert('xss')\">点我</a>",
    "<a href=\"JaVaScRiPt:alert('xss')\">点我</a>",
    "<a href=\"&#106;avascript:alert('xss')\">点我</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=\">点我</a>",
    "[点我](javascript:alert('xss'))",
    "[点我](data:text/html,<script>alert('xss')</script>)",
    "![图](javascript:alert('xss'))",
    "<div style=\"width: expression(alert('xss'))\">样式</div>",
    "<p style=\"background:url(javascript:alert('xss'))\">样式</p>",
    "<style>body{background:url(\"javascript:alert('xss')\")}</style>",
    "<object data=\"javascript:alert('xss')\"></object>",
    "<embed src=\"javascript:alert('xss')\">",
    "<form action=\"javascript:alert('xss')\"><button>提交</button></form>",
    "<input onfocus=alert('xss') autofocus>",
    "<details open ontoggle=alert('xss')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')>",
    "<a href=\"https://ok.example\" onclick=\"alert('xss')\">链接</a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss')\">",
    "<base href=\"javascript:alert('xss')//\">",
    "<link rel=stylesheet href=\"javascript:alert('xss')\">",
    "<!--<img src=x onerror=alert('xss')>-->",
]
ALLOWED_TAGS = set(render.TAGS)


class _Markup(HTMLParser):
    """Collect what a browser would treat as markup: tags, attributes and link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "srcdoc", "action", "formaction"):
                self.problems.append(f"{tag}[{name}]")
            if name == "href" and not re.match(r"^(https?:|mailto:)", (value or "").strip(), re.I):
                self.problems.append(f"{tag}[href={value!r}]")

    def handle_comment(self, data):
        self.problems.append("<!-- -->")


def dangerous(html: str) -> list[str]:
    """Return the markup in a fragment that could run script or load something."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.problems


def _body_part(html: str) -> str:
    # Only the notice's own output is checked: the page around it legitimately has scripts.
    parts = re.findall(r'<div class="(?:notice-body|slide-body)">(.*?)</div>', html, re.S)
    assert parts, "the notice body was not found on the page"
    return "".join(parts)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_strips_payload(payload):
    assert dangerous(str(render.to_html(payload))) == []


def test_payloads_are_inert_on_board_screen_and_pdf(app, client, frozen, make_user, make_notice, office_admin):
    body = "正文开始\n\n" + "\n\n".join(PAYLOADS) + "\n\n正文结束"
    nid = make_notice("安全测试", audience="public", body=body)
    make_user("chuangkou", Role.STAFF)
    with app.app_context():
        row = screens.create_screen(db.session.get(User, office_admin), "屏", token="xss-screen-token-0123456")
        db.session.commit()
        notice, hall = db.session.get(Notice, nid), db.session.get(Hall, row.hall_id)
        with app.test_request_context():
            pdf_html = render_template("pdf/notice.html", notice=notice, hall=hall, html=render.to_html(notice.body),
                                       files=[])
    sign_in(client, "chuangkou")
    pages = {"board": client.get(f"/notices/{nid}").get_data(as_text=True),
             "screen": app.test_client().get("/display/xss-screen-token-0123456").get_data(as_text=True),
             "pdf": pdf_html}
    for where, html in pages.items():
        part = _body_part(html)
        assert "正文开始" in part, where  # an unclosed <style> may swallow the rest: dropped, not run
        assert dangerous(part) == [], where
