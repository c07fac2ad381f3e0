"""Roles and logins, kept by the beheerder at /rollen/. Keyword-only, atomic, validated."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from collaborations.models import Municipality, Partnership, Role
from collaborations.permissions import User, can_manage_roles


def _require_role_manager(user: User) -> None:
    if not can_manage_roles(user):
        raise PermissionDenied("Alleen de beheerder kent rollen toe en maakt logins aan.")


@transaction.atomic
def grant_role(
    *,
    user: User,
    member,
    kind: str,
    municipality: Municipality | None = None,
    partnership: Partnership | None = None,
) -> Role:
    """Give `member` a role for a municipality (invoerder, vaststeller, raadslid) or a
    partnership (coördinator). Kept in the history with who granted it."""
    _require_role_manager(user)
    if kind not in Role.Kind.values:
        raise ValidationError({"kind": "Kies een rol uit de lijst."})
    if kind in Role.PARTNERSHIP_KINDS:
        if partnership is None:
            raise ValidationError({"partnership": "Kies de samenwerking van de coördinator."})
        municipality = None
    else:
        if municipality is None:
            raise ValidationError({"municipality": "Kies de gemeente voor deze rol."})
        partnership = None
    if not member.is_active:
        raise ValidationError({"member": f"{member.username} is geen actieve gebruiker."})
    role = Role(
        user=member,
        kind=kind,
        municipality=municipality,
        partnership=partnership,
        granted_by=user if user.is_authenticated else None,
    )
    if Role.objects.filter(
        user=member, kind=kind, municipality=municipality, partnership=partnership
    ).exists():
        raise ValidationError(
            f"{member.username} is al {role.get_kind_display()} van {role.scope}."
        )
    role._change_reason = "Rol toegekend"
    role._history_user = user
    role.save()
    member.__dict__.pop("_role_grants", None)
    return role


@transaction.atomic
def withdraw_role(*, user: User, role_id: int) -> Role:
    """Take a role away. The history keeps it (who, when); granting it again is the way back."""
    _require_role_manager(user)
    try:
        role = (
            Role.objects.select_for_update(of=("self",))
            .select_related("user", "municipality", "partnership")
            .get(pk=role_id)
        )
    except Role.DoesNotExist as exc:
        raise ValidationError(
            "Deze rol bestaat niet (meer); misschien is hij al ingetrokken."
        ) from exc
    role._change_reason = "Rol ingetrokken"
    role._history_user = user
    role.delete()
    return role


@transaction.atomic
def create_login(
    *,
    user: User,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str,
):
    """A new login, made by the beheerder; the password must pass Django's validators."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    _require_role_manager(user)
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Vul een gebruikersnaam in."})
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"De gebruikersnaam {username} bestaat al."})
    new = user_model(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    try:
        validate_password(password, user=new)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    new.set_password(password)
    new.full_clean()
    new._change_reason = f"Login aangemaakt door {user.get_username()}"
    new.save()
    return new


def unlock_login(*, user: User, username: str) -> int:
    """Lift the lock django-axes put on a username after too many failed logins."""
    from axes.utils import reset

    _require_role_manager(user)
    count = reset(username=username)
    if not count:
        raise ValidationError(f"{username} is niet (meer) geblokkeerd.")
    return count
