"""HTTP responses without a domain: file exports (xlsx, csv) and PDFs."""

from django.http import HttpResponse


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
