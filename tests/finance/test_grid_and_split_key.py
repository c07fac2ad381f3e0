"""Money on the year page: the seed's ZVH 2017 tables, the split key, entry in the grid."""

import html
import re
from decimal import Decimal

import pytest

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from collaborations import services as collab_services
from collaborations.models import Municipality, Participation, YearRecord
from finance import services
from finance.models import FinanceAmount, FinanceTableYear, Kind, SplitKeyComponent, Table
from finance.money import EMPTY, NVT, Cell
from tests.collaborations.factories import UserFactory, grant, invoerder_of

pytestmark = pytest.mark.django_db
ZVH_2017 = "/venlo/samenwerkingen/zvh/2017/"


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture
def venlo_zvh(demo, reopen) -> Participation:
    """Venlo's ZVH with its published 2017 reopened for corrections (version 1 stays public)."""
    participation = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    reopen(participation.years.get(year=2017))
    return participation


def test_zvh_2017_shows_every_figure_of_the_seed(client, demo):
    text = page_text(client.get(ZVH_2017))
    for figure in [
        "€ 266.733",
        "€ 1.014.673",
        "€ 39.478",
        "€ 276.235",
        "€ 1.028.608",
        "€ 1.281.406",
        "€ 1.344.321",
        "€ 1.216.284",
        "€ 1.754.264",
        "€ 1.831.153",
        "€ 1.682.862",
        "€ 248.081",
        "€ 32.936",
        "48,62%",
        "42,03%",
    ]:
        assert figure in text, figure
    assert "2.017" not in text and "2.016" not in text


def test_computed_totals_match_the_seed(client, demo):
    text = page_text(client.get(ZVH_2017))
    kosten_2017 = section(
        text, "Kosten (inbreng financiële middelen), lopend jaar (2017)", "Voorgaand"
    )
    assert "TOTAAL € 1.281.406 € 1.281.406 € 1.344.321" in kosten_2017
    resultaten = section(text, "Financiële resultaten, lopend jaar (2017)", "Voorgaand")
    assert "TOTAAL € 1.754.264 € 1.754.264 € 1.831.153" in resultaten


def test_baten_zero_eigen_vermogen_nvt_and_2015_empty(client, demo):
    text = page_text(client.get(ZVH_2017))
    baten = section(text, "Baten, lopend jaar (2017)", "Voorgaand")
    assert "nvt € 0 € 0 € 0" in baten
    assert "TOTAAL € 0 € 0 € 0" in baten
    eigen = section(text, "Eigen vermogen", "Financiële resultaten van de samenwerking")
    assert eigen.count("n.v.t. (niet van toepassing)") == 2  # 2017 and 2016
    kosten = section(text, "Kosten (inbreng financiële middelen)", "Baten")
    assert "Niet ingevuld: twee jaar terug (2015)" in kosten  # one line, not a section per year
    assert "Bij dit jaar zijn geen gegevens ingevuld bij dit onderdeel" not in text


def test_not_filled_in_is_shown_as_ellipsis_not_zero(client, demo):
    text = page_text(client.get(ZVH_2017))
    row = section(text, "Kosten (inbreng financiële middelen), lopend jaar (2017)", "TOTAAL")
    jeugd = row.split("bijdrage jeugd", 1)[1]
    assert jeugd.strip().startswith("… niet ingevuld … niet ingevuld € 39.478")


def test_variance_and_change_columns(client, demo):
    text = page_text(client.get(ZVH_2017))
    kosten = section(text, "Kosten (inbreng financiële middelen), lopend jaar (2017)", "Voorgaand")
    # beschermd wonen: begroting 2017 1.014.673 against begroting 2016 955.000
    assert "+€ 59.673 (+6,2%)" in kosten


def test_a_budget_figure_is_entered_once(clerk_client, clerk, venlo_zvh):
    """Begroting 2018 on the 2017 page is the same figure as Begroting 2018 on the 2018 page."""
    collab_services.start_new_year(user=clerk, participation=venlo_zvh)
    grid = clerk_client.get(
        reverse("finance:grid", args=["venlo", "zvh", 2018, "kosten"]) + "?kopieer=1"
    ).content.decode()
    assert 'value="276.235"' in grid  # the copied line brings its begroting 2018
    response = clerk_client.post(
        reverse("finance:grid", args=["venlo", "zvh", 2018, "kosten"]),
        grid_post([("gemeentelijke bijdrage incl nazorg ex-gedetineerden", "281.017", "", "")]),
    )
    assert response.status_code == 302
    page_2017 = page_text(clerk_client.get(ZVH_2017))
    kosten = section(
        page_2017, "Kosten (inbreng financiële middelen), lopend jaar (2017)", "TOTAAL"
    )
    assert "€ 281.017" in kosten and "€ 276.235" not in kosten


