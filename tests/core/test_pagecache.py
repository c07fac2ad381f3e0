"""Published pages come from the cache for the public, and change at once when what they show
changes (core/pagecache.py).

These tests commit their writes (`transaction=True`), as the site does: the published
generation is bumped when a write commits, so a test inside one never-committed transaction
would not show it."""

from decimal import Decimal

import pytest
from simple_history.utils import bulk_create_with_history

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory

from collaborations import services as collab_services
from collaborations.models import BoardSeat, Municipality, Participation
from core import pagecache
from finance.models import FinanceAmount
from reports import services as report_services

pytestmark = pytest.mark.django_db(transaction=True)

ZVH_2017 = "/venlo/samenwerkingen/zvh/2017/"
ZVH = "/venlo/samenwerkingen/zvh/"
OVERVIEW = "/venlo/samenwerkingen/"
PARAGRAPH_2017 = "/venlo/paragraaf-verbonden-partijen/2017/"


@pytest.fixture
def zvh(demo) -> Participation:
    return Participation.objects.select_related("partnership").get(
        partnership__slug="zvh", municipality__slug="venlo"
    )


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


PUBLIC_PAGES = [
    ZVH_2017,
    ZVH_2017 + "versies/1/",
    ZVH,
    OVERVIEW,
    OVERVIEW + "?jaar=2017&_export=csv",
    "/venlo/vergelijken/?s=zvh&s=vrln&jaar=2018",
    "/venlo/samenwerkingen/zvh/vergelijken/?jaar=2018",
    PARAGRAPH_2017,
]


def test_every_published_page_is_served_again_without_a_database_query(
    zvh, django_assert_num_queries
):
    for address in PUBLIC_PAGES:
        first = Client().get(address)
        assert first.status_code == 200, address
        with django_assert_num_queries(0):
            again = Client().get(address)
        assert again.status_code == 200 and again.content == first.content, address
        assert again["Content-Type"] == first["Content-Type"], address
    # the headers of the site are still set per request
    assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"
    assert "Versie 1 van 2017" in text(Client().get(ZVH_2017))


def test_a_new_version_is_public_at_once_and_working_copy_saves_are_not(
    zvh, reopen, publish, django_assert_num_queries
):
    """(a) publishing a new version changes the public page at once; (d) a save of the working
    copy — a text of section C, a figure of the money tables — leaves the public page exactly
    as it was, and still served from the cache."""
    before = Client().get(ZVH_2017)
    assert '<span class="badge">concept</span>' not in text(Client().get(ZVH))
    record = reopen(zvh.years.get(year=2017), reason="Kern aangescherpt")
    # reopening changes the year's status, which the partnership page shows to everyone
    assert '<span class="badge">concept</span>' in text(Client().get(ZVH))
    reopened = Client().get(ZVH_2017)
    clerk = get_user_model().objects.get(username="invoerder-venlo")
    record.refresh_from_db()
    collab_services.update_year_record(
        user=clerk,
        record=record,
        fields={"beoogd_kern": "Een aangescherpte kern."},
        expected_version=record.version,
    )
    amount = FinanceAmount.objects.filter(line__participation=zvh, year=2017).first()
    amount.amount = (amount.amount or Decimal(0)) + 1
    amount.save()
    with django_assert_num_queries(0):
        unchanged = Client().get(ZVH_2017)
    assert unchanged.content == reopened.content
    assert "Een aangescherpte kern." not in text(unchanged)
    assert "Versie 1 van 2017" in text(before) and "Versie 1 van 2017" in text(unchanged)

    publish(zvh.years.get(year=2017))
    after = text(Client().get(ZVH_2017))
    assert "Een aangescherpte kern." in after and "Versie 2 van 2017" in after


