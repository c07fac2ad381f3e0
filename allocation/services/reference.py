"""Storing reference data (inhabitants, youth inhabitants, objective budgets) read from a CBS or
gemeentefonds file as `Measure` rows: whole or not at all, with history naming the file.

The reading is `allocation.reference` / `allocation.gemeentefonds` (pure); here the rows meet
the municipalities (`collaborations.municipalities`): a municipality that is not in the
dashboard is reported and never created; a merged one with figures for a year after its merger,
a name that looks like a typo of one of ours, or a code and a name that disagree refuse the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from allocation import selectors
from allocation.models import AllocationModel, Measure
from allocation.reference import MeasureSpec, ReferenceFile, SourceRow, describe
from collaborations.models import Municipality
from collaborations.municipalities import MunicipalityFinder, normalise_name
from collaborations.permissions import User, is_beheerder

from .inputs import check_variants

STORED_FIELDS = ("value", "omschrijving", "eenheid", "bron", "peildatum")


@dataclass(frozen=True)
class Change:
    """One figure of one municipality: nieuw, gewijzigd or ongewijzigd (old → new)."""

    municipality: str
    measure: MeasureSpec
    state: str
    old: Decimal | None
    new: Decimal

    def text(self) -> str:
        new = describe(self.new, self.measure.eenheid)
        if self.state == "gewijzigd" and self.old is not None and self.old != self.new:
            old = describe(self.old, self.measure.eenheid)
            return f"{self.measure.code} {old} → {new} (gewijzigd)"
        if self.state == "gewijzigd":
            return f"{self.measure.code} {new} (bron bijgewerkt)"
        return f"{self.measure.code} {new} ({self.state})"


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do), per municipality."""

    file_name: str
    year: int
    dry_run: bool
    bron: str
    changes: list[Change] = field(default_factory=list)
    missing_values: list[str] = field(default_factory=list)  # "Venlo: jeugdinwoners onbekend"
    not_in_dashboard: list[str] = field(default_factory=list)
    merged_without_figures: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    def count(self, state: str) -> int:
        return sum(1 for c in self.changes if c.state == state)

    def lines(self) -> list[str]:
        """The summary the commands print, in Dutch."""
        out = [f"{self.file_name} → {self.year} ({self.bron})"]
        by_name: dict[str, list[str]] = {}
        for change in self.changes:
            by_name.setdefault(change.municipality, []).append(change.text())
        width = max((len(n) for n in by_name), default=0)
        out += [f"  {name.ljust(width)}  {'; '.join(texts)}" for name, texts in by_name.items()]
        out.append(
            f"Totaal (cijfers): {self.count('nieuw')} nieuw, {self.count('gewijzigd')} gewijzigd, "
            f"{self.count('ongewijzigd')} ongewijzigd."
        )
        if self.missing_values:
            out.append(
                "Zonder cijfer in het bestand (niets opgeslagen): "
                + "; ".join(self.missing_values)
                + "."
            )
        if self.not_in_dashboard:
            out.append(
                f"Niet in het dashboard, niet aangemaakt ({len(self.not_in_dashboard)}): "
                + ", ".join(self.not_in_dashboard)
                + "."
            )
        if self.merged_without_figures:
            out.append(
                "Opgeheven gemeenten zonder cijfers overgeslagen: "
                + ", ".join(self.merged_without_figures)
                + "."
            )
        if self.not_in_file:
            out.append(
                f"Gemeenten van het dashboard niet in het bestand ({len(self.not_in_file)}): "
                + ", ".join(self.not_in_file)
                + "."
            )
        out += list(self.notes)
        out.append("Proef: er is niets opgeslagen." if self.dry_run else "Opgeslagen.")
        return out


def _resolve(
    source: ReferenceFile, finder: MunicipalityFinder, summary: ImportSummary
) -> tuple[list[tuple[SourceRow, Municipality]], list[str]]:
    """Each row's municipality, or an error naming row and column; unknowns are reported."""
    errors: list[str] = []
    found: list[tuple[SourceRow, Municipality]] = []
    names_in_file = {normalise_name(r.name) for r in source.rows if r.name}
    first_row: dict[int, int] = {}
    for row in source.rows:
        where = f"Rij {row.row}, kolom {row.column}"
        try:
            municipality = finder.find(row.key, year=source.data_year)
        except ValidationError as exc:
            message = exc.messages[0]
            if exc.code == "merged":
                if row.has_figures:
                    errors.append(f"{where}: {message}")
                else:
                    params = exc.params or {}
                    summary.merged_without_figures.append(
                        f"{params.get('name', row.name)} ({params.get('cbs_code', row.key)})"
                    )
                continue
            close = finder.suggest(row.name) if row.name and not row.code else None
            if close is not None and normalise_name(close.name) not in names_in_file:
                errors.append(f"{where}: {message}")
            elif row.has_figures:
                summary.not_in_dashboard.append(f"{row.key} (rij {row.row})")
            continue
        if row.code and row.name and normalise_name(row.name) != normalise_name(municipality.name):
            errors.append(
                f"{where}: {row.code} is {municipality.name}, maar de rij noemt '{row.name}'."
            )
            continue
        if municipality.pk in first_row:
            errors.append(
                f"{where}: {municipality.name} staat ook in rij {first_row[municipality.pk]}."
            )
            continue
        first_row[municipality.pk] = row.row
        found.append((row, municipality))
    return found, errors


