"""The totaaloverzicht and the comparisons: what a council member sees across partnerships."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from collaborations.models import Municipality, Participation, YearRecord, YearVersion
from finance import services
from finance.models import Table
from finance.money import EMPTY, NVT, Cell
from reports.models import Edition
from reports.selectors.paragraph import paragraph_for
from tests.collaborations.factories import ParticipationFactory, PartnershipFactory
from tests.reports.test_three_states import cells_of_row, one_line_kosten

pytestmark = pytest.mark.django_db
OVERVIEW = "/venlo/samenwerkingen/"


def rows_of(content: str) -> list[str]:
    body = content.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("</tr>")[:-1]
    ]


def test_overview_lists_contributions_of_the_chosen_year(client, demo):
    content = client.get(OVERVIEW + "?jaar=2018").content.decode()
    zvh = next(r for r in rows_of(content) if "(ZVH)" in r)
    # Begroting 2018 of the Kosten table, realisatie 2017, change against begroting 2017.
    assert "€ 1.344.321 € 1.281.406 +€ 62.915 +4,9%" in zvh
    assert "Totaal" in content
    assert content.count('aria-sort="ascending"') == 1  # sorted by name unless asked otherwise
    assert "2.018" not in content


def test_overview_defaults_to_the_newest_budget_year(client, demo):
    assert "Totaaloverzicht 2018" in client.get(OVERVIEW).content.decode()


def test_sorting_marks_the_column_with_aria_sort(client, demo):
    content = client.get(OVERVIEW + "?sort=-begroting&jaar=2018").content.decode()
    assert 'aria-sort="descending"' in content
    assert "(ZVH)" in rows_of(content)[0]


def test_filters(client, demo):
    content = client.get(OVERVIEW + "?verbonden=ja").content.decode()
    names = " ".join(rows_of(content))
    assert "(VRLN)" in names and "(BsGW)" in names and "(ZVH)" in names
    assert "(MSN)" not in names  # bestuurlijk belang, financieel belang unknown
    content = client.get(OVERVIEW + "?zoek=grens").content.decode()
    assert [r for r in rows_of(content) if "(MSN)" in r] and len(rows_of(content)) == 1


def test_grouped_the_bbv_way(client, demo):
    content = client.get(OVERVIEW + "?groepering=bbv").content.decode()
    assert content.index("Gemeenschappelijke regeling: bijdrage") < content.index(
        "Niet ingedeeld: bijdrage"
    )


def test_export_xlsx_and_csv_have_real_numbers(client, demo):
    response = client.get(OVERVIEW + "?jaar=2018&_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    column = header.index("Bijdrage begroting 2018")
    zvh = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if "ZVH" in row[0])
    assert zvh[column] == 1344321
    text = client.get(OVERVIEW + "?jaar=2018&_export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "1344321" in next(r for r in rows if "ZVH" in r[0])[column]


def test_export_escapes_formulas(client, demo):
    venlo = Municipality.objects.get(slug="venlo")
    ParticipationFactory(
        municipality=venlo, partnership=PartnershipFactory(name="=HYPERLINK(1)", afkorting="X")
    )
    text = client.get(OVERVIEW + "?_export=csv").content.decode()
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")


def test_public_sees_no_money_of_unpublished_partnerships(clerk_client, demo):
    YearVersion.objects.filter(participation__partnership__slug="zvh").delete()
    public = Client().get(OVERVIEW + "?jaar=2018").content.decode()
    assert "€ 1.344.321" not in public
    assert "€ 1.344.321" in clerk_client.get(OVERVIEW + "?jaar=2018").content.decode()


def test_overview_queries_do_not_grow_with_partnerships(client, demo):
    venlo = Municipality.objects.get(slug="venlo")
    client.get(OVERVIEW)  # warm up

    with CaptureQueriesContext(connection) as few:
        client.get(OVERVIEW + "?jaar=2018")
    for _ in range(12):
        ParticipationFactory(municipality=venlo)
    with CaptureQueriesContext(connection) as many:
        client.get(OVERVIEW + "?jaar=2018")
    assert len(many) == len(few)


def test_compare_two_partnerships(client, demo):
    content = client.get("/venlo/vergelijken/?s=zvh&s=vrln&jaar=2017").content.decode()
    assert "Kerncijfers 2017" in content
    assert "€ 1.281.406" in content  # ZVH contribution 2017
    assert "€ 1.754.264" in content  # ZVH financiële resultaten 2017
    assert 'role="img"' in content
    assert client.get("/venlo/vergelijken/?s=zvh").status_code == 400


def test_compare_across_municipalities_with_per_inhabitant(client, demo):
    venlo = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    from allocation.models import Measure

    Measure.objects.create(
        municipality=venlo.municipality,
        code="inwoners",
        year=2016,
        value=100371,
        bron="CBS, 1 januari 2016",
    )
    content = client.get("/venlo/samenwerkingen/zvh/vergelijken/?jaar=2017").content.decode()
    for name in ("Venlo", "Venray", "Gennep"):
        assert name in content
    assert "€ 12,77" in content  # 1.281.406 / 100.371 inwoners


def test_compare_query_count_is_fixed(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/venlo/samenwerkingen/vrln/vergelijken/?jaar=2017")


def test_a_concept_budget_is_not_public_until_published(demo):
    beheerder = get_user_model().objects.get(username="beheerder")
    zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    services.save_table_year(
        user=beheerder,
        participation=zvh,
        table=Table.KOSTEN,
        year=2018,
        rows=[services.GridRow("extra", (Cell(amount=1000), Cell(), Cell()))],
        expected_version=None,
    )
    # The public sees the Begroting 2018 as published (with 2017); the clerks the working
    # figure: the TOTAAL of the 2018 table they made, with its one line, as its year page shows.
    content = Client().get(OVERVIEW + "?jaar=2018").content.decode()
    zvh = next(r for r in rows_of(content) if "(ZVH)" in r)
    assert "€ 1.344.321" in zvh and "€ 1.000 " not in zvh
    csv_text = Client().get(OVERVIEW + "?jaar=2018&_export=csv").content.decode()
    assert "1344321" in csv_text and ";1000;" not in csv_text
    clerk = Client()
    clerk.force_login(beheerder)
    working = clerk.get(OVERVIEW + "?jaar=2018").content.decode()
    assert "€ 1.000 € 1.281.406" in next(r for r in rows_of(working) if "(ZVH)" in r)


def test_empty_contributions_sort_last_both_ways(client, demo):
    for order in ("begroting", "-begroting"):
        rows = rows_of(client.get(OVERVIEW + f"?sort={order}&jaar=2018").content.decode())
        assert "(ZVH)" in rows[0], order  # the only one with a figure comes first either way


def zvh_row(client, year: int = 2017) -> str:
    return next(
        r for r in rows_of(client.get(OVERVIEW + f"?jaar={year}").content.decode()) if "(ZVH)" in r
    )


def test_nvt_zero_and_not_filled_in_stay_apart_in_the_overview(
    client, clerk, demo, reopen, publish
):
    """A Kosten table of n.v.t. lines is n.v.t. in the overview — for the clerk at once, for the
    public once published, and in the export — never "niet ingevuld" and never € 0."""
    zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    one_line_kosten(zvh, clerk, "Niet van toepassing", (NVT, NVT, EMPTY))
    clerk_client = Client()
    clerk_client.force_login(clerk)
    assert "n.v.t. € 1.216.284" in zvh_row(clerk_client)  # begroting 2017, realisatie 2016
    assert "€ 1.281.406" in zvh_row(client)  # the public: version 1 as published
    publish(record)
    assert "n.v.t." in zvh_row(client).split("€ 1.216.284")[0]
    exported = Client().get(OVERVIEW + "?jaar=2017&_export=csv").content.decode("utf-8-sig")
    zvh_line = next(line for line in exported.splitlines() if "(ZVH)" in line)
    assert ";n.v.t.;" in zvh_line
    assert "€ 0" not in zvh_row(client)
    # 2018: its begroting not filled in (the 2017 table left it empty), realisatie 2017 n.v.t.
    assert "… niet ingevuld n.v.t." in zvh_row(client, 2018)
    # the paragraph too: n.v.t., and not counted among the parties whose amount is missing
    published = paragraph_for(zvh.municipality, 2017, Edition.BEGROTING)
    party = next(p for g in published.groups for p in g.parties if p.afkorting == "ZVH")
    assert party.contribution_budget == NVT
    assert published.budget.missing == sum(
        1
        for g in published.groups
        for p in g.parties
        if p.published and p.contribution_budget.amount is None and p.afkorting != "ZVH"
    )


def test_a_line_taken_out_of_the_table_no_longer_counts(clerk, demo, reopen):
    """The clerk replaces Kosten 2017 by one line: the overview shows that line's amount, as
    the year page's TOTAAL does, not the old lines' figures that the 2016 table still shows."""
    zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    reopen(YearRecord.objects.get(participation=zvh, year=2017))
    one_line_kosten(zvh, clerk, "Enige regel", (Cell(amount=Decimal(5)), EMPTY, EMPTY))
    clerk_client = Client()
    clerk_client.force_login(clerk)
    assert zvh_row(clerk_client).split(") ", 1)[1].count("€ 5 ") == 1
    page = clerk_client.get("/venlo/samenwerkingen/zvh/2017/").content.decode()
    kosten = page[page.index('id="tabel-kosten"') :]
    assert cells_of_row(kosten, "TOTAAL")[0] == "€ 5"
