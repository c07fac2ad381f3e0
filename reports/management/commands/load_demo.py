from django.core.management.base import BaseCommand

from allocation.demo import load_allocation_demo
from collaborations.demo import DEMO_USERS, load_demo
from finance.demo import load_finance_demo
from reports.demo import publish_demo


class Command(BaseCommand):
    help = "Laadt de demogegevens (idempotent): gemeenten, samenwerkingen, ZVH 2017, demo-logins."

    def handle(self, *args, **options):
        counts = load_demo()
        counts["financiële perspectieven"] = load_finance_demo()
        model = load_allocation_demo()
        counts["varianten verdeelmodel"] = model.variants.count()
        counts["gepubliceerde versies"] = publish_demo()
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demogegevens geladen: {summary}."))
        self.stdout.write("Demo-logins (alleen voor ontwikkeling):")
        for username, password, _name, _superuser, _roles, purpose in DEMO_USERS:
            self.stdout.write(f"  {purpose:<46} gebruiker: {username:<18} wachtwoord: {password}")
