from django.urls import path

from . import views

urlpatterns = [
    path("<slug:gemeente>/samenwerkingen/", views.overview, name="partnership-list"),
    path("<slug:gemeente>/vergelijken/", views.compare_partnerships, name="compare"),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/vergelijken/",
        views.compare_municipalities,
        name="compare-municipalities",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/financien/<slug:tabel>/",
        views.TableGridView.as_view(),
        name="finance-grid",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/verdeelsleutel/",
        views.SplitKeyView.as_view(),
        name="split-key",
    ),
]

urlpatterns += [
    path("<slug:gemeente>/bundel/", views.bundle_form, name="bundle-form"),
    path("<slug:gemeente>/bundel/<int:pk>/", views.bundle_status, name="bundle-status"),
    path("<slug:gemeente>/bundel/<int:pk>/pdf/", views.bundle_pdf, name="bundle-pdf"),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/pdf/",
        views.year_pdf,
        name="year-pdf",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/verdeelmodel/pdf/",
        views.comparison_pdf,
        name="allocation-pdf",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/verdeelmodel/",
        views.ComparisonView.as_view(),
        name="allocation-compare",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/verdeelmodel/vaststellen/",
        views.AdoptVariantView.as_view(),
        name="allocation-adopt",
    ),
    path(
        "<slug:gemeente>/samenwerkingen/<slug:slug>/<int:jaar>/verdeelmodel/<str:variant>/",
        views.ExplanationView.as_view(),
        name="allocation-explain",
    ),
]
