"""Section C of a year: start a year, edit a section, publish or withdraw it."""

from django.urls import path

import core.converters  # noqa: F401 - registers <year:…>

from . import views

app_name = "collaborations"

YEAR = "<slug:municipality_slug>/samenwerkingen/<slug:slug>/<year:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("rollen/", views.RolesView.as_view(), name="roles"),
    path("rollen/<int:pk>/intrekken/", views.WithdrawRoleView.as_view(), name="role-withdraw"),
    path("rollen/nieuwe-login/", views.NewLoginView.as_view(), name="login-new"),
    path("rollen/ontgrendelen/", views.UnlockLoginView.as_view(), name="login-unlock"),
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
