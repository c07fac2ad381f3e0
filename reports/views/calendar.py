"""The council's calendar (P&C-cyclus): the partnership's board meetings, entered by its
coördinator, and the municipality's iCalendar feed of every Wgr deadline and meeting of its
partnerships. The section on the partnership page is `reports/_calendar.html`."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from collaborations import selectors as collab_selectors
from collaborations.deadlines import Source, format_date
from collaborations.models import BoardMeeting
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import can_coordinate
from collaborations.services.meetings import save_meetings
from core.forms import non_field_items
from core.locking import StaleVersionError
from reports.forms import MeetingFormSet, MeetingsVersionForm


def _rows(meetings: list[BoardMeeting]) -> list[dict]:
    return [{"id": m.pk, "date": m.date, "kind": m.kind, "note": m.note} for m in meetings]


class MeetingsEditView(LoginRequiredMixin, View):
    """Add, change and remove the partnership's board meeting dates (coördinator, beheerder)."""

    template_name = "reports/meetings_edit.html"
    prefix = "vergadering"

    def _participation(self, request, municipality_slug, slug):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        if not can_coordinate(request.user, participation.partnership):
            raise PermissionDenied(
                f"Alleen de coördinator van {participation.partnership.afkorting} (of de "
                "beheerder) legt de vergaderdata vast."
            )
        return participation

    def _render(self, request, participation, formset, version_form, status=200, saved=None):
        context = {
            **participation_context(participation),
            "formset": formset,
            "version_form": version_form,
            "saved_rows": saved,
            "error_items": [*non_field_items(version_form), *formset.error_summary()]
            if formset.is_bound
            else [],
            "crumbs": crumbs(participation.municipality, participation, None, "Vergaderdata"),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, municipality_slug, slug):
        participation = self._participation(request, municipality_slug, slug)
        meetings, version = collab_selectors.meetings_for_edit(participation.partnership)
        formset = MeetingFormSet(initial=_rows(meetings), prefix=self.prefix)
        version_form = MeetingsVersionForm(initial={"version": version})
        return self._render(request, participation, formset, version_form)

    def post(self, request, municipality_slug, slug):
        participation = self._participation(request, municipality_slug, slug)
        formset = MeetingFormSet(request.POST, prefix=self.prefix)
        version_form = MeetingsVersionForm(request.POST)
        if not (formset.is_valid() and version_form.is_valid()):
            return self._render(request, participation, formset, version_form, 400)
        try:
            save_meetings(
                user=request.user,
                partnership=participation.partnership,
                meetings=formset.meeting_inputs(),
                remove=formset.removed(),
                expected_version=version_form.cleaned_data["version"],
            )
        except StaleVersionError as exc:
            # what is saved now beside the user's input, which stays; saving again is a choice
            version_form.add_error(None, exc)
            meetings, version = collab_selectors.meetings_for_edit(participation.partnership)
            version_form.data = version_form.data.copy()
            version_form.data["version"] = "" if version is None else str(version)
            saved = [(format_date(m.date), m.get_kind_display(), m.note) for m in meetings]
            return self._render(request, participation, formset, version_form, 409, saved)
        except ValidationError as exc:
            version_form.add_error(None, exc)
            return self._render(request, participation, formset, version_form, 400)
        messages.success(
            request, f"De vergaderdata van {participation.partnership.afkorting} zijn opgeslagen."
        )
        url = reverse("reports:partnership", args=[municipality_slug, slug])
        return HttpResponseRedirect(f"{url}#pc-cyclus")


# --- The iCalendar feed ---------------------------------------------------------------------

UID_DOMAIN = "samenwerkingsdashboard"


def _event(item, stamp: datetime, page_url: str) -> Event:
    """One deadline or meeting as an all-day event. Its UID is the item's stable key, so a
    subscribed calendar moves the event when a date changes instead of adding another."""
    event = Event()
    event.add("uid", f"{item.key.replace('/', '.')}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    deadline = item.source == Source.RULE and item.start is None
    event.add("summary", f"{item.partnership}: {item.what}{' (uiterlijk)' if deadline else ''}")
    event.add("dtstart", item.start or item.date)
    event.add("dtend", item.date + timedelta(days=1))
    lines = [f"{item.what[:1].upper()}{item.what[1:]}: {item.when}.", f"Wie: {item.who}."]
    if item.source == Source.RULE:
        lines.append(f"Bron: {item.basis} ({item.rules}).")
    elif item.basis:
        lines.append(f"Soort vergadering: {item.basis}.")
    lines.append(page_url)
    event.add("description", "\n".join(lines))
    event.add("url", page_url)
    event.add("categories", ["P&C-cyclus"])
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    return event


def municipality_feed(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """`/<gemeente>/kalender.ics`: the Wgr deadlines and board meetings of every partnership of
    the municipality, last year to next year. Public: meeting dates and legal deadlines are."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    today = timezone.localdate()
    items = collab_selectors.municipality_calendar(
        municipality, today=today, years=[today.year - 1, today.year, today.year + 1]
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Samenwerkingsdashboard//P&C-kalender//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"P&C-kalender {municipality.name}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add(
        "x-wr-caldesc",
        f"De termijnen van de Wet gemeenschappelijke regelingen en de vergaderingen van de "
        f"besturen van de samenwerkingen van {municipality.name}.",
    )
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        page = reverse("reports:partnership", args=[municipality.slug, item.slug])
        calendar.add_component(_event(item, stamp, request.build_absolute_uri(page)))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="pc-kalender-{municipality.slug}.ics"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def calendar_section(request: HttpRequest, participation) -> dict:
    """What the section *Planning en control (P&C-cyclus)* (`reports/_calendar.html`) shows on
    the partnership page: the current and next year of the cycle (one query), the feed's
    addresses, and the link to the meetings form for the coördinator and the beheerder."""
    municipality, partnership = participation.municipality, participation.partnership
    feed = reverse("reports:calendar-feed", args=[municipality.slug])
    absolute = request.build_absolute_uri(feed)
    return {
        "section": collab_selectors.partnership_calendar(participation, today=timezone.localdate()),
        "feed_url": feed,
        "feed_absolute": absolute,
        "subscribe_url": "webcal://" + absolute.split("://", 1)[-1],
        "can_edit": can_coordinate(request.user, partnership),
        "edit_url": reverse("reports:meetings-edit", args=[municipality.slug, partnership.slug]),
    }
