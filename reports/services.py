"""Every write of the reports app: asking for a committee bundle."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from collaborations import services as collab_services
from collaborations.models import Municipality, Participation
from collaborations.permissions import User, user_can_edit
from finance import services as finance_services

from .models import ReportBundle
from .selectors.bundles import bundle_participations, data_version
from .tasks import build_bundle


@transaction.atomic
def request_bundle(
    *, user: User, municipality: Municipality, year: int, slugs: list[str]
) -> ReportBundle:
    """Ask for a committee bundle. A finished bundle of the same data is reused, not rebuilt;
    otherwise a new one is queued for the worker."""
    participations = bundle_participations(municipality, slugs)
    if not participations:
        raise ValidationError("Kies ten minste één samenwerking.")
    include_drafts = user_can_edit(user, municipality)
    version = data_version(municipality, year, participations)
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


@transaction.atomic
def restore_change(
    *,
    user: User,
    participation: Participation,
    year: int,
    key: str,
    history_id: int,
    expected_version: int,
):
    """Restore one entry of a year's history, through the service of the app that owns it."""
    if key == "jaar":
        record = participation.years.filter(year=year).first()
        if record is None:
            raise ValidationError(f"Voor {year} is nog niets ingevuld.")
        return collab_services.restore_year_record(
            user=user, record=record, history_id=history_id, expected_version=expected_version
        )
    if key == "bedrag":
        return finance_services.restore_amount(
            user=user, participation=participation, history_id=history_id
        )
    raise ValidationError("Dit soort wijziging kan hier niet worden teruggezet.")
