"""Uploads, error pages and backups: the data-safety rules of the baseline."""
import io
import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from config import ProductionConfig
from portal.access import public
from portal.backup import make_backup, restore_backup, row_counts
from portal.extensions import db
from portal.org.models import Department
from portal.roles import Role
from portal.uploads import service as uploads
from portal.uploads.service import UploadRefused
from tests.conftest import token

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


# --- uploads ----------------------------------------------------------------------------------

def test_request_over_the_size_limit_gets_413_with_a_chinese_message(app, client, login_as):
    login_as(Role.ADMIN)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    body = {"csrf_token": token(client), "file": (io.BytesIO(b"%PDF-" + b"x" * (1024 * 1024 + 10)), "big.pdf")}
    response = client.post("/admin/windows/new", data=body, content_type="multipart/form-data")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "文件太大" in html and "大小限制" in html


def _upload(name, data):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_upload_type_is_judged_by_content_not_by_name(app, hall):
    app.config["UPLOAD_STORAGE"] = "filesystem"
    with app.test_request_context():
        with pytest.raises(UploadRefused, match="不是PDF 或图片"):
            uploads.save(_upload("invoice.pdf", b"MZ\x90\x00 this is an exe"), "document", "test", 1, None)
        stored = uploads.save(_upload("photo.exe", PNG), "image", "test", 1, None)
        assert stored.mime == "image/png" and stored.path.endswith(".png")


def test_upload_over_the_rulebook_limit_is_refused_in_chinese(app, hall):
    with app.test_request_context():
        big = PDF + b"x" * uploads.limit_bytes("image")
        with pytest.raises(UploadRefused, match="MB 的大小限制"):
            uploads.save(_upload("big.png", b"\x89PNG\r\n\x1a\n" + big), "image", "test", 1, None)


def test_uploads_are_stored_outside_static_under_generated_names(app, hall):
    app.config["UPLOAD_STORAGE"] = "filesystem"  # the one-machine backend (tests/test_uploads_db.py: the other)
    with app.test_request_context():
        stored = uploads.save(_upload("../../static/evil.pdf", PDF), "document", "test", 1, None)
        db.session.commit()
        on_disk = Path(app.config["UPLOAD_DIR"]) / stored.path
        assert on_disk.read_bytes() == PDF
        static = Path(app.static_folder).resolve()
        assert static not in on_disk.resolve().parents
        assert "evil" not in on_disk.name and stored.token in on_disk.name


def test_uploads_are_served_with_their_checked_type_and_a_disposition(app, hall):
    with app.test_request_context():
        stored = uploads.save(_upload("报告.pdf", PDF), "document", "test", 1, None)
        db.session.commit()
        response = uploads.send(uploads.by_token(stored.token))
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]


# --- errors -----------------------------------------------------------------------------------

def test_server_error_shows_a_chinese_page_with_an_error_id_and_no_traceback(app, caplog):
    def boom():
        raise RuntimeError("secret internals: password=hunter2")
    app.add_url_rule("/test-boom", "test_boom", public(boom))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/test-boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "系统出错" in html and "错误编号" in html
    assert "Traceback" not in html and "hunter2" not in html and "RuntimeError" not in html
    import re
    error_id = re.search(r"错误编号：<strong>([0-9A-F]{8})</strong>", html).group(1)
    assert any(error_id in r.getMessage() for r in caplog.records)  # the log ties the id to the traceback


def test_no_debugger_outside_development():
    assert not getattr(ProductionConfig, "DEBUG", False)
    wsgi = (Path(__file__).resolve().parents[1] / "wsgi.py").read_text()
    assert "debug=True" not in wsgi and "DEBUG" not in wsgi


# --- backups ----------------------------------------------------------------------------------

def _keep_writing(app, hall_id, stop: threading.Event, written: list):
    with app.app_context():
        n = 0
        while not stop.is_set():
            n += 1
            db.session.add(Department(hall_id=hall_id, name=f"并发写入{n}", kind="center_office"))
            db.session.commit()
            written.append(n)
        db.session.remove()


def test_backup_taken_while_writes_run_restores_intact(app, hall, tmp_path):
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_keep_writing, args=(app, hall["hall"], stop, written))
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups")])
        assert result.exit_code == 0, result.output
        after_copy = len(written)
        while len(written) < after_copy + 5:  # and more writes after the copy was finished
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join(timeout=30)
    folder = Path(result.output.strip().splitlines()[-1])
    manifest = json.loads((folder / "manifest.json").read_text())
    with app.app_context():
        live = row_counts()
    assert live["department"] > manifest["rows"]["department"] >= 20  # writes went on after the copy
    if manifest["database"] == "sqlite":
        with sqlite3.connect(folder / "halldesk.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = app.test_cli_runner().invoke(args=["restore", str(folder), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert row_counts() == manifest["rows"]
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
        from portal.audit.service import verify
        assert verify()[0]  # the restored audit chain is whole


def test_backup_includes_uploaded_files_and_restore_brings_them_back(app, hall, tmp_path):
    app.config["UPLOAD_STORAGE"] = "filesystem"
    with app.test_request_context():
        stored = uploads.save(_upload("a.pdf", PDF), "document", "test", 1, None)
        db.session.commit()
        folder = make_backup(str(tmp_path / "b"))
        on_disk = Path(app.config["UPLOAD_DIR"]) / stored.path
        on_disk.unlink()
        restore_backup(folder)
        assert on_disk.read_bytes() == PDF


def test_restore_needs_confirmation(app, hall, tmp_path):
    with app.app_context():
        folder = make_backup(str(tmp_path / "b"))
    result = app.test_cli_runner().invoke(args=["restore", folder])
    assert result.exit_code != 0 and "--yes" in result.output
