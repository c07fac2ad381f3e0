from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/",
        views.partnership_detail,
        name="partnership-detail",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/nieuw-jaar/",
        views.StartYearView.as_view(),
        name="year-start",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/",
        views.year_detail,
        name="year-detail",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/status/",
        views.PublishYearView.as_view(),
        name="year-status",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/bewerken/<slug:sectie>/",
        views.YearSectionEditView.as_view(),
        name="year-edit",
    ),
]
