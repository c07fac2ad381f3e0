"""The other kinds of import, each through its own service and permission: the split key (the
clerk; a year without section C is made as a concept), measures and production counts (the
partnership's coördinator; every variant must still compute), partnership records with their
participants (the beheerder; never a participant removed, never a merged municipality added)."""

from datetime import date
from decimal import Decimal

import pytest

from allocation.demo import load_allocation_demo
from allocation.models import Measure
from collaborations.models import Participation, Partnership, YearRecord
from finance.models import SplitKeyComponent
from tests.collaborations.factories import UserFactory

from .imports_support import confirm, counts, text, upload, xlsx

pytestmark = pytest.mark.django_db

KEY = [
    "Gemeente",
    "Samenwerking",
    "Jaar",
    "Wat wordt gedeeld",
    "Soort",
    "Grondslag",
    "Te verdelen bedrag",
    "Aandeel van de gemeente (%)",
    "Vast bedrag",
    "Begrotingsjaar",
    "Regel in Kosten",
]
MEASURES = ["Samenwerking", "Jaar", "Gemeente", "Maat", "Waarde", "Bron", "Peildatum"]
PRODUCTION = ["Samenwerking", "Jaar", "Gemeente", "Maat", "Periode", "Aantal", "Omschrijving"]
PARTNERSHIPS = ["Afkorting", "Naam", "Deelnemende gemeenten", "Centrumgemeente", "Vorm"]


@pytest.fixture
def coordinator_client(client, demo):
    load_allocation_demo()
    client.force_login(UserFactory(username="financieel-arnhem"))
    return client


@pytest.fixture
def beheerder_client(client, demo):
    client.force_login(UserFactory(username="beheerder"))
    return client


# --- Verdeelsleutel ---------------------------------------------------------------------------


def test_a_split_key_for_a_year_without_section_c_makes_a_concept(clerk_client):
    rows = [
        [
            "Venlo",
            "ZVH",
            2019,
            "Bijdrage 2019",
            "percentage",
            "inwoners",
            "500.000",
            "48,62%",
            None,
            2019,
            "beschermd wonen",
        ],
        [
            "Venlo",
            "ZVH",
            2019,
            "Vaste bijdrage",
            "Vast bedrag",
            None,
            None,
            None,
            12000,
            2019,
            None,
        ],
    ]
    page = upload(
        clerk_client,
        "verdeelsleutel",
        "sleutel.xlsx",
        xlsx(rows, headers=KEY, title="Verdeelsleutel"),
    )
    shown = text(page)
    assert "Venlo heeft in ZVH nog geen jaar 2019: het wordt aangemaakt als concept." in shown
    assert "Aandeel van de gemeente (%): 48,62%" in shown
    confirm(clerk_client, page)
    record = YearRecord.objects.get(
        participation__municipality__slug="venlo", participation__partnership__slug="zvh", year=2019
    )
    assert record.status == YearRecord.Status.CONCEPT
    parts = list(record.split_key_components.all())
    assert [p.omschrijving for p in parts] == ["Bijdrage 2019", "Vaste bijdrage"]
    assert parts[0].computed_amount == Decimal("243100") and parts[1].fixed_amount == 12000
    assert parts[0].kosten_line.label == "beschermd wonen"


def test_a_split_key_row_says_what_is_missing_and_the_published_year_is_locked(clerk_client):
    before = counts()
    rows = [
        [
            "Venlo",
            "ZVH",
            2019,
            "Zonder aandeel",
            "Percentage van een bedrag",
            None,
            1000,
            None,
            None,
            2019,
            None,
        ],
        [
            "Venlo",
            "ZVH",
            2017,
            "bijdrage Veiligheidshuis",
            "Percentage van een bedrag",
            None,
            510245,
            "50",
            None,
            2018,
            None,
        ],
    ]
    shown = text(
        upload(
            clerk_client,
            "verdeelsleutel",
            "s.xlsx",
            xlsx(rows, headers=KEY, title="Verdeelsleutel"),
        )
    )
    assert (
        "Rij 2, kolom Aandeel van de gemeente (%): vul het aandeel in (bij een percentage "
        "van een bedrag)"
    ) in shown
    assert "Rij 3: Venlo in ZVH: 2017 is gepubliceerd en kan niet worden gewijzigd." in shown
    assert counts() == before


# --- Maten en productie -------------------------------------------------------------------


def test_the_coordinator_imports_measures_and_sees_old_and_new(coordinator_client):
    rows = [["VTGM", 2018, "GM0202", "inwoners", "153900", "CBS", date(2017, 1, 1)]]
    page = upload(
        coordinator_client, "maten", "inwoners.xlsx", xlsx(rows, headers=MEASURES, title="Maten")
    )
    shown = text(page)
    assert (
        "Waarde: 153.818 → 153.900" in shown
        and "Peildatum: niet ingevuld → 1 januari 2017" in shown
    )
    confirm(coordinator_client, page)
    stored = Measure.objects.get(municipality__slug="arnhem", code="inwoners", year=2018)
    assert stored.value == 153900 and stored.bron == "CBS"
    assert stored.peildatum == date(2017, 1, 1)
    # the description holds for the whole measure: the other participants got the same source
    assert set(
        Measure.objects.filter(code="inwoners", year=2018).values_list("bron", flat=True)
    ) == {"CBS"}


