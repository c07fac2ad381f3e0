"""The open-data endpoints: plain Django views over `selectors` (published data only), rows from
`builders`, written as JSON or through the site's CSV writer (both dialects), with an ETag and
Last-Modified made from the published versions (a conditional GET answers 304).

Anyone may read them, from anywhere (`Access-Control-Allow-Origin: *`); they are the same for
every user, so a cache may keep them, after asking again (`Cache-Control: public, no-cache`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import condition, require_safe

from collaborations.models import YearVersion
from collaborations.navigation import crumbs
from core.exports import PROGRAMMA, Sheet, to_csv
from core.http import CONTENT_TYPES, DIALECT_PARAMETER, UnknownExport, csv_dialect

from . import descriptors, selectors
from .builders import resource_rows, timestamp
from .schema import BY_NAME, RESOURCES, SCHEMA_VERSION, VERSION, Resource
from .selectors import ALL, MUNICIPALITY, PARTNERSHIP, YEAR, Scope

# a scope's word in the path (and the name of its list), the URL name of one, its converter
SCOPE_PATHS = {
    MUNICIPALITY: ("gemeenten", "municipality", "slug"),
    PARTNERSHIP: ("samenwerkingen", "partnership", "slug"),
    YEAR: ("jaren", "year", "year"),
}
LISTS = {kind: word for kind, (word, _, _) in SCOPE_PATHS.items()}
NAMES = {kind: name for kind, (_, name, _) in SCOPE_PATHS.items()}


class OpenDataEncoder(DjangoJSONEncoder):
    """Amounts as JSON numbers, written exactly (whole euros as integers)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


def _freshness(request: HttpRequest, kind: str = ALL, key=None, **_) -> selectors.Freshness:
    """Read once per request: `condition` asks for the ETag and Last-Modified separately."""
    memo = request.__dict__.setdefault("_open_data_freshness", {})
    if (kind, key) not in memo:
        memo[kind, key] = selectors.freshness(Scope(kind, key))
    return memo[kind, key]


def _etag(request: HttpRequest, *args, **kwargs) -> str | None:
    """Of the published data, and of what else shapes the answer: the path, the dialect, the
    host (the documents hold absolute addresses)."""
    fingerprint = _freshness(request, **kwargs).fingerprint
    if fingerprint is None:
        return None
    parts = (fingerprint, request.path, request.GET.get(DIALECT_PARAMETER, ""), request.get_host())
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args, **kwargs):
    return _freshness(request, **kwargs).last_modified


