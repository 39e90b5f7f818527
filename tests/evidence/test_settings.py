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
