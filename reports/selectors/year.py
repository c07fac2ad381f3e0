"""What a year page shows (section C with its money and the adopted contribution), for the
web page, the year PDF and each section of the committee bundle alike."""

from __future__ import annotations

from allocation import selectors as allocation_selectors
from collaborations import selectors as collab
from collaborations.models import Participation
from collaborations.navigation import participation_context
from collaborations.permissions import user_can_edit
from finance import selectors as finance_selectors
from finance.models import Table
from finance.permissions import can_edit_table


def year_context(participation: Participation, year: int, user, id_prefix: str = "") -> dict:
    """Everything the section C fragments need (reports/_year_sections.html).

    `id_prefix` keeps element ids unique when several partnerships share one document."""
    page = collab.year_page(participation, year, user)
    can_edit = user_can_edit(user, participation.municipality)
    record = page.record
    return {
        "page": page,
        **participation_context(participation),
        "record": record,
        "finance": finance_selectors.finance_page(
            participation, record, year, show_empty=can_edit, id_prefix=id_prefix
        )
        if record
        else None,
        "idp": id_prefix,
        "contribution": allocation_selectors.adopted_contribution(participation, year)
        if record
        else None,
        "can_edit": can_edit,
        "can_edit_shared": can_edit_table(user, participation, Table.RESULTATEN),
    }
