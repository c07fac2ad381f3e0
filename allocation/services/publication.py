"""Publishing a verdeelmodel: the working state — inputs, measures, variants, the adopted one —
becomes a numbered publication that the public reads and that never changes. Only the
coördinator; refused when a variant cannot be computed, when nothing changed, and when the
page it was published from showed an older version than the newest (someone else published in
between)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from allocation import engine, selectors
from allocation.models import AllocationModel, AllocationPublication
from allocation.permissions import require_allocation_manager
from collaborations.permissions import User
from core.locking import NOT_CHECKED, StaleVersionError


@transaction.atomic
def publish_allocation_model(
    *, user: User, model: AllocationModel, note: str = "", expected_latest: object = NOT_CHECKED
) -> AllocationPublication:
    """Publish the model as it is now. `expected_latest` is the number of the newest
    publication the page showed (None: none)."""
    model = AllocationModel.objects.select_for_update().get(pk=model.pk)
    require_allocation_manager(user, model.partnership, "het verdeelmodel publiceren")
    latest = model.publications.aggregate(number=Max("number"))["number"]
    if expected_latest is not NOT_CHECKED and latest != expected_latest:
        raise StaleVersionError(
            f"Iemand anders heeft intussen versie {latest} gepubliceerd. Bekijk de vergelijking "
            "opnieuw voordat u publiceert.",
            code="stale",
        )
    if latest is not None and not selectors.unpublished_changes(
        model, model.publications.get(number=latest)
    ):
        raise ValidationError(
            f"Er is niets veranderd sinds versie {latest}: er is niets nieuws te publiceren."
        )
    return record_publication(model=model, note=note, user=user, latest=latest)


@transaction.atomic
def record_publication(
    *, model: AllocationModel, note: str = "", user: User | None = None, latest: int | None = None
) -> AllocationPublication:
    """The publication itself, without the permission check: for `publish_allocation_model`
    and for loading a model that was published elsewhere (the demo's Veilig Thuis report)."""
    if latest is None:
        latest = model.publications.aggregate(number=Max("number"))["number"]
    note = note.strip()
    if len(note) > 300:
        raise ValidationError("Toelichting: ten hoogste 300 tekens.")
    if not model.variants.exists():
        raise ValidationError("Er is nog geen variant om te publiceren.")
    try:
        selectors.comparison(model)
    except engine.DefinitionError as exc:
        raise ValidationError(f"Zo kan het verdeelmodel niet worden gepubliceerd: {exc}") from exc
    inputs, variants = selectors.publication_snapshot(model)
    return AllocationPublication.objects.create(
        model=model,
        number=(latest or 0) + 1,
        inputs=inputs,
        variants=variants,
        note=note,
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )
