"""Who may do what in the collaborations app (reads only). Selectors and services ask here.

The roles (`Role`): per municipality the *invoerder* (edits its perspectives and years), the
*vaststeller* (adopts, publishes and reopens its years) and the *raadslid* (reads its drafts,
edits nothing); per partnership the *coördinator* (the shared record, shared finances, the
verdeelmodel). The *beheerder* is Django's superuser and may do everything. Everyone else is
the public: published versions only.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import Municipality, Partnership, Role

User = AbstractBaseUser | AnonymousUser
Kind = Role.Kind
DRAFT_READERS = frozenset({Kind.INVOERDER, Kind.VASTSTELLER, Kind.RAADSLID})


def is_beheerder(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def grants(user: User) -> dict[str, frozenset[int]]:
    """The user's roles as {"invoerder:m": {municipality ids}, "coordinator:p": {...}}, read
    once per request (kept on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_role_grants", None)
    if cached is None:
        found: dict[str, set[int]] = {}
        for kind, municipality_id, partnership_id in Role.objects.filter(user=user).values_list(
            "kind", "municipality_id", "partnership_id"
        ):
            key = f"{kind}:{'p' if partnership_id else 'm'}"
            found.setdefault(key, set()).add(partnership_id or municipality_id)
        cached = {key: frozenset(ids) for key, ids in found.items()}
        user._role_grants = cached
    return cached


def has_municipality_role(user: User, municipality: Municipality | None, kinds) -> bool:
    if municipality is None:
        return is_beheerder(user)
    if is_beheerder(user):
        return True
    roles = grants(user)
    return any(municipality.pk in roles.get(f"{kind}:m", ()) for kind in kinds)


def user_can_edit(user: User, municipality: Municipality | None) -> bool:
    """The invoerder edits the municipality's perspectives and years."""
    return has_municipality_role(user, municipality, (Kind.INVOERDER,))


def can_read_drafts(user: User, municipality: Municipality | None) -> bool:
    """Invoerder, vaststeller and raadslid see the concept of their municipality's years."""
    return has_municipality_role(user, municipality, DRAFT_READERS)


def can_adopt(user: User, municipality: Municipality | None) -> bool:
    """The vaststeller adopts, publishes, sends back and reopens the municipality's years."""
    return has_municipality_role(user, municipality, (Kind.VASTSTELLER,))


def can_coordinate(user: User, partnership: Partnership | None) -> bool:
    """The coördinator keeps the shared record, the shared finances and the verdeelmodel."""
    if is_beheerder(user):
        return True
    if partnership is None:
        return False
    return partnership.pk in grants(user).get(f"{Kind.COORDINATOR}:p", ())


def can_manage_roles(user: User) -> bool:
    """Only the beheerder grants and withdraws roles and makes logins."""
    return is_beheerder(user)


def has_any_role(user: User) -> bool:
    return is_beheerder(user) or bool(grants(user))
