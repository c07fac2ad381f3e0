"""Who may enter which money table (reads only)."""

from collaborations.models import Participation
from collaborations.permissions import User, can_coordinate, user_can_edit

from .owners import is_shared


def can_edit_table(user: User, participation: Participation, table: str) -> bool:
    """Kosten and baten belong to the municipality: its invoerders. The shared tables
    (financiële resultaten, eigen en vreemd vermogen) belong to the partnership: its
    coördinator (and the beheerder)."""
    if not is_shared(table):
        return user_can_edit(user, participation.municipality)
    return can_coordinate(user, participation.partnership)
