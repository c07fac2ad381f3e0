"""Every read of the collaborations app: the only place for select_related/prefetch/annotate.

Each page gets its data from one selector with a fixed number of queries, whatever the content.
"""

from dataclasses import dataclass, field
from typing import NoReturn

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    MotiveAnswer,
    Municipality,
    Participation,
    Partnership,
    Role,
    Term,
    Vocabulary,
    YearRecord,
    YearVersion,
)
from .permissions import User, can_read_drafts


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.annotate(partnership_count=Count("partnerships")).filter(
        partnership_count__gt=0
    )


def get_municipality(slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist as exc:
        raise Http404("Deze gemeente bestaat niet.") from exc


def _visible_years_filter(user: User, municipality: Municipality) -> Q:
    """The municipality's invoerders, vaststellers and raadsleden see every year; everyone else
    the years with a published version (also while a reopened year is being changed: the public
    keeps seeing what was published)."""
    if can_read_drafts(user, municipality):
        return Q()
    return Q(
        Exists(
            YearVersion.objects.filter(
                participation_id=OuterRef("participation_id"), year=OuterRef("year")
            )
        )
    )


def get_participation(municipality_slug: str, partnership_slug: str) -> Participation:
    """The participation for the header of every partnership page (one query)."""
    try:
        return Participation.objects.select_related("partnership__vorm", "municipality").get(
            municipality__slug=municipality_slug, partnership__slug=partnership_slug
        )
    except Participation.DoesNotExist as exc:
        raise Http404("Deze gemeente neemt niet deel aan deze samenwerking.") from exc


def participation_detail(municipality_slug: str, partnership_slug: str) -> Participation:
    """Everything the kernbeeld / basisgegevens / governance page shows."""
    try:
        return (
            Participation.objects.select_related(
                "municipality",
                "partnership__vorm",
                "partnership__bbv_categorie",
                "partnership__centrumgemeente",
                "toezichtarrangement",
            )
            .prefetch_related(
                "partnership__onderwerpen",
                "partnership__aard",
                "partnership__organisations",
                "partnership__municipalities",
                "belang_waarom",
                "belang_wie",
                "board_seats",
                "process_entries",
            )
            .get(municipality__slug=municipality_slug, partnership__slug=partnership_slug)
        )
    except Participation.DoesNotExist as exc:
        raise Http404("Deze gemeente neemt niet deel aan deze samenwerking.") from exc


def visible_years(
    participation: Participation, user: User, *, working: bool = False
) -> list[YearRecord]:
    """The years `user` may see; with `working`, every year (the working data, e.g. to freeze
    a version)."""
    visible = Q() if working else _visible_years_filter(user, participation.municipality)
    return list(
        participation.years.filter(visible)
        .only("id", "year", "status", "nagekeken", "participation_id")
        .order_by("year")
    )


def latest_year_record(participation: Participation, user: User) -> YearRecord | None:
    """The newest visible year with its motives and results, for the kernbeeld."""
    return (
        participation.years.filter(_visible_years_filter(user, participation.municipality))
        .prefetch_related("belangrijkste_motieven")
        .order_by("-year")
        .first()
    )


def motive_catalogue() -> list[Term]:
    """The 8 main motives, each with its sub-motives (two queries)."""
    return list(
        Term.objects.filter(vocabulary=Vocabulary.MOTIEF, active=True)
        .prefetch_related(
            Prefetch("children", queryset=Term.objects.filter(active=True).order_by("order"))
        )
        .order_by("order")
    )


def require_visible_year(participation: Participation, year: int, user: User) -> None:
    """A year the user may not see does not exist for them: a 404 before any 403, so that the
    pages of a concept year do not tell the public that it is there."""
    if not participation.years.filter(
        _visible_years_filter(user, participation.municipality), year=year
    ).exists():
        raise Http404(f"Voor {year} is niets gepubliceerd.")


def refuse(participation: Participation, year: int, user: User, reason: str) -> NoReturn:
    """Refuse a page of a year the user may not use: a 404 when they may not even know that
    the year exists, otherwise a 403 with the reason."""
    require_visible_year(participation, year, user)
    raise PermissionDenied(reason)


def year_record_for_edit(participation: Participation, year: int) -> YearRecord:
    try:
        return (
            participation.years.select_related("bbv", "participation__partnership__vorm")
            .prefetch_related("submotieven", "belangrijkste_motieven", "motive_answers", "risks")
            .get(year=year)
        )
    except YearRecord.DoesNotExist as exc:
        raise Http404(f"Voor {year} is nog niets ingevuld.") from exc


@dataclass
class MotiveView:
    motive: Term
    submotives: list[Term] = field(default_factory=list)
    answer: MotiveAnswer | None = None
    belangrijk: bool = False


@dataclass
class YearPage:
    """What the year page (section C) shows, assembled from a fixed number of queries."""

    participation: Participation
    year: int
    record: YearRecord | None
    years: list[YearRecord]
    motives: list[MotiveView]
    belangrijkste: list[Term]

    @property
    def chosen_motives(self) -> list[MotiveView]:
        return [m for m in self.motives if m.submotives]

    @property
    def answered_motives(self) -> list[MotiveView]:
        return [m for m in self.motives if m.answer]

    @property
    def previous_year(self) -> int | None:
        earlier = [r.year for r in self.years if r.year < self.year]
        return max(earlier) if earlier else None

    @property
    def next_year(self) -> int | None:
        later = [r.year for r in self.years if r.year > self.year]
        return min(later) if later else None


def year_page(
    participation: Participation, year: int, user: User, *, working: bool = False
) -> YearPage:
    years = visible_years(participation, user, working=working)
    record = next((r for r in years if r.year == year), None)
    if record is not None:
        record = (
            YearRecord.objects.prefetch_related(
                Prefetch("submotieven", queryset=Term.objects.order_by("order")),
                Prefetch("belangrijkste_motieven", queryset=Term.objects.order_by("order")),
                Prefetch("motive_answers", queryset=MotiveAnswer.objects.all()),
                "risks",
            )
            .select_related("updated_by", "bbv")
            .get(pk=record.pk)
        )
    motives = motive_catalogue()
    views = [MotiveView(motive=m) for m in motives]
    by_id = {v.motive.pk: v for v in views}
    belangrijkste: list[Term] = []
    if record is not None:
        for sub in record.submotieven.all():
            if sub.parent_id in by_id:
                by_id[sub.parent_id].submotives.append(sub)
        for answer in record.motive_answers.all():
            if answer.motief_id in by_id:
                by_id[answer.motief_id].answer = answer
        belangrijkste = list(record.belangrijkste_motieven.all())
        for term in belangrijkste:
            if term.pk in by_id:
                by_id[term.pk].belangrijk = True
    return YearPage(
        participation=participation,
        year=year,
        record=record,
        years=years,
        motives=views,
        belangrijkste=belangrijkste,
    )


def participations_by_slugs(municipality: Municipality, slugs: list[str]) -> list[Participation]:
    found = {
        p.partnership.slug: p
        for p in Participation.objects.filter(
            municipality=municipality, partnership__slug__in=slugs
        ).select_related("partnership", "municipality")
    }
    return [found[s] for s in slugs if s in found]


def participations_of_partnership(partnership) -> list[Participation]:
    return list(
        Participation.objects.filter(partnership=partnership)
        .select_related("partnership", "municipality")
        .order_by("municipality__name")
    )


def role_overview() -> QuerySet:
    """Every login with its roles, for the beheerder's page Rollen (two queries)."""
    return (
        get_user_model()
        .objects.order_by("-is_active", "username")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.select_related("municipality", "partnership").order_by(
                    "kind", "municipality__name", "partnership__name"
                ),
            )
        )
    )


