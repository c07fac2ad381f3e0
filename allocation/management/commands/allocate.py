"""python manage.py allocate FILE.json | -            (a definition with its inputs)
python manage.py allocate --partnership vtgm --year 2018 --variant A   (a stored variant)

Prints a readable table, or with --json the result (participants[].name/.amount as decimal
strings). An invalid definition gets a Dutch message naming where it is wrong, and exit status 2.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from allocation import engine, selectors
from allocation.models import AllocationVariant


class Command(BaseCommand):
    help = "Voert een verdeelmodel uit: uit een JSON-bestand (of - voor invoer) of opgeslagen."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="definitie in JSON (verdeelmodel/1), of -")
        parser.add_argument("--partnership", help="afkorting van de samenwerking, bijv. vtgm")
        parser.add_argument("--year", type=int, help="begrotingsjaar, bijv. 2018")
        parser.add_argument("--variant", help="code van de variant: A, A-jeugd, B, C1, C2")
        parser.add_argument("--json", action="store_true", help="resultaat als JSON")

    def handle(self, *args, **options):
        definition = self._definition(options)
        try:
            result = engine.allocate(definition)
        except engine.DefinitionError as exc:
            raise CommandError(f"Ongeldig verdeelmodel: {exc}", returncode=2) from exc
        if options["json"]:
            self.stdout.write(engine.result_to_json(result))
        else:
            self.stdout.write(engine.render_table(result))

    def _definition(self, options):
        stored = options["partnership"] or options["year"] or options["variant"]
        if stored and options["file"]:
            raise CommandError("Geef een bestand óf --partnership/--year/--variant.", returncode=2)
        if stored:
            return self._stored(options)
        source = options["file"]
        if not source:
            raise CommandError(
                "Geef een bestand (of - voor standaardinvoer), of --partnership, --year en "
                "--variant.",
                returncode=2,
            )
        try:
            if source == "-":
                return engine.load_definition_text(sys.stdin.read(), base_dir=Path.cwd())
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"Bestand niet gevonden: {source}", returncode=2)
            return engine.load_definition_file(path)
        except engine.DefinitionError as exc:
            raise CommandError(f"Ongeldig verdeelmodel: {exc}", returncode=2) from exc

    def _stored(self, options):
        missing = [n for n in ("partnership", "year", "variant") if not options[n]]
        if missing:
            raise CommandError("Ontbreekt: " + ", ".join(f"--{n}" for n in missing), returncode=2)
        variant = (
            AllocationVariant.objects.filter(
                model__partnership__slug=options["partnership"],
                model__year=options["year"],
                code=options["variant"],
            )
            .select_related("model")
            .first()
        )
        if variant is None:
            raise CommandError(
                f"Geen variant {options['variant']} voor {options['partnership']} "
                f"{options['year']}.",
                returncode=2,
            )
        try:
            return selectors.variant_definition(variant)
        except engine.DefinitionError as exc:
            raise CommandError(f"Ongeldig verdeelmodel: {exc}", returncode=2) from exc
