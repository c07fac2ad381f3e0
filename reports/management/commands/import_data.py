"""`manage.py import_data [--dry-run] FILE.xlsx`: reads what `export_data` writes (or a
template filled in), every sheet in one transaction, and prints the preview per sheet; a dry
run writes nothing. A bad file prints the Dutch errors and exits with status 1."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.imports.files import read_upload
from reports.imports.services import WorkbookRefused, import_workbook


class Command(BaseCommand):
    help = (
        "Leest een werkmap in (de bladen van export_data of de importsjablonen), alles of "
        "niets; --dry-run laat zien wat er zou veranderen zonder iets op te slaan."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het xlsx-bestand (of een CSV van één soort).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren: er wordt niets opgeslagen."
        )
        parser.add_argument(
            "--gebruiker",
            help="De login waarmee wordt ingelezen (rechten en geschiedenis); standaard de "
            "eerste beheerder.",
        )

    def handle(self, *args, **options):
        user = self._user(options.get("gebruiker"))
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path} kan niet worden gelezen: {exc.strerror}.") from exc
        try:
            upload = read_upload(path.name, content)
            previews = import_workbook(user=user, upload=upload, dry_run=options["dry_run"])
        except WorkbookRefused as exc:
            for preview in exc.previews:
                self.stdout.write(preview.summary())
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError("Er is niets ingelezen.") from exc
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages) + " Er is niets ingelezen.") from exc
        for preview in previews:
            self.stdout.write(preview.summary())
            for note in preview.notes:
                self.stdout.write(f"  {note}")
        if options["dry_run"]:
            self.stdout.write("Proef: er is niets opgeslagen.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{path.name} is ingelezen."))

    def _user(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"Er is geen actieve login '{username}'.")
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("Er is geen beheerder; geef met --gebruiker een login op.")
        return user
