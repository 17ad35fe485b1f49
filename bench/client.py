"""A tiny HTTP client for signing in and probing pages (standard library only)."""
import http.client
import re
import urllib.parse


class Session:
    """One signed-in person: keeps the session cookie and the CSRF token."""

    def __init__(self, port: int):
        self.port, self.cookie, self.csrf = port, "", ""

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        data = urllib.parse.urlencode(body, doseq=True) if body is not None else None
        h = {"Cookie": self.cookie} if self.cookie else {}
        if data is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        response = conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("halldesk_session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response, content

    def sign_in(self, login: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        self.csrf = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        response, _ = self.request("POST", "/login", {"login": login, "password": password,
                                                      "csrf_token": self.csrf})
        if response.status != 302:
            raise RuntimeError(f"sign-in failed for {login}: {response.status}")
        _, home = self.request("GET", "/password")
        match = re.search(rb'"X-CSRFToken": "([^"]+)"', home)
        self.csrf = match.group(1).decode() if match else self.csrf
