"""The history of one municipality's year: section C, its motive answers and split key, and the
money tables it shows (its own Kosten and Baten, the partnership's shared tables), newest first.
"""

from __future__ import annotations

from django.db.models import Q

from allocation.models import AllocationModel, AllocationVariant
from collaborations.models import (
    BoardSeat,
    MotiveAnswer,
    Participation,
    Partnership,
    ProcessEntry,
    Term,
    YearRecord,
)
from core.history import FieldChange, HistoryEntry, entries
from finance.models import (
    PERSPECTIVE_TABLES,
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    SplitKeyComponent,
    Table,
)

LIMIT = 300


def _terms_changed(field: str, label: str):
    names = dict(Term.objects.values_list("pk", "label"))

    def extra(record, before) -> list[FieldChange]:
        after = set(getattr(record, field).values_list("term_id", flat=True))
        if before is None:
            return [FieldChange(label, "niet ingevuld", _names(after, names))] if after else []
        was = set(getattr(before, field).values_list("term_id", flat=True))
        if was == after:
            return []
        return [FieldChange(label, _names(was, names), _names(after, names))]

    return extra


def _names(ids: set[int], names: dict[int, str]) -> str:
    return ", ".join(sorted(names.get(i, f"#{i}") for i in ids)) or "niet ingevuld"


def year_history(participation: Participation, year: int) -> list[HistoryEntry]:
    """Every change of what the year page of `participation` for `year` shows."""
    record_ids = list(
        YearRecord.history.filter(participation_id=participation.pk, year=year)
        .values_list("id", flat=True)
        .distinct()
    )
    owner = Q(participation_id=participation.pk, table__in=PERSPECTIVE_TABLES) | Q(
        partnership_id=participation.partnership_id, participation_id__isnull=True
    )
    table_year_ids = set(
        FinanceTableYear.history.filter(owner, year=year).values_list("id", flat=True)
    )
    line_ids = set(
        FinanceRow.history.filter(table_year_id__in=table_year_ids).values_list(
            "line_id", flat=True
        )
    )
    lines = {line.pk: line for line in FinanceLine.objects.filter(pk__in=line_ids)}
    motives = dict(Term.objects.values_list("pk", "label"))

    def line_name(line_id: int) -> str:
        line = lines.get(line_id)
        return f"{Table(line.table).label}: {line.label}" if line else f"regel #{line_id}"

    extra_m2m = [
        _terms_changed("submotieven", "Submotieven"),
        _terms_changed("belangrijkste_motieven", "Belangrijkste motieven"),
    ]
    result: list[HistoryEntry] = []
    result += entries(
        YearRecord.history.filter(id__in=record_ids).select_related("history_user"),
        YearRecord,
        kind="Sectie C",
        name=lambda r: f"{participation.partnership.afkorting} {r.year}",
        restore_key="jaar",
        hide=frozenset({"participation", "year", "copied_from", "status", "nagekeken"}),
        extra=lambda r, b: [c for fn in extra_m2m for c in fn(r, b)],
    )
    result += entries(
        MotiveAnswer.history.filter(year_record_id__in=record_ids).select_related("history_user"),
        MotiveAnswer,
        kind="Motief beantwoord",
        name=lambda r: motives.get(r.motief_id, "motief"),
        hide=frozenset({"year_record", "motief"}),
    )
    result += entries(
        SplitKeyComponent.history.filter(year_record_id__in=record_ids).select_related(
            "history_user"
        ),
        SplitKeyComponent,
        kind="Verdeelsleutel",
        name=lambda r: r.omschrijving,
        hide=frozenset({"year_record"}),
    )
    result += entries(
        FinanceTableYear.history.filter(id__in=table_year_ids).select_related("history_user"),
        FinanceTableYear,
        kind="Tabel",
        name=lambda r: f"{Table(r.table).label} {r.year}",
        hide=frozenset({"partnership", "participation", "table", "year"}),
    )
    result += entries(
        FinanceRow.history.filter(table_year_id__in=table_year_ids).select_related("history_user"),
        FinanceRow,
        kind="Regel in tabel",
        name=lambda r: f"{line_name(r.line_id)} ({year})",
        hide=frozenset({"table_year", "line"}),
    )
    result += entries(
        FinanceAmount.history.filter(
            Q(year=year) | Q(year=year + 1, kind=Kind.BEGROTING), line_id__in=line_ids
        ).select_related("history_user"),
        FinanceAmount,
        kind="Bedrag",
        name=lambda r: f"{line_name(r.line_id)}, {Kind(r.kind).label.lower()} {r.year}",
        restore_key="bedrag",
        hide=frozenset({"line", "year", "kind"}),
    )
    result.sort(key=lambda e: (e.when, e.history_id or 0), reverse=True)
    return result[:LIMIT]


def partnership_history(participation: Participation) -> list[HistoryEntry]:
    """Every change of the partnership page: the shared record, this municipality's perspective
    with its board seats and process, and the partnership's verdeelmodellen and adoptions."""
    partnership = participation.partnership
    models_ids = list(
        AllocationModel.history.filter(partnership_id=partnership.pk)
        .values_list("id", flat=True)
        .distinct()
    )
    result: list[HistoryEntry] = []
    result += entries(
        Partnership.history.filter(id=partnership.pk).select_related("history_user"),
        Partnership,
        kind="Samenwerking (gedeeld)",
        name=lambda r: r.name,
        restore_key="samenwerking",
    )
    result += entries(
        Participation.history.filter(id=participation.pk).select_related("history_user"),
        Participation,
        kind="Perspectief",
        name=lambda r: participation.municipality.name,
        restore_key="perspectief",
        hide=frozenset({"partnership", "municipality"}),
    )
    result += entries(
        BoardSeat.history.filter(participation_id=participation.pk).select_related("history_user"),
        BoardSeat,
        kind="Bestuurszetel",
        name=lambda r: r.orgaan,
        hide=frozenset({"participation"}),
    )
    result += entries(
        ProcessEntry.history.filter(participation_id=participation.pk).select_related(
            "history_user"
        ),
        ProcessEntry,
        kind="Proces",
        name=lambda r: f"{r.jaar}",
        hide=frozenset({"participation"}),
    )
    result += entries(
        AllocationModel.history.filter(id__in=models_ids).select_related("history_user"),
        AllocationModel,
        kind="Verdeelmodel",
        name=lambda r: f"{r.name} ({r.year})",
        hide=frozenset({"partnership", "inputs", "cost_price"}),
    )
    result += entries(
        AllocationVariant.history.filter(model_id__in=models_ids).select_related("history_user"),
        AllocationVariant,
        kind="Variant",
        name=lambda r: r.name,
        hide=frozenset({"model", "definition"}),
    )
    result.sort(key=lambda e: (e.when, e.history_id or 0), reverse=True)
    return result[:LIMIT]
