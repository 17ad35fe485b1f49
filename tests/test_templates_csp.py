"""Every template keeps to the Content-Security-Policy: no inline script, style or event handler.

Scans all of templates/ (pages added later included), so the build fails before a browser does.
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

RULES = {
    "inline <script> body": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "hx-on attribute": re.compile(r"\s(data-)?hx-on[:\-\w]*\s*=", re.I),
    "on* event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "js: or eval in hx-vals/hx-headers": re.compile(r"hx-(vals|headers)\s*=\s*[\"']\s*(js:|javascript:)", re.I),
}


def test_the_scan_sees_the_templates():
    assert len(TEMPLATES) > 20 and ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script_style_or_handler(path):
    html = path.read_text(encoding="utf-8")
    found = [f"{name}: line {html.count(chr(10), 0, m.start()) + 1}: {m.group().strip()}"
             for name, pattern in RULES.items() for m in pattern.finditer(html)]
    assert not found, found


@pytest.mark.parametrize("snippet", ['<script>alert(1)</script>', '<div style="color:red">',
                                     '<button hx-on:click="x()">', '<a onclick="x()">', '<a href="javascript:x()">',
                                     '<style>p{}</style>', '<div hx-on-htmx-after-request="x">'])
def test_the_scan_catches_what_the_policy_forbids(snippet):
    assert any(p.search(snippet) for p in RULES.values()), snippet


@pytest.mark.parametrize("snippet", ['<script src="/static/js/app.js" defer></script>', '<p class="on-duty">',
                                     '<input name="online">', '<td data-style="x">'])
def test_the_scan_lets_allowed_markup_through(snippet):
    assert not any(p.search(snippet) for p in RULES.values()), snippet


def test_script_pasted_into_a_field_is_shown_as_text(client, login_as, hall):
    from portal.roles import Role
    from tests.conftest import token
    login_as(Role.ADMIN)
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    client.post("/admin/windows/new", data={"csrf_token": token(client), "number": "9", "name": evil[:80],
                                            "department_id": str(hall["tax"])})
    html = client.get("/admin/windows").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "<img src=x" not in html
