"""/gezond/: what a load balancer or an operator reads — 200 with the state of the database,
the cache and the storage when all work; 503 naming what is down when one does not."""

from unittest import mock

import pytest

from django.core.files.storage import default_storage
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthy_server_answers_200_with_each_part(client):
    response = client.get("/gezond/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "gezond"
    for part in ("database", "cache", "storage"):
        assert body[part]["ok"] is True
        assert body[part]["ms"] >= 0
    # never kept by a cache or proxy: every call is a fresh look
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # no session is made for it, and the test file is gone again
    assert "sessionid" not in response.cookies
    assert default_storage.listdir("gezond")[1] == []


def test_database_down_answers_503(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/gezond/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "ongezond"
    assert body["database"] == {"ok": False, "fout": "OperationalError", "ms": mock.ANY}
    assert body["cache"]["ok"] is True and body["storage"]["ok"] is True
    assert "connection refused" not in response.content.decode()  # public: the kind only


def test_storage_or_cache_down_answers_503(client):
    with mock.patch.object(default_storage, "save", side_effect=PermissionError("read-only")):
        response = client.get("/gezond/")
    assert response.status_code == 503
    assert response.json()["storage"]["fout"] == "PermissionError"
    with mock.patch("core.health.cache.get", return_value=None):
        response = client.get("/gezond/")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False


def test_a_logged_in_user_gets_the_same_answer_and_post_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("iemand"))
    assert client.get("/gezond/").status_code == 200
    assert client.head("/gezond/").status_code == 200
    assert client.post("/gezond/").status_code == 405
