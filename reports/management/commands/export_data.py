"""`manage.py export_data --municipality venlo FILE.xlsx`: all of a municipality's data as one
workbook, a sheet per kind with the headers of the import templates (`import_data` reads it)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from collaborations.municipalities import MunicipalityFinder
from reports.imports.workbook import municipality_workbook


class Command(BaseCommand):
    help = (
        "Schrijft alle gegevens van een gemeente naar één Excel-werkmap: een blad per soort, "
        "met de kolommen van de importsjablonen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality",
            "--gemeente",
            required=True,
            help="De gemeente: slug (venlo), naam of CBS-code (GM0983).",
        )
        parser.add_argument("file", help="Het xlsx-bestand dat wordt geschreven.")

    def handle(self, *args, **options):
        key = options["municipality"]
        finder = MunicipalityFinder()
        by_slug = {m.slug: m for m in finder.municipalities}
        municipality = by_slug.get(key.strip().lower())
        if municipality is None:
            try:
                municipality = finder.find(key)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path}: de werkmap is een .xlsx-bestand.")
        content = municipality_workbook(municipality)
        path.write_bytes(content)
        self.stdout.write(f"{municipality}: {path} geschreven ({len(content) // 1024} kB).")
