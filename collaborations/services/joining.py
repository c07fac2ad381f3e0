"""A municipality starts a partnership, joins one, or ends its participation — without the
admin, and never as a second copy of a partnership that already exists."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from collaborations.models import Municipality, Participation, Partnership, Role, Term
from collaborations.permissions import User, user_can_edit

RESERVED_SLUGS = frozenset({"nieuw"})


def _require_clerk(user: User, municipality: Municipality) -> None:
    if not user_can_edit(user, municipality):
        raise PermissionDenied(f"Alleen de invoerders van {municipality} kunnen dit doen.")


def same_partnerships(name: str, afkorting: str = "") -> list[Partnership]:
    """Partnerships that are probably the one meant: the same name or afkorting (case and
    spaces ignored), or a name that contains the words typed."""
    name, afkorting = " ".join(name.split()), afkorting.strip()
    if not name and not afkorting:
        return []
    query = Q()
    if name:
        query |= Q(name__iexact=name) | Q(name__icontains=name)
    if afkorting:
        query |= Q(afkorting__iexact=afkorting) | Q(slug=slugify(afkorting))
    return list(Partnership.objects.filter(query).order_by("name")[:10])


def _free_slug(afkorting: str) -> str:
    base = slugify(afkorting)[:25] or "samenwerking"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    slug, n = base, 1
    while Partnership.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_partnership(
    *,
    user: User,
    municipality: Municipality,
    name: str,
    afkorting: str,
    beschrijving: str = "",
    vorm: Term | None = None,
    bbv_categorie: Term | None = None,
    participants: list[Municipality] = (),
    first_year: int | None = None,
    confirmed_new: bool = False,
) -> Participation:
    """A new partnership with its participants; the municipality that starts it keeps the shared
    record (its clerk becomes the coördinator until the beheerder assigns another). Refused
    when one with the same name or afkorting exists, unless `confirmed_new`: join that one."""
    _require_clerk(user, municipality)
    name, afkorting = " ".join(name.split()), afkorting.strip()
    errors = {}
    if not name:
        errors["name"] = "Vul de naam van de samenwerking in."
    if not afkorting:
        errors["afkorting"] = "Vul een afkorting in, bijvoorbeeld ZVH."
    if errors:
        raise ValidationError(errors)
    twins = Partnership.objects.filter(Q(name__iexact=name) | Q(afkorting__iexact=afkorting))
    if twins.exists() and not confirmed_new:
        twin = twins.first()
        raise ValidationError(
            f"{twin} bestaat al. Neem deel aan die samenwerking in plaats van een tweede te "
            "maken, of kies een andere naam en afkorting."
        )
    partnership = Partnership(
        name=name,
        afkorting=afkorting,
        slug=_free_slug(afkorting),
        beschrijving=beschrijving,
        vorm=vorm,
        bbv_categorie=bbv_categorie,
    )
    partnership.full_clean()
    partnership._change_reason = f"Samenwerking aangemaakt door {municipality}"
    partnership.save()
    own = None
    for member in dict.fromkeys([municipality, *participants]):
        participation = Participation(partnership=partnership, municipality=member)
        participation._change_reason = f"Deelnemer bij het aanmaken, door {municipality}"
        participation.save()
        own = own or participation
    Role.objects.get_or_create(
        user=user,
        kind=Role.Kind.COORDINATOR,
        partnership=partnership,
        defaults={"granted_by": user},
    )
    user.__dict__.pop("_role_grants", None)
    if first_year is not None:
        from collaborations.services import create_year_record

        create_year_record(user=user, participation=own, year=first_year)
    return own


@transaction.atomic
def join_partnership(
    *,
    user: User,
    municipality: Municipality,
    partnership: Partnership,
    first_year: int | None = None,
) -> Participation:
    """The municipality takes part in an existing partnership, with its own perspective. A
    municipality that ended its participation takes part again (its history is kept)."""
    _require_clerk(user, municipality)
    participation = (
        Participation.objects.select_for_update()
        .filter(partnership=partnership, municipality=municipality)
        .first()
    )
    if participation is None:
        participation = Participation(partnership=partnership, municipality=municipality)
        participation._change_reason = f"{municipality} neemt deel"
        participation.save()
    elif participation.ended_on is None:
        raise ValidationError(f"{municipality} neemt al deel aan {partnership.afkorting}.")
    else:
        participation.ended_on = None
        participation._change_reason = f"{municipality} neemt weer deel"
        participation.save()
    if first_year is not None and not participation.years.filter(year=first_year).exists():
        from collaborations.services import create_year_record

        create_year_record(user=user, participation=participation, year=first_year)
    return participation


@transaction.atomic
def end_participation(
    *, user: User, participation: Participation, ended_on: datetime.date, reason: str
) -> Participation:
    """End the municipality's participation per a date: its records and history stay, its
    pages say it has ended; joining again undoes it."""
    _require_clerk(user, participation.municipality)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Schrijf waarom de deelname eindigt."})
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    if locked.ended_on is not None:
        raise ValidationError(f"De deelname is al beëindigd per {locked.ended_on:%d-%m-%Y}.")
    locked.ended_on = ended_on
    locked.full_clean()
    locked._change_reason = f"Deelname beëindigd: {reason}"[:100]
    locked.save()
    return locked
