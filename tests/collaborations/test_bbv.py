"""The BBV figures and the risk register of a year: the rules (expected amount, risk profile),
the services (validation in Dutch naming the field or row, locking, history) and the edit pages."""

from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collaborations import iv3, risks
from collaborations import services as collab_services
from collaborations.models import BbvFigures, Risk, YearRecord
from collaborations.services import bbv as services
from collaborations.services.bbv import RiskRow
from core.locking import StaleVersionError
from tests.collaborations.factories import UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


# --- the rules, pure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kans", "effect", "expected"),
    [
        (10, D("1000"), D("100.00")),
        (30, D("333.33"), D("100.00")),  # 99,999 → 100,00 (half up, to the cent)
        (70, D("0.05"), D("0.04")),  # 0,035 → 0,04
        (90, D("1234567.89"), D("1111111.10")),  # 1.111.111,101
        (50, D("0"), D("0.00")),
        (50, None, None),  # an unknown effect has no expected amount
    ],
)
def test_expected_amount_is_probability_times_effect_to_the_cent(kans, effect, expected):
    assert risks.expected_amount(kans, effect) == expected


def test_total_expected_adds_the_known_amounts_only():
    assert risks.total_expected([(10, D("1000")), (50, None), (30, D("10"))]) == D("103.00")
    assert risks.total_expected([(50, None)]) is None
    assert risks.total_expected([]) is None


@pytest.mark.parametrize(
    ("pairs", "interest", "profile"),
    [
        ([], None, None),  # nothing to judge
        ([], D("100000"), "laag"),  # small interest, no risks: 1 + 1
        ([(10, D("1000"))], D("100000"), "laag"),  # 1 % of the interest → risico 2: 1 + 2 = 3
        ([(50, D("10000"))], D("1000000"), "laag"),  # € 5.000 of € 1 mln: 0,5 % → 2 + 1
        ([(50, D("40000"))], D("1000000"), "midden"),  # 2 % → 2 + 2
        ([(90, D("100000"))], D("1000000"), "hoog"),  # 9 % → 2 + 3
        ([(90, D("1000000"))], D("3000000"), "hoog"),  # 30 % of a large interest → 3 + 3
        ([(70, None)], None, "midden"),  # unknown effect at 70 %: at least 2, belang as risico
        ([(30, None)], None, "laag"),
        ([(10, D("600000"))], None, "midden"),  # € 60.000 absolute → 2, belang unknown → 2
        ([(90, D("600000"))], None, "hoog"),  # € 540.000 absolute → 3 + 3
    ],
)
def test_risk_profile_follows_the_documented_rule(pairs, interest, profile):
    assert risks.risk_profile(pairs, interest) == profile


def test_every_profile_has_an_arrangement_with_what_the_council_receives_and_when():
    for number, code in enumerate(["laag", "midden", "hoog"], start=1):
        arrangement = risks.arrangement(code)
        assert arrangement.number == number
        assert arrangement.council_receives and arrangement.when
    assert risks.arrangement(None) is None


def test_iv3_list_and_default_economic_category():
    velden = iv3.taakvelden()
    assert velden["1.1"] == "Crisisbeheersing en brandweer"
    assert velden["0.10"] == "Mutaties reserves"
    assert len(velden) > 50
    assert iv3.default_category("openbaar-lichaam") == "4.3.3"
    assert iv3.default_category("bedrijfsvoeringsorganisatie") == "4.3.3"
    assert iv3.default_category("centrumgemeente") == "4.3.2"
    assert iv3.default_category("stichting") == ""


# --- services -------------------------------------------------------------------------------


@pytest.fixture
def zvh_2017(demo, reopen) -> YearRecord:
    return reopen(
        YearRecord.objects.get(
            participation__partnership__slug="zvh",
            participation__municipality__slug="venlo",
            year=2017,
        )
    )


def test_update_bbv_saves_three_states_bumps_the_version_and_keeps_history(clerk, zvh_2017):
    version = zvh_2017.version
    figures = services.update_bbv(
        user=clerk,
        record=zvh_2017,
        values={
            "financieel_belang_begin": D("0"),
            "financieel_belang_eind": None,
            "vreemd_vermogen_begin_nvt": True,
            "taakveld": "1.2",
            "programma": "Veiligheid",
        },
        expected_version=version,
    )
    figures.refresh_from_db()
    assert figures.financieel_belang_begin == D("0")  # zero is an amount
    assert figures.financieel_belang_eind is None and not figures.financieel_belang_eind_nvt
    assert figures.vreemd_vermogen_begin is None and figures.vreemd_vermogen_begin_nvt
    zvh_2017.refresh_from_db()
    assert zvh_2017.version == version + 1
    entry = figures.history.first()
    assert entry.history_user == clerk and entry.programma == "Veiligheid"


