"""The DSFR's files are linked with the integrity of the bytes actually served."""

import base64
import hashlib
import re

import pytest

LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)" integrity="(sha384-[^"]+)"')


@pytest.mark.django_db
def test_each_integrity_is_the_digest_of_the_file_served(client):
    page = client.get("/compte/connexion/").content.decode()
    linked = dict(LINKED.findall(page))
    assert {url.rsplit("/", 1)[-1] for url in linked} >= {"dsfr.min.css", "icons.css", "dsfr.module.min.js"}
    for url, integrity in linked.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode(), url
