"""The job that builds a committee bundle: gather every section, lay out the PDF, store it.
Run by `reports.tasks.build_bundle` (inline in development, by `db_worker` in production).
Idempotent: a finished bundle is returned as it is. Each step is logged and shown as progress."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from core.pdf import FetchLog, PdfTooLarge, render_pdf

from .documents import bundle_html
from .models import ReportBundle
from .selectors.bundles import bundle_participations

logger = logging.getLogger(__name__)


def _set_progress(bundle_id: int, fraction: float, label: str) -> None:
    logger.info("bundle %s: %s (%d%%)", bundle_id, label, int(fraction * 100))
    ReportBundle.objects.filter(pk=bundle_id).update(
        progress=min(99, int(fraction * 100)), progress_label=label
    )


def build_bundle(*, bundle_id: int) -> ReportBundle:
    """Render a queued bundle (run by the worker). Not atomic on purpose: progress is visible."""
    bundle = ReportBundle.objects.select_related("municipality", "requested_by").get(pk=bundle_id)
    if bundle.status == ReportBundle.Status.KLAAR:
        logger.info("bundle %s: already built", bundle_id)
        return bundle
    logger.info("bundle %s: building %s %s", bundle_id, bundle.municipality, bundle.year)
    ReportBundle.objects.filter(pk=bundle_id).update(
        status=ReportBundle.Status.BEZIG, progress=1, progress_label="Gegevens verzamelen"
    )
    viewer = bundle.requested_by if bundle.include_drafts else AnonymousUser()
    try:
        participations = bundle_participations(bundle.municipality, bundle.slugs)
        progress = lambda fraction, label: _set_progress(bundle_id, fraction, label)  # noqa: E731
        html = bundle_html(
            bundle.municipality,
            bundle.year,
            participations,
            viewer,
            progress=progress,
            edition=bundle.edition,
        )
        _set_progress(bundle_id, 0.55, "Pagina's opmaken")
        log = FetchLog()
        pdf = render_pdf(html, log=log, progress=progress)
    except Exception as exc:  # the status page must say so, whatever went wrong
        if isinstance(exc, PdfTooLarge):  # an expected refusal, with its reason
            logger.warning("bundle %s: refused: %s", bundle_id, exc)
        else:
            logger.exception("bundle %s: failed", bundle_id)
        ReportBundle.objects.filter(pk=bundle_id).update(
            status=ReportBundle.Status.MISLUKT, error=str(exc)[:2000]
        )
        raise
    bundle.refresh_from_db()
    name = f"samenwerkingen-{bundle.municipality.slug}-{bundle.year}-{bundle.pk}.pdf"
    bundle.file.save(name, ContentFile(pdf), save=False)
    bundle.pages = log.pages
    bundle.status = ReportBundle.Status.KLAAR
    bundle.progress = 100
    bundle.progress_label = "Klaar"
    bundle.finished_at = timezone.now()
    bundle.save()
    logger.info("bundle %s: done, %s pages", bundle_id, bundle.pages)
    return bundle
