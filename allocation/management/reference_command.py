"""What the two reference-data commands share: read the file, store it through the service,
print the summary, and turn every refusal into a Dutch message with exit status 2."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocation.reference import ReferenceFile, ReferenceFileError, read_file
from allocation.services.reference import import_reference_file


def year_argument(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise ValueError(text)
    return int(text)


year_argument.__name__ = "jaar (1990-2100)"  # argparse names the type in its error


class ReferenceImportCommand(BaseCommand):
    """Subclasses say how to read their file (`read`); the rest is the same."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="het bestand")
        parser.add_argument(
            "--jaar", type=year_argument, required=True, help="het jaar waarvoor de maten gelden"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="laat zien wat er zou gebeuren, sla niets op"
        )

    def read(self, data: bytes, file_name: str, options: dict) -> ReferenceFile:
        raise NotImplementedError

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            source = self.read(read_file(path), path.name, options)
            summary = import_reference_file(
                user=None, source=source, year=options["jaar"], dry_run=options["dry_run"]
            )
        except (ReferenceFileError, ValidationError) as exc:
            raise CommandError(self._refusal(exc.messages), returncode=2) from exc
        for line in summary.lines():
            self.stdout.write(line)

    @staticmethod
    def _refusal(messages: list[str]) -> str:
        return "Niet ingelezen, er is niets gewijzigd:\n" + "\n".join(f"  {m}" for m in messages)
