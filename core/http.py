"""HTTP responses without a domain: file exports (xlsx, csv), PDFs and the refusal of a PDF that
is too large to make."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .pdf import PdfTooLarge


def export_response(dataset, fmt: str, filename: str) -> HttpResponse:
    """A tablib dataset as a download: xlsx with real numbers, or csv (;, BOM) for Excel."""
    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    body = dataset.export(fmt) if fmt == "xlsx" else "\ufeff" + dataset.export("csv", delimiter=";")
    response = HttpResponse(body, content_type=content_types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (inline), with a file name for saving."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_refusal(request: HttpRequest, refusal: PdfTooLarge) -> HttpResponse:
    """The Dutch page, in the site's shell, that says why a PDF was not made: 413 when it is too
    large in itself, 503 when making it took too long or too much memory. A PDF at `…/pdf/`
    belongs to the page one level up: the page links to it."""
    back = request.path.removesuffix("pdf/") if request.path.endswith("/pdf/") else None
    return render(
        request,
        "pdf_too_large.html",
        {"refusal": refusal, "back_url": back},
        status=refusal.status,
    )


def refuses_oversized_pdfs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view that makes a PDF answers with `pdf_refusal` when the PDF is past a limit
    (`core.pdf.PdfTooLarge`), instead of an error 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PdfTooLarge as refusal:
            return pdf_refusal(request, refusal)

    return wrapper


def post_int(request: HttpRequest, name: str) -> int | None:
    """A whole number from a POST field; None when it is missing or not a number."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def run_and_say[T](
    request: HttpRequest, write: Callable[[], T], *, done: Callable[[T], str]
) -> bool:
    """Run a write asked for by a POST and say in Dutch how it went. A refusal — invalid, stale,
    not allowed — is a message on the page the user goes back to, never an error page."""
    try:
        result = write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done(result))
    return True
