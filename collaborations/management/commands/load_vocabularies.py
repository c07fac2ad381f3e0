from django.core.management.base import BaseCommand

from collaborations.demo import load_vocabularies


class Command(BaseCommand):
    help = "Zet de vocabulaires (onderwerpen, motieven, vormen, ...) in de database (idempotent)."

    def handle(self, *args, **options):
        count = load_vocabularies()
        self.stdout.write(self.style.SUCCESS(f"{count} termen bijgewerkt."))
