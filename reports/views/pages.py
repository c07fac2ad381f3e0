"""The partnership page (kernbeeld, basisgegevens, bestuur en toezicht, proces) and the year page
(section C with its money and the adopted contribution)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from allocation import selectors as allocation_selectors
from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import user_can_edit
from reports.selectors.year import year_context


def partnership_detail(request: HttpRequest, municipality_slug: str, slug: str) -> HttpResponse:
    participation = collab_selectors.participation_detail(municipality_slug, slug)
    years = collab_selectors.visible_years(participation, request.user)
    return render(
        request,
        "reports/partnership_detail.html",
        {
            **participation_context(participation),
            "years": years,
            "next_year": years[-1].year + 1 if years else None,
            "allocation_years": allocation_selectors.allocation_years(participation.partnership_id),
            "crumbs": crumbs(participation.municipality, participation),
            "latest": collab_selectors.latest_year_record(participation, request.user),
            "can_edit": user_can_edit(request.user, participation.municipality),
        },
    )


def year_detail(request: HttpRequest, municipality_slug: str, slug: str, year: int) -> HttpResponse:
    participation = collab_selectors.get_participation(municipality_slug, slug)
    context = year_context(participation, year, request.user)
    if context["record"] is None and not context["page"].years:
        raise Http404("Voor deze samenwerking zijn nog geen jaren ingevuld.")
    context["crumbs"] = crumbs(participation.municipality, participation, year)
    return render(
        request,
        "reports/year_detail.html",
        context,
        status=200 if context["record"] is not None else 404,
    )
