"""Writes of the variant editor: save (create, edit, rename), copy, delete and restore a
variant. Only the coördinator; every definition is checked by the engine against the model's
inputs before it is saved; a save on a replaced version is refused; a deleted variant can be
put back from its history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from allocation import engine, selectors
from allocation.models import AllocationModel, AllocationVariant
from allocation.permissions import require_allocation_manager
from collaborations.permissions import User
from core.history import restored_reason
from core.locking import lock_versioned, save_versioned


def _require_coordinator(user: User, model: AllocationModel) -> None:
    require_allocation_manager(user, model.partnership, "varianten wijzigen")


def check_definition(model: AllocationModel, code: str, definition: dict) -> dict:
    """The definition without inputs, once the engine accepts it with the model's inputs."""
    steps = {k: v for k, v in definition.items() if k != "invoer"}
    steps.setdefault("formaat", engine.FORMAT)
    try:
        engine.allocate(engine.build_definition(steps, selectors.model_inputs(model)))
    except engine.DefinitionError as exc:
        raise ValidationError(f"Variant {code}: {exc}") from exc
    return steps


def _check_code(model: AllocationModel, code: str, keep: AllocationVariant | None) -> None:
    try:
        AllocationVariant._meta.get_field("code").clean(code, None)
    except ValidationError as exc:
        raise ValidationError(f"Code: {' '.join(exc.messages)}") from exc
    others = model.variants.exclude(pk=getattr(keep, "pk", None))
    if others.filter(code__iexact=code).exists():
        raise ValidationError(f"Code: er is al een variant {code}; kies een andere code.")


@transaction.atomic
def save_variant(
    *,
    user: User,
    model: AllocationModel,
    variant: AllocationVariant | None,
    code: str,
    name: str,
    omschrijving: str,
    definition: dict,
    expected_version: int | None,
) -> AllocationVariant:
    """Create (variant None) or change a variant, its code included (a rename keeps its
    history). The adopted variant's change changes the contributions: that is the point."""
    _require_coordinator(user, model)
    locked = None
    if variant is not None:
        locked = lock_versioned(
            AllocationVariant.objects.filter(pk=variant.pk),
            expected_version=expected_version,
            what="deze variant",
        )
        if locked is None:
            raise ValidationError("Deze variant is intussen verwijderd.", code="stale")
    _check_code(model, code, locked)
    steps = check_definition(model, code, definition)
    steps["code"], steps["naam"] = code, name
    if locked is None:
        order = max(model.variants.values_list("order", flat=True), default=-1) + 1
        created = AllocationVariant(
            model=model,
            code=code,
            name=name,
            omschrijving=omschrijving,
            definition=steps,
            order=order,
        )
        created.full_clean()
        created.save()
        return created
    locked.code, locked.name, locked.omschrijving, locked.definition = (
        code,
        name,
        omschrijving,
        steps,
    )
    locked.full_clean()
    save_versioned(locked)
    return locked


@transaction.atomic
def copy_variant(
    *, user: User, model: AllocationModel, source: AllocationVariant | None, code: str, name: str
) -> AllocationVariant:
    """A new variant with the steps of `source` (None: one step that splits the budget by
    inhabitants), never adopted: the start of "what if"."""
    definition = (
        dict(source.definition)
        if source is not None
        else {
            "formaat": engine.FORMAT,
            "stappen": [
                {
                    "id": "bijdrage",
                    "soort": "verdeling",
                    "bedrag": {"parameter": "begroting"},
                    "sleutel": {"maat": "inwoners"},
                }
            ],
            "afronding": {"eenheid": "1", "verschil": "grootste_rest"},
        }
    )
    omschrijving = f"Kopie van {source.name}." if source is not None else ""
    return save_variant(
        user=user,
        model=model,
        variant=None,
        code=code,
        name=name,
        omschrijving=omschrijving,
        definition=definition,
        expected_version=None,
    )


@transaction.atomic
def delete_variant(*, user: User, variant: AllocationVariant, expected_version: int | None) -> int:
    """Delete a variant that is not the adopted one. Returns the id of its last history row,
    with which `restore_variant` puts it back."""
    _require_coordinator(user, variant.model)
    locked = lock_versioned(
        AllocationVariant.objects.filter(pk=variant.pk),
        expected_version=expected_version,
        what="deze variant",
    )
    if locked is None:
        raise ValidationError("Deze variant is al verwijderd.", code="stale")
    if locked.adopted:
        raise ValidationError(
            "De vastgestelde variant kan niet worden verwijderd: stel eerst een andere vast."
        )
    pk = locked.pk
    last = AllocationVariant.history.filter(id=pk).latest("history_id").history_id
    locked.delete()
    return last


@transaction.atomic
def restore_variant(*, user: User, model: AllocationModel, history_id: int) -> AllocationVariant:
    """Put a deleted (or changed) variant back as it was in a history row; never as the
    adopted one, and refused when its code has been taken since."""
    _require_coordinator(user, model)
    old = AllocationVariant.history.filter(history_id=history_id, model_id=model.pk).first()
    if old is None:
        raise ValidationError("Deze stand van de variant is niet bekend.")
    current = AllocationVariant.objects.select_for_update().filter(pk=old.id).first()
    _check_code(model, old.code, current)
    check_definition(model, old.code, old.definition)
    variant = current or AllocationVariant(pk=old.id, model=model)
    for name in ("code", "name", "omschrijving", "definition", "order"):
        setattr(variant, name, getattr(old, name))
    variant.adopted = current.adopted if current else False
    variant._change_reason = restored_reason(old)
    variant.full_clean()
    if current is None:
        variant.save()
    else:
        save_versioned(variant)
    return variant
