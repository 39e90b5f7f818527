"""Where the evidence is kept by default: a private folder outside static and media, served by no
URL; the limits come from the settings."""

import importlib
import io
import os
from pathlib import Path

from PIL import Image

from pilotis.evidence import files
from tests.evidence.conftest import upload


def test_the_default_storage_is_private_and_outside_static_files():
    settings = importlib.import_module("config.settings")
    evidence = settings.STORAGES["evidence"]
    assert evidence["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    location = Path(evidence["OPTIONS"]["location"]).resolve()
    assert evidence["OPTIONS"]["base_url"] is None
    if "EVIDENCE_ROOT" not in os.environ:
        assert location == (settings.BASE_DIR / "var" / "pieces").resolve()
    assert Path(settings.STATIC_ROOT).resolve() not in location.parents
    assert not any(part in ("static", "media") for part in location.parts)
    assert settings.EVIDENCE_MAX_BYTES == 10 * 1024 * 1024
    assert settings.EVIDENCE_SCHOOL_QUOTA_BYTES == 500 * 1024 * 1024


def test_no_url_serves_the_folder(client_for, world):
    client = client_for("admin")
    for path in ("/var/pieces/", "/pieces/", "/media/", "/static/../var/pieces/"):
        assert client.get(path).status_code == 404


def test_real_images_pass():
    for fmt, name, code in (("PNG", "photo.png", "png"), ("JPEG", "photo.jpg", "jpeg")):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), (0, 0, 145)).save(buffer, format=fmt)
        assert files.check_upload(upload(name, buffer.getvalue())).file_type.code == code


def test_an_s3_storage_from_the_environment(monkeypatch):
    """EVIDENCE_STORAGE_BACKEND and the EVIDENCE_S3_* variables give django-storages its options."""
    import config.settings as module

    monkeypatch.setenv("EVIDENCE_STORAGE_BACKEND", "storages.backends.s3.S3Storage")
    monkeypatch.setenv("EVIDENCE_S3_BUCKET", "pieces-academie")
    monkeypatch.setenv("EVIDENCE_S3_ENDPOINT_URL", "https://s3.ac-exemple.fr")
    monkeypatch.setenv("EVIDENCE_S3_ACCESS_KEY_ID", "cle")
    monkeypatch.setenv("EVIDENCE_S3_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", "5242880")
    try:
        reloaded = importlib.reload(module)
        evidence = reloaded.STORAGES["evidence"]
        assert evidence["BACKEND"] == "storages.backends.s3.S3Storage"
        options = evidence["OPTIONS"]
        assert options["bucket_name"] == "pieces-academie"
        assert options["endpoint_url"] == "https://s3.ac-exemple.fr"
        assert (options["access_key"], options["secret_key"]) == ("cle", "secret")
        assert options["default_acl"] == "private" and options["file_overwrite"] is False
        assert reloaded.EVIDENCE_MAX_BYTES == 5 * 1024 * 1024
    finally:
        monkeypatch.undo()
        importlib.reload(module)
