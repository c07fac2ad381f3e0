"""Heavy work on request is bounded: a bundle that exists is always served, a new one is made
at most BUNDLE_RATE_* often — per address for the public, per login for users."""

from django.test import Client

from reports.models import ReportBundle
from tests.collaborations.factories import UserFactory


def ask(client: Client, *slugs: str):
    return client.post("/venlo/bundel/", {"jaar": "2017", "s": list(slugs)})


def test_the_public_makes_few_new_bundles_but_always_gets_existing_ones(demo, settings):
    settings.BUNDLE_RATE_ANONYMOUS = "2/h"
    public = Client()
    first = ask(public, "zvh")
    assert first.status_code == 302
    assert ask(public, "zvh", "vrln").status_code == 302
    made = ReportBundle.objects.count()

    refused = ask(public, "zvh", "msn")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "al veel nieuwe bundels laten maken" in text and "of log in" in text
    assert ReportBundle.objects.count() == made  # no third bundle was queued

    again = ask(public, "zvh")  # the same data: the existing bundle, no new work
    assert again.status_code == 302 and again["Location"] == first["Location"]


def test_a_login_has_its_own_larger_allowance(demo, settings):
    settings.BUNDLE_RATE_ANONYMOUS = "1/h"
    settings.BUNDLE_RATE_USER = "3/h"
    assert ask(Client(), "zvh").status_code == 302
    assert ask(Client(), "zvh", "vrln").status_code == 429
    member = Client()
    member.force_login(UserFactory(username="lezer"))
    assert ask(member, "zvh", "vrln").status_code == 302
    assert ask(member, "zvh", "msn").status_code == 302
