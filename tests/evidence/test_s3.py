"""The evidence in S3-compatible object storage (django-storages), against moto's server on
loopback: a file uploaded goes to the bucket under its generated name, comes back through the
download view only, and leaves the bucket when removed."""

import socket

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from pilotis.evidence import services
from pilotis.evidence.models import Piece
from tests.evidence.conftest import PDF, upload

BUCKET = "pilotis-pieces-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_upload_download_remove_in_s3(s3, client_for, world, answer, django_capture_on_commit_callbacks):
    piece = services.add_file("answer", answer, upload("Charte.pdf", PDF), by=world.rupn_a)
    assert keys(s3) == [piece.stored_name]
    assert s3.get_object(Bucket=BUCKET, Key=piece.stored_name)["Body"].read() == PDF

    response = client_for("correspondant_40").get(reverse("pieces:download", args=[piece.pk]))
    assert response.status_code == 200 and response.content == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for("rupn_b").get(reverse("pieces:download", args=[piece.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_piece(piece, by=world.chef_a)
    assert keys(s3) == []
    assert Piece.objects.get(pk=piece.pk).removed_at is not None


def test_a_refused_file_never_reaches_the_bucket(s3, world, answer):
    from pilotis.evidence.files import Refused

    with pytest.raises(Refused):
        services.add_file("answer", answer, upload("x.pdf", b"MZ" + b"\x00" * 64), by=world.rupn_a)
    assert keys(s3) == [] and not Piece.objects.exists()


def test_a_large_file_is_streamed_from_the_bucket(s3, client_for, world, answer):
    big = PDF + b"0" * (3 * 1024 * 1024)
    piece = services.add_file("answer", answer, upload("gros.pdf", big), by=world.rupn_a)
    response = client_for("chef_a").get(reverse("pieces:download", args=[piece.pk]))
    assert response.streaming
    assert b"".join(response.streaming_content) == big
    response.close()