def grid_post(rows, version="", prefix="regel") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        "version": version,
    }
    for i, (label, b, r, bn) in enumerate(rows):
        data.update(
            {
                f"{prefix}-{i}-label": label,
                f"{prefix}-{i}-begroting": b,
                f"{prefix}-{i}-realisatie": r,
                f"{prefix}-{i}-begroting_volgend": bn,
                f"{prefix}-{i}-ORDER": str(i + 1),
            }
        )
    return data


def test_grid_saves_dutch_amounts_and_computes_the_total(clerk_client, venlo_zvh):
    url = reverse("finance:grid", args=["venlo", "zvh", 2017, "baten"])
    version = FinanceTableYear.objects.get(
        participation=venlo_zvh, table="baten", year=2017
    ).version
    response = clerk_client.post(
        url,
        grid_post(
            [("huur", "€ 1.234.567,89", "1.000,-", "n.v.t."), ("subsidie", "1.500", "0", "")],
            version=str(version),
        )
        | {"confirm_loss": "on"},  # the old line with its figures goes: confirmed
    )
    assert response.status_code == 302, page_text(response)[:1500]
    text = page_text(clerk_client.get(ZVH_2017))
    baten = section(text, "Baten, lopend jaar (2017)", "Voorgaand")
    assert "huur € 1.234.567,89 € 1.000 n.v.t." in baten
    assert "TOTAAL € 1.236.067,89 € 1.000" in baten
    line_amounts = FinanceAmount.objects.filter(line__label="subsidie")
    assert {(a.kind, a.amount) for a in line_amounts} == {
        (Kind.BEGROTING, Decimal("1500")),
        (Kind.REALISATIE, Decimal("0")),
    }


