"""The BBV figures and risks on the year page, the PDF, the published versions and the
totaaloverzicht; the selectors for the paragraph (taakveld totals, weerstandsvermogen)."""

import json
import re
from decimal import Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collaborations.models import Municipality, Participation, YearRecord, YearVersion
from collaborations.services import bbv as bbv_services
from collaborations.services.bbv import RiskRow
from reports import snapshot
from reports.documents import year_report_html
from reports.models import Edition
from reports.selectors import bbv as selectors
from reports.selectors.paragraph import paragraph_for
from reports.selectors.year import working_context, year_context

pytestmark = pytest.mark.django_db

D = Decimal
ZVH = "/venlo/samenwerkingen/zvh/2017/"


def zvh_record() -> YearRecord:
    return YearRecord.objects.select_related("participation").get(
        participation__partnership__slug="zvh", participation__municipality__slug="venlo", year=2017
    )


def test_demo_figures_are_on_the_public_page_and_unknown_ones_are_not_filled_in(client, demo):
    page = client.get(ZVH).content.decode()
    assert "Verbonden partij: BBV-gegevens" in page
    assert "Venlo is een van de 8 deelnemende gemeenten" in page
    assert "1.2 Openbare orde en veiligheid" in page
    assert "Risicoprofiel: Midden" in page and "Relatiearrangement 2" in page
    assert "ministerie van Veiligheid &amp; Justitie" in page
    section = page[page.index('id="bbv-bedragen"') :]
    assert "n.v.t." in section[:3000]  # eigen vermogen
    assert "niet ingevuld" in section[:3000]  # financieel belang: no source


def test_the_year_pdf_has_the_same_fragment(demo):
    record = zvh_record()
    html = year_report_html(record.participation, 2017, AnonymousUser())
    assert "Verbonden partij: BBV-gegevens" in html and "Risicoprofiel: Midden" in html


def test_snapshot_round_trip_keeps_every_figure_and_risk(clerk, demo, reopen):
    record = reopen(zvh_record())
    bbv_services.update_bbv(
        user=clerk,
        record=record,
        values={
            "financieel_belang_begin": D("1250000.55"),
            "financieel_belang_eind": D("0"),
            "vreemd_vermogen_eind_nvt": True,
            "economische_categorie": "4.3.2",
            "programma": "Zorg",
        },
        expected_version=record.version,
    )
    record.refresh_from_db()
    bbv_services.update_risks(
        user=clerk,
        record=record,
        risks=[RiskRow("Tekort", 30, D("333.33"), "Bijsturen"), RiskRow("Onbekend", 70)],
        expected_version=record.version,
    )
    context = working_context(record.participation, 2017, clerk, show_empty=False)
    frozen = json.loads(json.dumps(snapshot.freeze(context), default=str))
    thawed = snapshot.thaw(frozen, record.participation, 2017)
    bbv = thawed["bbv"]
    assert bbv.financieel_belang_begin.amount == D("1250000.55")
    assert bbv.financieel_belang_eind.amount == D("0")
    assert bbv.vreemd_vermogen_eind.state == "nvt"
    assert bbv.vreemd_vermogen_begin.state == "leeg"
    assert bbv.economische_categorie == "4.3.2" and not bbv.economische_categorie_afgeleid
    assert bbv.programma == "Zorg"
    assert [(r.omschrijving, r.kans, r.effect, r.maatregelen) for r in thawed["risks"]] == [
        ("Tekort", 30, D("333.33"), "Bijsturen"),
        ("Onbekend", 70, None, ""),
    ]
    assert thawed["risks"][0].expected_amount == D("100.00")
    assert thawed["risk_profile"].code == context["risk_profile"].code
    assert thawed["risk_profile"].total_expected == D("100.00")
    assert snapshot.count_differences(frozen, snapshot.freeze(context)) == 0


def test_a_version_from_before_the_bbv_figures_thaws_as_not_filled_in(demo):
    record = zvh_record()
    version = YearVersion.objects.filter(participation=record.participation, year=2017).first()
    old = {k: v for k, v in version.snapshot.items() if k not in ("bbv", "risks", "risk_profile")}
    old["format"] = 1
    thawed = snapshot.thaw(old, record.participation, 2017)
    assert not thawed["bbv"].filled
    assert thawed["risks"] == [] and thawed["risk_profile"].code is None
    assert thawed["risk_profile"].label == "Niet bepaald"
    empty = dict(version.snapshot, bbv=None, risks=[], risk_profile=None)
    empty = {k: v for k, v in empty.items() if v is not None}
    assert snapshot.count_differences(old, empty) == 0  # no BBV data = no difference


def test_a_concept_figure_never_reaches_the_published_version_or_public_page(
    client, clerk, demo, reopen, publish
):
    record = reopen(zvh_record())
    bbv_services.update_bbv(
        user=clerk,
        record=record,
        values={"ontwikkelingen": "Geheime conceptontwikkeling", "resultaat": D("-98765.43")},
        expected_version=record.version,
    )
    record.refresh_from_db()
    bbv_services.update_risks(
        user=clerk,
        record=record,
        risks=[RiskRow("Conceptrisico", 90, D("1000000"))],
        expected_version=record.version,
    )
    latest = YearVersion.objects.filter(participation=record.participation, year=2017).first()
    assert "Geheime conceptontwikkeling" not in json.dumps(latest.snapshot)
    public = client.get(ZVH).content.decode()
    assert "Geheime conceptontwikkeling" not in public and "Conceptrisico" not in public
    assert "98.765,43" not in public
    assert "Risicoprofiel: Midden" in public  # as published
    published = paragraph_for(record.participation.municipality, 2017, Edition.BEGROTING)
    assert {r.party.afkorting: r.count for r in published.risks}["ZVH"] == 2  # as published
    client.force_login(clerk)
    working = client.get(ZVH).content.decode()
    assert "Geheime conceptontwikkeling" in working and "Conceptrisico" in working
    assert "Verbonden partij (BBV-gegevens)" in working  # listed as changed since version 1
    client.logout()
    publish(record)
    public = client.get(ZVH).content.decode()
    assert "Geheime conceptontwikkeling" in public and "€ −98.765,43" in public
    assert YearVersion.objects.filter(participation=record.participation, year=2017).first()


