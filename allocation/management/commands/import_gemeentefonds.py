"""python manage.py import_gemeentefonds FILE.xlsx --jaar 2018 --maat duvo [--kolom …] [--dry-run]

An objective budget per municipality (DUVO, Jeugd or any column given with --kolom) from the
gemeentefonds circulaire's spreadsheet (docs/reference-data.md). Prints what is new, changed and
unchanged per municipality; a bad file changes nothing and is refused in Dutch with row and
column.
"""

from datetime import date

from django.core.management.base import CommandParser

from allocation.gemeentefonds import read_gemeentefonds_xlsx
from allocation.management.reference_command import ReferenceImportCommand
from allocation.reference import ReferenceFile


def measure_code(text: str) -> str:
    code = text.strip().lower()
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        raise ValueError(text)
    return code


measure_code.__name__ = "maat (letters, cijfers, - en _)"


class Command(ReferenceImportCommand):
    help = "Leest een objectief budget per gemeente in uit de gemeentefondstabel (xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--maat", type=measure_code, required=True, help="code van de maat: duvo, jeugd, …"
        )
        parser.add_argument("--kolom", help="kop van de kolom met het bedrag")
        parser.add_argument("--blad", help="naam van het werkblad (standaard: het eerste passende)")
        parser.add_argument(
            "--factor", type=int, choices=[1, 1000], help="1000 als de bedragen × € 1.000 zijn"
        )
        parser.add_argument(
            "--peildatum", type=date.fromisoformat, help="datum van de circulaire (JJJJ-MM-DD)"
        )
        parser.add_argument("--omschrijving", default="", help="omschrijving van de maat")

    def read(self, data: bytes, file_name: str, options: dict) -> ReferenceFile:
        return read_gemeentefonds_xlsx(
            data,
            file_name=file_name,
            measure=options["maat"],
            year=options["jaar"],
            column=options["kolom"],
            sheet=options["blad"],
            factor=options["factor"],
            peildatum=options["peildatum"],
            omschrijving=options["omschrijving"],
        )
