"""A published version never changes, so its PDF is made once: by the worker when the version is
published (`reports.tasks.render_version_pdf`), or at the first request, and then served from
storage. A new version has a new file; nothing is ever invalidated."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from collaborations.models import YearVersion
from core.pdf import render_pdf

from .documents import version_report_html

logger = logging.getLogger(__name__)


def pdf_name(version: YearVersion) -> str:
    """Unique per version (its id and the moment it was published): never overwritten."""
    stamp = version.published_at.strftime("%Y%m%d%H%M%S%f")
    return f"versies/{version.participation_id}-{version.year}-{version.number}-{stamp}.pdf"


def published_pdf(version: YearVersion) -> bytes:
    """The PDF of a version: from storage, or rendered once and stored."""
    name = pdf_name(version)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    logger.info("version %s: rendering its PDF", version.pk)
    pdf = render_pdf(version_report_html(version.participation, version))
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    return pdf
