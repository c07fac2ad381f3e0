"""python manage.py import_cbs_inwoners FILE.csv --jaar 2018 [--periode 2017JJ00] [--dry-run]

Inhabitants (`inwoners`) and youth inhabitants (`jeugdinwoners`) per municipality from a CBS
StatLine CSV (docs/reference-data.md). Prints what is new, changed and unchanged per
municipality; a bad file changes nothing and is refused in Dutch with row and column.
"""

from django.core.management.base import CommandParser

from allocation.management.reference_command import ReferenceImportCommand
from allocation.reference import CBS_INHABITANTS, CBS_YOUTH, ReferenceFile, read_cbs_csv


class Command(ReferenceImportCommand):
    help = "Leest inwoners en jeugdinwoners per gemeente in uit een CBS StatLine-CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--periode",
            help="de CBS-periode in het bestand, bijv. 2017JJ00 (standaard: het jaar zelf)",
        )
        parser.add_argument("--tabel", default="", help="de StatLine-tabel, bijv. 70072NED")
        parser.add_argument(
            "--kolom-inwoners", default=CBS_INHABITANTS, help="kolom met het aantal inwoners"
        )
        parser.add_argument(
            "--kolommen-jeugd",
            default=",".join(CBS_YOUTH),
            help="kolommen die samen de jeugdinwoners zijn, met komma's; leeg: geen",
        )

    def read(self, data: bytes, file_name: str, options: dict) -> ReferenceFile:
        youth = [c.strip() for c in options["kolommen_jeugd"].split(",") if c.strip()]
        return read_cbs_csv(
            data,
            file_name=file_name,
            period=options["periode"] or f"{options['jaar']}JJ00",
            inhabitants_column=options["kolom_inwoners"],
            youth_columns=youth,
            table=options["tabel"],
        )
