"""Kept settlements: a year-end result (deficit or surplus) settled by the key of that year and
saved with its lines frozen; corrected (versioned), deleted and put back from the history.
Keyword-only, atomic, validated, for the partnership's coördinator (or the beheerder).

A settlement is computed with `selectors.settlement` (the engine's `settle_result`): the parts add
up exactly, to the cent, to the result. Once saved its lines are stored figures: changing a
measure or adopting another variant later does not change a kept settlement; only a correction
of its amount or key computes it again (with the model as it is then)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from allocation import engine, selectors
from allocation.models import AllocationModel, Settlement, SettlementLine
from allocation.permissions import require_allocation_manager
from collaborations.models import Municipality
from collaborations.permissions import User
from core.forms import amount_error
from core.history import restored_reason
from core.locking import check_version, save_versioned

SAVED = "Verrekening opgeslagen"
CORRECTED = "Verrekening gecorrigeerd"
REPLACED = "Vervangen bij de correctie van de verrekening"
DELETED = "Verrekening verwijderd"
WHAT = "deze verrekening"


@dataclass(frozen=True)
class ComputedLine:
    name: str
    municipality: Municipality | None
    weight: Decimal
    amount: Decimal


def _require_coordinator(user: User, model: AllocationModel) -> None:
    require_allocation_manager(
        user, model.partnership, "een verrekening opslaan, corrigeren of verwijderen"
    )


def _who(user: User):
    return user if user.is_authenticated else None


def _check_amount(amount: object) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError({"amount": "Te verrekenen resultaat: vul een bedrag in."})
    problem = amount_error(amount, 2)
    if problem:
        raise ValidationError({"amount": f"Te verrekenen resultaat: {problem}"})
    if amount == 0:
        raise ValidationError(
            {
                "amount": "Te verrekenen resultaat: bij 0 valt er niets te verdelen; vul een "
                "tekort (positief) of een overschot (met een minteken) in."
            }
        )
    return amount.quantize(Decimal("0.01"))


def compute(
    model: AllocationModel, amount: Decimal, key: str
) -> tuple[list[ComputedLine], str, object]:
    """The lines of a settlement as the model computes them now, the key in words and the
    adopted variant. Every refusal is a Dutch `ValidationError` naming the field."""
    amount = _check_amount(amount)
    measures = dict(selectors.measure_choices(model))
    if key != Settlement.KEY_CONTRIBUTION and key not in measures:
        raise ValidationError(
            {"key": f"Verdelen: kies de bijdrage of een maat van {model.year}; “{key}” is er geen."}
        )
    try:
        comparison = selectors.comparison(model)
    except engine.DefinitionError as exc:
        raise ValidationError(f"Het verdeelmodel kan nu niet worden berekend: {exc}") from exc
    adopted = comparison.adopted
    if adopted is None:
        raise ValidationError(
            {
                "key": "Verdelen: er is nog geen variant vastgesteld. Een resultaat wordt "
                "verdeeld over de deelnemers van de vastgestelde variant; stel er eerst een vast."
            }
        )
    participants = list(comparison.results[comparison.adopted_index].amounts())
    try:
        rows = selectors.settlement(comparison, amount, key)
    except engine.DefinitionError as exc:
        raise ValidationError({"key": f"Verdelen: {exc.message}."}) from exc
    missing = [name for name in participants if name not in {row[0] for row in rows}]
    if missing:
        raise ValidationError(
            {
                "key": f"Verdelen: de maat {measures.get(key) or key} ontbreekt voor "
                f"{', '.join(missing)}; vul die eerst in of kies een andere sleutel."
            }
        )
    if sum((part for _name, _weight, part in rows), Decimal(0)) != amount:
        raise ValidationError(  # the engine guarantees it; a kept settlement must too
            "De delen tellen niet precies op tot het resultaat; er is niets opgeslagen."
        )
    municipalities = {m.name: m for m in Municipality.objects.filter(name__in=participants)}
    lines = [
        ComputedLine(name, municipalities.get(name), Decimal(weight), part)
        for name, weight, part in rows
    ]
    if key == Settlement.KEY_CONTRIBUTION:
        label = f"naar rato van de bijdrage volgens variant {adopted.code}"
    else:
        label = f"naar rato van: {measures[key] or key}"
    return lines, label, adopted


def _apply(settlement: Settlement, label: str, adopted) -> None:
    settlement.key_label = label[:300]
    settlement.variant_code = adopted.code
    settlement.variant_name = adopted.name


def _create_lines(settlement: Settlement, lines: list[ComputedLine], user: User) -> None:
    for order, computed in enumerate(lines):
        line = SettlementLine(
            settlement=settlement,
            municipality=computed.municipality,
            name=computed.name,
            weight=computed.weight,
            amount=computed.amount,
            order=order,
        )
        try:
            line.full_clean(exclude=["settlement"])
        except ValidationError as exc:
            raise ValidationError(
                f"{computed.name}: de grondslag of het aandeel kan niet worden bewaard "
                f"({' '.join(exc.messages)})."
            ) from exc
        line._change_reason = settlement._change_reason
        line._history_user = _who(user)
        line.save()


def _clean(settlement: Settlement) -> None:
    try:
        settlement.full_clean(exclude=["model", "created_by", "updated_by"])
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in Settlement._meta.fields}
        raise ValidationError(
            {
                name: [f"{labels.get(name, name).capitalize()}: {m}" for m in messages]
                for name, messages in exc.message_dict.items()
            }
        ) from exc


def _check_status(status: str) -> None:
    if status not in Settlement.Status.values:
        raise ValidationError({"status": "Status: kies concept of vastgesteld."})


@transaction.atomic
def save_settlement(
    *,
    user: User,
    model: AllocationModel,
    amount: Decimal,
    key: str,
    description: str,
    status: str = Settlement.Status.CONCEPT,
) -> Settlement:
    """Settle a year-end result by the key of that year and keep it, with its lines."""
    _require_coordinator(user, model)
    _check_status(status)
    amount = _check_amount(amount)
    lines, label, adopted = compute(model, amount, key)
    settlement = Settlement(
        model=model,
        amount=amount,
        key=key,
        description=description.strip(),
        status=status,
        created_by=_who(user),
        updated_by=_who(user),
    )
    _apply(settlement, label, adopted)
    _clean(settlement)
    settlement._change_reason = SAVED
    settlement._history_user = _who(user)
    settlement.save()
    _create_lines(settlement, lines, user)
    return settlement


def _lock(settlement: Settlement, expected_version: int | None) -> Settlement:
    locked = Settlement.objects.select_for_update().filter(pk=settlement.pk).first()
    if locked is None:
        raise ValidationError(
            "Deze verrekening is intussen verwijderd; er is niets gewijzigd.", code="stale"
        )
    check_version(locked.version, expected_version, WHAT)
    return locked


@transaction.atomic
def correct_settlement(
    *,
    user: User,
    settlement: Settlement,
    expected_version: int | None,
    amount: Decimal,
    key: str,
    description: str,
    status: str,
) -> Settlement:
    """Correct a kept settlement. A changed amount or key computes the lines again (with the
    measures and the adopted variant as they are now); a changed description or status keeps
    the frozen lines. Refused when someone else saved it since the form was opened."""
    _require_coordinator(user, settlement.model)
    locked = _lock(settlement, expected_version)
    _check_status(status)
    amount = _check_amount(amount)
    recompute = amount != locked.amount or key != locked.key
    if recompute:
        lines, label, adopted = compute(locked.model, amount, key)
        _apply(locked, label, adopted)
    locked.amount, locked.key = amount, key
    locked.description, locked.status = description.strip(), status
    locked.updated_by = _who(user)
    _clean(locked)
    locked._change_reason = CORRECTED
    locked._history_user = _who(user)
    if recompute:
        for old in locked.lines.all():
            old._change_reason = REPLACED
            old._history_user = _who(user)
            old.delete()
        _create_lines(locked, lines, user)
    save_versioned(locked)
    return locked


@transaction.atomic
def delete_settlement(*, user: User, settlement: Settlement, expected_version: int | None) -> int:
    """Delete a kept settlement with its lines. Returns the history row of the deletion, with
    which `restore_settlement` puts it back as it was."""
    _require_coordinator(user, settlement.model)
    locked = _lock(settlement, expected_version)
    for line in locked.lines.all():
        line._change_reason = DELETED
        line._history_user = _who(user)
        line.delete()
    pk = locked.pk
    locked._change_reason = DELETED
    locked._history_user = _who(user)
    locked.delete()
    return Settlement.history.filter(id=pk).latest("history_id").history_id


@transaction.atomic
def restore_settlement(*, user: User, model: AllocationModel, history_id: int) -> Settlement:
    """Put a deleted settlement back from the history of its deletion: the same figures, the
    same lines, the same number; itself a change in the history."""
    _require_coordinator(user, model)
    old = Settlement.history.filter(history_id=history_id, model_id=model.pk).first()
    if old is None or old.history_type != "-":
        raise ValidationError("Deze verwijderde verrekening is niet bekend.")
    if Settlement.objects.select_for_update().filter(pk=old.id).exists():
        raise ValidationError("Deze verrekening bestaat al weer; er is niets teruggezet.")
    latest = Settlement.history.filter(id=old.id).latest("history_id")
    if latest.history_id != old.history_id:
        raise ValidationError("Zet de laatste verwijdering van deze verrekening terug.")
    records: dict[int, object] = {}
    for record in SettlementLine.history.filter(settlement_id=old.id).order_by("history_id"):
        records[record.id] = record  # the newest record of each line
    gone = [
        r for r in records.values() if r.history_type == "-" and r.history_change_reason == DELETED
    ]
    if sum((r.amount for r in gone), Decimal(0)) != old.amount:
        raise ValidationError(
            "De regels van deze verrekening zijn niet volledig terug te vinden; er is niets "
            "teruggezet."
        )
    settlement = Settlement(pk=old.id, model=model)
    for name in (
        "amount",
        "key",
        "key_label",
        "variant_code",
        "variant_name",
        "description",
        "status",
        "created_by_id",
        "created_at",
    ):
        setattr(settlement, name, getattr(old, name))
    settlement.updated_by = _who(user)
    settlement.version = old.version + 1  # a form opened before the deletion stays refused
    settlement._change_reason = restored_reason(old)
    settlement._history_user = _who(user)
    _clean(settlement)
    settlement.save(force_insert=True)
    known = set(
        Municipality.objects.filter(pk__in=[r.municipality_id for r in gone]).values_list(
            "pk", flat=True
        )
    )
    for record in sorted(gone, key=lambda r: (r.order, r.name)):
        line = SettlementLine(
            pk=record.id,
            settlement=settlement,
            municipality_id=record.municipality_id if record.municipality_id in known else None,
            name=record.name,
            weight=record.weight,
            amount=record.amount,
            order=record.order,
        )
        line._change_reason = settlement._change_reason
        line._history_user = _who(user)
        line.save(force_insert=True)
    return settlement
