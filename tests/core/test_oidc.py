"""Logging in with the municipality's own identity provider over OpenID Connect, against a stub
provider on 127.0.0.1: it signs ID tokens with an RSA key made here (mozilla-django-oidc checks
them with PyJWT against the stub's JWKS), answers the token and userinfo endpoints, and checks
the client's secret, the redirect URI and PKCE as a real provider does.

The provider says who someone is, never what they may do; off by default, nothing of it exists.
"""

import base64
import hashlib
import importlib.util
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from cryptography.hazmat.primitives.asymmetric import rsa

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse

import dashboard.urls
from core.oidc import INACTIVE, REFUSED, UNKNOWN, UNREACHABLE
from tests.collaborations.factories import UserFactory
from tests.core.test_deploy import production_env, run

pytestmark = pytest.mark.django_db

# dashboard.urls mounts /oidc/ when it is imported with OIDC on. It is imported above, while OIDC
# is off, so that the tests below that turn it on (with their own urlconf) never change the
# site's URLs for the tests that come after them.

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "dashboard" / "settings" / "base.py"
CLIENT_ID = "dashboard-samenwerking"
CLIENT_SECRET = "geheim-van-het-dashboard"
KID = "stub-sleutel-1"
CALLBACK = "http://testserver/oidc/callback/"
LABEL = "Inloggen met het account van uw gemeente"
AXES = "axes.backends.AxesStandaloneBackend"
OIDC_BACKEND = "core.oidc.OIDCBackend"


# --- The stub provider --------------------------------------------------------------------


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def person(username: str, **claims) -> dict:
    """The userinfo of someone at the municipality's provider."""
    return {
        "sub": f"sub-{username}",
        "preferred_username": username,
        "given_name": "Anna",
        "family_name": "de Vries",
        "email": f"{username}@venlo.example",
        **claims,
    }


@dataclass
class Grant:
    """What the provider remembers between the login at the provider and the token request."""

    userinfo: dict
    nonce: str
    redirect_uri: str
    code_challenge: str
    key: rsa.RSAPrivateKey
    audience: str
    subject: str
    lifetime: int


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.grants: dict[str, Grant] = {}
        self.userinfo: dict[str, dict] = {}  # by access token
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def env(self) -> dict[str, str]:
        """The environment that turns OpenID Connect on against this provider."""
        return {
            "OIDC_ENABLED": "true",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def issue(self, userinfo, *, nonce, code_challenge, redirect_uri=CALLBACK, **options) -> str:
        """The user logged in at the provider: a code for the browser to take back."""
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            userinfo=userinfo,
            nonce=nonce,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            key=options.get("key", self.key),
            audience=options.get("audience", CLIENT_ID),
            subject=options.get("subject", userinfo["sub"]),
            lifetime=options.get("lifetime", 300),
        )
        return code

    def authorize(self, location: str, userinfo: dict, **options) -> tuple[str, str]:
        """The browser arrives at the authorization endpoint (where the dashboard sent it)."""
        assert location.startswith(f"{self.url}/authorize?")
        params = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
        assert params["client_id"] == CLIENT_ID and params["response_type"] == "code"
        assert params["scope"].split() == ["openid", "email", "profile"]
        assert params["redirect_uri"] == CALLBACK
        assert params["code_challenge_method"] == "S256"
        code = self.issue(
            userinfo,
            nonce=options.pop("nonce", params["nonce"]),
            code_challenge=params["code_challenge"],
            redirect_uri=params["redirect_uri"],
            **options,
        )
        return code, params["state"]

    def token(self, form: dict) -> tuple[int, dict]:
        self.token_requests += 1
        grant = self.grants.pop(form.get("code", ""), None)  # a code works once
        if (
            form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant.redirect_uri
            or s256(form.get("code_verifier", "")) != grant.code_challenge
        ):
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": self.url,
                "sub": grant.subject,
                "aud": grant.audience,
                "iat": now,
                "exp": now + grant.lifetime,
                "nonce": grant.nonce,
            },
            grant.key,
            algorithm="RS256",
            headers={"kid": KID},
        )
        access_token = secrets.token_urlsafe(16)
        self.userinfo[access_token] = grant.userinfo
        return 200, {"access_token": access_token, "id_token": id_token, "token_type": "Bearer"}

    def jwks(self) -> dict:
        key = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**key, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    self.answer(*provider.token(form))
                else:
                    self.answer(500, {"error": "server_error"})

            def do_GET(self):
                if self.path == "/jwks":
                    self.answer(200, provider.jwks())
                elif self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token in provider.userinfo:
                        self.answer(200, provider.userinfo[token])
                    else:
                        self.answer(401, {"error": "invalid_token"})
                else:
                    self.answer(404, {"error": "not_found"})

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture(scope="module")
def provider():
    stub = Provider()
    thread = threading.Thread(target=stub.server.serve_forever, daemon=True)
    thread.start()
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