def get_role(pk: int) -> Role:
    try:
        return Role.objects.select_related("user", "municipality", "partnership").get(pk=pk)
    except Role.DoesNotExist as exc:
        raise Http404("Deze rol bestaat niet (meer).") from exc


def partnership_list() -> QuerySet[Partnership]:
    return Partnership.objects.order_by("name")


def locked_logins() -> list:
    """Usernames locked by django-axes right now (too many failed logins), for the beheerder."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return list(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).order_by("username")
    )


# --- Editing the perspective and the shared record (collaborations.views, records) ---------


def perspective_for_edit(municipality_slug: str, partnership_slug: str) -> Participation:
    """A municipality's perspective with everything its edit pages show (a fixed number of
    queries): the terms chosen, the board seats and the process steps."""
    try:
        return (
            Participation.objects.select_related(
                "partnership__vorm", "municipality", "toezichtarrangement"
            )
            .prefetch_related("belang_waarom", "belang_wie", "board_seats", "process_entries")
            .get(municipality__slug=municipality_slug, partnership__slug=partnership_slug)
        )
    except Participation.DoesNotExist as exc:
        raise Http404("Deze gemeente neemt niet deel aan deze samenwerking.") from exc


def partnership_for_edit(partnership_id: int) -> Partnership:
    """The shared record with its terms, participants and organisations."""
    return Partnership.objects.prefetch_related(
        "onderwerpen", "aard", "organisations", "municipalities"
    ).get(pk=partnership_id)


def vocabulary_terms(vocabulary: str, keep: list[int] | tuple = ()) -> QuerySet[Term]:
    """The terms of one vocabulary in use, in their order (the choices of a form), and those of
    `keep` (chosen before they went out of use), so a save never drops them unasked."""
    return Term.objects.filter(Q(active=True) | Q(pk__in=keep), vocabulary=vocabulary).order_by(
        "order", "label"
    )


def municipality_choices() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def organisation_choices() -> QuerySet:
    from .models import Organisation

    return Organisation.objects.order_by("name")


# --- The P&C calendar: Wgr deadlines, board meetings, process steps (deadlines.py) --------

from datetime import date  # noqa: E402

from . import deadlines  # noqa: E402
from .models import BoardMeeting  # noqa: E402
from .models.meetings import MeetingSchedule  # noqa: E402


def _calendar_meetings(meetings) -> list[deadlines.Meeting]:
    return [
        deadlines.Meeting(
            date=m.date, kind=m.kind, label=m.get_kind_display(), note=m.note, id=m.pk
        )
        for m in meetings
    ]


def _vorm_code(partnership: Partnership) -> str | None:
    return partnership.vorm.code if partnership.vorm_id else None


@dataclass
class CalendarSection:
    """The section *Planning en control (P&C-cyclus)* of a partnership page."""

    calendar: deadlines.Calendar
    years: list[int]
    wgr: bool
    vorm: str

    def items_of(self, year: int) -> list[deadlines.CalendarItem]:
        return [item for item in self.calendar.items if item.year == year]

    @property
    def per_year(self) -> list[tuple[int, str, list[deadlines.CalendarItem]]]:
        return [(y, self.calendar.rules.get(y, ""), self.items_of(y)) for y in self.years]


def partnership_calendar(participation: Participation, *, today: date) -> CalendarSection:
    """The current and next year of the partnership's cycle, with the municipality's process
    steps: one query for the meetings (the process entries come prefetched with
    `participation_detail`, else one more)."""
    partnership = participation.partnership
    years = [today.year, today.year + 1]
    meetings = BoardMeeting.objects.filter(
        partnership=partnership, date__year__gte=years[0], date__year__lte=years[-1]
    ).order_by("date", "kind")
    steps = [
        deadlines.ProcessStep(
            actor=e.get_actor_display(), year=e.jaar, quarter=e.kwartaal, action=e.actie, id=e.pk
        )
        for e in participation.process_entries.all()
    ]
    wgr = deadlines.wgr_applies(_vorm_code(partnership))
    calendar = deadlines.build_calendar(
        slug=partnership.slug,
        afkorting=partnership.afkorting,
        meetings=_calendar_meetings(meetings),
        steps=steps,
        years=years,
        today=today,
        wgr=wgr,
    )
    vorm = partnership.vorm.label if partnership.vorm_id else ""
    return CalendarSection(calendar=calendar, years=years, wgr=wgr, vorm=vorm)


def municipality_calendar(
    municipality: Municipality, *, today: date, years: list[int]
) -> list[deadlines.CalendarItem]:
    """Every Wgr deadline and board meeting of the municipality's partnerships in `years`, for
    its iCalendar feed (two queries). Process steps have no date, so they are not in it."""
    partnerships = list(
        Partnership.objects.filter(municipalities=municipality)
        .select_related("vorm")
        .order_by("afkorting")
        .distinct()
    )
    by_partnership: dict[int, list[BoardMeeting]] = {p.pk: [] for p in partnerships}
    for meeting in BoardMeeting.objects.filter(
        partnership__in=partnerships, date__year__gte=min(years), date__year__lte=max(years)
    ).order_by("date", "kind"):
        by_partnership[meeting.partnership_id].append(meeting)
    items: list[deadlines.CalendarItem] = []
    for partnership in partnerships:
        items += deadlines.build_calendar(
            slug=partnership.slug,
            afkorting=partnership.afkorting,
            meetings=_calendar_meetings(by_partnership[partnership.pk]),
            years=years,
            today=today,
            wgr=deadlines.wgr_applies(_vorm_code(partnership)),
        ).items
    return sorted(items, key=lambda item: (item.date, item.partnership))


def meetings_for_edit(partnership: Partnership) -> tuple[list[BoardMeeting], int | None]:
    """Every meeting of the partnership, oldest first, and the version of the sheet the form
    carries (None before the first save)."""
    meetings = list(BoardMeeting.objects.filter(partnership=partnership).order_by("date", "kind"))
    schedule = MeetingSchedule.objects.filter(partnership=partnership).only("version").first()
    return meetings, schedule.version if schedule else None


def joinable_partnership(pk: int | None) -> Partnership:
    try:
        return Partnership.objects.get(pk=pk)
    except (Partnership.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("Deze samenwerking bestaat niet.") from exc


def participation_states(municipality: Municipality, partnerships: list) -> dict[int, str]:
    """Per partnership whether the municipality takes part ("deelnemer"), took part
    ("beëindigd") or not (missing)."""
    return {
        partnership_id: "beëindigd" if ended_on else "deelnemer"
        for partnership_id, ended_on in Participation.objects.filter(
            municipality=municipality, partnership__in=partnerships
        ).values_list("partnership_id", "ended_on")
    }
