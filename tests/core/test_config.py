"""Configuration from the environment."""

import pytest

from planvoice import create_app
from planvoice.core.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANVOICE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_secret_key_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANVOICE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "k" * 11)
    monkeypatch.setenv("PUBLIC_URL", "https://planvoice.example.cn")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"] == "from-the-environment-" + "k" * 11
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PLANVOICE_ENV", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    first = create_app()
    second = create_app()
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/planvoice.db"
    assert first.config["UPLOAD_FOLDER"] == str(tmp_path / "uploads")


def test_environment_variables_set_database_uploads_and_flask_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://planvoice@db.example/planvoice")
    monkeypatch.setenv("UPLOAD_FOLDER", str(tmp_path / "photos"))
    monkeypatch.setenv("FLASK_MAX_CONTENT_LENGTH", "1024")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://planvoice@db.example/planvoice"
    )
    assert app.config["UPLOAD_FOLDER"] == str(tmp_path / "photos")
    assert app.config["MAX_CONTENT_LENGTH"] == 1024


def test_the_engine_pings_connections_before_using_them(app):
    # A connection the database (or a proxy) dropped is replaced, not handed to a request.
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert db.engine.pool._pre_ping is True


def test_engine_options_from_the_caller_keep_the_pre_ping():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 3}})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 3, "pool_pre_ping": True}


def test_photos_are_kept_on_disk_unless_the_environment_names_a_bucket(monkeypatch):
    assert create_app({"SECRET_KEY": "x"}).config["PHOTO_STORAGE"] == "local"
    monkeypatch.setenv("PHOTO_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "erdao-photos")
    monkeypatch.setenv("FLASK_S3_ENDPOINT_URL", "https://oss-cn-beijing.aliyuncs.com")
    monkeypatch.setenv("S3_REGION", "cn-beijing")
    config = create_app({"SECRET_KEY": "x"}).config
    assert (config["PHOTO_STORAGE"], config["S3_BUCKET"]) == ("s3", "erdao-photos")
    assert config["S3_ENDPOINT_URL"] == "https://oss-cn-beijing.aliyuncs.com"
    assert config["S3_REGION"] == "cn-beijing"


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"PHOTO_STORAGE": "ftp"}, "PHOTO_STORAGE must be 'local' or 's3'"),
        ({"PHOTO_STORAGE": "s3"}, "S3_BUCKET must be set"),
    ],
)
def test_a_photo_storage_that_cannot_work_refuses_to_start(settings, message):
    with pytest.raises(RuntimeError, match=message):
        create_app({"SECRET_KEY": "x", **settings})
