"""/.well-known/security.txt (RFC 9116): contact, expiry, languages, canonical address."""

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.django_db


def fields(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in response.content.decode().splitlines():
        name, _, value = line.partition(": ")
        found.setdefault(name, []).append(value)
    return found


def test_security_txt_is_plain_text_with_the_required_fields(client):
    response = client.get("/.well-known/security.txt", HTTP_HOST="dashboard.gemeente.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == ["mailto:security@gemeente.example"]  # the placeholder default
    assert found["Preferred-Languages"] == ["nl, en"]
    assert found["Canonical"] == ["http://dashboard.gemeente.example/.well-known/security.txt"]


def test_expires_is_iso_8601_utc_and_less_than_a_year_ahead(client):
    expires_text = fields(client.get("/.well-known/security.txt"))["Expires"][0]
    expires = datetime.strptime(expires_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    ahead = expires - datetime.now(UTC)
    assert timedelta(days=363) < ahead <= timedelta(days=365)


def test_the_contact_comes_from_the_settings(client, settings):
    settings.SECURITY_CONTACT = ["cert@venlo.example", "https://venlo.example/melden"]
    assert fields(client.get("/.well-known/security.txt"))["Contact"] == [
        "mailto:cert@venlo.example",
        "https://venlo.example/melden",
    ]


def test_the_canonical_address_is_https_behind_a_tls_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(
        "/.well-known/security.txt",
        HTTP_HOST="dashboard.gemeente.example",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert fields(response)["Canonical"] == [
        "https://dashboard.gemeente.example/.well-known/security.txt"
    ]


def test_only_get(client):
    assert client.post("/.well-known/security.txt").status_code == 405
