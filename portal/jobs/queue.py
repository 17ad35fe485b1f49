"""The task queue (huey): a SQLite file beside the embedded database, or the county's PostgreSQL."""
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from huey import Huey, PostgresHuey, SqliteHuey, crontab
from sqlalchemy.engine import make_url

from ..extensions import db
from . import service, tasks

QUEUE_NAME = "halldesk"


@dataclass
class Queue:
    """The app's huey instance and the tasks registered on it."""

    huey: Huey
    run_job: object
    tables_ready: bool = False

    def ensure_tables(self) -> None:
        """Create huey's own tables once per process (safe when two processes start together)."""
        if self.tables_ready or self.huey.immediate:
            return
        try:
            self.huey.storage.initialize_schema()
        except Exception:  # noqa: BLE001 - another process created them between "if not exists" and ours
            self.huey.storage.initialize_schema()
        self.tables_ready = True

    def enqueue(self, token: str) -> None:
        """Hand a job to the worker."""
        self.ensure_tables()
        self.run_job(token)


def make_huey(config) -> Huey:
    """Build the huey instance for the database in use (huey keeps only the messages; state is ours)."""
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    options = {"results": False, "immediate": config.get("QUEUE_IMMEDIATE", False), "create_tables": False}
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresHuey(QUEUE_NAME, dsn=dsn, table_prefix="huey", **options)
    path = config.get("QUEUE_SQLITE_PATH") or _beside(url.database, config["INSTANCE_DIR"])
    return SqliteHuey(QUEUE_NAME, filename=str(path), **options)


def _beside(database: str | None, instance: Path) -> Path:
    if not database or database == ":memory:":  # an in-memory database: the queue file in the instance folder
        return Path(instance) / "halldesk-queue.sqlite3"
    path = Path(database)
    return path.with_name(f"{path.stem}-queue.sqlite3")


def init_queue(app: Flask) -> Queue:
    """Make the app's queue and register its tasks (the same in web servers and in the worker)."""
    huey = make_huey(app.config)
    timeout = app.config["JOB_TIMEOUT_SECONDS"]

    @huey.task(name="halldesk.run_job", timeout=timeout)
    def run_job(token):
        with app.app_context():
            service.execute(token)

    @huey.on_startup()
    def own_connections():
        # Each job process is forked (again after every JOBS_PER_PROCESS jobs) from a consumer whose
        # scheduler holds connections: drop the inherited ones unused, so this process opens its own.
        huey.storage._conn = None
        with app.app_context():
            db.engine.dispose(close=False)

    @huey.periodic_task(crontab(minute="*"), name="halldesk.tidy_jobs")
    def tidy_jobs():
        # One periodic task a minute (each takes a job slot): the tidy, then the tasks due this minute,
        # each period claimed once however many workers run.
        with app.app_context():
            service.tidy()
            tasks.run_schedule()

    return Queue(huey, run_job)
