"""Every write of the reports app: asking for a committee bundle, restoring a change, the
workflow of a year and its published versions, and the paragraph's vision and policy text."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from collaborations import services as collab_services
from collaborations.models import (
    Municipality,
    Participation,
    Partnership,
    YearRecord,
    YearVersion,
)
from collaborations.permissions import (
    User,
    can_adopt,
    can_coordinate,
    can_read_drafts,
    user_can_edit,
)
from collaborations.services import bbv as bbv_services
from core.fields import NOTE_MAX_LENGTH, require_max_length
from core.locking import lock_versioned, save_versioned
from finance import services as finance_services

from . import snapshot
from .models import POLICY_MAX_LENGTH, Edition, ParagraphPolicy, ReportBundle
from .selectors import year as year_selectors
from .selectors.bundles import bundle_participations, data_version
from .selectors.versions import latest_version
from .tasks import build_bundle, render_version_pdf


class BundleLimitReached(ValidationError):
    """A new bundle would be made, but the requester has had their share for now."""


@transaction.atomic
def request_bundle(
    *,
    user: User,
    municipality: Municipality,
    year: int,
    slugs: list[str],
    edition: str = Edition.BEGROTING,
    may_start: Callable[[], bool] = lambda: True,
) -> ReportBundle:
    """Ask for a committee bundle. A finished bundle of the same data is reused, not rebuilt;
    otherwise a new one is queued for the worker — if `may_start()` (the caller's rate limit,
    asked only then) allows it. The bundle opens with the paragraaf verbonden partijen in
    `edition`, followed by the chosen partnerships' year pages."""
    if edition not in Edition.values:
        raise ValidationError("Kies de editie van de paragraaf: begroting of jaarstukken.")
    participations = bundle_participations(municipality, slugs)
    if not participations:
        raise ValidationError("Kies ten minste één samenwerking.")
    include_drafts = can_read_drafts(user, municipality)
    version = data_version(municipality, year, participations)
    chosen = sorted(p.partnership.slug for p in participations)
    existing = ReportBundle.objects.filter(
        municipality=municipality,
        year=year,
        slugs=chosen,
        include_drafts=include_drafts,
        edition=edition,
        data_version=version,
        status__in=[
            ReportBundle.Status.KLAAR,
            ReportBundle.Status.WACHTEND,
            ReportBundle.Status.BEZIG,
        ],
    ).first()
    if existing is not None:
        return existing
    if not may_start():
        raise BundleLimitReached(
            "U heeft in korte tijd al veel nieuwe bundels laten maken. Probeer het later "
            "opnieuw"
            + ("." if user.is_authenticated else ", of log in.")
            + " Bundels die al gemaakt zijn, kunt u altijd downloaden."
        )
    bundle = ReportBundle.objects.create(
        municipality=municipality,
        year=year,
        slugs=chosen,
        include_drafts=include_drafts,
        edition=edition,
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
    if key == "bedrag":
        return finance_services.restore_amount(
            user=user, participation=participation, history_id=history_id
        )
    if key in RESTORE_PARTS:
        record = participation.years.filter(year=year).first()
        if record is None:
            raise ValidationError(f"Voor {year} is nog niets ingevuld.")
        return RESTORE_PARTS[key](
            user=user, record=record, history_id=history_id, expected_version=expected_version
        )
    raise ValidationError("Dit soort wijziging kan hier niet worden teruggezet.")


# the parts of a year's record restored by their own service: the history's restore keys
RESTORE_PARTS = {
    "jaar": collab_services.restore_year_record,
    "bbv": bbv_services.restore_bbv,
    "risico": bbv_services.restore_risk,
}


# --- Workflow and published versions -----------------------------------------------------


def _freeze(participation: Participation, year: int) -> dict:
    return snapshot.freeze(
        year_selectors.working_context(participation, year, AnonymousUser(), show_empty=False)
    )


def _create_version(
    record: YearRecord, *, user: User | None, note: str, frozen: dict | None = None
) -> YearVersion:
    participation = record.participation
    frozen = frozen if frozen is not None else _freeze(participation, record.year)
    budget, actual, budget_next = snapshot.contribution_cells(frozen)
    last = (
        YearVersion.objects.filter(participation=participation, year=record.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    adoption = record.history.filter(status=YearRecord.Status.VASTGESTELD).first()
    now = timezone.now()
    return YearVersion.objects.create(
        participation=participation,
        year=record.year,
        number=(last or 0) + 1,
        snapshot=frozen,
        contribution_budget=budget.amount,
        contribution_actual=actual.amount,
        contribution_budget_next=budget_next.amount,
        contribution_budget_nvt=budget.amount is None and budget.not_applicable,
        contribution_actual_nvt=actual.amount is None and actual.not_applicable,
        contribution_budget_next_nvt=budget_next.amount is None and budget_next.not_applicable,
        risk_profile=frozen.get("risk_profile") or "",
        note=note,
        adopted_by=adoption.history_user if adoption else user,
        adopted_at=adoption.history_date if adoption else now,
        published_by=user,
        published_at=now,
    )


@transaction.atomic
def change_year_status(
    *, user: User, record: YearRecord, action: str, expected_version: int, note: str = ""
) -> YearRecord:
    """One step of the workflow; publishing freezes the page as the next numbered version."""
    changed = collab_services.change_status(
        user=user, record=record, action=action, expected_version=expected_version, note=note
    )
    if changed.status == YearRecord.Status.GEPUBLICEERD:
        version = _create_version(changed, user=user if user.is_authenticated else None, note=note)
        transaction.on_commit(lambda: render_version_pdf.enqueue(version.pk))
    return changed


@transaction.atomic
def ensure_versions() -> int:
    """Give every published year without a version its first one (a database from before
    versions existed, and the demo data). Idempotent; returns how many were made."""
    made = 0
    published = YearRecord.objects.filter(status=YearRecord.Status.GEPUBLICEERD).select_related(
        "participation__partnership", "participation__municipality"
    )
    have = set(YearVersion.objects.values_list("participation_id", "year"))
    for record in published:
        if (record.participation_id, record.year) not in have:
            _create_version(record, user=None, note="Eerste versie bij de invoering van versies.")
            made += 1
    return made


@transaction.atomic
def publish_shared_year(
    *, user: User, partnership: Partnership, year: int, note: str = ""
) -> list[YearVersion]:
    """Publish a partnership's shared year — financiële resultaten, eigen en vreemd vermogen,
    the adopted allocation — for every participant: each published year page gets a new
    version with the shared part as it is now and its own part as it was published. Pages
    where nothing shared changed keep their version."""
    if not can_coordinate(user, partnership):
        raise PermissionDenied(
            "Alleen de coördinator van de samenwerking kan de gedeelde cijfers publiceren."
        )
    note = note.strip()
    require_max_length(note, NOTE_MAX_LENGTH, "Toelichting")
    made = []
    participations = Participation.objects.filter(partnership=partnership).select_related(
        "partnership", "municipality"
    )
    for participation in participations:
        latest = latest_version(participation, year)
        record = participation.years.filter(year=year).first()
        if latest is None or record is None:
            continue
        merged = snapshot.merge_shared(latest.snapshot, _freeze(participation, year))
        if snapshot.count_differences(latest.snapshot, merged) == 0:
            continue
        version = _create_version(
            record,
            user=user if user.is_authenticated else None,
            note=note or "Gedeelde cijfers van de samenwerking gepubliceerd.",
            frozen=merged,
        )
        transaction.on_commit(lambda pk=version.pk: render_version_pdf.enqueue(pk))
        made.append(version)
    if not made:
        raise ValidationError(
            f"Er is niets gewijzigd aan de gedeelde cijfers van {year} sinds de publicatie."
        )
    return made


@transaction.atomic
def restore_partnership_change(
    *, user: User, participation: Participation, key: str, history_id: int
):
    """Restore one entry of a partnership's history, through the owning app's service."""
    if key == "perspectief":
        return collab_services.restore_participation(
            user=user, participation=participation, history_id=history_id
        )
    if key == "samenwerking":
        return collab_services.restore_partnership(
            user=user, partnership=participation.partnership, history_id=history_id
        )
    raise ValidationError("Dit soort wijziging kan hier niet worden teruggezet.")


# --- The vision and policy text of the paragraaf verbonden partijen -----------------------


def _policy_row(municipality: Municipality, year: int):
    return ParagraphPolicy.objects.filter(municipality=municipality, year=year)


@transaction.atomic
def save_policy(
    *,
    user: User,
    municipality: Municipality,
    year: int,
    text: str,
    expected_version: int | None,
) -> ParagraphPolicy:
    """Save the concept of the year's vision and policy text (the public keeps reading the
    published text). `expected_version` is the version the form showed (None: a new text); a
    save on a replaced version is refused with the input kept."""
    if not user_can_edit(user, municipality):
        raise PermissionDenied("U mag de visie en het beleid van deze gemeente niet wijzigen.")
    require_max_length(text, POLICY_MAX_LENGTH, "Visie en beleid")
    policy = lock_versioned(
        _policy_row(municipality, year), expected_version=expected_version, what="deze tekst"
    )
    if policy is None:
        policy = ParagraphPolicy(municipality=municipality, year=year)
    elif policy.text == text:
        return policy
    policy.text = text
    policy.updated_by = user
    policy.full_clean(exclude=["municipality", "published_by", "updated_by"])
    policy._change_reason = "Tekst gewijzigd"
    save_versioned(policy)
    return policy


@transaction.atomic
def publish_policy(
    *, user: User, municipality: Municipality, year: int, expected_version: int
) -> ParagraphPolicy:
    """Make the concept the text the public reads (the vaststeller)."""
    if not can_adopt(user, municipality):
        raise PermissionDenied("Alleen de vaststeller van de gemeente publiceert deze tekst.")
    policy = lock_versioned(
        _policy_row(municipality, year), expected_version=expected_version, what="deze tekst"
    )
    if policy is None:
        raise ValidationError(f"Voor {year} is nog geen tekst opgeslagen.")
    if not policy.unpublished_changes:
        raise ValidationError("Deze tekst is al zo gepubliceerd.")
    policy.published_text = policy.text
    policy.published_at = timezone.now()
    policy.published_by = user
    policy.updated_by = user
    policy._change_reason = "Gepubliceerd"
    save_versioned(policy)
    return policy


@transaction.atomic
def restore_policy(
    *, user: User, municipality: Municipality, year: int, history_id: int, expected_version: int
) -> ParagraphPolicy:
    """Take an earlier saved text back as the concept (kept as a change of its own)."""
    policy = _policy_row(municipality, year).first()
    old = policy.history.filter(history_id=history_id).first() if policy else None
    if old is None:
        raise ValidationError("Deze eerdere tekst bestaat niet (meer).")
    restored = save_policy(
        user=user,
        municipality=municipality,
        year=year,
        text=old.text,
        expected_version=expected_version,
    )
    return restored
