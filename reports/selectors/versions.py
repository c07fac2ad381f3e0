"""Published versions of a year: the latest one (what the public sees), one by number, the list
of a year's versions, and how far the working copy has moved from the latest."""

from __future__ import annotations

from collaborations.models import Participation, YearVersion


def latest_version(participation: Participation, year: int) -> YearVersion | None:
    return (
        YearVersion.objects.filter(participation=participation, year=year)
        .select_related("adopted_by", "published_by")
        .order_by("-number")
        .first()
    )


def get_version(participation: Participation, year: int, number: int) -> YearVersion | None:
    return (
        YearVersion.objects.filter(participation=participation, year=year, number=number)
        .select_related("adopted_by", "published_by")
        .first()
    )


def versions_of(participation: Participation, year: int) -> list[YearVersion]:
    return list(
        YearVersion.objects.filter(participation=participation, year=year)
        .select_related("published_by")
        .defer("snapshot")
        .order_by("-number")
    )
