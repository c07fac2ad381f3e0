"""Mijn gemeente: the home of a municipality's own people after login."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs
from collaborations.permissions import can_adopt, can_read_drafts, user_can_edit
from reports.selectors.home import home_municipality_slug, municipality_home

COMING = 8  # the coming deadlines and meetings on the home


def home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The municipality's people see what is open and what waits; the public goes to the
    totaaloverzicht (published data only)."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    user = request.user
    if not can_read_drafts(user, municipality):
        return redirect("reports:overview", municipality_slug=municipality.slug)
    today = timezone.localdate()
    calendar = collab_selectors.municipality_calendar(
        municipality, today=today, years=[today.year, today.year + 1]
    )
    return render(
        request,
        "reports/municipality_home.html",
        {
            "municipality": municipality,
            **municipality_home(municipality),
            "deadlines": [item for item in calendar if item.date >= today][:COMING],
            "is_clerk": user_can_edit(user, municipality),
            "is_adopter": can_adopt(user, municipality),
            "crumbs": crumbs(municipality, current="Mijn gemeente"),
        },
    )


@login_required
def my_municipality(request: HttpRequest) -> HttpResponse:
    """Where a login lands: the home of its municipality, or the list of municipalities."""
    slug = home_municipality_slug(request.user)
    if slug is None:
        return redirect("collaborations:home")
    return redirect("reports:home", municipality_slug=slug)
