"""The breadcrumb trail of every page below a municipality (rendered by
templates/partials/breadcrumbs.html)."""

from django.urls import reverse

Crumb = tuple[str, str | None]


def crumbs(municipality=None, participation=None, year=None, current=None) -> list[Crumb]:
    """(label, url) pairs from Home down; the last one has no url (the current page)."""
    trail: list[Crumb] = [("Home", reverse("collaborations:home"))]
    if municipality is not None:
        trail.append((municipality.name, reverse("reports:overview", args=[municipality.slug])))
    if participation is not None:
        p = participation.partnership
        trail.append(
            (p.afkorting, reverse("reports:partnership", args=[municipality.slug, p.slug]))
        )
        if year is not None:
            trail.append(
                (str(year), reverse("reports:year", args=[municipality.slug, p.slug, year]))
            )
    if current is not None:
        trail.append((current, None))
    else:
        trail[-1] = (trail[-1][0], None)
    return trail


def participation_context(participation) -> dict:
    """The three names every page below a partnership uses: its header, crumbs and links."""
    return {
        "participation": participation,
        "partnership": participation.partnership,
        "municipality": participation.municipality,
    }
