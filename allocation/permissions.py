"""Who may manage a partnership's verdeelmodel (reads only)."""

from collaborations.models import Partnership
from collaborations.permissions import User, user_can_edit


def can_manage_allocation(user: User, partnership: Partnership) -> bool:
    """The regional finance officer: invoerders of the centrumgemeente (or beheerders)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    centre = partnership.centrumgemeente
    return centre is not None and user_can_edit(user, centre)
