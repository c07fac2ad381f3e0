"""Every page and document that combines apps: the partnership and year pages, the
totaaloverzicht, the comparisons, the PDFs and the committee bundle."""

from django.urls import path

import core.converters  # noqa: F401 - registers <year:…>

from . import views
from .imports import views as imports

app_name = "reports"

PARTNERSHIP = "<slug:municipality_slug>/samenwerkingen/<slug:slug>/"
YEAR = f"{PARTNERSHIP}<year:year>/"

urlpatterns = [
    path("mijn-gemeente/", views.my_municipality, name="my-municipality"),
    # Imports with preview (before `<gemeente>/`, which would take `importeren` as a name)
    path("importeren/", imports.start, name="import"),
    path("importeren/<slug:kind>/", imports.upload, name="import-upload"),
    path("importeren/<slug:kind>/sjabloon.xlsx", imports.template, name="import-template"),
    path("importeren/controle/<str:token>/", imports.preview, name="import-preview"),
    path("importeren/klaar/<str:token>/", imports.result, name="import-result"),
    path("<slug:municipality_slug>/gegevens.xlsx", imports.workbook, name="workbook"),
    path("<slug:municipality_slug>/", views.home, name="home"),
    path("<slug:municipality_slug>/samenwerkingen/", views.overview, name="overview"),
    path("<slug:municipality_slug>/vergelijken/", views.compare_partnerships, name="compare"),
    path(PARTNERSHIP, views.partnership_detail, name="partnership"),
    path(
        f"{PARTNERSHIP}geschiedenis/",
        views.PartnershipHistoryView.as_view(),
        name="partnership-history",
    ),
    path(
        f"{PARTNERSHIP}vergelijken/",
        views.compare_municipalities,
        name="compare-municipalities",
    ),
    path(
        f"{PARTNERSHIP}vergaderingen/",
        views.MeetingsEditView.as_view(),
        name="meetings-edit",
    ),
    path(YEAR, views.year_detail, name="year"),
    path(f"{YEAR}pdf/", views.year_pdf, name="year-pdf"),
    path(f"{YEAR}geschiedenis/", views.YearHistoryView.as_view(), name="year-history"),
    path(f"{YEAR}status/", views.YearStatusView.as_view(), name="year-status"),
    path(
        f"{YEAR}gedeeld-publiceren/",
        views.SharedYearPublishView.as_view(),
        name="shared-publish",
    ),
    path(f"{YEAR}versies/", views.year_versions, name="year-versions"),
    path(f"{YEAR}versies/<int:number>/", views.year_version, name="year-version"),
    path(f"{YEAR}verdeelmodel/pdf/", views.comparison_pdf, name="allocation-pdf"),
    path(
        "<slug:municipality_slug>/paragraaf-verbonden-partijen/",
        views.paragraph_latest,
        name="paragraph-latest",
    ),
    path(
        "<slug:municipality_slug>/paragraaf-verbonden-partijen/<year:year>/",
        views.paragraph_page,
        name="paragraph",
    ),
    path(
        "<slug:municipality_slug>/paragraaf-verbonden-partijen/<year:year>/pdf/",
        views.paragraph_pdf,
        name="paragraph-pdf",
    ),
    path(
        "<slug:municipality_slug>/paragraaf-verbonden-partijen/<year:year>/visie-en-beleid/",
        views.PolicyEditView.as_view(),
        name="paragraph-policy",
    ),
    path("<slug:municipality_slug>/kalender.ics", views.municipality_feed, name="calendar-feed"),
    path("<slug:municipality_slug>/bundel/", views.bundle_form, name="bundle-form"),
    path("<slug:municipality_slug>/bundel/<int:pk>/", views.bundle_status, name="bundle-status"),
    path("<slug:municipality_slug>/bundel/<int:pk>/pdf/", views.bundle_pdf, name="bundle-pdf"),
]