MEASURE_ERRORS = [
    (
        ["VTGM", 2018, "Venlo", "inwoners", 1, None, None],
        "Rij 2, kolom Gemeente: Venlo is geen deelnemer van het verdeelmodel van VTGM 2018",
    ),
    (
        ["ZVH", 2017, "Venlo", "inwoners", 1, None, None],
        "Rij 2, kolom Samenwerking: ZVH heeft geen verdeelmodel voor 2017",
    ),
    (
        ["VTGM", 2018, "Arnhem", "inwoners", "1.234", None, None],
        "Rij 2, kolom Waarde: '1.234' is dubbelzinnig: 1234 of 1,234?",
    ),
    (
        ["VTGM", 2018, "Arnhem", "inwoners", -5, None, None],
        "Rij 2, kolom Waarde: '-5' mag niet kleiner zijn dan 0",
    ),
    (
        ["VTGM", 2018, "Arnhem", "inwoners", 1, None, "1 januari 2017"],
        "Rij 2, kolom Peildatum: '1 januari 2017' is tekst, geen datum",
    ),
    (
        ["VTGM", 2018, "Arnhem", "inwoners", None, None, None],
        "Maat inwoners van VTGM 2018: Met deze invoer kan variant",
    ),
    (
        ["VTGM", 2018, "Arnhem", "inwoners aantal", 1, None, None],
        "Rij 2, kolom Maat: 'inwoners aantal' is geen code van een maat",
    ),
]


@pytest.mark.parametrize(("row", "message"), MEASURE_ERRORS)
def test_a_bad_measure_is_named(coordinator_client, row, message):
    before = counts()
    page = upload(
        coordinator_client, "maten", "m.xlsx", xlsx([row], headers=MEASURES, title="Maten")
    )
    assert message in text(page)
    assert counts() == before


def test_production_counts_per_period(coordinator_client):
    rows = [
        ["VTGM", 2018, "Arnhem", "productie_oz", "2016", 40, "Onderzoeken"],
        ["VTGM", 2018, "Arnhem", "productie_oz", "2017", "42", "Onderzoeken"],
        ["VTGM", 2018, "Arnhem", "onderzoeken", "2017", 1, "Onderzoeken"],
    ]
    headers = PRODUCTION
    page = upload(
        coordinator_client, "productie", "p.xlsx", xlsx(rows, headers=headers, title="Productie")
    )
    assert (
        "Rij 4, kolom Maat: de maat onderzoeken heeft één waarde per jaar, geen perioden; "
        "lees die in als Maten"
    ) in text(page)
    page = upload(
        coordinator_client,
        "productie",
        "p.xlsx",
        xlsx(rows[:2], headers=headers, title="Productie"),
    )
    assert "2 nieuwe rijen" in text(page)
    confirm(coordinator_client, page)
    stored = Measure.objects.filter(code="productie_oz", municipality__slug="arnhem")
    assert dict(stored.values_list("period", "value")) == {"2016": 40, "2017": 42}


def test_only_the_coordinator_imports_measures(clerk_client):
    assert clerk_client.get("/importeren/maten/").status_code == 403


# --- Samenwerkingen -----------------------------------------------------------------------


def test_the_beheerder_imports_a_new_partnership_with_participants(beheerder_client):
    rows = [
        [
            "RNL",
            "Regio Noord-Limburg",
            "Venlo; GM0984; horst aan de maas",
            "Venlo",
            "Openbaar lichaam",
        ]
    ]
    page = upload(
        beheerder_client,
        "samenwerkingen",
        "s.xlsx",
        xlsx(rows, headers=PARTNERSHIPS, title="Samenwerkingen"),
    )
    assert "Deelnemende gemeenten: Horst aan de Maas; Venlo; Venray" in text(page)
    confirm(beheerder_client, page)
    partnership = Partnership.objects.get(afkorting="RNL")
    assert partnership.centrumgemeente.name == "Venlo"
    assert partnership.vorm.code
    assert set(
        Participation.objects.filter(partnership=partnership).values_list(
            "municipality__name", flat=True
        )
    ) == {"Venlo", "Venray", "Horst aan de Maas"}
    assert Partnership.history.filter(history_change_reason__contains="s.xlsx").exists()


def test_an_import_never_removes_a_participant_nor_adds_a_merged_one(beheerder_client):
    before = counts()
    rows = [
        ["ZVH", None, "Venlo; Venray", None, None],
        ["NIEUW", "Nieuw", "Arnhem; Rijnwaarden", None, None],
    ]
    shown = text(
        upload(
            beheerder_client,
            "samenwerkingen",
            "s.xlsx",
            xlsx(rows, headers=PARTNERSHIPS, title="Samenwerkingen"),
        )
    )
    assert "nemen deel en ontbreekt in het bestand: een import haalt geen deelnemers weg" in shown
    assert (
        "Rij 3, kolom Deelnemende gemeenten: Rijnwaarden is op 1 januari 2018 opgegaan in "
        "Zevenaar; gebruik Zevenaar (GM0299)."
    ) in shown
    assert counts() == before


def test_only_the_beheerder_imports_partnerships(clerk_client):
    assert clerk_client.get("/importeren/samenwerkingen/").status_code == 403
    assert SplitKeyComponent.objects.exists()
