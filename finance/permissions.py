"""Who may enter which money table (reads only)."""

from collaborations.models import Participation
from collaborations.permissions import User, user_can_edit

from .owners import is_shared


def can_edit_table(user: User, participation: Participation, table: str) -> bool:
    """Kosten and baten: the municipality's invoerders. Shared tables: the invoerders of the
    centrumgemeente, or — without one — of any participant (and beheerders)."""
    if not is_shared(table):
        return user_can_edit(user, participation.municipality)
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    partnership = participation.partnership
    if partnership.centrumgemeente_id:
        return user_can_edit(user, partnership.centrumgemeente)
    return user_can_edit(user, participation.municipality)
