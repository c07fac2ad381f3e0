"""A published version never changes, so its PDF is made once: by the worker when the version is
published (`reports.tasks.render_version_pdf`), or at the first request, and then served from
storage. A new version has a new file; nothing is ever invalidated.

A version whose PDF is past the limits (`core.pdf.PdfTooLarge`) is refused once too: the refusal
is stored beside where the PDF would be, and repeated without rendering again, until the limit it
was refused for is wider (the worker's limits are wider than a request's).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from collaborations.models import YearVersion
from core.pdf import PdfLimits, PdfTooLarge, current_limits, render_pdf

from .documents import version_report_html

logger = logging.getLogger(__name__)


def pdf_name(version: YearVersion) -> str:
    """Unique per version (its id and the moment it was published): never overwritten."""
    stamp = version.published_at.strftime("%Y%m%d%H%M%S%f")
    return f"versies/{version.participation_id}-{version.year}-{version.number}-{stamp}.pdf"


def refusal_name(version: YearVersion) -> str:
    return pdf_name(version).removesuffix(".pdf") + ".geweigerd.json"


def published_pdf(version: YearVersion) -> bytes:
    """The PDF of a version: from storage, or rendered once and stored; `PdfTooLarge` when it
    is past the limits (now, or before under a limit no narrower than today's)."""
    name = pdf_name(version)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    earlier = _stored_refusal(version)
    if earlier is not None and not current_limits().may_pass(earlier):
        raise earlier
    logger.info("version %s: rendering its PDF", version.pk)
    try:
        pdf = render_pdf(version_report_html(version.participation, version))
    except PdfTooLarge as refusal:
        _store_refusal(version, refusal)
        raise
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    if earlier is not None:  # made after all, under wider limits
        default_storage.delete(refusal_name(version))
    return pdf


def _stored_refusal(version: YearVersion) -> PdfTooLarge | None:
    name = refusal_name(version)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = json.loads(handle.read())
    return PdfTooLarge(data["reason"], PdfLimits(**data["limits"]), size=data["size"])


def _store_refusal(version: YearVersion, refusal: PdfTooLarge) -> None:
    logger.warning("version %s: its PDF is refused: %s", version.pk, refusal.message)
    name = refusal_name(version)
    data = {"reason": refusal.reason, "limits": asdict(refusal.limits), "size": refusal.size}
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(data).encode()))
