"""The open data at /open-data/: published figures only, whoever asks; the three states of a
figure kept apart; a conditional GET answered with 304; a fixed number of queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from django.test import Client

from allocation.models import AllocationPublication
from collaborations import services as collab_services
from collaborations.models import Municipality, Participation, Partnership, YearRecord, YearVersion
from finance import services as finance_services
from finance.models import FinanceAmount, FinanceTableYear, Kind, Table
from finance.money import Cell
from tests.collaborations.factories import (
    ParticipationFactory,
    PartnershipFactory,
    UserFactory,
    YearRecordFactory,
    grant,
)

VENLO = "/open-data/v1/gemeenten/venlo.json"
VTGM = "/open-data/v1/samenwerkingen/vtgm.json"


@pytest.fixture
def beheerder(demo):
    return UserFactory(username="od-beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def zvh(demo) -> Participation:
    return Participation.objects.get(municipality__slug="venlo", partnership__slug="zvh")


def get_json(url: str, client: Client | None = None) -> dict:
    response = (client or Client()).get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


def zvh_2017(data: dict, resource: str, **match) -> list[dict]:
    rows = [r for r in data[resource] if r["samenwerking"] == "zvh" and r["jaar"] == 2017]
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def correct_kosten_2017(zvh: Participation, beheerder, label: str, amount: str) -> None:
    """Change Begroting 2017 of one Kosten line of Venlo's ZVH, keeping the other figures."""
    table = FinanceTableYear.objects.get(participation=zvh, table=Table.KOSTEN, year=2017)
    lines = [row.line for row in table.rows.order_by("order")]
    stored = {
        (a.line_id, a.year, a.kind): a.amount
        for a in FinanceAmount.objects.filter(line__in=lines, year__in=[2017, 2018])
    }
    rows = []
    for line in lines:
        begroting = stored.get((line.pk, 2017, Kind.BEGROTING))
        rows.append(
            finance_services.GridRow(
                line.label,
                (
                    Cell(Decimal(amount) if line.label == label else begroting),
                    Cell(stored.get((line.pk, 2017, Kind.REALISATIE))),
                    Cell(stored.get((line.pk, 2018, Kind.BEGROTING))),
                ),
            )
        )
    finance_services.save_table_year(
        user=beheerder,
        participation=zvh,
        table=Table.KOSTEN,
        year=2017,
        rows=rows,
        expected_version=table.version,
    )


# --- published figures only -----------------------------------------------------------------


def test_a_concept_correction_never_reaches_the_open_data(
    zvh, beheerder, published, reopen, publish
):
    """Venlo reopens its published ZVH 2017 and corrects beschermd wonen (1.014.673 →
    1.111.111): the open data keeps the published figure, also for a reader of Venlo's drafts;
    once published again, it follows, as version 2."""
    record = YearRecord.objects.get(participation=zvh, year=2017)
    reopen(record)
    correct_kosten_2017(zvh, beheerder, "beschermd wonen", "1111111")
    raadslid = UserFactory(username="od-raadslid")
    grant(raadslid, "raadslid", Municipality.objects.get(slug="venlo"))
    reader = Client()
    reader.force_login(raadslid)
    for client in (Client(), reader):
        data = get_json(VENLO, client)
        (line,) = zvh_2017(data, "bedragen", regel="beschermd wonen", soort="begroting")
        assert line["bedrag"] == 1014673 and line["versie"] == 1
        (year,) = zvh_2017(data, "jaarversies")
        assert year["bijdrage_begroting"] == 1281406
        for url in ("/open-data/v1/bedragen.csv", "/open-data/v1/jaren/2017/tabellen.csv"):
            text = client.get(url + "?dialect=programma").content.decode()
            assert "1111111" not in text and "1377844" not in text  # nor the new total
    publish(record)
    data = get_json(VENLO)
    (line,) = zvh_2017(data, "bedragen", regel="beschermd wonen", soort="begroting")
    assert line["bedrag"] == 1111111 and line["versie"] == 2
    assert zvh_2017(data, "jaarversies")[0]["bijdrage_begroting"] == 1281406 - 1014673 + 1111111


