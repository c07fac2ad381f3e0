"""Who may do what in the collaborations app (reads only). Selectors and services ask here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import Municipality

User = AbstractBaseUser | AnonymousUser


def user_can_edit(user: User, municipality: Municipality) -> bool:
    """A clerk edits the records of the municipalities they are an invoerder of."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_editable_municipality_ids", None)
    if cache is None:
        cache = set(user.gemeenten.values_list("pk", flat=True))
        user._editable_municipality_ids = cache
    return municipality.pk in cache


def can_adopt(user: User, municipality: Municipality) -> bool:
    """Who adopts and publishes a year. Until roles per municipality exist: the beheerder."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
