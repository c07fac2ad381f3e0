"""Logging in is throttled per username (django-axes), on /inloggen/ and /beheer/login/ alike;
passwords follow Django's validators; sessions end."""

from datetime import timedelta

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt, AccessFailureLog

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from tests.collaborations.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "lang-en-geheim-wachtwoord"
LOCKED = "Te veel mislukte pogingen"


@pytest.fixture
def anna():
    return UserFactory(username="anna", password=PASSWORD)


def post_login(client, username, password, path="/inloggen/", **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def fail(client, username, times, path="/inloggen/", **extra):
    return [post_login(client, username, "fout", path, **extra) for _ in range(times)]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_settings_lock_a_username_after_twenty_failures_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 20
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_twenty_wrong_passwords_lock_the_account_even_for_the_right_password(client, anna):
    responses = fail(client, "anna", 20)
    assert {r.status_code for r in responses[:19]} == {200}  # the login page with its error
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in responses[0].content.decode()
    assert responses[19].status_code == 429  # the twentieth locks

    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert LOCKED in page
    assert "Probeer het over 30 minuten opnieuw of vraag de beheerder" in page
    assert "Inloggen tijdelijk geblokkeerd" in page
    assert 'lang="nl"' in page and 'class="utrecht-link skip-link"' in page  # the site's shell
    assert response["Retry-After"] == "1800"
    assert AccessFailureLog.objects.filter(username="anna").count() == 20


def test_nineteen_failures_do_not_lock_and_a_success_clears_them(client, anna):
    fail(client, "anna", 19)
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="anna").exists()


def test_attempts_during_the_lock_do_not_extend_it(client, anna):
    fail(client, "anna", 20)
    first = AccessAttempt.objects.get(username="anna").attempt_time
    fail(client, "anna", 3)
    attempt = AccessAttempt.objects.get(username="anna")
    assert attempt.attempt_time == first and attempt.failures_since_start == 20


def test_the_lock_is_per_username_from_any_address_or_browser(client, anna):
    bert = UserFactory(username="bert", password=PASSWORD)
    # an attacker rotating addresses and browsers still counts against the one username
    for n in range(20):
        post_login(
            client,
            "anna",
            "fout",
            REMOTE_ADDR=f"10.0.0.{n}",
            HTTP_USER_AGENT=f"browser {n}",
        )
    other = Client(REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
    assert post_login(other, "anna", PASSWORD).status_code == 429

    # another user, also from the attacker's own address, is not locked
    response = post_login(Client(REMOTE_ADDR="10.0.0.1"), bert.username, PASSWORD)
    assert response.status_code == 302


def test_unknown_usernames_lock_the_same_way(client):
    """A lockout does not tell whether a username exists."""
    assert fail(client, "bestaat-niet", 20)[-1].status_code == 429


def test_the_beheerder_unlocks_with_the_command(client, anna):
    fail(client, "anna", 20)
    call_command("axes_reset_username", "anna", stdout=None)
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_beheerder_unlocks_in_the_admin(client, anna):
    fail(client, "anna", 20)
    beheerder = Client()
    beheerder.force_login(UserFactory(username="bea", is_staff=True, is_superuser=True))
    listing = beheerder.get("/beheer/axes/accessattempt/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Mislukte inlogpogingen (blokkades)" in page and "Geblokkeerd" in page
    index = beheerder.get("/beheer/").content.decode()
    assert "Inlogsessies" in index and "Logboek mislukte inlogs" in index

    attempt = AccessAttempt.objects.get(username="anna")
    response = beheerder.post(
        "/beheer/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert post_login(client, "anna", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_time(client, anna):
    fail(client, "anna", 20)
    assert post_login(client, "anna", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="anna").update(
        attempt_time=timezone.now() - timedelta(minutes=31)
    )
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_a_short_cool_off_from_the_settings_is_shown_in_words(client, anna, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    settings.AXES_FAILURE_LIMIT = 3
    response = fail(client, "anna", 3)[-1]
    assert response.status_code == 429
    assert "Probeer het over 1 minuut opnieuw" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_the_admin_login_is_throttled_too(client, anna):
    anna.is_staff = True
    anna.save()
    responses = fail(client, "anna", 20, path="/beheer/login/")
    assert {r.status_code for r in responses[:19]} == {200}
    assert responses[19].status_code == 429
    response = post_login(client, "anna", PASSWORD, path="/beheer/login/")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # one count for both forms: the site login is locked as well
    assert post_login(client, "anna", PASSWORD).status_code == 429


def test_failures_on_both_forms_add_up(client, anna):
    fail(client, "anna", 10, path="/beheer/login/")
    fail(client, "anna", 10)
    assert post_login(client, "anna", PASSWORD).status_code == 429


def test_the_test_clients_login_needs_a_request(client, anna):
    """AxesStandaloneBackend refuses an authenticate() without a request: tests use
    force_login, or pass a request to client.login."""
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="anna", password=PASSWORD)
    assert client.login(request=HttpRequest(), username="anna", password=PASSWORD)
    assert logged_in(client)


# --- Passwords --------------------------------------------------------------------------------


def test_a_short_password_is_refused_in_dutch():
    with pytest.raises(ValidationError) as refused:
        validate_password("Kort-1x")
    text = " ".join(refused.value.messages)
    assert "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten." in text


def test_a_common_password_is_refused_in_dutch():
    with pytest.raises(ValidationError) as refused:
        validate_password("password1234")
    assert "Dit wachtwoord is te algemeen" in " ".join(refused.value.messages)


def test_a_numeric_or_name_like_password_is_refused(anna):
    with pytest.raises(ValidationError):
        validate_password("839201748261")
    anna.first_name = "Annabella"
    anna.last_name = "Vermeulen-Duijvenbode"
    with pytest.raises(ValidationError) as refused:
        validate_password("vermeulen-duijvenbode", user=anna)
    assert "lijkt te veel op" in " ".join(refused.value.messages)


def test_a_long_uncommon_password_is_accepted(anna):
    validate_password("paars-fietspad-onder-de-brug-42", user=anna)


# --- Sessions ---------------------------------------------------------------------------------


def test_sessions_end_after_eight_hours_and_with_the_browser(client, anna):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    response = post_login(client, "anna", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    # the server forgets the session after eight hours, also while the browser stays open
    assert client.session.get_expiry_age() == 8 * 60 * 60
    expires = client.session.get_expiry_date()
    assert timedelta(hours=7, minutes=59) < expires - timezone.now() <= timedelta(hours=8)


# --- In a real browser ------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_lockout_page_is_accessible_and_the_real_form_still_logs_in(
    page, live_server, login, assert_accessible, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="anna", password=PASSWORD)
    UserFactory(username="bert", password=PASSWORD)
    for _ in range(3):
        login(page, "anna", "fout")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen tijdelijk geblokkeerd"
    assert "Probeer het over 30 minuten opnieuw" in page.content()
    assert_accessible(page)

    login(page, "bert", PASSWORD)  # the fixture the browser tests use
    assert "Ingelogd als bert" in page.content()