def test_grid_refuses_a_bad_value_naming_row_and_column_and_keeps_the_rest(clerk_client):
    url = reverse("finance:grid", args=["venlo", "zvh", 2017, "kosten"])
    response = clerk_client.post(
        url,
        grid_post(
            [("eerste", "100", "200", "300"), ("tweede", "400", "12,3,4", "600")], version="1"
        ),
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Regel 2, Realisatie 2017: “12,3,4” bevat meer dan één komma" in text
    content = response.content.decode()
    for kept in ['value="eerste"', 'value="300"', 'value="12,3,4"', 'value="600"']:
        assert kept in content
    assert "€ 1.281.406" in page_text(clerk_client.get(ZVH_2017))  # nothing saved


def test_grid_detects_a_stale_version(clerk_client, venlo_zvh):
    url = reverse("finance:grid", args=["venlo", "zvh", 2017, "kosten"])
    response = clerk_client.post(url, grid_post([("x", "1", "", "")], version="99"))
    assert response.status_code == 400
    text = page_text(response)
    assert "Iemand anders heeft deze tabel opgeslagen" in text
    # both side by side: what is saved now, and the user's own input, kept
    saved = text.split("nu opgeslagen (door een ander)")[1].split("TOTAAL")[0]
    assert "beschermd wonen 1.014.673" in saved
    assert 'value="x"' in response.content.decode()
    current = FinanceTableYear.objects.get(participation=venlo_zvh, table="kosten", year=2017)
    assert f'name="version" value="{current.version}"' in response.content.decode()


def test_shared_tables_are_for_the_responsible_clerk_only(client, demo):
    venray_clerk = UserFactory(username="venray")
    grant(venray_clerk, "invoerder", Municipality.objects.get(slug="venray"))
    client.force_login(venray_clerk)
    assert (
        client.get(reverse("finance:grid", args=["venlo", "zvh", 2017, "resultaten"])).status_code
        == 403
    )


def key_amount(base: str, percent: str) -> Decimal:
    component = SplitKeyComponent(
        kind="aandeel", base_amount=Decimal(base), share_percent=Decimal(percent)
    )
    return component.computed_amount


def test_key_amount_is_rounded_half_up_to_the_euro():
    assert key_amount("510245", "48.62") == Decimal("248081")  # 248.081,12
    assert key_amount("93929", "42.03") == Decimal("39478")  # 39.478,36
    assert key_amount("53492", "62") == Decimal("33165")  # the wiki's "62 %" gives 33.165
    assert key_amount("53492", "61.571") == Decimal("32936")  # the precise share gives 32.936
    assert key_amount("1000", "0.05") == Decimal("1")  # 0,50 rounds up


def test_consistency_signal_is_shown_to_clerks_only(client, clerk_client, demo):
    clerk_text = page_text(clerk_client.get(ZVH_2017))
    assert "volgens de sleutel € 281.017, in de tabel € 276.235 (verschil −€ 4.782)" in clerk_text
    assert "Controle voor invoerders" not in page_text(Client().get(ZVH_2017))


def test_split_key_form_saves_components(clerk_client, venlo_zvh):
    record = YearRecord.objects.get(participation=venlo_zvh, year=2017)
    url = reverse("finance:split-key", args=["venlo", "zvh", 2017])
    assert "61,571" in clerk_client.get(url).content.decode()
    data = {
        "sleutel-TOTAL_FORMS": "1",
        "sleutel-INITIAL_FORMS": "0",
        "sleutel-MIN_NUM_FORMS": "0",
        "sleutel-MAX_NUM_FORMS": "1000",
        "version": str(record.version),
        "sleutel-0-kind": "aandeel",
        "sleutel-0-omschrijving": "bijdrage Veiligheidshuis",
        "sleutel-0-basis": "inwoners",
        "sleutel-0-base_amount": "€ 510.245",
        "sleutel-0-share_percent": "48,62%",
        "sleutel-0-fixed_amount": "",
        "sleutel-0-applies_to_year": "2018",
        "sleutel-0-kosten_line_label": "gemeentelijke bijdrage incl nazorg ex-gedetineerden",
    }
    response = clerk_client.post(url, data)
    assert response.status_code == 302, page_text(response)[:2000]
    component = record.split_key_components.get()
    assert component.computed_amount == Decimal("248081")
    data["sleutel-0-share_percent"] = ""
    response = clerk_client.post(url, {**data, "version": str(record.version + 1)})
    assert response.status_code == 400
    assert "Onderdeel 1: Aandeel van de gemeente (%): Vul dit in" in page_text(response)


def test_year_page_queries_stay_fixed_with_three_full_years(
    clerk_client, clerk, venlo_zvh, django_assert_max_num_queries
):
    """All four tables filled for 2015, 2016 and 2017: the page needs at most 20 queries."""
    beheerder = get_user_model().objects.get(username="beheerder")
    for table in (Table.KOSTEN, Table.BATEN, Table.RESULTATEN, Table.EIGEN_VERMOGEN):
        for year in (2015, 2016, 2017):
            existing = (
                FinanceTableYear.objects.filter(table=table, year=year)
                .filter(participation=venlo_zvh)
                .first()
                or FinanceTableYear.objects.filter(
                    table=table, year=year, partnership=venlo_zvh.partnership
                ).first()
            )
            services.save_table_year(
                user=beheerder,
                participation=venlo_zvh,
                table=table,
                year=year,
                rows=[
                    services.GridRow(f"regel {i}", (Cell(Decimal(i)), NVT, EMPTY)) for i in range(8)
                ],
                expected_version=existing.version if existing else None,
            )
    with django_assert_max_num_queries(21):  # 21: the risk register
        response = clerk_client.get(ZVH_2017)
    assert page_text(response).count("regel 7") >= 12


def test_vreemd_vermogen_is_offered_to_the_coordinator_and_shown_once_published(
    client, clerk_client, venlo_zvh, publish
):
    assert "Vreemd vermogen" not in page_text(Client().get(ZVH_2017))
    grid_url = reverse("finance:grid", args=["venlo", "zvh", 2017, "vreemd_vermogen"])
    assert grid_url not in clerk_client.get(ZVH_2017).content.decode()  # shared: not the clerk's
    assert clerk_client.get(grid_url).status_code == 403
    coordinator = UserFactory(username="coordinator")
    grant(coordinator, "coordinator", venlo_zvh.partnership)
    client.force_login(coordinator)
    assert grid_url in client.get(ZVH_2017).content.decode()
    response = client.post(grid_url, grid_post([("Langlopende lening", "250.000", "", "")]))
    assert response.status_code == 302
    # The public sees what was published: the new table only with the next version.
    assert "Vreemd vermogen" not in page_text(Client().get(ZVH_2017))
    publish(venlo_zvh.years.get(year=2017))
    text = page_text(Client().get(ZVH_2017))
    assert "Vreemd vermogen, lopend jaar (2017)" in text
    assert "Langlopende lening € 250.000" in text


def test_replacing_lines_with_figures_asks_first_and_keeps_the_input(clerk_client, venlo_zvh):
    """One click never destroys figures: the grid says which lines would lose their amounts."""
    url = reverse("finance:grid", args=["venlo", "zvh", 2017, "kosten"])
    version = FinanceTableYear.objects.get(
        participation=venlo_zvh, table="kosten", year=2017
    ).version
    before = FinanceAmount.objects.count()
    response = clerk_client.post(url, grid_post([("alleen dit", "5", "", "")], str(version)))
    assert response.status_code == 409
    text = page_text(response)
    assert "Er is nog niets opgeslagen" in text
    assert "beschermd wonen" in text
    assert 'value="alleen dit"' in response.content.decode()
    assert FinanceAmount.objects.count() == before


def test_ticking_nvt_on_a_filled_table_asks_first(clerk_client, venlo_zvh):
    url = reverse("finance:grid", args=["venlo", "zvh", 2017, "kosten"])
    version = FinanceTableYear.objects.get(
        participation=venlo_zvh, table="kosten", year=2017
    ).version
    data = grid_post([], str(version)) | {"not_applicable": "on"}
    response = clerk_client.post(url, data)
    assert response.status_code == 409
    assert "Als u de tabel op n.v.t. zet" in page_text(response)
    assert not FinanceTableYear.objects.get(
        participation=venlo_zvh, table="kosten", year=2017
    ).not_applicable
    confirmed = clerk_client.post(url, data | {"confirm_loss": "on"})
    assert confirmed.status_code == 302
    assert FinanceTableYear.objects.get(
        participation=venlo_zvh, table="kosten", year=2017
    ).not_applicable


def test_an_older_grid_of_the_year_before_cannot_put_an_old_budget_back(clerk_client, venlo_zvh):
    """Begroting 2018 is shown by the 2017 and the 2018 grid. A 2017 grid opened before the 2018
    grid was saved is refused, instead of silently reverting the 2018 correction."""
    grid_2017 = reverse("finance:grid", args=["venlo", "zvh", 2017, "kosten"])
    opened = clerk_client.get(grid_2017).context["meta_form"].initial
    collab_services.start_new_year(
        user=invoerder_of(venlo_zvh.municipality), participation=venlo_zvh
    )
    grid_2018 = reverse("finance:grid", args=["venlo", "zvh", 2018, "kosten"])
    meta_2018 = clerk_client.get(grid_2018 + "?kopieer=1").context
    rows_2018 = [
        (
            f.initial["label"],
            "1.030.000" if "beschermd" in f.initial["label"] else f.initial["begroting"],
            "",
            "",
        )
        for f in meta_2018["formset"].forms
        if f.initial
    ]
    meta = meta_2018["meta_form"].initial
    saved = clerk_client.post(
        grid_2018,
        grid_post(rows_2018, "" if meta["version"] is None else str(meta["version"]))
        | {"version_previous": str(meta["version_previous"]), "version_next": ""},
    )
    assert saved.status_code == 302, page_text(saved)[:800]
    stale = clerk_client.post(
        grid_2017,
        grid_post(
            [("beschermd wonen", "1.014.673", "1.014.673", "1.028.608")], str(opened["version"])
        )
        | {
            "version_previous": str(opened["version_previous"] or ""),
            "version_next": "",
            "confirm_loss": "on",
        },
    )
    assert stale.status_code == 400
    assert "Iemand anders heeft deze tabel opgeslagen" in page_text(stale)
    amount = FinanceAmount.objects.get(
        line__participation=venlo_zvh, line__label="beschermd wonen", year=2018, kind="begroting"
    )
    assert amount.amount == Decimal("1030000")
