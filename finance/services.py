"""Every write of the finance app. Keyword-only, atomic, validated, permission-checked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from collaborations.models import Participation, YearRecord
from collaborations.selectors import user_can_edit
from collaborations.services import check_version

from . import verdeelmodel
from .models import (
    PERSPECTIVE_TABLES,
    AllocationModel,
    AllocationVariant,
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    Measure,
    ReportBundle,
    SplitKeyComponent,
    Table,
)
from .money import Cell

User = AbstractBaseUser | AnonymousUser


def can_edit_table(user: User, participation: Participation, table: str) -> bool:
    """Kosten and baten: the municipality's invoerders. Shared tables: the invoerders of the
    centrumgemeente, or — without one — of any participant (and beheerders)."""
    if table in PERSPECTIVE_TABLES:
        return user_can_edit(user, participation.municipality)
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    partnership = participation.partnership
    if partnership.centrumgemeente_id:
        return user_can_edit(user, partnership.centrumgemeente)
    return user_can_edit(user, participation.municipality)


@dataclass(frozen=True)
class GridRow:
    label: str
    cells: tuple[Cell, Cell, Cell]  # begroting Y, realisatie Y, begroting Y+1


def _owner(participation: Participation, table: str) -> dict:
    if table in PERSPECTIVE_TABLES:
        return {"participation": participation, "partnership": None}
    return {"participation": None, "partnership": participation.partnership}


def _set_amount(line: FinanceLine, year: int, kind: str, cell: Cell) -> None:
    if cell.state == "leeg":
        FinanceAmount.objects.filter(line=line, year=year, kind=kind).delete()
        return
    FinanceAmount.objects.update_or_create(
        line=line,
        year=year,
        kind=kind,
        defaults={"amount": cell.amount, "not_applicable": cell.not_applicable},
    )


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
) -> FinanceTableYear:
    """Save one table of one year as the grid shows it: lines in order, three columns each.

    An empty cell removes the figure (not filled in); the begroting of the next year is the same
    figure the next year's table shows.
    """
    if table not in Table.values:
        raise ValidationError(f"Onbekende tabel: {table}.")
    if not can_edit_table(user, participation, table):
        raise PermissionDenied("U mag deze tabel niet wijzigen.")
    owner = _owner(participation, table)
    table_year = (
        FinanceTableYear.objects.select_for_update().filter(**owner, table=table, year=year).first()
    )
    check_version(table_year.version if table_year else None, expected_version, "deze tabel")
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
    if table_year.pk:
        table_year.version = F("version") + 1
    table_year.save()
    table_year.refresh_from_db()

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
        FinanceAmount.objects.filter(line_id__in=removed, year=year).delete()
        in_next_year = FinanceRow.objects.filter(
            line_id__in=removed, table_year__year=year + 1
        ).values_list("line_id", flat=True)
        FinanceAmount.objects.filter(
            line_id__in=removed - set(in_next_year), year=year + 1, kind=Kind.BEGROTING
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
    locked = YearRecord.objects.select_for_update().get(pk=record.pk)
    check_version(locked.version, expected_version)
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
    locked.version = F("version") + 1
    locked.updated_by = user
    locked.save(update_fields=["version", "updated_by", "updated_at"])
    return saved


# --- Allocation models ------------------------------------------------------------------------


def can_manage_allocation(user: User, partnership) -> bool:
    """The regional finance officer: invoerders of the centrumgemeente (or beheerders)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    centre = partnership.centrumgemeente
    return centre is not None and user_can_edit(user, centre)


@dataclass(frozen=True)
class VariantInput:
    code: str
    name: str
    omschrijving: str
    definition: dict


def _without_inputs(definition: dict) -> dict:
    """A stored variant holds only its steps; the inputs come from the model and the measures."""
    return {key: value for key, value in definition.items() if key != "invoer"}


def _check_definition(definition: dict, inputs: dict, code: str) -> None:
    try:
        verdeelmodel.build_definition(_without_inputs(definition), inputs)
    except verdeelmodel.DefinitionError as exc:
        raise ValidationError(f"Variant {code}: {exc}") from exc


