"""Entering money: one table of one year as a grid, and the municipality's split key."""

from django.urls import path

import core.converters  # noqa: F401 - registers <year:…>

from . import views

app_name = "finance"

YEAR = "<slug:municipality_slug>/samenwerkingen/<slug:slug>/<year:year>/"

urlpatterns = [
    path(f"{YEAR}financien/<slug:table>/", views.TableGridView.as_view(), name="grid"),
    path(f"{YEAR}verdeelsleutel/", views.SplitKeyView.as_view(), name="split-key"),
]
