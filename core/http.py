"""HTTP responses without a domain: file exports (xlsx, csv in two dialects), PDFs and the
refusal of a PDF that is too large to make."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .exports import DIALECTS, EXCEL, CsvDialect, Sheet, to_csv, to_xlsx
from .pdf import PdfTooLarge

EXPORT_PARAMETER = "_export"  # ?_export=xlsx | csv
DIALECT_PARAMETER = "dialect"  # ?dialect=excel (the default) | programma, for CSV
EXPORT_FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UnknownExport(ValueError):
    """An export parameter with a value we do not know; the message says so in Dutch."""


def csv_dialect(request: HttpRequest) -> CsvDialect:
    """The CSV dialect of `?dialect=`: excel when absent or empty, else a known one."""
    value = request.GET.get(DIALECT_PARAMETER, "") or EXCEL.name
    if value not in DIALECTS:
        raise UnknownExport(
            f"Onbekend CSV-dialect '{value[:40]}' in ?{DIALECT_PARAMETER}=. Kies excel "
            "(puntkomma, decimale komma; de standaard) of programma (komma, decimale punt)."
        )
    return DIALECTS[value]


def export_response(
    sheet: Sheet, fmt: str, filename: str, dialect: CsvDialect = EXCEL
) -> HttpResponse:
    """A sheet as a download: xlsx with real numbers and number formats, or CSV in `dialect`
    (a file of the programs' dialect is named `…-programma.csv`, so both can sit side by
    side)."""
    if fmt == "xlsx":
        body = to_xlsx(sheet)
    else:
        body = to_csv(sheet, dialect)
        filename += "" if dialect is EXCEL else f"-{dialect.name}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def requested_export(
    request: HttpRequest, sheet: Callable[[], Sheet], filename: str
) -> HttpResponse | None:
    """The download a page's `?_export=` asks for (with `?dialect=` for CSV); None when the
    page itself is asked for. An unknown value is a 400 page in Dutch naming the parameter,
    never a 500 and never the page in disguise. `sheet` is only built for a download."""
    fmt = request.GET.get(EXPORT_PARAMETER, "")
    if not fmt:
        return None
    try:
        if fmt not in EXPORT_FORMATS:
            raise UnknownExport(
                f"Onbekend exportformaat '{fmt[:40]}' in ?{EXPORT_PARAMETER}=. "
                "Kies xlsx (Excel) of csv."
            )
        dialect = csv_dialect(request)
    except UnknownExport as refusal:
        return render(request, "400.html", {"exception": str(refusal)}, status=400)
    return export_response(sheet(), fmt, filename, dialect)


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
