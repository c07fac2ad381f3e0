"""The open data at stable addresses under /open-data/ (included by dashboard/urls.py). The
version is in the path: `v1/` keeps its fields for as long as it exists (docs/open-data.md)."""

from django.urls import path, register_converter

import core.converters  # noqa: F401 - registers <year:…>

from . import views
from .schema import RESOURCES


class ResourceConverter:
    """One of the resources' names; anything else is not found (404)."""

    regex = "|".join(r.name for r in RESOURCES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ResourceConverter, "bron")

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("openapi.json", views.openapi, name="openapi"),
    path("v1/<bron:resource>.csv", views.resource_csv, name="csv"),
]
# per municipality, partnership and year: the list, one as JSON, one resource of one as CSV
for kind, (word, name, converter) in views.SCOPE_PATHS.items():
    urlpatterns += [
        path(f"v1/{word}.json", views.listing, {"listing": kind}, name=word),
        path(f"v1/{word}/<{converter}:key>.json", views.scope_json, {"kind": kind}, name=name),
        path(
            f"v1/{word}/<{converter}:key>/<bron:resource>.csv",
            views.resource_csv,
            {"kind": kind},
            name=f"{name}-csv",
        ),
    ]
