"""Who may manage a partnership's verdeelmodel (reads only)."""

from django.core.exceptions import PermissionDenied

from collaborations.models import Partnership
from collaborations.permissions import User, can_coordinate


def can_manage_allocation(user: User, partnership: Partnership) -> bool:
    """The partnership's coördinator (often the regional finance officer) and the beheerder
    keep the verdeelmodel and adopt a variant."""
    return can_coordinate(user, partnership)


def require_allocation_manager(user: User, partnership: Partnership, what: str) -> None:
    """Refuse a write of the verdeelmodel to anyone but its managers, saying what was refused
    ("het verdeelmodel wijzigen")."""
    if not can_manage_allocation(user, partnership):
        raise PermissionDenied(f"Alleen de coördinator van de samenwerking kan {what}.")
