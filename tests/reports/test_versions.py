"""What the council sees is what was adopted. The scenario of the issue, tried as a new user
would: concept figures and edits of a published year reach no public page, export, chart or PDF
until a new version is adopted and published; earlier versions stay readable; a published PDF
is rendered once."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from django.contrib.auth import get_user_model
from django.test import Client

from collaborations import services as collab_services
from collaborations.models import Participation, YearRecord, YearVersion
from finance import services as finance_services
from finance.models import FinanceAmount, FinanceTableYear, Kind, Table
from finance.money import EMPTY, Cell
from reports import published

ZVH_2017 = "/venlo/samenwerkingen/zvh/2017/"
OVERVIEW = "/venlo/samenwerkingen/"


@pytest.fixture
def zvh(demo) -> Participation:
    return Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")


@pytest.fixture
def beheerder(demo):
    return get_user_model().objects.get(username="beheerder")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(
        "\xa0", " "
    )


def public_surfaces() -> str:
    """Everything an anonymous visitor can read about Venlo's ZVH, as one text."""
    client = Client()
    parts = [
        client.get(ZVH_2017).content.decode(),
        client.get(OVERVIEW + "?jaar=2018").content.decode(),
        client.get(OVERVIEW + "?jaar=2018&_export=csv").content.decode("utf-8-sig"),
        client.get("/venlo/vergelijken/?s=zvh&s=vrln&jaar=2018").content.decode(),
        client.get("/venlo/samenwerkingen/zvh/vergelijken/?jaar=2018").content.decode(),
    ]
    return "\n".join(parts).replace("\xa0", " ")


def test_a_concept_correction_reaches_no_public_surface_until_published(
    zvh, beheerder, reopen, publish
):
    """Begroting 2018 of beschermd wonen corrected on the 2018 concept (1.028.608 → 1.030.000):
    the published 2017 page, its PDF, the overview with its csv and the comparisons keep the
    adopted figures; after 2017 is reopened, adopted and published again, they follow."""
    record_2018 = collab_services.start_new_year(user=beheerder, participation=zvh, year=2018)
    assert record_2018.status == YearRecord.Status.CONCEPT
    table = FinanceTableYear.objects.get(participation=zvh, table=Table.KOSTEN, year=2017)
    lines = [row.line for row in table.rows.order_by("order")]
    amounts = {
        (a.line_id, a.year, a.kind): a.amount
        for a in FinanceAmount.objects.filter(line__in=lines, year__in=[2018, 2019])
    }
    rows = [
        finance_services.GridRow(
            line.label,
            (
                Cell(Decimal("1030000"))
                if line.label == "beschermd wonen"
                else Cell(amounts.get((line.pk, 2018, Kind.BEGROTING))),
                EMPTY,
                EMPTY,
            ),
        )
        for line in lines
    ]
    finance_services.save_table_year(
        user=beheerder,
        participation=zvh,
        table=Table.KOSTEN,
        year=2018,
        rows=rows,
        expected_version=None,
    )
    text = public_surfaces()
    assert "€ 1.344.321" in text  # the adopted Begroting 2018 (TOTAAL on the 2017 page)
    assert "1.345.713" not in text and "1345713" not in text
    assert "1.030.000" not in text
    pdf = pdf_text(Client().get(ZVH_2017 + "pdf/").content)
    assert "€ 1.344.321" in pdf and "1.345.713" not in pdf

    record_2017 = reopen(zvh.years.get(year=2017), reason="Begroting 2018 gecorrigeerd")
    publish(record_2017)
    text = public_surfaces()
    assert "€ 1.345.713" in text
    assert "Versie 2 van 2017" in Client().get(ZVH_2017).content.decode()
    old = Client().get(ZVH_2017 + "versies/1/").content.decode().replace("\xa0", " ")
    assert "€ 1.344.321" in old and "U bekijkt een eerdere versie" in old