def test_year_page_queries_do_not_grow_with_risks(
    client, clerk, demo, reopen, publish, django_assert_max_num_queries
):
    record = reopen(zvh_record())
    client.force_login(clerk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ZVH).status_code == 200
        return len(queries)

    with_two = count()  # the demo's two risks
    record.refresh_from_db()
    bbv_services.update_risks(
        user=clerk,
        record=record,
        risks=[RiskRow(f"Risico {i}", 10, D(i)) for i in range(12)],
        expected_version=record.version,
    )
    assert count() == with_two
    with django_assert_max_num_queries(22):  # the working copy, compared with version 1
        client.get(ZVH)
    client.logout()
    publish(record)
    with django_assert_max_num_queries(20):
        page = client.get(ZVH).content.decode()
    assert "Risico 11" in page


def test_the_paragraph_totals_per_taakveld_and_the_expected_risks_to_the_cent(
    clerk, demo, reopen, publish
):
    venlo = Municipality.objects.get(slug="venlo")
    record = reopen(zvh_record())
    bbv_services.update_risks(
        user=clerk,
        record=record,
        risks=[RiskRow("A", 30, D("1000.05")), RiskRow("B", 70, D("0.05")), RiskRow("C", 50)],
        expected_version=record.version,
    )
    publish(record)
    published = paragraph_for(venlo, 2017, Edition.BEGROTING)
    rows = {r.party.afkorting: r for r in published.risks}
    assert rows["ZVH"].expected == D("300.02") + D("0.04")  # 300,015 → 300,02; 0,035 → 0,04
    assert rows["ZVH"].count == 3 and rows["ZVH"].unknown_effects == 1
    assert rows["VRLN"].expected is None and rows["VRLN"].party.risk_profile.label == "Midden"
    totals = [t for t in published.taakvelden if t.code]
    assert [t.code for t in totals] == ["1.1", "1.2"]  # in the list's order
    zvh = totals[1]
    assert zvh.parties == ["ZVH"] and zvh.budget.amount == D("1281406")
    assert totals[0].category == "4.3.3"  # VRLN: derived from the openbaar lichaam
    # no figures for VRLN 2017: not filled in (counted as missing), not 0
    assert totals[0].budget.amount is None and totals[0].budget.missing == 1


def test_overview_shows_and_filters_the_risk_profile(client, demo):
    page = client.get("/venlo/samenwerkingen/?jaar=2017").content.decode()
    assert "Risicoprofiel 2017" in page
    midden = client.get("/venlo/samenwerkingen/?jaar=2017&risicoprofiel=midden").content.decode()
    assert "(ZVH)" in midden and "(VRLN)" in midden and "(MSN)" not in midden
    hoog = client.get("/venlo/samenwerkingen/?jaar=2017&risicoprofiel=hoog").content.decode()
    assert "(ZVH)" not in hoog and "Geen samenwerkingen gevonden" in hoog
    none = client.get("/venlo/samenwerkingen/?jaar=2017&risicoprofiel=niet-bepaald")
    assert "(ZVH)" not in none.content.decode() and "(MSN)" in none.content.decode()


def test_overview_year_choice_covers_every_year_with_data(client, clerk, demo):
    def options(response) -> list[int]:
        select = re.search(r'<select name="jaar".*?</select>', response.content.decode(), re.S)
        return [int(y) for y in re.findall(r'<option value="(\d+)"', select.group(0))]

    public = options(client.get("/venlo/samenwerkingen/?jaar=2017"))
    published = set(
        YearVersion.objects.filter(participation__municipality__slug="venlo").values_list(
            "year", flat=True
        )
    )
    assert set(public) == published | {2017} and public == sorted(public)
    client.force_login(clerk)
    working = options(client.get("/venlo/samenwerkingen/?jaar=2017"))
    records = set(
        YearRecord.objects.filter(participation__municipality__slug="venlo").values_list(
            "year", flat=True
        )
    )
    assert records <= set(working) and 2016 in working  # 2016: figures only


def test_risk_profiles_for_clerks_come_from_the_working_copy(clerk, demo, reopen):
    venlo = Municipality.objects.get(slug="venlo")
    record = reopen(zvh_record())
    bbv_services.update_risks(
        user=clerk,
        record=record,
        risks=[RiskRow("Groot", 90, D("600000"))],
        expected_version=record.version,
    )
    participation = Participation.objects.get(municipality=venlo, partnership__slug="zvh")
    assert selectors.risk_profiles(venlo, clerk, 2017)[participation.pk] == "hoog"
    assert selectors.risk_profiles(venlo, AnonymousUser(), 2017)[participation.pk] == "midden"
    assert year_context(participation, 2017, clerk)["risk_profile"].code == "hoog"
