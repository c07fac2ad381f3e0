from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import TemplateView

from core.health import health
from core.oidc import LoginView
from core.security import security_txt


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The yardstick of benchmarks/bench_cache.py: the least a Django view does."""
    return HttpResponse("hallo", content_type="text/plain; charset=utf-8")


admin.site.site_header = "Dashboard samenwerking — beheer"
admin.site.site_title = "Dashboard samenwerking"

urlpatterns = [
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("gezond/", health, name="health"),  # for load balancers: core/health.py
    path("beheer/", admin.site.urls),
    path("inloggen/", LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # Login with the municipality's identity provider (OpenID Connect): only when it is on,
    # else /oidc/… does not exist (docs/deployment.md).
    *([path("oidc/", include("mozilla_django_oidc.urls"))] if settings.OIDC_ENABLED else []),
    path(
        "toegankelijkheid/",
        TemplateView.as_view(
            template_name="toegankelijkheid.html",
            extra_context={"accessibility_contact": settings.ACCESSIBILITY_CONTACT},
        ),
        name="accessibility",
    ),
    # The published data for programs, at stable addresses (docs/open-data.md); before a
    # municipality's `<gemeente>/`.
    path("open-data/", include("reports.opendata.urls")),
    # Specific paths come before general ones: the fixed words of collaborations (`rollen/`,
    # `…/samenwerkingen/nieuw/`) before a municipality's `<gemeente>/` and a partnership's
    # `<slug>/` (reports); `…/verdeelmodel/pdf/` (reports) before the variant explanation
    # `…/verdeelmodel/<code>/` (allocation), which never takes `pdf`.
    path("", include("collaborations.urls")),
    path("", include("reports.urls")),
    path("", include("allocation.urls")),
    path("", include("finance.urls")),
]
# Only for benchmarks/bench_cache.py (DASHBOARD_BENCH_HELLO=1): absent in every normal run.
if settings.BENCH_HELLO:
    urlpatterns.append(path("bench/hallo/", bench_hello, name="bench-hello"))