def test_an_edit_of_the_published_text_is_public_only_after_publishing(zvh, reopen, publish):
    clerk = get_user_model().objects.get(username="invoerder-venlo")
    record = reopen(zvh.years.get(year=2017), reason="Kern aangescherpt")
    collab_services.update_year_record(
        user=clerk,
        record=record,
        fields={"beoogd_kern": "Een aangescherpte kern."},
        expected_version=record.version,
    )
    assert "Een aangescherpte kern." not in Client().get(ZVH_2017).content.decode()
    clerk_client = Client()
    clerk_client.force_login(clerk)
    page = clerk_client.get(ZVH_2017).content.decode()
    assert "Een aangescherpte kern." in page and "1 wijziging sinds versie 1" in page
    publish(zvh.years.get(year=2017))
    assert "Een aangescherpte kern." in Client().get(ZVH_2017).content.decode()
    assert "Een aangescherpte kern." not in Client().get(ZVH_2017 + "versies/1/").content.decode()
    assert list(
        YearVersion.objects.filter(participation=zvh, year=2017)
        .values_list("number", flat=True)
        .order_by("number")
    ) == [1, 2]


def test_a_published_version_never_changes(zvh):
    version = YearVersion.objects.get(participation=zvh, year=2017, number=1)
    version.note = "anders"
    with pytest.raises(ValueError, match="verandert nooit"):
        version.save()


def test_a_published_pdf_requested_twice_is_rendered_once(zvh, monkeypatch):
    renders = []
    original = published.render_pdf

    def counting(html, **kwargs):
        renders.append(1)
        return original(html, **kwargs)

    monkeypatch.setattr(published, "render_pdf", counting)
    first = Client().get(ZVH_2017 + "pdf/")
    second = Client().get(ZVH_2017 + "pdf/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(renders) == 1
    assert "Versie 1, gepubliceerd op" in pdf_text(second.content)


def test_the_public_kernbeeld_is_the_published_one(zvh, reopen):
    clerk = get_user_model().objects.get(username="invoerder-venlo")
    record = reopen(zvh.years.get(year=2017))
    collab_services.update_year_record(
        user=clerk,
        record=record,
        fields={"feitelijk_kern": "Nog niet vastgestelde kern."},
        expected_version=record.version,
    )
    page = Client().get("/venlo/samenwerkingen/zvh/").content.decode()
    assert "Nog niet vastgestelde kern." not in page
    assert "Efficiënter werken" in page  # the published belangrijkste motieven


def test_clerks_see_what_differs_from_the_published_version(zvh, beheerder, reopen):
    record = reopen(zvh.years.get(year=2017))
    collab_services.update_year_record(
        user=beheerder,
        record=record,
        fields={"beoogd_kern": "Anders."},
        expected_version=record.version,
    )
    clerk = Client()
    clerk.force_login(beheerder)
    page = clerk.get(ZVH_2017).content.decode()
    assert "1 wijziging sinds versie 1" in page
    assert "Wat is er anders dan versie 1?" in page
    assert "Kern" in page.split("Wat is er anders dan versie 1?")[1].split("</details>")[0]


def test_the_shared_year_is_published_for_every_participant(zvh, beheerder, client):
    """A correction of the financiële resultaten (shared) is public only once the shared year
    is published: every participant's page gets a version with the new shared figures and its
    own part as it was published."""
    table = FinanceTableYear.objects.get(
        partnership=zvh.partnership, participation=None, table=Table.RESULTATEN, year=2017
    )
    first_line = table.rows.order_by("order").first().line.label
    rows = [finance_services.GridRow(first_line, (Cell(Decimal("1800000")), EMPTY, EMPTY))]
    finance_services.save_table_year(
        user=beheerder,
        participation=zvh,
        table=Table.RESULTATEN,
        year=2017,
        rows=rows,
        expected_version=table.version,
    )
    assert "€ 1.800.000" not in Client().get(ZVH_2017).content.decode().replace("\xa0", " ")
    admin = Client()
    admin.force_login(beheerder)
    response = admin.post(ZVH_2017 + "gedeeld-publiceren/", follow=True)
    assert "zijn gepubliceerd" in response.content.decode()
    public = Client().get(ZVH_2017).content.decode().replace("\xa0", " ")
    assert "€ 1.800.000" in public and "Versie 2 van 2017" in public
    first, second = YearVersion.objects.filter(participation=zvh, year=2017).order_by("number")
    assert first.snapshot["record"] == second.snapshot["record"]  # its own part unchanged
    again = admin.post(ZVH_2017 + "gedeeld-publiceren/", follow=True)
    assert "Er is niets gewijzigd" in again.content.decode()
