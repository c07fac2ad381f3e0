"""Security plumbing without a domain: the login lockout page and /.well-known/security.txt."""

from datetime import UTC, datetime, timedelta

from axes.helpers import get_cool_off

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

SECURITY_TXT_VALIDITY = timedelta(days=365)


def dutch_duration(duration: timedelta) -> str:
    """A cool-off time in words: "1 minuut", "30 minuten", "1 uur", "2 uur", "90 minuten"."""
    minutes = max(1, round(duration.total_seconds() / 60))
    if minutes % 60 == 0:
        return f"{minutes // 60} uur"
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """What a locked-out login gets (settings.AXES_LOCKOUT_CALLABLE), for /inloggen/ and
    /beheer/login/ alike: a Dutch page in the site's shell, status 429 with Retry-After."""
    cool_off = get_cool_off(request)
    response = render(
        request,
        "registration/locked.html",
        {
            "cool_off": dutch_duration(cool_off) if cool_off else None,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def security_contacts() -> list[str]:
    """settings.SECURITY_CONTACT as URIs: a bare e-mail address becomes a mailto: URI."""
    contacts = settings.SECURITY_CONTACT
    if isinstance(contacts, str):
        contacts = [contacts]
    return [
        f"mailto:{contact}" if "@" in contact and ":" not in contact else contact
        for contact in contacts
    ]


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): whom to tell about a vulnerability.

    Expires is always less than a year ahead (midnight UTC), as the RFC recommends; the file is
    made per request, so it stays current as long as SECURITY_CONTACT is kept up to date.
    """
    expires = (datetime.now(UTC) + SECURITY_TXT_VALIDITY).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lines = [f"Contact: {contact}" for contact in security_contacts()]
    lines += [
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
