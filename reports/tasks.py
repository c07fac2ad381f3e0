"""Background work (Django's tasks framework): thin task functions that call a job.

In development the tasks run inline; in production `python manage.py db_worker`
(django-tasks-db) runs them. Their PDFs have the wider limits of background work
(`core.pdf.background_limits`, `PDF_TASK_MAX_*`); a PDF past them is refused with a Dutch
message, and the task ends normally: the worker goes on with the next one."""

import contextlib
import logging

from django.tasks import task

from core.pdf import PdfTooLarge, background_limits

from .models import ReportBundle

logger = logging.getLogger(__name__)


@task()
def build_bundle(bundle_id: int) -> None:
    from .bundles import build_bundle as build  # the job imports the PDF stack: load it lazily

    with background_limits():
        try:
            build(bundle_id=bundle_id)
        except PdfTooLarge as refusal:
            # The job has marked the bundle as failed; its status page says why.
            logger.warning("bundle %s: %s", bundle_id, refusal.message)
            ReportBundle.objects.filter(pk=bundle_id).update(progress_label=refusal.message[:200])


@task()
def render_version_pdf(version_id: int) -> None:
    """Make the PDF of a just published version, so the first reader does not wait for it."""
    from collaborations.models import YearVersion

    from .published import published_pdf

    version = YearVersion.objects.select_related("participation__partnership").get(pk=version_id)
    # A refusal is stored with the version (reports.published): readers get the Dutch message.
    with background_limits(), contextlib.suppress(PdfTooLarge):
        published_pdf(version)
