"""The verdeelmodel pages: variants side by side, adopting one, the explanation of a variant.

The explanation's path takes a variant code, but never one of the fixed sub-paths (`pdf`,
`vaststellen`): `VariantCodeConverter` refuses those, and the same reserved words are refused
as variant codes when a model is saved, so no path can mean two things.
"""

from django.urls import path, register_converter

import core.converters  # noqa: F401 - registers <year:…>

from . import views
from .constants import RESERVED_VARIANT_CODES
from .views.publication import PublishView

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
    path(f"{MODEL}publiceren/", PublishView.as_view(), name="publish"),
    path(f"{MODEL}invoer/", views.InputsView.as_view(), name="inputs"),
    path(f"{MODEL}maten/nieuw/", views.MeasureEditView.as_view(), name="measure-new"),
    path(f"{MODEL}maten/<slug:code>/", views.MeasureEditView.as_view(), name="measure"),
    path(f"{MODEL}varianten/nieuw/", views.VariantNewView.as_view(), name="variant-new"),
    path(f"{MODEL}varianten/uploaden/", views.VariantUploadView.as_view(), name="variant-upload"),
    path(
        f"{MODEL}varianten/terugzetten/", views.VariantRestoreView.as_view(), name="variant-restore"
    ),
    path(
        f"{MODEL}varianten/<variant:variant>/bewerken/",
        views.VariantEditView.as_view(),
        name="variant-edit",
    ),
    path(
        f"{MODEL}varianten/<variant:variant>/verwijderen/",
        views.VariantDeleteView.as_view(),
        name="variant-delete",
    ),
    path(
        f"{MODEL}varianten/<variant:variant>/json/",
        views.VariantDocumentView.as_view(),
        name="variant-json",
    ),
    path(f"{MODEL}verrekeningen/", views.SettlementSaveView.as_view(), name="settlement-save"),
    path(
        f"{MODEL}verrekeningen/terugzetten/",
        views.SettlementRestoreView.as_view(),
        name="settlement-restore",
    ),
    path(f"{MODEL}verrekeningen/<int:pk>/", views.SettlementView.as_view(), name="settlement"),
    path(
        f"{MODEL}verrekeningen/<int:pk>/corrigeren/",
        views.SettlementEditView.as_view(),
        name="settlement-edit",
    ),
    path(
        f"{MODEL}verrekeningen/<int:pk>/verwijderen/",
        views.SettlementDeleteView.as_view(),
        name="settlement-delete",
    ),
    path(f"{MODEL}ingroeiregeling/", views.PhaseInView.as_view(), name="phase-in"),
    path(f"{MODEL}indexatie/", views.IndexationView.as_view(), name="indexation"),
    path(f"{MODEL}modules/", views.ModulesView.as_view(), name="modules"),
    path(f"{MODEL}uittreding/", views.ExitView.as_view(), name="exit"),
    path(f"{MODEL}<variant:variant>/", views.ExplanationView.as_view(), name="explain"),
]