@transaction.atomic
def save_allocation_model(
    *,
    partnership,
    year: int,
    name: str,
    bron: str,
    inputs: dict,
    variants: list[VariantInput],
    cost_price: dict | None = None,
    adopted_code: str | None = None,
) -> AllocationModel:
    """Store a model with its measures (`inputs["maten"]` → `Measure` rows per municipality) and
    its variants; every variant is checked by the engine before anything is saved."""
    from collaborations.models import Municipality

    for variant in variants:
        _check_definition(variant.definition, inputs, variant.code)
    names = [p["naam"] for p in inputs.get("deelnemers", [])]
    municipalities = {m.name: m for m in Municipality.objects.filter(name__in=names)}
    missing = sorted(set(names) - set(municipalities))
    if missing:
        raise ValidationError(f"Onbekende gemeenten in het verdeelmodel: {', '.join(missing)}.")
    for code, measure in inputs.get("maten", {}).items():
        meta = {
            "omschrijving": measure.get("omschrijving", ""),
            "eenheid": measure.get("eenheid", ""),
            "bron": measure.get("bron", ""),
        }
        for participant, value in measure.get("waarden", {}).items():
            periods = value if isinstance(value, dict) else {"": value}
            for period, number in periods.items():
                Measure.objects.update_or_create(
                    municipality=municipalities[participant],
                    code=code,
                    year=year,
                    period=period,
                    defaults={"value": Decimal(str(number)), **meta},
                )
    stored_inputs = {k: v for k, v in inputs.items() if k != "maten"}
    model, _ = AllocationModel.objects.update_or_create(
        partnership=partnership,
        year=year,
        defaults={"name": name, "bron": bron, "inputs": stored_inputs, "cost_price": cost_price},
    )
    model.variants.exclude(code__in=[v.code for v in variants]).delete()
    model.variants.update(adopted=False)
    for order, variant in enumerate(variants):
        AllocationVariant.objects.update_or_create(
            model=model,
            code=variant.code,
            defaults={
                "name": variant.name,
                "omschrijving": variant.omschrijving,
                "definition": _without_inputs(variant.definition),
                "order": order,
                "adopted": variant.code == adopted_code,
            },
        )
    return model


@transaction.atomic
def adopt_variant(*, user: User, variant: AllocationVariant) -> AllocationVariant:
    """Make this variant the adopted one of its model; its amounts become the contributions."""
    model = AllocationModel.objects.select_for_update().get(pk=variant.model_id)
    if not can_manage_allocation(user, model.partnership):
        raise PermissionDenied(
            "Alleen de regionaal financieel adviseur kan een variant vaststellen."
        )
    model.variants.update(adopted=False)
    AllocationVariant.objects.filter(pk=variant.pk).update(adopted=True)
    variant.refresh_from_db()
    return variant


# --- PDF bundles ------------------------------------------------------------------------------


@transaction.atomic
def request_bundle(*, user: User, municipality, year: int, slugs: list[str]) -> ReportBundle:
    """Ask for a committee bundle. A finished bundle of the same data is reused, not rebuilt;
    otherwise a new one is queued for the worker."""
    from . import selectors
    from .tasks import build_bundle

    participations = selectors.bundle_participations(municipality, slugs)
    if not participations:
        raise ValidationError("Kies ten minste één samenwerking.")
    include_drafts = user_can_edit(user, municipality)
    version = selectors.data_version(municipality, year, participations)
    chosen = sorted(p.partnership.slug for p in participations)
    existing = ReportBundle.objects.filter(
        municipality=municipality,
        year=year,
        slugs=chosen,
        include_drafts=include_drafts,
        data_version=version,
        status__in=[
            ReportBundle.Status.KLAAR,
            ReportBundle.Status.WACHTEND,
            ReportBundle.Status.BEZIG,
        ],
    ).first()
    if existing is not None:
        return existing
    bundle = ReportBundle.objects.create(
        municipality=municipality,
        year=year,
        slugs=chosen,
        include_drafts=include_drafts,
        data_version=version,
        requested_by=user if user.is_authenticated else None,
    )
    transaction.on_commit(lambda: build_bundle.enqueue(bundle.pk))
    return bundle


def _set_progress(bundle_id: int, fraction: float, label: str) -> None:
    ReportBundle.objects.filter(pk=bundle_id).update(
        progress=min(99, int(fraction * 100)), progress_label=label
    )


def build_bundle(*, bundle_id: int) -> ReportBundle:
    """Render a queued bundle (run by the worker). Not atomic on purpose: progress is visible."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from . import reports, selectors

    bundle = ReportBundle.objects.select_related("municipality", "requested_by").get(pk=bundle_id)
    if bundle.status == ReportBundle.Status.KLAAR:
        return bundle
    ReportBundle.objects.filter(pk=bundle_id).update(
        status=ReportBundle.Status.BEZIG, progress=1, progress_label="Gegevens verzamelen"
    )
    viewer = bundle.requested_by if bundle.include_drafts else AnonymousUser()
    try:
        participations = selectors.bundle_participations(bundle.municipality, bundle.slugs)
        progress = lambda fraction, label: _set_progress(bundle_id, fraction, label)  # noqa: E731
        html = reports.bundle_html(
            bundle.municipality, bundle.year, participations, viewer, progress=progress
        )
        _set_progress(bundle_id, 0.55, "Pagina's opmaken")
        log = reports.FetchLog()
        pdf = reports.render_pdf(html, log=log, progress=progress)
    except Exception as exc:  # the status page must say so, whatever went wrong
        ReportBundle.objects.filter(pk=bundle_id).update(
            status=ReportBundle.Status.MISLUKT, error=str(exc)[:2000]
        )
        raise
    bundle.refresh_from_db()
    name = f"samenwerkingen-{bundle.municipality.slug}-{bundle.year}-{bundle.pk}.pdf"
    bundle.file.save(name, ContentFile(pdf), save=False)
    bundle.pages = log.pages
    bundle.status = ReportBundle.Status.KLAAR
    bundle.progress = 100
    bundle.progress_label = "Klaar"
    bundle.finished_at = timezone.now()
    bundle.save()
    return bundle
