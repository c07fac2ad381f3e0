"""Every write of the finance app. Keyword-only, atomic, validated, permission-checked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from collaborations.models import Participation, YearRecord
from collaborations.permissions import User, user_can_edit
from collaborations.services import require_open
from core.history import restored_reason
from core.locking import NOT_CHECKED, lock_versioned, save_versioned

from .models import (
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    SplitKeyComponent,
    Table,
)
from .money import Cell, FillState
from .owners import is_shared, owner_fields, owner_q
from .permissions import can_edit_table


@dataclass(frozen=True)
class GridRow:
    label: str
    cells: tuple[Cell, Cell, Cell]  # begroting Y, realisatie Y, begroting Y+1


def _set_amount(line: FinanceLine, year: int, kind: str, cell: Cell) -> None:
    if cell.state == FillState.EMPTY:
        FinanceAmount.objects.filter(line=line, year=year, kind=kind).delete()
        return
    FinanceAmount.objects.update_or_create(
        line=line,
        year=year,
        kind=kind,
        defaults={"amount": cell.amount, "not_applicable": cell.not_applicable},
    )


def _require_open_year(participation: Participation, year: int) -> None:
    record = YearRecord.objects.filter(participation=participation, year=year).first()
    if record is not None:
        require_open(record)


@transaction.atomic
def save_table_year(
    *,
    user: User,
    participation: Participation,
    table: str,
    year: int,
    rows: list[GridRow],
    not_applicable: bool = False,
    expected_version: int | None,
    expected_neighbour_versions: dict[int, int | None] | None = None,
) -> FinanceTableYear:
    """Save one table of one year as the grid shows it: lines in order, three columns each.

    An empty cell removes the figure (not filled in); the begroting of the next year is the same
    figure the next year's table shows. That is why the tables of the year before and after are
    locked too: the grid that was opened with their versions (`expected_neighbour_versions`,
    by year) is refused when one of them was saved since, and saving this table bumps their
    versions, so a grid of a neighbouring year opened earlier cannot put an old figure back.
    """
    if table not in Table.values:
        raise ValidationError(f"Onbekende tabel: {table}.")
    if not can_edit_table(user, participation, table):
        raise PermissionDenied("U mag deze tabel niet wijzigen.")
    if not is_shared(table):
        _require_open_year(participation, year)
    owner = owner_fields(participation, table)
    table_year = lock_versioned(
        FinanceTableYear.objects.filter(**owner, table=table, year=year),
        expected_version=expected_version,
        what="deze tabel",
    )
    neighbours = []
    for other_year in (year - 1, year + 1):
        expected = (expected_neighbour_versions or {}).get(other_year, NOT_CHECKED)
        neighbour = FinanceTableYear.objects.select_for_update().filter(
            **owner, table=table, year=other_year
        )
        if expected is not NOT_CHECKED:
            neighbour = lock_versioned(
                neighbour,
                expected_version=expected,
                what=f"de tabel van {other_year} (die dezelfde begroting toont)",
            )
        else:
            neighbour = neighbour.first()
        if neighbour is not None:
            neighbours.append(neighbour)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        label = row.label.strip()
        if not label:
            raise ValidationError(f"Regel {number}: vul een categorie in.")
        if label.lower() in seen:
            raise ValidationError(
                f"Regel {number}: de categorie “{label}” staat ook op regel {seen[label.lower()]}."
            )
        seen[label.lower()] = number
    if table_year is None:
        table_year = FinanceTableYear(**owner, table=table, year=year)
    table_year.not_applicable = not_applicable
    table_year.full_clean()
    save_versioned(table_year)
    for neighbour in neighbours:
        save_versioned(neighbour, update_fields=[])

    old_lines = set(table_year.rows.values_list("line_id", flat=True))
    table_year.rows.all().delete()
    kept = set()
    for order, row in enumerate([] if not_applicable else rows):
        line, _ = FinanceLine.objects.get_or_create(**owner, table=table, label=row.label.strip())
        kept.add(line.pk)
        FinanceRow.objects.create(table_year=table_year, line=line, order=order)
        begroting, realisatie, begroting_next = row.cells
        _set_amount(line, year, Kind.BEGROTING, begroting)
        _set_amount(line, year, Kind.REALISATIE, realisatie)
        _set_amount(line, year + 1, Kind.BEGROTING, begroting_next)
    removed = old_lines - kept
    if removed:
        # A line's figures may be shown by a neighbouring year's table too: its Begroting
        # of this year by last year's (as "Begroting Y+1"), its Begroting of next year by next
        # year's. Those stay; only what no other table shows goes with the line.
        def shown_in(other_year: int) -> set[int]:
            return set(
                FinanceRow.objects.filter(
                    line_id__in=removed, table_year__year=other_year
                ).values_list("line_id", flat=True)
            )

        FinanceAmount.objects.filter(line_id__in=removed, year=year, kind=Kind.REALISATIE).delete()
        FinanceAmount.objects.filter(
            line_id__in=removed - shown_in(year - 1), year=year, kind=Kind.BEGROTING
        ).delete()
        FinanceAmount.objects.filter(
            line_id__in=removed - shown_in(year + 1), year=year + 1, kind=Kind.BEGROTING
        ).delete()
    return table_year


@dataclass(frozen=True)
class KeyComponentInput:
    omschrijving: str
    basis: str
    kind: str
    base_amount: Decimal | None
    share_percent: Decimal | None
    fixed_amount: Decimal | None
    applies_to_year: int
    kosten_line_label: str = ""


@transaction.atomic
def save_split_key(
    *,
    user: User,
    record: YearRecord,
    components: list[KeyComponentInput],
    expected_version: int,
) -> list[SplitKeyComponent]:
    """Replace the structured verdeelsleutel of a year."""
    participation = record.participation
    if not user_can_edit(user, participation.municipality):
        raise PermissionDenied(f"U mag de gegevens van {participation.municipality} niet wijzigen.")
    locked = lock_versioned(
        YearRecord.objects.filter(pk=record.pk), expected_version=expected_version
    )
    require_open(locked)
    locked.split_key_components.all().delete()
    saved = []
    for order, data in enumerate(components):
        line = None
        if data.kosten_line_label:
            line, _ = FinanceLine.objects.get_or_create(
                participation=participation, table=Table.KOSTEN, label=data.kosten_line_label
            )
        component = SplitKeyComponent(
            year_record=locked,
            order=order,
            kind=data.kind,
            omschrijving=data.omschrijving,
            basis=data.basis,
            base_amount=data.base_amount if data.kind == SplitKeyComponent.Kind.AANDEEL else None,
            share_percent=(
                data.share_percent if data.kind == SplitKeyComponent.Kind.AANDEEL else None
            ),
            fixed_amount=data.fixed_amount if data.kind == SplitKeyComponent.Kind.VAST else None,
            applies_to_year=data.applies_to_year,
            kosten_line=line,
        )
        try:
            component.full_clean(exclude=["year_record", "kosten_line"])
        except ValidationError as exc:
            raise ValidationError(f"Onderdeel {order + 1}: {' '.join(exc.messages)}") from exc
        component.save()
        saved.append(component)
    locked.updated_by = user
    save_versioned(locked, update_fields=["updated_by", "updated_at"])
    return saved


@transaction.atomic
def restore_amount(*, user: User, participation: Participation, history_id: int) -> FinanceAmount:
    """Put one figure back as it was after an earlier change (for a removal: as it was before
    it). The restore is itself a change in the history.

    The tables that show the figure get a new version, so a grid opened earlier is refused."""
    try:
        old = FinanceAmount.history.get(history_id=history_id)
    except FinanceAmount.history.model.DoesNotExist as exc:
        raise ValidationError("Deze wijziging bestaat niet.") from exc
    line = FinanceLine.objects.filter(pk=old.line_id).first()
    if line is None:
        raise ValidationError(
            "De regel van dit bedrag bestaat niet meer; zet eerst de regel terug."
        )
    owned = (line.participation_id == participation.pk) or (
        line.participation_id is None and line.partnership_id == participation.partnership_id
    )
    if not owned:
        raise PermissionDenied("Dit bedrag hoort niet bij deze samenwerking.")
    if not can_edit_table(user, participation, line.table):
        raise PermissionDenied("U mag deze tabel niet wijzigen.")
    if not is_shared(line.table):
        _require_open_year(participation, old.year)
    for table_year in FinanceTableYear.objects.select_for_update().filter(
        owner_q(participation, line.table), table=line.table, year__in=[old.year - 1, old.year]
    ):
        save_versioned(table_year, update_fields=[])
    current = FinanceAmount.objects.filter(line=line, year=old.year, kind=old.kind).first()
    amount = current or FinanceAmount(line=line, year=old.year, kind=old.kind)
    amount.amount = old.amount
    amount.not_applicable = old.not_applicable
    amount._change_reason = restored_reason(old)
    amount.full_clean(exclude=["line"])
    amount.save()
    return amount