def open_data_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only, conditional on the published data, readable from any origin."""
    conditional = require_safe(condition(etag_func=_etag, last_modified_func=_last_modified)(view))

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = "public, no-cache"
        return response

    return wrapper


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, encoder=OpenDataEncoder, json_dumps_params={"ensure_ascii": False}
    )


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _page_url(request: HttpRequest) -> Callable[[YearVersion], str]:
    def url(version: YearVersion) -> str:
        participation = version.participation
        path = reverse(
            "reports:year",
            args=[participation.municipality.slug, participation.partnership.slug, version.year],
        )
        return request.build_absolute_uri(path)

    return url


def _csv_urls(request: HttpRequest, kind: str, key) -> dict[str, str]:
    name = f"opendata:{NAMES[kind]}-csv"
    return {
        r.name: request.build_absolute_uri(reverse(name, kwargs={"key": key, "resource": r.name}))
        for r in RESOURCES
    }


def _subject(data: selectors.OpenData) -> dict:
    subject = data.subject
    if data.scope.kind == MUNICIPALITY:
        return {"gemeente_code": subject.cbs_code, "gemeente": subject.name}
    if data.scope.kind == PARTNERSHIP:
        return {
            "samenwerking": subject.slug,
            "samenwerking_naam": subject.name,
            "afkorting": subject.afkorting,
        }
    return {"jaar": subject}


@open_data_view
def scope_json(request: HttpRequest, kind: str, key) -> HttpResponse:
    """Everything published of one municipality, partnership or year, as one JSON document."""
    try:
        data = selectors.open_data(Scope(kind, key))
    except Http404 as missing:
        return _json({"fout": str(missing)}, status=404)
    page_url = _page_url(request)
    return _json(
        {
            "schemaversie": VERSION,
            "bereik": {"soort": kind, **_subject(data)},
            "bijgewerkt": timestamp(_last_modified(request, kind=kind, key=key)),
            **{r.name: resource_rows(r, data, page_url) for r in RESOURCES},
        }
    )


@open_data_view
def resource_csv(request: HttpRequest, resource: str, kind: str = ALL, key=None) -> HttpResponse:
    """One resource of a scope (or of everything) as CSV in the dialect of `?dialect=`."""
    try:
        dialect = csv_dialect(request)
    except UnknownExport as refusal:
        return _text(str(refusal), status=400)
    try:
        data = selectors.open_data(Scope(kind, key))
    except Http404 as missing:
        return _text(str(missing), status=404)
    table: Resource = BY_NAME[resource]
    rows = resource_rows(table, data, _page_url(request))
    sheet = Sheet(
        table.name, table.columns(), [[row[f.name] for f in table.fields] for row in rows]
    )
    response = HttpResponse(to_csv(sheet, dialect), content_type=CONTENT_TYPES["csv"])
    suffix = "" if key is None else f"-{key}"
    name = f"{table.name}{suffix}{'' if dialect is not PROGRAMMA else '-programma'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@open_data_view
def listing(request: HttpRequest, listing: str) -> HttpResponse:
    """The municipalities, partnerships or years with published data, with their addresses."""
    kind, found = listing, selectors.catalogue()
    items: list[dict] = []
    if kind == MUNICIPALITY:
        items = [
            {"slug": m.slug, "gemeente_code": m.cbs_code, "gemeente": m.name, "key": m.slug}
            for m in found.municipalities
        ]
    elif kind == PARTNERSHIP:
        items = [
            {"samenwerking": p.slug, "samenwerking_naam": p.name, "afkorting": p.afkorting}
            | {"key": p.slug}
            for p in found.partnerships
        ]
    else:
        items = [{"jaar": year, "key": year} for year in found.years]
    for item in items:
        key = item.pop("key")
        url = reverse(f"opendata:{NAMES[kind]}", kwargs={"key": key})
        item["json"] = request.build_absolute_uri(url)
        item["csv"] = _csv_urls(request, kind, key)
    return _json({"schemaversie": VERSION, LISTS[kind]: items})


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("opendata:index")).rstrip("/")


@open_data_view
def datapackage(request: HttpRequest) -> HttpResponse:
    """The Frictionless Data Package of the CSV resources (the programs' dialect)."""

    def csv_url(name: str) -> str:
        path = reverse("opendata:csv", kwargs={"resource": name})
        return request.build_absolute_uri(path) + f"?{DIALECT_PARAMETER}={PROGRAMMA.name}"

    return _json(descriptors.datapackage(csv_url, request.build_absolute_uri("/")))


def _static_etag(request: HttpRequest, *args, **kwargs) -> str:
    return hashlib.sha256(f"{SCHEMA_VERSION}|{request.get_host()}".encode()).hexdigest()[:32]


@require_safe
@condition(etag_func=_static_etag)
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of the endpoints (changes only with the schema)."""
    response = _json(descriptors.openapi(_base(request)))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@open_data_view
def index(request: HttpRequest) -> HttpResponse:
    """The page in Dutch that lists the resources, their fields and every address."""
    found = selectors.catalogue()
    scopes = [
        ("Per gemeente", MUNICIPALITY, [(m.name, m.slug) for m in found.municipalities]),
        (
            "Per samenwerking",
            PARTNERSHIP,
            [(f"{p.name} ({p.afkorting})", p.slug) for p in found.partnerships],
        ),
        ("Per jaar", YEAR, [(str(y), y) for y in found.years]),
    ]
    sections = [
        {
            "title": title,
            "id": LISTS[kind],
            "list_url": reverse(f"opendata:{LISTS[kind]}"),
            "rows": [
                {
                    "label": label,
                    "json": reverse(f"opendata:{NAMES[kind]}", kwargs={"key": key}),
                    "csv": [
                        (r.name, reverse(f"opendata:{NAMES[kind]}-csv", args=[key, r.name]))
                        for r in RESOURCES
                    ],
                }
                for label, key in entries
            ],
        }
        for title, kind, entries in scopes
    ]
    return render(
        request,
        "reports/opendata/index.html",
        {
            "resources": [
                (r, reverse("opendata:csv", kwargs={"resource": r.name})) for r in RESOURCES
            ],
            "sections": sections,
            "version": VERSION,
            "crumbs": crumbs(current="Open data"),
        },
    )
