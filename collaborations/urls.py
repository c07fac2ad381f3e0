"""Section C of a year: start a year, edit a section, publish or withdraw it."""

from django.urls import path

import core.converters  # noqa: F401 - registers <year:…>

from . import views

app_name = "collaborations"

YEAR = "<slug:municipality_slug>/samenwerkingen/<slug:slug>/<year:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "<slug:municipality_slug>/samenwerkingen/<slug:slug>/nieuw-jaar/",
        views.StartYearView.as_view(),
        name="year-start",
    ),
    path(
        f"{YEAR}bewerken/<slug:section>/",
        views.YearSectionEditView.as_view(),
        name="year-edit",
    ),
]