def test_update_bbv_refuses_an_amount_and_nvt_together_naming_the_field(clerk, zvh_2017):
    with pytest.raises(ValidationError) as caught:
        services.update_bbv(
            user=clerk,
            record=zvh_2017,
            values={"eigen_vermogen_eind": D("5"), "eigen_vermogen_eind_nvt": True},
            expected_version=zvh_2017.version,
        )
    assert "Eigen vermogen einde jaar (verwacht)" in str(caught.value.message_dict)


def test_update_bbv_refuses_an_unknown_taakveld(clerk, zvh_2017):
    with pytest.raises(ValidationError) as caught:
        services.update_bbv(
            user=clerk,
            record=zvh_2017,
            values={"taakveld": "9.9"},
            expected_version=zvh_2017.version,
        )
    assert "Iv3-taakveld" in str(caught.value)


def test_update_bbv_refuses_a_stale_version_strangers_and_a_locked_year(clerk, zvh_2017):
    with pytest.raises(StaleVersionError):
        services.update_bbv(
            user=clerk,
            record=zvh_2017,
            values={"programma": "x"},
            expected_version=zvh_2017.version - 1,
        )
    with pytest.raises(PermissionDenied):
        services.update_bbv(
            user=UserFactory(username="vreemde"),
            record=zvh_2017,
            values={"programma": "x"},
            expected_version=zvh_2017.version,
        )
    published = YearRecord.objects.get(
        participation__partnership__slug="vrln", participation__municipality__slug="venlo"
    )
    with pytest.raises(ValidationError, match="Heropen het jaar eerst"):
        services.update_bbv(
            user=clerk,
            record=published,
            values={"programma": "x"},
            expected_version=published.version,
        )


def test_update_risks_adds_changes_and_deletes_rows_with_history(clerk, zvh_2017):
    services.update_risks(
        user=clerk,
        record=zvh_2017,
        risks=[RiskRow("Tekort", 30, D("1000")), RiskRow("Uittreding", 10)],
        expected_version=zvh_2017.version,
    )
    zvh_2017.refresh_from_db()
    first, second = zvh_2017.risks.filter(omschrijving__in=["Tekort", "Uittreding"])
    services.update_risks(
        user=clerk,
        record=zvh_2017,
        risks=[RiskRow("Tekort", 50, D("1000"), id=first.pk)],
        expected_version=zvh_2017.version,
    )
    assert list(zvh_2017.risks.values_list("omschrijving", "kans")) == [("Tekort", 50)]
    assert Risk.history.filter(id=second.pk, history_type="-").exists()
    assert Risk.history.filter(id=first.pk).count() == 2  # made, changed