# --- The settings, as dashboard/settings/base.py makes them from the environment -----------


def base_settings(env: dict[str, str]):
    """dashboard/settings/base.py run afresh with these OIDC_* variables (and no others)."""
    spec = importlib.util.spec_from_file_location("dashboard.settings._oidc_probe", BASE_SETTINGS)
    module = importlib.util.module_from_spec(spec)
    clean = {key: value for key, value in os.environ.items() if not key.startswith("OIDC_")}
    with mock.patch.dict(os.environ, {**clean, **env}, clear=True):
        spec.loader.exec_module(module)
    return module


@pytest.fixture
def oidc(provider):
    """OpenID Connect on, with the settings base.py makes of the stub's environment, and the
    site's URLs with /oidc/ mounted."""
    module = base_settings(provider.env())
    values = {name: getattr(module, name) for name in dir(module) if name.startswith("OIDC_")}
    with override_settings(
        **values,
        AUTHENTICATION_BACKENDS=module.AUTHENTICATION_BACKENDS,
        ROOT_URLCONF="tests.core.oidc_urls",
    ):
        yield provider


def log_in(client, provider, userinfo, *, next_url=None, **options):
    """The whole round: the dashboard sends the browser to the provider, the user logs in
    there, the provider sends the browser back to /oidc/callback/ with a code."""
    start = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert start.status_code == 302
    code, state = provider.authorize(start["Location"], userinfo, **options)
    return client.get("/oidc/callback/", {"code": code, "state": state})


def logged_in_as(client):
    return client.session.get("_auth_user_id"), client.session.get("_auth_user_backend")


def refused_with(client, response, message: str) -> None:
    assert response.status_code == 302 and response["Location"] == "/inloggen/"
    assert logged_in_as(client) == (None, None)
    page = client.get("/inloggen/").content.decode()
    assert message in page


@pytest.fixture
def anna():
    return UserFactory(username="anna", first_name="A.", last_name="Vries", email="")


# --- Off by default -----------------------------------------------------------------------


def test_off_by_default_nothing_is_mounted_installed_or_shown(client):
    assert settings.OIDC_ENABLED is False
    assert not hasattr(settings, "OIDC_RP_CLIENT_ID")
    assert OIDC_BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert "mozilla_django_oidc" not in settings.INSTALLED_APPS
    assert not [p for p in dashboard.urls.urlpatterns if str(p.pattern).startswith("oidc")]
    for path in ("/oidc/authenticate/", "/oidc/callback/?code=x&state=y", "/oidc/logout/"):
        assert client.get(path).status_code == 404, path
    page = client.get("/inloggen/").content.decode()
    assert "/oidc/" not in page and LABEL not in page
    assert "utrecht-button--primary-action" in page  # the password form, as before


def test_off_the_variables_are_not_read():
    module = base_settings({"OIDC_RP_SIGN_ALGO": "none", "OIDC_OP_TOKEN_ENDPOINT": "http://x"})
    assert module.OIDC_ENABLED is False
    assert [name for name in dir(module) if name.startswith("OIDC_")] == ["OIDC_ENABLED"]
    assert module.AUTHENTICATION_BACKENDS == [AXES, "django.contrib.auth.backends.ModelBackend"]