def test_the_verdeelmodel_is_the_publication_not_the_working_state(published):
    """The coördinator raises the budget in the working state: the open data keeps the
    published contributions until the model is published again."""
    before = get_json(VTGM)["verdeelmodel_bijdragen"]
    arnhem_a = next(r for r in before if r["deelnemer"] == "Arnhem" and r["variant"] == "A")
    assert arnhem_a["vastgesteld"] is True and arnhem_a["gemeente_code"] == "GM0202"
    published.inputs["parameters"]["begroting"] = {"waarde": "4100000", "omschrijving": "Hoger"}
    published.save()
    coordinator = UserFactory(username="od-coordinator")
    grant(coordinator, "coordinator", Partnership.objects.get(slug="vtgm"))
    client = Client()
    client.force_login(coordinator)
    assert get_json(VTGM, client)["verdeelmodel_bijdragen"] == before
    AllocationPublication.objects.all().delete()  # as if it had never been published
    assert get_json(VTGM)["verdeelmodel_bijdragen"] == []
    csv_text = Client().get("/open-data/v1/verdeelmodel_bijdragen.csv").content.decode("utf-8-sig")
    assert csv_text.count("\r\n") == 1  # the header only


def test_an_unpublished_partnership_or_year_is_absent(zvh, beheerder, published):
    venlo = Municipality.objects.get(slug="venlo")
    concept = ParticipationFactory(
        municipality=venlo,
        partnership=PartnershipFactory(name="Nog niet openbaar", afkorting="NNO"),
    )
    YearRecordFactory(participation=concept, year=2018)  # a concept, never published
    collab_services.start_new_year(user=beheerder, participation=zvh, year=2018)  # concept
    client = Client()
    assert client.get("/open-data/v1/samenwerkingen/nno.json").status_code == 404
    assert client.get("/open-data/v1/samenwerkingen/nno/bedragen.csv").status_code == 404
    listed = get_json("/open-data/v1/samenwerkingen.json")["samenwerkingen"]
    assert "nno" not in {p["samenwerking"] for p in listed} and "zvh" in {
        p["samenwerking"] for p in listed
    }
    data = get_json(VENLO)
    published_years = set(
        YearVersion.objects.filter(participation__municipality=venlo).values_list(
            "participation__partnership__slug", "year"
        )
    )
    listed_years = {(r["samenwerking"], r["jaar"]) for r in data["jaarversies"]}
    assert listed_years == published_years and ("zvh", 2017) in listed_years
    assert ("zvh", 2018) not in listed_years  # the concept year
    everything = Client().get("/open-data/v1/jaarversies.csv?dialect=programma").content.decode()
    assert "Nog niet openbaar" not in everything and ",nno," not in everything
    assert "open-data" in Client().get("/").content.decode()  # the footer links here


# --- three states ------------------------------------------------------------------------