def test_update_risks_names_row_and_column_and_writes_nothing(clerk, zvh_2017):
    before = list(zvh_2017.risks.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as caught:
        services.update_risks(
            user=clerk,
            record=zvh_2017,
            risks=[RiskRow("Goed", 30), RiskRow("Fout", 40), RiskRow("Negatief", 10, D("-1"))],
            expected_version=zvh_2017.version,
        )
    text = " ".join(caught.value.messages)
    assert "Risico 2, Kans" in text
    assert "Risico 3, Financieel effect" in text
    assert list(zvh_2017.risks.values_list("pk", flat=True)) == before


# --- the edit pages -------------------------------------------------------------------------


def edit_url(section: str) -> str:
    return reverse("collaborations:year-edit", args=["venlo", "zvh", 2017, section])


def bbv_post(record, **values) -> dict:
    form = {"version": record.version}
    return form | values


def test_bbv_page_saves_nvt_zero_and_empty(clerk_client, zvh_2017):
    page = clerk_client.get(edit_url("verbonden-partij"))
    assert page.status_code == 200
    assert "Afgeleid uit de vorm" in page.content.decode()
    response = clerk_client.post(
        edit_url("verbonden-partij"),
        bbv_post(
            zvh_2017,
            financieel_belang_begin="1.250.000,50",
            financieel_belang_eind="0",
            eigen_vermogen_begin="n.v.t.",
            bestuurlijk_belang_begin="Eén stem van acht",
            taakveld="1.2",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    figures = BbvFigures.objects.get(year_record=zvh_2017)
    assert figures.financieel_belang_begin == D("1250000.50")
    assert figures.financieel_belang_eind == D("0")
    assert figures.eigen_vermogen_begin_nvt and figures.eigen_vermogen_begin is None
    assert figures.vreemd_vermogen_begin is None and not figures.vreemd_vermogen_begin_nvt
    page = clerk_client.get(response["Location"]).content.decode()
    assert "€ 1.250.000,50" in page and "Eén stem van acht" in page


def test_bbv_page_names_the_field_of_a_bad_amount_and_keeps_the_input(clerk_client, zvh_2017):
    response = clerk_client.post(
        edit_url("verbonden-partij"),
        bbv_post(zvh_2017, resultaat="veel", ontwikkelingen="Blijft staan"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Financieel resultaat (verwacht)" in page
    assert "Blijft staan" in page


def risk_post(record, rows) -> dict:
    data = {
        "version": record.version,
        "risico-TOTAL_FORMS": str(len(rows)),
        "risico-INITIAL_FORMS": "0",
        "risico-MIN_NUM_FORMS": "0",
        "risico-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"risico-{i}-{key}"] = value
    return data


def test_risks_page_saves_rows_and_shows_the_expected_amount(clerk_client, zvh_2017):
    assert clerk_client.get(edit_url("risicos")).status_code == 200
    zvh_2017.risks.all().delete()  # the demo's two risks: a fresh table here
    response = clerk_client.post(
        edit_url("risicos"),
        risk_post(
            zvh_2017,
            [
                {"omschrijving": "Tekort", "kans": "30", "effect": "100.000", "maatregelen": ""},
                {"omschrijving": "", "kans": "", "effect": "", "maatregelen": ""},  # empty row
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(zvh_2017.risks.values_list("omschrijving", flat=True)) == ["Tekort"]
    page = clerk_client.get(response["Location"]).content.decode()
    assert "€ 30.000" in page  # 30 % × € 100.000


def test_risks_page_names_the_row_of_a_missing_probability(clerk_client, zvh_2017):
    zvh_2017.risks.all().delete()
    response = clerk_client.post(
        edit_url("risicos"),
        risk_post(
            zvh_2017, [{"omschrijving": "Zonder kans", "kans": "", "effect": "", "maatregelen": ""}]
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Risico 1, Kans" in page and "Zonder kans" in page


# --- a new year ------------------------------------------------------------------------------


def test_a_new_year_starts_from_last_years_end_and_keeps_the_risks(clerk, zvh_2017):
    """Nieuw jaar starten: the start of 2018 is the (expected) end of 2017, n.v.t. included; the
    lasting texts and choices come along; the new year's end and result start niet ingevuld;
    the risks are copied, to be reviewed with the rest."""
    services.update_bbv(
        user=clerk,
        record=zvh_2017,
        values={
            "bestuurlijk_belang_eind": "Zetel in het AB",
            "financieel_belang_eind": D("125000"),
            "eigen_vermogen_eind_nvt": True,
            "vreemd_vermogen_eind": D("0"),
            "resultaat": D("5000"),
            "programma": "Veiligheid",
            "taakveld": "1.2",
        },
        expected_version=zvh_2017.version,
    )
    zvh_2017.refresh_from_db()
    services.update_risks(
        user=clerk,
        record=zvh_2017,
        risks=[RiskRow("Loonstijging", 70, D("20000"), "Reserve"), RiskRow("Huur", 10, None)],
        expected_version=zvh_2017.version,
    )
    new = collab_services.start_new_year(user=clerk, participation=zvh_2017.participation)
    figures = BbvFigures.objects.get(year_record=new)
    assert new.year == 2018 and new.nagekeken is False
    assert figures.bestuurlijk_belang_begin == "Zetel in het AB"
    assert figures.financieel_belang_begin == D("125000")
    assert figures.eigen_vermogen_begin is None and figures.eigen_vermogen_begin_nvt
    assert figures.vreemd_vermogen_begin == D("0")  # zero stays an amount
    assert (figures.programma, figures.taakveld) == ("Veiligheid", "1.2")
    assert figures.financieel_belang_eind is None and not figures.financieel_belang_eind_nvt
    assert figures.resultaat is None and not figures.resultaat_nvt
    copied = [(r.omschrijving, r.kans, r.effect, r.maatregelen) for r in new.risks.all()]
    assert copied == [("Loonstijging", 70, D("20000"), "Reserve"), ("Huur", 10, None, "")]
    assert figures.history.first().history_change_reason == "Overgenomen van 2017"
    # the year it came from is untouched
    assert zvh_2017.risks.count() == 2
    assert BbvFigures.objects.get(year_record=zvh_2017).financieel_belang_eind == D("125000")
