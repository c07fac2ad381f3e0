"""Who may manage a partnership's verdeelmodel (reads only)."""

from collaborations.models import Partnership
from collaborations.permissions import User, can_coordinate


def can_manage_allocation(user: User, partnership: Partnership) -> bool:
    """The partnership's coördinator (often the regional finance officer) and the beheerder
    keep the verdeelmodel and adopt a variant."""
    return can_coordinate(user, partnership)