def test_not_filled_in_not_applicable_and_zero_stay_apart(published):
    """Venlo's ZVH 2017, as published: bijdrage jeugd has no Begroting 2017 (not filled in),
    Baten has a line of € 0, Eigen vermogen is n.v.t. as a whole."""
    data = get_json(VENLO)
    (jeugd,) = zvh_2017(data, "bedragen", regel="bijdrage jeugd", soort="begroting")
    assert jeugd["bedrag"] is None and jeugd["status"] == "niet_ingevuld"
    (next_year,) = zvh_2017(
        data, "bedragen", regel="bijdrage jeugd", soort="begroting_volgend_jaar"
    )
    assert next_year["bedrag"] == 39478 and next_year["boekjaar"] == 2018
    zero = zvh_2017(data, "bedragen", tabel="baten", soort="begroting")[0]
    assert zero["bedrag"] == 0 and zero["status"] == "ingevuld"
    (equity,) = zvh_2017(data, "tabellen", tabel="eigen_vermogen")
    assert equity["status"] == "niet_van_toepassing" and equity["gedeeld"] is True
    assert equity["totaal_begroting"] is None
    assert equity["totaal_begroting_status"] == "niet_van_toepassing"
    (baten,) = zvh_2017(data, "tabellen", tabel="baten")
    assert baten["totaal_realisatie"] == 0 and baten["totaal_realisatie_status"] == "ingevuld"
    # in CSV: an empty cell beside its status, and 0 written as 0
    rows = list(
        csv.DictReader(
            io.StringIO(
                Client()
                .get("/open-data/v1/gemeenten/venlo/tabellen.csv")
                .content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    equity_row = next(
        r for r in rows if r["samenwerking"] == "zvh" and r["tabel"] == "eigen_vermogen"
    )
    assert equity_row["totaal_begroting"] == "" and equity_row["status"] == "niet_van_toepassing"
    baten_row = next(r for r in rows if r["samenwerking"] == "zvh" and r["tabel"] == "baten")
    assert baten_row["totaal_realisatie"] == "0"


def test_texts_with_accents_and_amounts_with_decimals_in_both_dialects(published):
    excel = Client().get("/open-data/v1/jaarversies.csv").content
    program = Client().get("/open-data/v1/jaarversies.csv?dialect=programma").content
    assert excel.startswith(b"\xef\xbb\xbf") and not program.startswith(b"\xef\xbb\xbf")
    assert "cliënten" in excel.decode("utf-8-sig") and "cliënten" in program.decode()
    excel_rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    program_rows = list(csv.DictReader(io.StringIO(program.decode())))
    assert len(excel_rows) == len(program_rows) > 10
    # no VTGM participant filled in its share: the column stays empty, never 0
    assert {r["aandeel_percentage"] for r in program_rows if r["samenwerking"] == "vtgm"} == {""}
    zvh = next(r for r in excel_rows if r["samenwerking"] == "zvh")
    assert zvh["bijdrage_begroting"] == "1281406"  # never 1.281.406
    assert zvh["pagina"].endswith("/venlo/samenwerkingen/zvh/2017/")


# --- HTTP: conditional GET, errors, cross-origin -------------------------------------------


def test_a_conditional_get_answers_304_until_something_is_published(
    zvh, published, reopen, publish
):
    client = Client()
    first = client.get(VENLO)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get(VENLO, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(VENLO, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    csv_etag = client.get("/open-data/v1/gemeenten/venlo/bedragen.csv")["ETag"]
    program = client.get("/open-data/v1/gemeenten/venlo/bedragen.csv?dialect=programma")
    assert program["ETag"] != csv_etag  # another representation, another tag
    arnhem = client.get("/open-data/v1/gemeenten/arnhem.json")["ETag"]
    record = YearRecord.objects.get(participation=zvh, year=2017)
    reopen(record)
    publish(record)  # version 2 of ZVH 2017
    changed = client.get(VENLO, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # nothing of Arnhem was published: its tag still holds
    unchanged = client.get("/open-data/v1/gemeenten/arnhem.json", HTTP_IF_NONE_MATCH=arnhem)
    assert unchanged.status_code == 304


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/open-data/v1/gemeenten/onbekend.json", 404, "geen gemeente 'onbekend'"),
        ("/open-data/v1/jaren/2030.json", 404, "Van 2030 is (nog) niets gepubliceerd"),
        ("/open-data/v1/jaren/2030/bedragen.csv", 404, "Van 2030 is (nog) niets gepubliceerd"),
        ("/open-data/v1/bedragen.csv?dialect=libreoffice", 400, "Onbekend CSV-dialect"),
        ("/open-data/v1/onbekend.csv", 404, ""),
        ("/open-data/v1/jaren/99999.json", 404, ""),
    ],
)
def test_what_does_not_exist_is_said_in_dutch(published, url, status, message):
    response = Client().get(url)
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_write_is_refused(published):
    assert Client().post("/open-data/v1/bedragen.csv").status_code == 405


# --- queries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        VENLO,
        VTGM,
        "/open-data/v1/jaren/2018.json",
        "/open-data/v1/bedragen.csv",
        "/open-data/v1/gemeenten/arnhem/verdeelmodel_bijdragen.csv",
        "/open-data/v1/gemeenten.json",
        "/open-data/datapackage.json",
        "/open-data/",
    ],
)
def test_a_fixed_number_of_queries(published, django_assert_max_num_queries, url):
    """Published data of every municipality, partnership and version is read in bulk: the
    count does not grow with the number of versions (the demo has 19)."""
    with django_assert_max_num_queries(8):
        assert Client().get(url).status_code == 200
