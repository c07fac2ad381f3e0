"""The PDFs: one partnership's year, the comparison of allocation variants, and the committee
bundle (asked for here, built in the background, shown with its progress)."""

from django_ratelimit.core import is_ratelimited

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from allocation import engine as allocation_engine
from allocation import selectors as allocation_selectors
from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from collaborations.permissions import can_read_drafts
from core.converters import FIRST_YEAR, LAST_YEAR, year_or_none
from core.http import pdf_response, refuses_oversized_pdfs
from core.pdf import render_pdf
from reports import services
from reports.documents import comparison_report_html, year_report_html
from reports.published import published_pdf
from reports.selectors.bundles import bundle_participations, get_bundle
from reports.selectors.overview import default_overview_year
from reports.selectors.versions import latest_version


@refuses_oversized_pdfs
def year_pdf(request, municipality_slug, slug, year):
    """Who reads the municipality's drafts gets the working copy, rendered now; everyone else
    the published version's PDF, made once and served from storage."""
    participation = collab_selectors.get_participation(municipality_slug, slug)
    if not any(r.year == year for r in collab_selectors.visible_years(participation, request.user)):
        raise Http404("Voor dit jaar is niets gepubliceerd.")
    filename = f"{slug}-{municipality_slug}-{year}.pdf"
    if not can_read_drafts(request.user, participation.municipality):
        version = latest_version(participation, year)
        if version is None:
            raise Http404("Voor dit jaar is niets gepubliceerd.")
        return pdf_response(published_pdf(version), filename)
    html = year_report_html(participation, year, request.user)
    return pdf_response(render_pdf(html), filename)


@refuses_oversized_pdfs
def comparison_pdf(request, municipality_slug, slug, year):
    participation = collab_selectors.get_participation(municipality_slug, slug)
    model = allocation_selectors.get_allocation_model(slug, year)
    number = allocation_selectors.requested_version(request.GET.get("versie"))
    state = allocation_selectors.model_state(model, request.user, number=number)
    if state is None:
        raise Http404("Dit verdeelmodel is nog niet gepubliceerd.")
    try:
        html = comparison_report_html(participation, state)
    except allocation_engine.DefinitionError as exc:
        return render(
            request,
            "allocation/broken.html",
            {
                **participation_context(participation),
                "model": model,
                "error": f"Ongeldig verdeelmodel: {exc}",
            },
            status=409,
        )
    return pdf_response(render_pdf(html), f"verdeelmodel-{slug}-{year}.pdf")


def _bundle_limit_reached(request) -> bool:
    """Counts one new bundle against the limit of this login, or of this address for the
    public (settings.BUNDLE_RATE_*); True when it is used up."""
    if request.user.is_authenticated:
        rate, key = settings.BUNDLE_RATE_USER, "user"
    else:
        rate, key = settings.BUNDLE_RATE_ANONYMOUS, "ip"
    return is_ratelimited(request, group="bundel", key=key, rate=rate, increment=True)


def bundle_form(request, municipality_slug):
    """Choose the year and the partnerships of a committee bundle."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    participations = bundle_participations(municipality, [])
    year = default_overview_year(municipality, request.user)
    error, status = None, 200
    if request.method == "POST":
        chosen = year_or_none(request.POST.get("jaar", year))
        try:
            if chosen is None:
                raise ValidationError(f"Jaar: vul een jaar in tussen {FIRST_YEAR} en {LAST_YEAR}.")
            year = chosen
            bundle = services.request_bundle(
                user=request.user,
                municipality=municipality,
                year=year,
                slugs=request.POST.getlist("s"),
                may_start=lambda: not _bundle_limit_reached(request),
            )
        except services.BundleLimitReached as exc:
            error, status = " ".join(exc.messages), 429
        except (ValueError, ValidationError) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            status = 400
        else:
            return HttpResponseRedirect(
                reverse("reports:bundle-status", args=[municipality_slug, bundle.pk])
            )
    return render(
        request,
        "reports/bundle_form.html",
        {
            "municipality": municipality,
            "participations": participations,
            "year": year,
            "error": error,
            "crumbs": crumbs(municipality, current="PDF-bundel"),
        },
        status=status,
    )


def bundle_status(request, municipality_slug, pk):
    municipality = collab_selectors.get_municipality(municipality_slug)
    bundle = get_bundle(municipality, pk, request.user)
    if request.GET.get("formaat") == "json":
        return JsonResponse(
            {
                "status": bundle.status,
                "status_label": bundle.get_status_display(),
                "progress": bundle.progress,
                "label": bundle.progress_label,
                "download": reverse("reports:bundle-pdf", args=[municipality_slug, pk])
                if bundle.status == bundle.Status.KLAAR
                else None,
            }
        )
    return render(
        request,
        "reports/bundle_status.html",
        {
            "municipality": municipality,
            "bundle": bundle,
            "crumbs": crumbs(municipality, current="PDF-bundel"),
        },
    )


def bundle_pdf(request, municipality_slug, pk):
    municipality = collab_selectors.get_municipality(municipality_slug)
    bundle = get_bundle(municipality, pk, request.user)
    if bundle.status != bundle.Status.KLAAR or not bundle.file:
        raise Http404("Deze bundel is nog niet klaar.")
    with bundle.file.open("rb") as handle:
        return pdf_response(handle.read(), f"samenwerkingen-{municipality_slug}-{bundle.year}.pdf")
