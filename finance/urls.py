from django.urls import path

from . import views

urlpatterns = [
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
