"""Uploads kept in the database: every app server serves them, nothing is written to the instance folder."""
import io
from pathlib import Path

from werkzeug.datastructures import FileStorage

from portal.backup import make_backup, restore_backup
from portal.extensions import db
from portal.uploads import service as uploads
from portal.uploads.models import StoredBlob, StoredFile

PDF = b"%PDF-1.7\n" + b"y" * 64


def _upload(name, data):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_an_upload_kept_in_the_database_is_served_without_the_instance_folder(app, hall):
    app.config["UPLOAD_STORAGE"] = "database"
    with app.test_request_context():
        stored = uploads.save(_upload("通知.pdf", PDF), "document", "test", 1, None)
        db.session.commit()
        assert stored.path == "" and db.session.get(StoredBlob, stored.id).data == PDF
        assert not Path(app.config["UPLOAD_DIR"]).exists() or not any(Path(app.config["UPLOAD_DIR"]).rglob("*.pdf"))
        response = uploads.send(stored)
        response.direct_passthrough = False
        assert response.get_data() == PDF and response.mimetype == "application/pdf"
        assert response.headers["ETag"].strip('"') == stored.sha256


def test_on_postgresql_uploads_go_to_the_database_by_default(app):
    with app.app_context():
        assert uploads.in_database() == (db.engine.dialect.name == "postgresql")


def test_a_backup_keeps_the_uploads_kept_in_the_database(app, hall, tmp_path):
    app.config["UPLOAD_STORAGE"] = "database"
    with app.test_request_context():
        stored = uploads.save(_upload("a.pdf", PDF), "document", "test", 1, None)
        db.session.commit()
        file_id = stored.id
        folder = make_backup(str(tmp_path / "b"))
        db.session.delete(db.session.get(StoredBlob, file_id))
        db.session.commit()
        restore_backup(folder)
        db.session.remove()
        assert db.session.get(StoredBlob, file_id).data == PDF
        assert db.session.get(StoredFile, file_id).sha256
