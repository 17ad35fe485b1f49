"""Tablet rules on the main pages: touch targets of 44px or more, no sideways scrolling."""
import pytest

from portal.roles import Role

pytestmark = pytest.mark.browser

PAGES = {
    Role.ADMIN: ["/", "/admin/windows", "/admin/windows/new", "/admin/people", "/admin/departments",
                 "/admin/rulebook", "/admin/calendar", "/admin/halls"],
    Role.AUDITOR: ["/admin/audit/"],
    Role.WINDOW_LEADER: ["/", "/sitin/week", "/sitin/department"],
    Role.DUTY_LEADER: ["/", "/sitin/today", "/sitin/week", "/notices/"],
    Role.SUPERVISOR: ["/", "/sitin/register", "/scores/", "/notices/manage", "/patrol/"],
}

# Measured once the page has loaded: an element can be in the document before its stylesheet applies.
SMALL_TARGETS = """async () => {
  if (document.readyState !== 'complete')
    await new Promise(done => window.addEventListener('load', done, {once: true}));
  return Array.from(document.querySelectorAll(
    'a.btn, button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, .tile, ' +
    'main td a, main li > a, main p > a'))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
  .filter(([, h]) => h < 44);
}"""


@pytest.mark.parametrize("role", list(PAGES))
def test_touch_targets_are_44px_and_pages_fit_the_tablet(page, live_server, make_user, browser_login,
                                                          csp_violations, role):
    make_user("tablet", role)
    browser_login("tablet")
    for path in PAGES[role]:
        page.goto(f"{live_server}{path}")
        assert page.evaluate(SMALL_TARGETS) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert csp_violations == []
