"""Helpers of the import tests: spreadsheets built in the test (never copies of expected
output), the upload as a browserless client does it, and a count of every stored row and every
history row, to show that a refused file changed nothing."""

from __future__ import annotations

import csv
import io
import re

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

MONEY = [
    "Gemeente",
    "Samenwerking",
    "Tabel",
    "Categorie",
    "Jaar",
    "Begroting",
    "Realisatie",
    "Begroting volgend jaar",
]


def xlsx(rows, headers=MONEY, title="Bedragen", change=None) -> bytes:
    """A workbook with one sheet: the headers, then the rows; `change(ws)` may spoil it."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    if change is not None:
        change(ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(rows, headers=MONEY, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def counts() -> dict[str, int]:
    """Rows of every model of the domain apps, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for app in ("collaborations", "finance", "allocation", "reports")
        for model in apps.get_app_config(app).get_models()
    }


def upload(client, kind: str, name: str, content: bytes):
    """POST the file to the upload page; follows to the preview when the file was readable."""
    return client.post(
        f"/importeren/{kind}/",
        {"bestand": SimpleUploadedFile(name, content)},
        follow=True,
    )


def fingerprint(response) -> str:
    found = re.search(r'name="controle" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the preview has no confirm form"
    return found.group(1)


def confirm(client, response, **extra):
    """Confirm the preview the response shows."""
    url = response.redirect_chain[-1][0]
    return client.post(url, {"controle": fingerprint(response), **extra}, follow=True)


def text(response) -> str:
    """The page as a reader sees it: tags out, spaces collapsed, entities as characters."""
    import html

    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())