def test_on_the_backend_comes_after_axes_and_nothing_is_granted_by_default(provider):
    module = base_settings(provider.env())
    assert module.AUTHENTICATION_BACKENDS == [
        AXES,
        "django.contrib.auth.backends.ModelBackend",
        OIDC_BACKEND,
    ]
    assert "mozilla_django_oidc" in module.INSTALLED_APPS
    assert module.OIDC_RP_SIGN_ALGO == "RS256"
    assert module.OIDC_USERNAME_CLAIM == "preferred_username"
    assert module.OIDC_CREATE_USER is False
    assert module.OIDC_LOGIN_LABEL == LABEL
    assert module.OIDC_USE_PKCE is True and module.OIDC_TIMEOUT == 10


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"OIDC_RP_CLIENT_SECRET": "", "OIDC_OP_JWKS_ENDPOINT": ""},
            "these variables are missing: OIDC_RP_CLIENT_SECRET, OIDC_OP_JWKS_ENDPOINT",
        ),
        ({"OIDC_OP_TOKEN_ENDPOINT": "http://idp.venlo.example/token"}, "OIDC_OP_TOKEN_ENDPOINT"),
        ({"OIDC_RP_SIGN_ALGO": "none"}, "OIDC_RP_SIGN_ALGO must be one of"),
    ],
)
def test_on_a_missing_or_unsafe_variable_stops_the_start(provider, change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        base_settings({**provider.env(), **change})


def test_on_production_mounts_the_urls_and_passes_the_deploy_check(tmp_path):
    """The real dashboard.urls and production settings, in a process of their own."""
    env = production_env(
        tmp_path,
        OIDC_ENABLED="true",
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.venlo.example/authorize",
        OIDC_OP_TOKEN_ENDPOINT="https://idp.venlo.example/token",
        OIDC_OP_USER_ENDPOINT="https://idp.venlo.example/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://idp.venlo.example/jwks",
    )
    code = (
        "import django; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING'); "
        "from django.urls import resolve, reverse; "
        "print(reverse('oidc_authentication_init'), reverse('oidc_authentication_callback'), "
        "resolve('/oidc/callback/').func.view_class.__qualname__)"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stdout.split()[-3:] == ["/oidc/authenticate/", "/oidc/callback/", "CallbackView"]


# --- On: the login page -------------------------------------------------------------------


def test_on_the_login_page_offers_the_municipality_account(client, oidc):
    page = client.get("/inloggen/", {"next": "/venlo/"}).content.decode()
    assert f'href="/oidc/authenticate/?next=/venlo/">{LABEL}</a>' in page
    assert "Of met een gebruikersnaam en wachtwoord van het dashboard" in page
    with override_settings(OIDC_LOGIN_LABEL="Inloggen met uw Venlo-account"):
        assert "Inloggen met uw Venlo-account</a>" in client.get("/inloggen/").content.decode()


def test_on_the_password_login_still_works_and_never_reaches_the_provider(client, oidc, anna):
    before = oidc.token_requests
    response = client.post(
        "/inloggen/?code=gestolen&state=verzonnen",
        {"username": "anna", "password": "geheim-wachtwoord"},
    )
    assert response.status_code == 302
    assert logged_in_as(client) == (
        str(anna.pk),
        "django.contrib.auth.backends.ModelBackend",
    )
    assert oidc.token_requests == before


# --- On: who gets in ----------------------------------------------------------------------


def test_an_existing_login_logs_in_and_lands_where_it_should(client, oidc, anna):
    response = log_in(client, oidc, person("anna"))
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert logged_in_as(client) == (str(anna.pk), OIDC_BACKEND)
    landed = client.get(response["Location"], follow=True)  # Mijn gemeente, or the list
    assert "Ingelogd als Anna de Vries" in landed.content.decode()
    anna.refresh_from_db()  # the name and e-mail address come from the provider
    assert (anna.first_name, anna.last_name, anna.email) == (
        "Anna",
        "de Vries",
        "anna@venlo.example",
    )
    assert anna.history.first().history_change_reason.startswith("Naam of e-mailadres")
    assert AccessLog.objects.filter(username="anna").exists()  # axes saw the login


def test_the_next_page_is_kept_and_the_username_matches_whatever_its_case(client, oidc, anna):
    response = log_in(client, oidc, person("Anna"), next_url="/venlo/")
    assert response["Location"] == "/venlo/"
    assert logged_in_as(client) == (str(anna.pk), OIDC_BACKEND)


def test_the_claim_that_names_the_login_is_configurable(client, oidc, anna):
    with override_settings(OIDC_USERNAME_CLAIM="employee_id"):
        log_in(client, oidc, person("a.de.vries", employee_id="anna"))
    assert logged_in_as(client) == (str(anna.pk), OIDC_BACKEND)


def test_an_unknown_user_is_refused_when_creating_logins_is_off(client, oidc, anna):
    response = log_in(client, oidc, person("bert", email="anna@venlo.example"))
    refused_with(client, response, UNKNOWN.format(username="bert"))
    assert "Vraag de beheerder van het dashboard om een login voor u te maken" in UNKNOWN
    # not matched by e-mail address either, and no login made
    assert not get_user_model().objects.filter(username="bert").exists()


def test_an_unknown_user_gets_a_login_without_rights_when_creating_is_on(client, oidc):
    claims = person("bert", is_superuser=True, is_staff=True, groups=["beheer"], roles=["rol"])
    with override_settings(OIDC_CREATE_USER=True):
        response = log_in(client, oidc, claims)
    bert = get_user_model().objects.get(username="bert")
    assert logged_in_as(client) == (str(bert.pk), OIDC_BACKEND)
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert (bert.first_name, bert.last_name, bert.email) == (
        "Anna",
        "de Vries",
        "bert@venlo.example",
    )
    assert not bert.is_superuser and not bert.is_staff and bert.is_active
    assert not bert.has_usable_password()
    assert not bert.roles.exists() and not bert.groups.exists()
    assert not bert.user_permissions.exists()
    assert bert.history.first().history_change_reason.startswith("Login aangemaakt")


def test_claims_never_grant_rights_to_an_existing_login(client, oidc, anna):
    claims = person("anna", is_superuser=True, is_staff=True, groups=["beheer"], roles=["rol"])
    log_in(client, oidc, claims)
    anna.refresh_from_db()
    assert logged_in_as(client)[0] == str(anna.pk)
    assert not anna.is_superuser and not anna.is_staff and not anna.roles.exists()


def test_a_disabled_login_is_refused(client, oidc, anna):
    anna.is_active = False
    anna.save()
    refused_with(client, log_in(client, oidc, person("anna")), INACTIVE)


def test_claims_without_the_username_are_refused(client, oidc, anna):
    claims = person("anna")
    del claims["preferred_username"]
    refused_with(client, log_in(client, oidc, claims), REFUSED)


# --- On: what is not trusted --------------------------------------------------------------


@pytest.mark.parametrize(
    "forgery",
    [
        pytest.param({"key": "other"}, id="signed-with-another-key"),
        pytest.param({"nonce": "een-andere-nonce"}, id="another-nonce"),
        pytest.param({"audience": "een-andere-client"}, id="made-for-another-client"),
        pytest.param({"subject": "sub-iemand-anders"}, id="userinfo-of-someone-else"),
        pytest.param({"lifetime": -60}, id="expired"),
    ],
)
def test_a_forged_or_misdirected_token_is_refused(client, oidc, anna, forgery):
    if forgery.get("key") == "other":
        forgery = {"key": oidc.other_key}  # the same key id, another key
    refused_with(client, log_in(client, oidc, person("anna"), **forgery), REFUSED)
    assert AccessFailureLog.objects.exists()  # axes logged the refusal …
    assert not AccessAttempt.objects.exists()  # … and locks no username for it


def test_a_callback_the_browser_did_not_start_or_a_replay_is_refused(client, oidc, anna):
    code, state = oidc.authorize(client.get("/oidc/authenticate/")["Location"], person("anna"))
    client.get("/oidc/callback/", {"code": code, "state": state})
    assert logged_in_as(client)[0] == str(anna.pk)
    client.logout()
    client.get("/oidc/authenticate/")  # a new login started in this browser: another state
    again = client.get("/oidc/callback/", {"code": code, "state": state})
    refused_with(client, again, REFUSED)
    client.get("/oidc/authenticate/")
    foreign = client.get("/oidc/callback/", {"code": "x", "state": "nooit-uitgegeven"})
    refused_with(client, foreign, REFUSED)


def test_a_provider_that_does_not_answer_is_said_so(client, oidc, anna):
    with override_settings(OIDC_OP_TOKEN_ENDPOINT=f"{oidc.url}/kapot"):
        response = log_in(client, oidc, person("anna"))
    refused_with(client, response, UNREACHABLE)


# --- With django-axes first ---------------------------------------------------------------


def test_the_backend_authenticates_with_axes_first(oidc, anna):
    """django.contrib.auth.authenticate with the request the callback passes: axes (first)
    lets it through, the OIDC backend exchanges the code."""
    assert settings.AUTHENTICATION_BACKENDS[0] == AXES
    verifier = secrets.token_urlsafe(48)
    code = oidc.issue(person("anna"), nonce="n-1", code_challenge=s256(verifier))
    request = RequestFactory().get("/oidc/callback/", {"code": code, "state": "s-1"})
    request.session = SessionStore()
    user = authenticate(request=request, nonce="n-1", code_verifier=verifier)
    assert user == anna and user.backend == OIDC_BACKEND

    code = oidc.issue(person("anna"), nonce="n-2", code_challenge=s256(verifier))
    request = RequestFactory().get("/oidc/callback/", {"code": code, "state": "s-2"})
    request.session = SessionStore()
    assert authenticate(request=request, nonce="een-andere", code_verifier=verifier) is None
    assert request.oidc_refusal == REFUSED


def test_a_password_lock_does_not_block_the_provider_and_its_login_clears_it(client, oidc, anna):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen/", {"username": "anna", "password": "fout"})
    assert client.post("/inloggen/", {"username": "anna", "password": "fout"}).status_code == 429
    log_in(client, oidc, person("anna"))
    assert logged_in_as(client) == (str(anna.pk), OIDC_BACKEND)
    assert not AccessAttempt.objects.filter(username="anna").exists()
