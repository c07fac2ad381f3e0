"""Section C of a year (start a year, edit a section), the perspective and the shared record
(edit a block), roles and logins."""

from django.urls import path

import core.converters  # noqa: F401 - registers <year:…>

from . import views

app_name = "collaborations"

PARTNERSHIP = "<slug:municipality_slug>/samenwerkingen/<slug:slug>/"
YEAR = f"{PARTNERSHIP}<year:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("rollen/", views.RolesView.as_view(), name="roles"),
    path("rollen/<int:pk>/intrekken/", views.WithdrawRoleView.as_view(), name="role-withdraw"),
    path("rollen/nieuwe-login/", views.NewLoginView.as_view(), name="login-new"),
    path("rollen/ontgrendelen/", views.UnlockLoginView.as_view(), name="login-unlock"),
    # fixed words before a partnership's slug: `nieuw` is never a slug (services.joining)
    path(
        "<slug:municipality_slug>/samenwerkingen/nieuw/",
        views.NewPartnershipView.as_view(),
        name="partnership-new",
    ),
    path(
        "<slug:municipality_slug>/samenwerkingen/nieuw/deelnemen/",
        views.JoinPartnershipView.as_view(),
        name="partnership-join",
    ),
    path(
        f"{PARTNERSHIP}beeindigen/",
        views.EndParticipationView.as_view(),
        name="participation-end",
    ),
    path(
        "<slug:municipality_slug>/samenwerkingen/<slug:slug>/nieuw-jaar/",
        views.StartYearView.as_view(),
        name="year-start",
    ),
    # the shared record before the blocks of the perspective: `samenwerking` is not a block
    path(
        f"{PARTNERSHIP}bewerken/samenwerking/",
        views.PartnershipEditView.as_view(),
        name="partnership-edit",
    ),
    path(
        f"{PARTNERSHIP}bewerken/<slug:block>/",
        views.PerspectiveEditView.as_view(),
        name="perspective-edit",
    ),
    path(
        f"{YEAR}bewerken/<slug:section>/",
        views.YearSectionEditView.as_view(),
        name="year-edit",
    ),
]
