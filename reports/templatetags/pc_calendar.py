"""`{% pc_calendar participation as pc %}`: what the section *Planning en control (P&C-cyclus)*
(`reports/_calendar.html`) shows, so that the partnership page includes it with one line."""

from django import template
from django.urls import reverse
from django.utils import timezone

from collaborations import selectors as collab_selectors
from collaborations.permissions import can_coordinate

register = template.Library()


@register.simple_tag(takes_context=True)
def pc_calendar(context, participation) -> dict:
    """The current and next year of the cycle (one query), the feed's addresses, and the link
    to the meetings form for the coördinator and the beheerder."""
    request = context.get("request")
    municipality, partnership = participation.municipality, participation.partnership
    feed = reverse("reports:calendar-feed", args=[municipality.slug])
    absolute = request.build_absolute_uri(feed) if request is not None else feed
    user = getattr(request, "user", None)
    return {
        "section": collab_selectors.partnership_calendar(participation, today=timezone.localdate()),
        "feed_url": feed,
        "feed_absolute": absolute,
        "subscribe_url": "webcal://" + absolute.split("://", 1)[-1],
        "can_edit": user is not None and can_coordinate(user, partnership),
        "edit_url": reverse("reports:meetings-edit", args=[municipality.slug, partnership.slug]),
    }
