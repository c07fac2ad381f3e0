"""Every read of the open data: published data only, whoever asks.

What is published is the newest `YearVersion` of each municipality's year (the frozen content
of its public page) and the newest `AllocationPublication` of each verdeelmodel. Working data —
a concept year, a reopened year's corrections, the coördinator's working state — is never read
here, and the user is never asked: a coördinator reads the same open data as the public.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from allocation import engine
from allocation.comparison import Comparison
from allocation.models import AllocationPublication
from allocation.selectors import published_state  # the one rebuild of a publication
from collaborations.models import Municipality, Participation, Partnership, YearVersion

from .schema import VERSION

logger = logging.getLogger(__name__)

ALL, MUNICIPALITY, PARTNERSHIP, YEAR = "alles", "gemeente", "samenwerking", "jaar"


@dataclass(frozen=True)
class Scope:
    """Which part of the open data: everything, one municipality (slug), one partnership
    (slug) or one year."""

    kind: str = ALL
    key: str | int | None = None


@dataclass
class PublishedModel:
    """A verdeelmodel's newest publication with its comparison (None if the engine can no
    longer compute it: then it is left out, and logged)."""

    publication: AllocationPublication
    comparison: Comparison | None


@dataclass
class OpenData:
    """The published data of a scope, read with a fixed number of queries."""

    scope: Scope
    subject: Municipality | Partnership | int | None
    versions: list[YearVersion]
    models: list[PublishedModel]
    codes: dict[str, str] = field(default_factory=dict)  # municipality name → CBS code

    @property
    def participant(self) -> str | None:
        """The only participant whose contributions count (a municipality's scope)."""
        return self.subject.name if isinstance(self.subject, Municipality) else None


def latest_versions() -> QuerySet[YearVersion]:
    """The newest version of every published year."""
    newer = YearVersion.objects.filter(
        participation=OuterRef("participation"),
        year=OuterRef("year"),
        number__gt=OuterRef("number"),
    )
    return YearVersion.objects.filter(~Exists(newer))


def latest_publications() -> QuerySet[AllocationPublication]:
    """The newest publication of every published verdeelmodel."""
    newer = AllocationPublication.objects.filter(
        model=OuterRef("model"), number__gt=OuterRef("number")
    )
    return AllocationPublication.objects.filter(~Exists(newer))


def _subject(scope: Scope) -> Municipality | Partnership | int | None:
    if scope.kind == MUNICIPALITY:
        subject = Municipality.objects.filter(slug=scope.key).first()
    elif scope.kind == PARTNERSHIP:
        subject = Partnership.objects.filter(slug=scope.key).first()
    else:
        return scope.key if scope.kind == YEAR else None
    if subject is None:
        raise Http404(f"Er is geen {scope.kind} '{scope.key}' met gepubliceerde gegevens.")
    return subject


def _filtered(scope: Scope, subject) -> tuple[QuerySet, QuerySet]:
    versions, publications = latest_versions(), latest_publications()
    if scope.kind == MUNICIPALITY:
        versions = versions.filter(participation__municipality=subject)
        publications = publications.filter(
            Exists(
                Participation.objects.filter(
                    municipality=subject, partnership=OuterRef("model__partnership")
                )
            )
        )
    elif scope.kind == PARTNERSHIP:
        versions = versions.filter(participation__partnership=subject)
        publications = publications.filter(model__partnership=subject)
    elif scope.kind == YEAR:
        versions = versions.filter(year=subject)
        publications = publications.filter(model__year=subject)
    return versions, publications


def _participants(publication: AllocationPublication) -> list[str]:
    return [p["naam"] for p in publication.inputs.get("invoer", {}).get("deelnemers", [])]


def open_data(scope: Scope) -> OpenData:
    """The scope's published data (Http404 when the scope has none): 4 queries."""
    subject = _subject(scope)
    versions_qs, publications_qs = _filtered(scope, subject)
    versions = list(
        versions_qs.select_related(
            "participation__municipality", "participation__partnership"
        ).order_by("participation__municipality__name", "participation__partnership__name", "year")
    )
    publications = list(
        publications_qs.select_related("model__partnership").order_by(
            "model__partnership__name", "model__year"
        )
    )
    data = OpenData(scope, subject, versions, [])
    if isinstance(subject, Municipality):
        publications = [p for p in publications if subject.name in _participants(p)]
    if not versions and not publications:
        name = subject.name if isinstance(subject, Municipality | Partnership) else subject
        raise Http404(f"Van {name} is (nog) niets gepubliceerd.")
    names = {name for p in publications for name in _participants(p)}
    data.codes = dict(Municipality.objects.filter(name__in=names).values_list("name", "cbs_code"))
    for publication in publications:
        state = published_state(publication.model, publication, publication)
        try:
            comparison = state.comparison()
        except engine.DefinitionError:
            logger.warning("open data: %s can no longer be computed, left out", publication)
            comparison = None
        data.models.append(PublishedModel(publication, comparison))
    return data


@dataclass(frozen=True)
class Freshness:
    """What the ETag and Last-Modified of a scope's open data are made of."""

    fingerprint: str | None  # None: nothing published in the scope
    last_modified: datetime | None


def freshness(scope: Scope) -> Freshness:
    """The published versions and publications of a scope, and the names the data shows, as a
    fingerprint, with the newest publication time: 2 queries, none of them the content."""
    try:
        subject = _subject(scope)
    except Http404:
        return Freshness(None, None)
    versions, publications = _filtered(scope, subject)
    marks = list(
        versions.values_list(
            "pk",
            "published_at",
            "participation__municipality__name",
            "participation__municipality__cbs_code",
            "participation__partnership__name",
            "participation__partnership__afkorting",
        ).order_by("pk")
    )
    marks += list(
        publications.values_list("pk", "published_at", "model__partnership__name").order_by("pk")
    )
    if not marks:
        return Freshness(None, None)
    digest = hashlib.sha256(repr((VERSION, marks)).encode()).hexdigest()
    return Freshness(digest, max(mark[1] for mark in marks))


@dataclass
class Catalogue:
    """What the index lists: the municipalities, partnerships and years with published data."""

    municipalities: list[Municipality]
    partnerships: list[Partnership]
    years: list[int]


def catalogue() -> Catalogue:
    """Every scope that has published data: 4 queries."""
    versions = list(
        latest_versions().values_list(
            "participation__municipality_id", "participation__partnership_id", "year"
        )
    )
    publications = list(
        latest_publications().values_list("model__partnership_id", "model__year", "inputs")
    )
    names = {p["naam"] for *_, inputs in publications for p in inputs["invoer"]["deelnemers"]}
    municipalities = Municipality.objects.filter(name__in=names) | Municipality.objects.filter(
        pk__in={v[0] for v in versions}
    )
    partnerships = Partnership.objects.filter(
        pk__in={v[1] for v in versions} | {p[0] for p in publications}
    ).only("slug", "name", "afkorting")
    return Catalogue(
        municipalities=list(municipalities.order_by("name")),
        partnerships=list(partnerships.order_by("name")),
        years=sorted({v[2] for v in versions} | {p[1] for p in publications}),
    )
