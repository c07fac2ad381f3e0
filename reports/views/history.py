"""The "Geschiedenis" page of a year: every change, who and when, per field before and after,
and a way back (restore) for section C and for each figure."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import user_can_edit
from reports import services
from reports.selectors.history import partnership_history, year_history


class YearHistoryView(LoginRequiredMixin, View):
    template_name = "reports/history.html"

    def _load(self, request, municipality_slug, slug, year):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            raise PermissionDenied("De geschiedenis is voor de invoerders van deze gemeente.")
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
                "allow_restore": True,
                "title": f"Geschiedenis van {year}",
                "back_url": reverse("reports:year", args=[municipality_slug, slug, year]),
                "back_label": f"Terug naar {year}",
                "crumbs": crumbs(participation.municipality, participation, year, "Geschiedenis"),
            },
        )

    def post(self, request, municipality_slug, slug, year):
        participation, _record = self._load(request, municipality_slug, slug, year)
        back = reverse("reports:year-history", args=[municipality_slug, slug, year])
        try:
            services.restore_change(
                user=request.user,
                participation=participation,
                year=year,
                key=request.POST.get("soort", ""),
                history_id=int(request.POST.get("wijziging", "")),
                expected_version=int(request.POST.get("version", "")),
            )
        except ValueError:
            messages.error(request, "Kies een wijziging uit de lijst.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "Teruggezet. Ook dit staat nu in de geschiedenis en kan worden teruggedraaid.",
            )
        return HttpResponseRedirect(back)


class PartnershipHistoryView(LoginRequiredMixin, View):
    """The history of the partnership page: shared record, perspective, verdeelmodel."""

    def get(self, request, municipality_slug, slug):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            raise PermissionDenied("De geschiedenis is voor de invoerders van deze gemeente.")
        return render(
            request,
            "reports/history.html",
            {
                **participation_context(participation),
                "record": None,
                "entries": partnership_history(participation),
                "allow_restore": True,
                "title": f"Geschiedenis van {participation.partnership.afkorting}",
                "back_url": reverse("reports:partnership", args=[municipality_slug, slug]),
                "back_label": f"Terug naar {participation.partnership.afkorting}",
                "crumbs": crumbs(participation.municipality, participation, None, "Geschiedenis"),
            },
        )

    def post(self, request, municipality_slug, slug):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        try:
            services.restore_partnership_change(
                user=request.user,
                participation=participation,
                key=request.POST.get("soort", ""),
                history_id=int(request.POST.get("wijziging", "")),
            )
        except ValueError:
            messages.error(request, "Kies een wijziging uit de lijst.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "Teruggezet. Ook dit staat nu in de geschiedenis en kan worden teruggedraaid.",
            )
        return HttpResponseRedirect(
            reverse("reports:partnership-history", args=[municipality_slug, slug])
        )
