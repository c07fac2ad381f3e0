"""The verdeelmodel pages: variants side by side, adopting one, the explanation of a variant.

The explanation's path takes a variant code, but never one of the fixed sub-paths (`pdf`,
`vaststellen`): `VariantCodeConverter` refuses those, and the same reserved words are refused
as variant codes when a model is saved, so no path can mean two things.
"""

from django.urls import path, register_converter

import core.converters  # noqa: F401 - registers <year:…>

from . import views
from .constants import RESERVED_VARIANT_CODES

app_name = "allocation"


class VariantCodeConverter:
    """A variant code in a path: letters, digits, - and _, never a reserved sub-path."""

    regex = "(?!(?:" + "|".join(RESERVED_VARIANT_CODES) + ")/)[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VariantCodeConverter, "variant")

MODEL = "<slug:municipality_slug>/samenwerkingen/<slug:slug>/<year:year>/verdeelmodel/"

urlpatterns = [
    path(MODEL, views.ComparisonView.as_view(), name="compare"),
    path(f"{MODEL}vaststellen/", views.AdoptVariantView.as_view(), name="adopt"),
    path(f"{MODEL}invoer/", views.InputsView.as_view(), name="inputs"),
    path(f"{MODEL}maten/nieuw/", views.MeasureEditView.as_view(), name="measure-new"),
    path(f"{MODEL}maten/<slug:code>/", views.MeasureEditView.as_view(), name="measure"),
    path(f"{MODEL}<variant:variant>/", views.ExplanationView.as_view(), name="explain"),
]
