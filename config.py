"""Configuration classes, read from the environment."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSECURE_DEFAULT_SECRET = "dev-only-not-secret"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET)
    INSTANCE_DIR = Path(os.environ.get("HALLDESK_INSTANCE", BASE_DIR / "instance"))
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'halldesk.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # for PostgreSQL; dropped for SQLite
    SQLITE_BUSY_TIMEOUT_MS = 15000
    HALL_TIMEZONE = os.environ.get("HALL_TIMEZONE", "Asia/Shanghai")
    # The CSRF token lives as long as the session: a tablet left open all day keeps working.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "halldesk_session"
    REMEMBER_COOKIE_DURATION = 0
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    UPLOAD_DIR = INSTANCE_DIR / "uploads"
    # Where uploads keep their bytes: "database" (every app server reads them), "filesystem" (UPLOAD_DIR,
    # one machine), or "auto": the database on PostgreSQL, the filesystem on SQLite.
    UPLOAD_STORAGE = os.environ.get("HALLDESK_UPLOAD_STORAGE", "auto")
    HSTS = False
    # Number of trusted reverse proxies in front of the portal (0: none; X-Forwarded-For ignored).
    PROXY_HOPS = int(os.environ.get("HALLDESK_PROXY_HOPS", "0"))
    DEMO_DATA_ALLOWED = True
    PDF_IN_CHILD_PROCESS = True
    PDF_RENDERS_PER_CHILD = 5
    # Background jobs (long PDFs): `flask --app wsgi worker` runs this many at once; the rest wait
    # their turn, their place shown. Each job process is replaced after JOBS_PER_PROCESS jobs, which
    # returns WeasyPrint's memory to the system.
    JOBS_AT_ONCE = int(os.environ.get("HALLDESK_JOBS_AT_ONCE", "1"))
    JOBS_PER_PROCESS = int(os.environ.get("HALLDESK_JOBS_PER_PROCESS", "5"))
    JOB_TIMEOUT_SECONDS = 300
    QUEUE_POLL_SECONDS = 1.0  # how long an idle worker waits before looking for new work on SQLite
    QUEUE_SQLITE_PATH = None  # None: beside the SQLite database file; PostgreSQL keeps it in the database
    QUEUE_IMMEDIATE = False  # True: jobs run where they are submitted (the test suite), no worker needed
    # The worker starts the reminders (待办提醒 and the digest) itself every N minutes; 0: cron runs `remind`.
    IMPORT_BACKGROUND_ROWS = 2000  # a preview keeping this many rows is confirmed by the worker, not the request
    REMIND_MINUTES = int(os.environ.get("HALLDESK_REMIND_MINUTES", "0"))
    PASSWORD_HASH_METHOD = "scrypt"
    # A request that only reads may use its worker's copy of the rulebook this many seconds old
    # (0: read it from the database on every request). Writes always read it afresh.
    RULEBOOK_CACHE_SECONDS = 5
    # PostgreSQL: keep a session's person and its polls' rows in the worker while the tables they come
    # from have not changed on any server (LISTEN/NOTIFY, portal/signals.py). False: read them each time.
    CHANGE_SIGNALS = os.environ.get("HALLDESK_CHANGE_SIGNALS", "1") != "0"
    # The hall's intranet mail server for the daily inbox digest (no host: no mail is sent).
    SMTP_HOST = os.environ.get("HALLDESK_SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("HALLDESK_SMTP_PORT", "25"))
    SMTP_FROM = os.environ.get("HALLDESK_SMTP_FROM", "halldesk@localhost")
    BASE_URL = os.environ.get("HALLDESK_BASE_URL", "")  # the portal's address, for links in mail
    INBOX_POLL_SECONDS = 60  # how often the top bar asks whether the inbox changed (304 when not)
    # How often a worker asks the database whether screens or boards changed (another app server's
    # emergency notice reaches a screen within this plus its poll interval).
    DISPLAY_SIGNAL_SECONDS = 2
    TESTING = False


class DevelopmentConfig(Config):
    """Local use on one machine: SQLite under instance/."""


class TestConfig(Config):
    """The test suite: CSRF stays on, the database comes from the fixture."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = True
    PDF_IN_CHILD_PROCESS = False
    QUEUE_IMMEDIATE = True  # tests of the worker itself turn this off and start a real worker
    RULEBOOK_CACHE_SECONDS = 0  # tests change the rulebook and read it back at once
    DISPLAY_SIGNAL_SECONDS = 10  # an unchanged poll in a test stays query-free however slow the machine
    # Every request reads its person (the budgets count that query); tests/test_poll_signals.py turns the
    # kept copies on and tests them, on PostgreSQL.
    CHANGE_SIGNALS = False
    SMTP_HOST = ""  # a test that sends mail starts its own server
    # Cheaper scrypt parameters keep the suite fast; the algorithm is the same.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


class ProductionConfig(Config):
    """A hall's server: database and secret must come from the environment."""

    SESSION_COOKIE_SECURE = True
    HSTS = True
    DEMO_DATA_ALLOWED = False

    @classmethod
    def check(cls):
        """Refuse to start without a real secret and database."""
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == INSECURE_DEFAULT_SECRET or len(secret) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random value of 32+ characters in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


class BenchConfig(Config):
    """make bench: production-like, plus a bare hello route and per-request query counts."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production-use")
    BENCH_ENDPOINTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
    "bench": BenchConfig,
}
