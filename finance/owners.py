"""Who owns a money table: Kosten and Baten belong to a municipality's perspective
(`Participation`), the other tables to the shared partnership record. One place for that rule,
for reads (`owner_q`) and writes (`owner_fields`)."""

from __future__ import annotations

from django.db.models import Q

from collaborations.models import Participation

from .models import PERSPECTIVE_TABLES


def is_shared(table: str) -> bool:
    """Entered once for all participants (financiële resultaten, eigen en vreemd vermogen)."""
    return table not in PERSPECTIVE_TABLES


def owner_fields(participation: Participation, table: str) -> dict:
    """The owner columns of a new line or table-year of `table`."""
    if is_shared(table):
        return {"participation": None, "partnership": participation.partnership}
    return {"participation": participation, "partnership": None}


def owner_q(participation: Participation, table: str | None = None, *, via: str = "") -> Q:
    """Rows owned as `participation` sees them: of one table, or (None) of every table — its
    own perspective tables and the partnership's shared ones. `via` prefixes the lookups
    (e.g. "line__" for amounts)."""
    if table is None:
        return Q(
            **{f"{via}participation": participation, f"{via}table__in": PERSPECTIVE_TABLES}
        ) | Q(
            **{
                f"{via}partnership_id": participation.partnership_id,
                f"{via}participation__isnull": True,
            }
        )
    if is_shared(table):
        return Q(**{f"{via}partnership_id": participation.partnership_id})
    return Q(**{f"{via}participation": participation})