def test_an_edit_of_the_partnerships_base_data_is_public_at_once(zvh):
    assert "Zorg- en Veiligheidshuis" in text(Client().get(ZVH))
    assert "Zorg- en Veiligheidshuis" in text(Client().get(ZVH_2017))
    assert "Zorg- en Veiligheidshuis" in text(Client().get(OVERVIEW))
    partnership = zvh.partnership
    partnership.refresh_from_db()
    coordinator = get_user_model().objects.create_superuser("coordinator-test")
    collab_services.records.update_partnership(
        user=coordinator,
        partnership=partnership,
        fields={"name": "Veiligheidshuis Noord-Limburg"},
        onderwerpen=list(partnership.onderwerpen.values_list("pk", flat=True)),
        aard=list(partnership.aard.values_list("pk", flat=True)),
        municipality_ids=list(partnership.municipalities.values_list("pk", flat=True)),
        organisation_ids=list(partnership.organisations.values_list("pk", flat=True)),
        expected_version=partnership.version,
    )
    for address in (ZVH, ZVH_2017, OVERVIEW):
        page = text(Client().get(address))
        assert "Veiligheidshuis Noord-Limburg" in page, address


def test_a_board_seat_written_in_bulk_is_public_at_once(zvh):
    """bulk_create_with_history sends no post_save: the cursor sees the write all the same."""
    assert "Raad van de regio" not in text(Client().get(ZVH))
    bulk_create_with_history(
        [BoardSeat(participation=zvh, orgaan="Raad van de regio", order=99)], BoardSeat
    )
    assert "Raad van de regio" in text(Client().get(ZVH))


def test_the_published_policy_text_is_public_at_once(demo):
    venlo = Municipality.objects.get(slug="venlo")
    assert "Onze visie op samenwerken" not in text(Client().get(PARAGRAPH_2017))
    clerk = get_user_model().objects.get(username="invoerder-venlo")
    adopter = get_user_model().objects.get(username="vaststeller-venlo")
    policy = report_services.save_policy(
        user=clerk,
        municipality=venlo,
        year=2017,
        text="Onze visie op samenwerken.",
        expected_version=None,
    )
    assert "Onze visie op samenwerken" not in text(Client().get(PARAGRAPH_2017))  # a concept
    report_services.publish_policy(
        user=adopter, municipality=venlo, year=2017, expected_version=policy.version
    )
    assert "Onze visie op samenwerken" in text(Client().get(PARAGRAPH_2017))


def test_logged_in_users_never_see_a_page_from_the_cache_nor_fill_it(zvh, clerk_client):
    public = text(Client().get(ZVH_2017))
    assert "Versie 1 van 2017" in public
    own = clerk_client.get(ZVH_2017)
    assert pagecache.HEADER not in own  # rendered for the clerk
    assert 'name="csrfmiddlewaretoken"' in text(own)
    assert text(Client().get(ZVH_2017)) == public  # the clerk's page was not stored


def test_the_query_string_is_part_of_the_address(demo):
    assert "Bijdrage begroting 2016" in text(Client().get(OVERVIEW + "?jaar=2016"))
    assert "Bijdrage begroting 2017" in text(Client().get(OVERVIEW + "?jaar=2017"))
    assert "Bijdrage begroting 2016" in text(Client().get(OVERVIEW + "?jaar=2016"))


def test_every_visitor_gets_their_own_csrf_token(db):
    """A page with a form is never stored: its token belongs to one visitor."""

    template = engines["django"].from_string("<form>{% csrf_token %}</form>")

    @pagecache.published_page
    def page(request):
        return HttpResponse(template.render({}, request))

    tokens = []
    for _ in range(2):
        request = RequestFactory().get("/formulier/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        response = page(request)
        assert response.status_code == 200 and pagecache.HEADER not in response
        tokens.append(response.content)
    assert tokens[0] != tokens[1]


def test_a_page_still_opens_when_the_cache_is_down(demo, monkeypatch):
    class Down:
        def __getattr__(self, name):
            def refuse(*args, **kwargs):
                raise ConnectionError("Redis is down")

            return refuse

    monkeypatch.setattr(pagecache, "cache", Down())
    response = Client().get(OVERVIEW + "?jaar=2017")
    assert response.status_code == 200
    assert "Bijdrage begroting 2017" in text(response)
