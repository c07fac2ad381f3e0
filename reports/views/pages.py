"""The partnership page (kernbeeld, basisgegevens, bestuur en toezicht, proces) and the year page
(section C with its money and the adopted contribution)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from allocation import selectors as allocation_selectors
from collaborations import selectors as collab_selectors
from collaborations import workflow
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import can_adopt, can_coordinate, can_read_drafts, user_can_edit
from core.fields import NOTE_MAX_LENGTH
from core.http import post_int, run_and_say
from core.pagecache import published_page
from reports import services
from reports.selectors.versions import (
    get_version,
    latest_version,
    versions_of,
)
from reports.selectors.year import (
    figure_years,
    figures_only_context,
    kernbeeld,
    version_context,
    year_context,
)
from reports.views.calendar import calendar_section


@published_page
def partnership_detail(request: HttpRequest, municipality_slug: str, slug: str) -> HttpResponse:
    participation = collab_selectors.participation_detail(municipality_slug, slug)
    years = collab_selectors.visible_years(participation, request.user)
    user = request.user
    can_edit = user_can_edit(user, participation.municipality)
    latest, important = kernbeeld(participation, request.user)
    return render(
        request,
        "reports/partnership_detail.html",
        {
            **participation_context(participation),
            "years": years,
            "next_year": years[-1].year + 1 if years else None,
            "allocation_years": allocation_selectors.allocation_years(participation.partnership_id),
            "crumbs": crumbs(participation.municipality, participation),
            "latest": latest,
            "latest_important": important,
            "can_edit": can_edit,
            "can_see_history": can_read_drafts(user, participation.municipality)
            or can_coordinate(user, participation.partnership),
            "figure_years": figure_years(participation, user, years),
            "can_coordinate": can_coordinate(user, participation.partnership),
            "pc": calendar_section(request, participation),
        },
    )


def _workflow(context: dict, user) -> dict:
    """The buttons of the workflow and whether the working copy may be edited."""
    record = context["record"]
    if not context["can_read_drafts"] or record is None:
        return {"steps": [], "locked": False, "can_edit_open": False}
    municipality = context["municipality"]
    user_roles = workflow.roles(
        is_clerk=context["can_edit"], is_adopter=can_adopt(user, municipality)
    )
    locked = record.status in workflow.LOCKED
    return {
        "steps": workflow.available(record.status, user_roles),
        "locked": locked,
        "can_edit_open": context["can_edit"] and not locked,
        "note_max_length": NOTE_MAX_LENGTH,
    }


@published_page
def year_detail(request: HttpRequest, municipality_slug: str, slug: str, year: int) -> HttpResponse:
    participation = collab_selectors.get_participation(municipality_slug, slug)
    context = year_context(participation, year, request.user)
    if context["record"] is None:
        figures = figures_only_context(participation, year, request.user)
        if figures is not None:
            figures["crumbs"] = crumbs(participation.municipality, participation, year)
            return render(request, "reports/year_figures_only.html", figures)
    if context["record"] is None and not context["page"].years:
        raise Http404("Voor deze samenwerking zijn nog geen jaren ingevuld.")
    context.update(_workflow(context, request.user))
    context["crumbs"] = crumbs(participation.municipality, participation, year)
    # kept settlements of the year's result: live, beside (not in) the published version
    context["settlements"] = (
        allocation_selectors.participant_settlements(participation, year, request.user)
        if context["record"] is not None
        else []
    )
    return render(
        request,
        "reports/year_detail.html",
        context,
        status=200 if context["record"] is not None else 404,
    )


@published_page
def year_version(
    request: HttpRequest, municipality_slug: str, slug: str, year: int, number: int
) -> HttpResponse:
    """One published version at its own, permanent address."""
    participation = collab_selectors.get_participation(municipality_slug, slug)
    version = get_version(participation, year, number)
    if version is None:
        raise Http404(f"Versie {number} van {year} bestaat niet.")
    latest = latest_version(participation, year)
    context = version_context(participation, version, request.user)
    context.update(
        older_version=latest is not None and latest.number != version.number,
        crumbs=crumbs(participation.municipality, participation, year, f"Versie {number}"),
    )
    return render(request, "reports/year_detail.html", context)


def year_versions(
    request: HttpRequest, municipality_slug: str, slug: str, year: int
) -> HttpResponse:
    """Every published version of a year, newest first."""
    participation = collab_selectors.get_participation(municipality_slug, slug)
    versions = versions_of(participation, year)
    if not versions:
        raise Http404(f"Van {year} is nog geen versie gepubliceerd.")
    return render(
        request,
        "reports/year_versions.html",
        {
            **participation_context(participation),
            "year": year,
            "versions": versions,
            "crumbs": crumbs(participation.municipality, participation, year, "Versies"),
        },
    )


class YearStatusView(LoginRequiredMixin, View):
    """A step of the workflow (submit, adopt, publish, send back, reopen)."""

    def post(self, request, municipality_slug, slug, year):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        collab_selectors.require_visible_year(participation, year, request.user)
        record = collab_selectors.year_record_for_edit(participation, year)
        action = request.POST.get("actie", "")
        version = post_int(request, "version")
        if version is None:
            messages.error(request, "De pagina was verouderd; probeer het opnieuw.")
        else:
            run_and_say(
                request,
                lambda: services.change_year_status(
                    user=request.user,
                    record=record,
                    action=action,
                    expected_version=version,
                    note=request.POST.get("toelichting", ""),
                ),
                done=lambda _record: workflow.STEPS[action].done.format(year=year),
            )
        return HttpResponseRedirect(reverse("reports:year", args=[municipality_slug, slug, year]))


class SharedYearPublishView(LoginRequiredMixin, View):
    """Publish the partnership's shared figures of a year for every participant."""

    def post(self, request, municipality_slug, slug, year):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        if not can_coordinate(request.user, participation.partnership):
            collab_selectors.refuse(
                participation,
                year,
                request.user,
                "Alleen de coördinator van de samenwerking publiceert de gedeelde cijfers.",
            )
        run_and_say(
            request,
            lambda: services.publish_shared_year(
                user=request.user,
                partnership=participation.partnership,
                year=year,
                note=request.POST.get("toelichting", ""),
            ),
            done=lambda made: (
                f"De gedeelde cijfers van {year} zijn gepubliceerd: {len(made)} "
                f"{'pagina heeft' if len(made) == 1 else 'pagina’s hebben'} een nieuwe versie."
            ),
        )
        return HttpResponseRedirect(reverse("reports:year", args=[municipality_slug, slug, year]))
