"""The "Geschiedenis" page of a year: every change, who and when, per field before and after,
and a way back (restore) for section C and for each figure."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import can_coordinate, can_read_drafts, user_can_edit
from core.http import post_int, run_and_say
from reports import services
from reports.selectors.history import partnership_history, year_history

RESTORED = "Teruggezet. Ook dit staat nu in de geschiedenis en kan worden teruggedraaid."


class YearHistoryView(LoginRequiredMixin, View):
    template_name = "reports/history.html"

    def _load(self, request, municipality_slug, slug, year, *, restore=False):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        municipality = participation.municipality
        if not can_read_drafts(request.user, municipality):
            collab_selectors.refuse(
                participation,
                year,
                request.user,
                "De geschiedenis is voor de gebruikers van deze gemeente.",
            )
        if restore and not user_can_edit(request.user, municipality):
            raise PermissionDenied("Alleen de invoerders van deze gemeente kunnen terugzetten.")
        record = collab_selectors.year_record_for_edit(participation, year)
        return participation, record

    def get(self, request, municipality_slug, slug, year):
        participation, record = self._load(request, municipality_slug, slug, year)
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "record": record,
                "year": year,
                "entries": year_history(participation, year),
                "allow_restore": {"jaar", "bedrag", *services.RESTORE_PARTS}
                if user_can_edit(request.user, participation.municipality)
                else set(),
                "title": f"Geschiedenis van {year}",
                "back_url": reverse("reports:year", args=[municipality_slug, slug, year]),
                "back_label": f"Terug naar {year}",
                "crumbs": crumbs(participation.municipality, participation, year, "Geschiedenis"),
            },
        )

    def post(self, request, municipality_slug, slug, year):
        participation, _record = self._load(request, municipality_slug, slug, year, restore=True)
        history_id, version = post_int(request, "wijziging"), post_int(request, "version")
        if history_id is None or version is None:
            messages.error(request, "Kies een wijziging uit de lijst.")
        else:
            run_and_say(
                request,
                lambda: services.restore_change(
                    user=request.user,
                    participation=participation,
                    year=year,
                    key=request.POST.get("soort", ""),
                    history_id=history_id,
                    expected_version=version,
                ),
                done=lambda _restored: RESTORED,
            )
        return HttpResponseRedirect(
            reverse("reports:year-history", args=[municipality_slug, slug, year])
        )


class PartnershipHistoryView(LoginRequiredMixin, View):
    """The history of the partnership page: shared record, perspective, verdeelmodel."""

    def get(self, request, municipality_slug, slug):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        user = request.user
        coordinates = can_coordinate(user, participation.partnership)
        if not (coordinates or can_read_drafts(user, participation.municipality)):
            raise PermissionDenied("De geschiedenis is voor de gebruikers van deze gemeente.")
        allowed = {"samenwerking"} if coordinates else set()
        if user_can_edit(user, participation.municipality):
            allowed.add("perspectief")
        return render(
            request,
            "reports/history.html",
            {
                **participation_context(participation),
                "record": None,
                "entries": partnership_history(participation),
                "allow_restore": allowed,
                "title": f"Geschiedenis van {participation.partnership.afkorting}",
                "back_url": reverse("reports:partnership", args=[municipality_slug, slug]),
                "back_label": f"Terug naar {participation.partnership.afkorting}",
                "crumbs": crumbs(participation.municipality, participation, None, "Geschiedenis"),
            },
        )

    def post(self, request, municipality_slug, slug):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        history_id = post_int(request, "wijziging")
        if history_id is None:
            messages.error(request, "Kies een wijziging uit de lijst.")
        else:
            run_and_say(
                request,
                lambda: services.restore_partnership_change(
                    user=request.user,
                    participation=participation,
                    key=request.POST.get("soort", ""),
                    history_id=history_id,
                ),
                done=lambda _restored: RESTORED,
            )
        return HttpResponseRedirect(
            reverse("reports:partnership-history", args=[municipality_slug, slug])
        )
