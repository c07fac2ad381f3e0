"""The site's URLs with OpenID Connect mounted, as dashboard.urls mounts them when OIDC_ENABLED is
on (tests/core/test_oidc.py; a test in it checks the real mount in a process of its own)."""

from django.urls import include, path

from dashboard.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *site_urlpatterns]
