"""The history of one municipality's year: section C, its motive answers, split key, BBV figures
and risks, and the money tables it shows (its own Kosten and Baten, the partnership's shared
tables), newest first; and the history of a partnership page (shared record, perspective,
board seats, process, board meetings, verdeelmodel).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format

from allocation.models import AllocationModel, AllocationVariant
from collaborations.models import (
    BbvFigures,
    BoardMeeting,
    BoardSeat,
    MotiveAnswer,
    Organisation,
    Participation,
    Partnership,
    ProcessEntry,
    Risk,
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


def _links_changed(model: type[models.Model], field: str, names: dict[int, str]):
    """The change of a tracked many-to-many `field` between two historical records of `model`,
    by the names of what it links to (term labels, organisation names). Reads the links through
    `_link_accessor`, so a queryset prefetched with it asks nothing per record."""
    accessor = _link_accessor(model, field)
    target = f"{model._meta.get_field(field).m2m_reverse_field_name()}_id"
    label = str(model._meta.get_field(field).verbose_name)
    label = label[:1].upper() + label[1:]

    def ids(record) -> set[int]:
        return {getattr(link, target) for link in getattr(record, accessor).all()}

    def extra(record, before) -> list[FieldChange]:
        after = ids(record)
        if before is None:
            if record.history_type == "-" or not after:
                return []
            return [FieldChange(label, "niet ingevuld", _names(after, names))]
        was = ids(before)
        if was == after:
            return []
        return [FieldChange(label, _names(was, names), _names(after, names))]

    return extra


def _link_accessor(model: type[models.Model], field: str) -> str:
    """The historical record's accessor of the links simple-history keeps for `field`."""
    historical = model.history.model
    return next(
        rel.get_accessor_name()
        for rel in historical._meta.related_objects
        if rel.related_model.__name__ == f"{historical.__name__}_{field}"
    )


def _with_links(
    model: type[models.Model], queryset: models.QuerySet, fields: dict[str, dict[int, str]]
) -> tuple[models.QuerySet, object]:
    """`queryset` with the links of `fields` prefetched, and the `extra` of `entries` that
    reports their changes."""
    queryset = queryset.prefetch_related(*(_link_accessor(model, f) for f in fields))
    extras = [_links_changed(model, field, names) for field, names in fields.items()]
    return queryset, lambda record, before: [c for fn in extras for c in fn(record, before)]


# One save of a record with many-to-many fields writes one historical row for its fields and one
# per `add`/`remove` of links, within the same moment: shown as one change.
SAME_SAVE = timedelta(seconds=2)


def _merged(found: list[HistoryEntry]) -> list[HistoryEntry]:
    """Entries of one record that one save wrote (same who, reason, kind and name, moments
    apart) as one entry: per field the value before the first and after the last."""
    result: list[HistoryEntry] = []
    for entry in sorted(found, key=lambda e: (e.when, e.history_id or 0)):
        last = result[-1] if result else None
        if (
            last is not None
            and entry.action == "gewijzigd"
            and last.action != "verwijderd"
            and (last.kind, last.name, last.who, last.reason)
            == (entry.kind, entry.name, entry.who, entry.reason)
            and entry.when - last.when <= SAME_SAVE
        ):
            changes = {c.label: c for c in last.changes}
            for change in entry.changes:
                earlier = changes.get(change.label)
                old = earlier.old if earlier is not None else change.old
                changes[change.label] = FieldChange(change.label, old, change.new)
            last.changes = [
                c for c in changes.values() if c.old != c.new or last.action != "gewijzigd"
            ]
            last.when, last.history_id = entry.when, entry.history_id
            continue
        result.append(entry)
    return [e for e in result if e.changes or e.action != "gewijzigd"]


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
        BbvFigures.history.filter(year_record_id__in=record_ids).select_related("history_user"),
        BbvFigures,
        kind="BBV-gegevens",
        name=lambda r: f"{participation.partnership.afkorting} {year}",
        restore_key="bbv",
        hide=frozenset({"year_record"}),
    )
    result += entries(
        Risk.history.filter(year_record_id__in=record_ids).select_related("history_user"),
        Risk,
        kind="Risico",
        name=lambda r: r.omschrijving if len(r.omschrijving) <= 60 else f"{r.omschrijving[:57]}…",
        restore_key="risico",
        hide=frozenset({"year_record", "order"}),
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
    """Every change of the partnership page: the shared record (with its onderwerpen, aard and
    organisations), this municipality's perspective (with its belang waarom and wie) with its
    board seats and process, the partnership's board meetings, and its verdeelmodellen and
    adoptions."""
    partnership = participation.partnership
    models_ids = list(
        AllocationModel.history.filter(partnership_id=partnership.pk)
        .values_list("id", flat=True)
        .distinct()
    )
    terms = dict(Term.objects.values_list("pk", "label"))
    organisations = dict(Organisation.objects.values_list("pk", "name"))
    shared, shared_links = _with_links(
        Partnership,
        Partnership.history.filter(id=partnership.pk).select_related("history_user"),
        {"onderwerpen": terms, "aard": terms, "organisations": organisations},
    )
    perspective, perspective_links = _with_links(
        Participation,
        Participation.history.filter(id=participation.pk).select_related("history_user"),
        {"belang_waarom": terms, "belang_wie": terms},
    )
    meeting_kinds = dict(BoardMeeting.Kind.choices)
    result: list[HistoryEntry] = []
    result += _merged(
        entries(
            shared,
            Partnership,
            kind="Samenwerking (gedeeld)",
            name=lambda r: r.name,
            restore_key="samenwerking",
            extra=shared_links,
        )
    )
    result += _merged(
        entries(
            perspective,
            Participation,
            kind="Perspectief",
            name=lambda r: participation.municipality.name,
            restore_key="perspectief",
            hide=frozenset({"partnership", "municipality"}),
            extra=perspective_links,
        )
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
        BoardMeeting.history.filter(partnership_id=partnership.pk).select_related("history_user"),
        BoardMeeting,
        kind="Bestuursvergadering",
        name=lambda r: f"{meeting_kinds.get(r.kind, r.kind)}, {date_format(r.date, 'j F Y')}",
        hide=frozenset({"partnership"}),
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
