"""Browser tests: Debian's chromium driven by Playwright at tablet size, against a live server."""
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1024, "height": 768}, "locale": "zh-CN",
            "has_touch": True}


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def csp_violations(page):
    """Collect Content-Security-Policy violations reported by the browser."""
    found = []
    page.on("console", lambda msg: found.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)
    return found


@pytest.fixture
def browser_login(page, live_server):
    """Return a function that signs the page in through the login form."""
    def login(login_name, password=PASSWORD):
        # Leave the old page first: its polls, answered "sign in again" once cookies are cleared, would
        # navigate it to the login page at the same moment and abort this navigation. A poll's answer
        # already on its way may still start one while either navigation runs, so each is retried.
        for url in ("about:blank", f"{live_server}/login"):
            for attempt in range(3):
                try:
                    page.goto(url)
                    break
                except PlaywrightError as error:
                    if "interrupted by another navigation" not in str(error) or attempt == 2:
                        raise
        page.wait_for_selector("input[name=login]")
        page.fill("input[name=login]", login_name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
    return login


@pytest.fixture
def no_full_reload(page):
    """Mark the current document so a test can tell whether the page was reloaded."""
    def mark():
        # A page reached by a full navigation may be in the DOM before htmx has
        # processed it; a click then would submit natively and reload the page.
        page.wait_for_load_state("load")
        page.wait_for_function("document.readyState === 'complete' && !!window.htmx")
        page.evaluate("window.__halldeskMarker = 'still-here'")

    def unchanged():
        return page.evaluate("window.__halldeskMarker") == "still-here"
    return mark, unchanged
