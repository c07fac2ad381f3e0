"""Logging in with the municipality's own identity provider over OpenID Connect
(mozilla-django-oidc; only when OIDC_ENABLED, see docs/deployment.md).

The provider says who someone is, never what they may do. `OIDCBackend` matches an existing login
by one claim (`OIDC_USERNAME_CLAIM`, `preferred_username` by default) to its username, never by
e-mail address; it makes a new login only when `OIDC_CREATE_USERS` is on, and then without any
role and without a password. Of the claims only the name and the e-mail address are copied;
superuser, staff, groups and roles are left as the beheerder set them in the site.

It comes after django-axes in AUTHENTICATION_BACKENDS: axes sees the attempt first (it needs the
request, which the callback passes) and logs a refused one; the password lock of a username does
not block its login through the provider, and a successful login clears it, as a successful
password login does.
"""

import logging

import jwt
import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.shortcuts import resolve_url

logger = logging.getLogger(__name__)

DEFAULT_LABEL = "Inloggen met het account van uw gemeente"
REFUSED = (
    "Inloggen met het account van uw gemeente is niet gelukt. Probeer het opnieuw; lukt het weer "
    "niet, neem dan contact op met de beheerder van het dashboard."
)
UNKNOWN = (
    "Er is in het dashboard geen login voor uw account ({username}). Vraag de beheerder van het "
    "dashboard om een login voor u te maken; daarna kunt u inloggen met het account van uw "
    "gemeente."
)
UNUSABLE = (
    "Uw gebruikersnaam bij de gemeente ({username}) kan geen login in het dashboard worden. "
    "Vraag de beheerder van het dashboard om een login voor u te maken."
)
INACTIVE = "Uw login in het dashboard is uitgeschakeld. Neem contact op met de beheerder."
UNREACHABLE = (
    "De inlogdienst van uw gemeente gaf geen antwoord. Probeer het later opnieuw of log in met "
    "uw gebruikersnaam en wachtwoord."
)

# The fields of a login the provider keeps up to date, and the standard claims they come from.
PROFILE_CLAIMS = {"first_name": "given_name", "last_name": "family_name", "email": "email"}


def _refuse(request, message: str) -> None:
    """Say why the login failed; the callback view shows it on the login page."""
    request.oidc_refusal = message


class OIDCBackend(OIDCAuthenticationBackend):
    """Who the provider says someone is, mapped onto a login the site already knows."""

    def authenticate(self, request, **kwargs):
        # Only the callback view (which passes the nonce) logs in through the provider; a password
        # login, even one posted with ?code=…&state=…, never reaches the token endpoint.
        if request is None or "nonce" not in kwargs:
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError) as exc:  # a bad signature, an old token
            logger.warning("OpenID Connect login refused: %s", exc)
            user = None
        except requests.RequestException as exc:
            logger.warning("OpenID Connect provider did not answer as it should: %s", exc)
            _refuse(request, UNREACHABLE)
            user = None
        if user is None and not hasattr(request, "oidc_refusal"):
            _refuse(request, REFUSED)
        return user

    @property
    def username_claim(self) -> str:
        return self.get_settings("OIDC_USERNAME_CLAIM", "preferred_username")

    def username_from(self, claims: dict) -> str:
        value = claims.get(self.username_claim)
        return value.strip() if isinstance(value, str) else ""

    def get_userinfo(self, access_token, id_token, payload):
        """The claims of the userinfo endpoint over those of the ID token, for the same person."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not payload.get("sub") or userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about another subject than the ID token.")
        return {**payload, **userinfo}

    def verify_claims(self, claims) -> bool:
        return bool(self.username_from(claims))

    def describe_user_by_claims(self, claims) -> str:
        return f"{self.username_claim} {self.username_from(claims)!r}"

    def filter_users_by_claims(self, claims):
        username = self.username_from(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username)

    def get_or_create_user(self, access_token, id_token, payload):
        # mozilla-django-oidc does not check for whom the ID token was made: check it here.
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was made for another client (aud).")
        if "exp" not in payload:
            raise SuspiciousOperation("The ID token has no expiry (exp).")

        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation(f"The claims have no {self.username_claim}.")
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise SuspiciousOperation(
                f"More than one login matches {self.describe_user_by_claims(claims)}."
            )
        if users:
            user = users[0]
            if not user.is_active:
                _refuse(self.request, INACTIVE)
                return None
            return self.update_user(user, claims)
        # Not mozilla-django-oidc's default (which creates): only when asked for.
        if not self.get_settings("OIDC_CREATE_USER", False):
            logger.info(
                "OpenID Connect login refused: no login for %s",
                self.describe_user_by_claims(claims),
            )
            _refuse(self.request, UNKNOWN.format(username=self.username_from(claims)))
            return None
        return self.create_user(claims)

    def profile_from(self, claims: dict) -> dict[str, str]:
        """The name and e-mail address the claims give, cut to the fields' lengths; an invalid
        e-mail address is left out."""
        profile = {}
        for field_name, claim in PROFILE_CLAIMS.items():
            value = claims.get(claim)
            if not isinstance(value, str):
                continue
            value = value.strip()[: self.UserModel._meta.get_field(field_name).max_length]
            if field_name == "email" and value:
                try:
                    validate_email(value)
                except ValidationError:
                    continue
            profile[field_name] = value
        return profile

    def update_user(self, user, claims):
        changed = []
        for field_name, value in self.profile_from(claims).items():
            if value and getattr(user, field_name) != value:  # an empty claim blanks nothing
                setattr(user, field_name, value)
                changed.append(field_name)
        if changed:
            user._change_reason = "Naam of e-mailadres bijgewerkt bij inloggen via de gemeente"
            user.save(update_fields=changed)
        return user

    def create_user(self, claims):
        """A new login without roles, staff or superuser rights, and without a password."""
        username = self.username_from(claims)
        user = self.UserModel(username=username, **self.profile_from(claims))
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            logger.warning("OpenID Connect login refused: %s is no username: %s", username, exc)
            _refuse(self.request, UNUSABLE.format(username=username))
            return None
        user._change_reason = "Login aangemaakt bij de eerste keer inloggen via de gemeente"
        user.save()
        return user


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: a failure returns to the login page with a
    Dutch message saying why."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # a state this browser never asked for
            logger.warning("OpenID Connect callback refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "oidc_refusal", REFUSED))
        return super().login_failure()


class LoginView(auth_views.LoginView):
    """Django's login page, with the button to the municipality's provider when OIDC is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(settings, "OIDC_ENABLED", False):
            context["oidc_login_label"] = getattr(settings, "OIDC_LOGIN_LABEL", DEFAULT_LABEL)
        return context
