"""Consistent backups while the portal runs, and restoring them."""
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text

from . import clock, signals
from .extensions import db


def _sqlite_path() -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" else None


def _pg_url() -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def row_counts() -> dict[str, int]:
    """Count the rows of every table (for the manifest and for checking a restore)."""
    return {t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in db.metadata.sorted_tables}


def _sqlite_counts(copy: Path) -> dict[str, int]:
    with sqlite3.connect(copy) as conn:
        return {t.name: conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
                for t in db.metadata.sorted_tables}


def _pg_dump(target: Path) -> dict[str, int]:
    """Dump from one exported snapshot and count the rows of that same snapshot."""
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in db.metadata.sorted_tables}
            subprocess.run(["pg_dump", "--format=custom", f"--snapshot={snapshot}",
                            f"--file={target / 'halldesk.pgdump'}", _pg_url()], check=True)
    return counts


def make_backup(dest: str) -> str:
    """Copy database and uploads into a new folder under dest; return its path."""
    target = Path(dest) / clock.now().strftime("halldesk-%Y%m%d-%H%M%S")
    target.mkdir(parents=True, exist_ok=False)
    path = _sqlite_path()
    if path is not None:
        # The online backup API copies a consistent snapshot, even of a live WAL database.
        with sqlite3.connect(path) as src, sqlite3.connect(target / "halldesk.sqlite3") as out:
            src.backup(out)
        counts = _sqlite_counts(target / "halldesk.sqlite3")
    else:
        counts = _pg_dump(target)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.exists():
        shutil.copytree(uploads, target / "uploads")
    # The counts are those of the copy, not of the live database that kept changing meanwhile.
    manifest = {"made_at": clock.now().isoformat(), "database": "sqlite" if path else "postgresql",
                "rows": counts}
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return str(target)


def restore_backup(source: str) -> str:
    """Replace the current database and uploads with a backup folder's contents."""
    src = Path(source)
    manifest = json.loads((src / "manifest.json").read_text())
    db.session.remove()
    db.engine.dispose()
    path = _sqlite_path()
    if path is not None:
        with sqlite3.connect(src / "halldesk.sqlite3") as backup, sqlite3.connect(path) as live:
            backup.backup(live)
    else:
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_pg_url()}",
                        str(src / "halldesk.pgdump")], check=True)
    signals.forget_all()  # the restored counts may equal those a copy was kept under
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if (src / "uploads").exists():
        shutil.rmtree(uploads, ignore_errors=True)
        shutil.copytree(src / "uploads", uploads)
    return f"restored backup of {manifest['made_at']}"