def _models_using(year: int, names: set[str]) -> list[AllocationModel]:
    """The verdeelmodellen of `year` with one of these municipalities among their participants
    (locked: their inputs change under them)."""
    if not names:
        return []
    models = AllocationModel.objects.select_for_update(of=("self",)).filter(year=year)
    return [
        model
        for model in models.select_related("partnership").order_by("pk")
        if names & {p["naam"] for p in model.inputs.get("deelnemers", [])}
    ]


@transaction.atomic
def import_reference_file(
    *, user: User | None, source: ReferenceFile, year: int, dry_run: bool = False
) -> ImportSummary:
    """Store every figure of `source` as the measures of `year`, or nothing at all.

    `user` None is the command line (whoever may run manage.py); a login must be the
    beheerder, who keeps the reference data. Unknown and n.v.t. figures are not stored and an
    existing value stays; a value equal to the stored one writes no history row.
    """
    if user is not None and not is_beheerder(user):
        raise PermissionDenied("Alleen de beheerder leest referentiegegevens in.")
    if not 1990 <= year <= 2100:
        raise ValidationError(f"Jaar {year}: kies een jaar van 1990 tot en met 2100.")
    summary = ImportSummary(source.file_name, year, dry_run, source.bron, notes=source.notes)
    finder = MunicipalityFinder()
    rows, errors = _resolve(source, finder, summary)
    if errors:
        raise ValidationError(errors)
    codes = [m.code for m in source.measures]
    stored = {
        (m.municipality_id, m.code): m
        for m in Measure.objects.select_for_update().filter(
            year=year, period="", code__in=codes, municipality__in=[m for _, m in rows]
        )
    }
    new: list[Measure] = []
    changed: list[Measure] = []
    for row, municipality in rows:
        for spec in source.measures:
            value = row.values.get(spec.code)
            if not isinstance(value, Decimal):
                summary.missing_values.append(
                    f"{municipality.name}: {spec.code} {value.value if value else 'onbekend'}"
                )
                continue
            fields = {
                "value": value,
                "omschrijving": spec.omschrijving,
                "eenheid": spec.eenheid,
                "bron": source.bron,
                "peildatum": source.peildatum,
            }
            existing = stored.get((municipality.pk, spec.code))
            if existing is None:
                measure = Measure(municipality=municipality, code=spec.code, year=year, period="")
                state, old, target = "nieuw", None, new
            elif all(getattr(existing, k) == v for k, v in fields.items()):
                summary.changes.append(Change(municipality.name, spec, "ongewijzigd", value, value))
                continue
            else:
                measure, state, old, target = existing, "gewijzigd", existing.value, changed
            for key, field_value in fields.items():
                setattr(measure, key, field_value)
            try:
                # the municipality is one we just read; its check would cost a query per figure
                measure.full_clean(
                    exclude=["municipality"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                errors.append(f"Rij {row.row}, kolom {spec.column}: {' '.join(exc.messages)}")
                continue
            target.append(measure)
            summary.changes.append(Change(municipality.name, spec, state, old, value))
    if errors:
        raise ValidationError(errors)
    in_file = {m.pk for _, m in rows}
    summary.not_in_file = [
        m.name
        for m in finder.municipalities
        if m.pk not in in_file and not finder.merged(m, source.data_year)
    ]
    # a dry run writes too, inside a savepoint it then rolls back: it refuses exactly what the
    # real run would (a variant these figures break), and leaves nothing behind
    savepoint = transaction.savepoint_create()
    reason = f"Ingelezen uit {source.file_name}"[:100]
    try:
        bulk_create_with_history(new, Measure, default_user=user, default_change_reason=reason)
        bulk_update_with_history(
            changed, Measure, list(STORED_FIELDS), default_user=user, default_change_reason=reason
        )
    except IntegrityError as exc:  # someone stored the same measure meanwhile
        raise ValidationError(
            "Tegelijk zijn dezelfde maten opgeslagen; lees het bestand opnieuw in."
        ) from exc
    touched = {c.municipality for c in summary.changes if c.state != "ongewijzigd"}
    for model in _models_using(year, touched):
        check_variants(model, selectors.model_inputs(model))
        summary.notes += (
            f"De werkversie van verdeelmodel {model.name} ({model.partnership.afkorting}) "
            "rekent nu met deze cijfers; gepubliceerde versies blijven zoals ze zijn.",
        )
    if dry_run:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return summary
