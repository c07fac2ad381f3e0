"""Kept settlements of a year-end result (allocation.services.settlements, the selectors and the
pages): who may keep one, exact to the cent, frozen once saved, versioned, deleted and put back,
in the history; on the comparison page, exported, and on each participant's year page.

The service tests build a small partnership with factories; the page tests use the Veilig Thuis
2018 model of the demo (`vt_model`) and its coördinator (`officer`)."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_FLOOR, Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from allocation import selectors, services
from allocation.models import Measure, Settlement, SettlementLine
from allocation.services import VariantInput
from collaborations.models import Municipality, Participation, YearVersion
from core.fields import NOTE_MAX_LENGTH
from core.formatting import format_money
from core.locking import StaleVersionError
from tests.allocation.factories import split_by_measure
from tests.collaborations.factories import (
    MunicipalityFactory,
    ParticipationFactory,
    PartnershipFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
TOTAL = 1_000_000
INHABITANTS = [17_231, 42_097, 95_612]
YOUTH = [3_001, 8_117, 19_433]
CENT = Decimal("0.01")


# --- a small partnership from factories -------------------------------------------------


@pytest.fixture
def municipalities():
    return [MunicipalityFactory() for _ in INHABITANTS]


@pytest.fixture
def partnership(municipalities):
    partnership = PartnershipFactory(centrumgemeente=municipalities[0])
    for municipality in municipalities:
        ParticipationFactory(partnership=partnership, municipality=municipality)
    return partnership


@pytest.fixture
def coordinator(partnership):
    user = UserFactory(username="coordinator")
    grant(user, "coordinator", partnership)
    return user


def _measure(code: str, description: str, municipalities, values) -> dict:
    return {
        "omschrijving": description,
        "waarden": {m.name: v for m, v in zip(municipalities, values, strict=True)},
    }


@pytest.fixture
def model(partnership, municipalities):
    """Variant A (adopted) splits the budget by inwoners, variant B by jeugdinwoners."""
    return services.save_allocation_model(
        partnership=partnership,
        year=YEAR,
        name="Verdeelmodel",
        bron="Begroting",
        inputs={
            "deelnemers": [{"naam": m.name} for m in municipalities],
            "maten": {
                "inwoners": _measure("inwoners", "Aantal inwoners", municipalities, INHABITANTS),
                "jeugdinwoners": _measure("jeugd", "Jeugdinwoners", municipalities, YOUTH),
            },
        },
        variants=[
            VariantInput("A", "Variant A", "", split_by_measure(TOTAL)),
            VariantInput("B", "Variant B", "", split_by_measure(TOTAL, "jeugdinwoners")),
        ],
        adopted_code="A",
    )


def largest_remainder(total: Decimal, weights: dict[str, Decimal], unit: Decimal) -> dict:
    """The expected split, computed here on its own: pro rata, rounded down to `unit`, the
    missing units to the largest remainders."""
    whole = sum(weights.values())
    exact = {name: total * w / whole for name, w in weights.items()}
    floors = {
        n: (v / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for n, v in exact.items()
    }
    missing = int((total - sum(floors.values())) / unit)
    for name in sorted(exact, key=lambda n: exact[n] - floors[n], reverse=True)[:missing]:
        floors[name] += unit
    return floors


def keep(user, model, amount="120000", key="bijdrage", **extra) -> Settlement:
    return services.save_settlement(
        user=user,
        model=model,
        amount=Decimal(amount),
        key=key,
        description=extra.pop("description", "Tekort jaarrekening, besluit AB"),
        **extra,
    )


def lines_of(settlement) -> dict[str, Decimal]:
    return {line.name: line.amount for line in settlement.lines.all()}


# --- who may keep one -------------------------------------------------------------------


def test_only_the_coordinator_or_the_beheerder_keeps_a_settlement(model, municipalities):
    clerk = UserFactory()
    grant(clerk, "invoerder", municipalities[0])
    other = UserFactory()
    grant(other, "coordinator", PartnershipFactory())
    for user in (AnonymousUser(), clerk, other):
        with pytest.raises(PermissionDenied, match="coördinator"):
            keep(user, model)
    assert not Settlement.objects.exists()

    beheerder = UserFactory(is_superuser=True, is_staff=True)
    assert keep(beheerder, model).lines.count() == len(municipalities)


def test_the_coordinator_alone_corrects_and_deletes(model, coordinator, municipalities):
    settlement = keep(coordinator, model)
    clerk = UserFactory()
    grant(clerk, "invoerder", municipalities[0])
    with pytest.raises(PermissionDenied):
        services.delete_settlement(
            user=clerk, settlement=settlement, expected_version=settlement.version
        )
    with pytest.raises(PermissionDenied):
        services.correct_settlement(
            user=clerk,
            settlement=settlement,
            expected_version=settlement.version,
            amount=Decimal(1),
            key="bijdrage",
            description="x",
            status="concept",
        )
    assert Settlement.objects.get().amount == Decimal("120000")


# --- exact to the cent ------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["120000", "100.03", "1234567.89", "0.01", "987654.31"])
def test_the_parts_add_up_to_the_result_exactly_pro_rata_to_the_contribution(
    model, coordinator, amount
):
    contributions = selectors.comparison(model).results[0].amounts()
    settlement = keep(coordinator, model, amount)

    parts = lines_of(settlement)
    assert sum(parts.values()) == Decimal(amount) == settlement.amount
    assert parts == largest_remainder(Decimal(amount), contributions, CENT)
    assert {line.name: line.weight for line in settlement.lines.all()} == contributions
    assert settlement.variant_code == "A"
    assert "bijdrage volgens variant A" in settlement.key_label


@pytest.mark.parametrize("amount", ["-120000", "-0.05", "-33333.33"])
def test_a_surplus_is_returned_to_the_participants_to_the_cent(model, coordinator, amount):
    settlement = keep(coordinator, model, amount)

    parts = lines_of(settlement)
    assert sum(parts.values()) == Decimal(amount)
    assert all(part <= 0 for part in parts.values())
    assert settlement.kind == "overschot"


def test_a_measure_as_key_splits_by_that_measure(model, coordinator, municipalities):
    settlement = keep(coordinator, model, "50000", key="jeugdinwoners")

    youth = {m.name: Decimal(v) for m, v in zip(municipalities, YOUTH, strict=True)}
    assert lines_of(settlement) == largest_remainder(Decimal(50000), youth, CENT)
    assert settlement.key_label == "naar rato van: Jeugdinwoners"
    assert {line.municipality for line in settlement.lines.all()} == set(municipalities)


# --- frozen once saved ------------------------------------------------------------------


def test_a_kept_settlement_does_not_change_when_measures_or_the_adopted_variant_change(
    model, coordinator, municipalities
):
    settlement = keep(coordinator, model)
    by_youth = keep(coordinator, model, "50000", key="jeugdinwoners")
    kept, kept_youth = lines_of(settlement), lines_of(by_youth)

    for measure in Measure.objects.filter(municipality=municipalities[0], year=YEAR):
        measure.value *= 3
        measure.save()
    services.adopt_variant(user=coordinator, variant=model.variants.get(code="B"))

    # what the model computes now is different …
    now = selectors.settlement(selectors.comparison(model), Decimal(120000), "bijdrage")
    assert {name: part for name, _w, part in now} != kept
    # … the kept settlements are not
    assert lines_of(Settlement.objects.get(pk=settlement.pk)) == kept
    assert lines_of(Settlement.objects.get(pk=by_youth.pk)) == kept_youth
    assert Settlement.objects.get(pk=settlement.pk).variant_code == "A"


def test_a_correction_of_the_text_keeps_the_lines_a_new_amount_computes_them_again(
    model, coordinator, municipalities
):
    settlement = keep(coordinator, model)
    kept = lines_of(settlement)
    for measure in Measure.objects.filter(municipality=municipalities[1], year=YEAR):
        measure.value += 1000
        measure.save()

    settlement = services.correct_settlement(
        user=coordinator,
        settlement=settlement,
        expected_version=settlement.version,
        amount=Decimal(120000),
        key="bijdrage",
        description="Tekort na accountantscontrole",
        status="vastgesteld",
    )
    assert lines_of(settlement) == kept
    assert (settlement.status, settlement.version) == ("vastgesteld", 2)

    settlement = services.correct_settlement(
        user=coordinator,
        settlement=settlement,
        expected_version=settlement.version,
        amount=Decimal("125000.50"),
        key="bijdrage",
        description="Tekort na accountantscontrole",
        status="vastgesteld",
    )
    contributions = selectors.comparison(model).results[0].amounts()
    assert lines_of(settlement) == largest_remainder(Decimal("125000.50"), contributions, CENT)
    assert settlement.version == 3


def test_a_correction_on_a_replaced_version_is_refused(model, coordinator):
    settlement = keep(coordinator, model)
    opened = settlement.version
    services.correct_settlement(
        user=coordinator,
        settlement=settlement,
        expected_version=opened,
        amount=Decimal(120000),
        key="bijdrage",
        description="Eerste correctie",
        status="concept",
    )
    with pytest.raises(StaleVersionError, match="Iemand anders"):
        services.correct_settlement(
            user=coordinator,
            settlement=settlement,
            expected_version=opened,
            amount=Decimal(1),
            key="bijdrage",
            description="Tweede correctie",
            status="concept",
        )
    with pytest.raises(StaleVersionError):
        services.delete_settlement(user=coordinator, settlement=settlement, expected_version=opened)
    stored = Settlement.objects.get()
    assert (stored.description, stored.amount) == ("Eerste correctie", Decimal(120000))


# --- bad input: a Dutch message naming the field ----------------------------------------


@pytest.mark.parametrize(
    ("amount", "key", "description", "status", "field", "words"),
    [
        ("0", "bijdrage", "x", "concept", "amount", "Te verrekenen resultaat"),
        ("12.345", "bijdrage", "x", "concept", "amount", "hoogstens 2 decimalen"),
        ("1000000000000", "bijdrage", "x", "concept", "amount", "te groot"),
        ("100", "onbekend", "x", "concept", "key", "Verdelen"),
        ("100", "bijdrage", "", "concept", "description", "Omschrijving"),
        ("100", "bijdrage", "x" * (NOTE_MAX_LENGTH + 1), "concept", "description", "Omschrijving"),
        ("100", "bijdrage", "x", "definitief", "status", "Status"),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message_naming_the_field(
    model, coordinator, amount, key, description, status, field, words
):
    with pytest.raises(ValidationError) as info:
        keep(coordinator, model, amount, key=key, description=description, status=status)
    assert field in info.value.message_dict
    assert words in " ".join(info.value.message_dict[field])
    assert not Settlement.objects.exists()


def test_a_key_that_adds_up_to_zero_or_misses_a_participant_is_refused(
    model, coordinator, municipalities
):
    for municipality in municipalities:
        Measure.objects.create(
            municipality=municipality, code="nul", year=YEAR, value=0, omschrijving="Nul"
        )
    Measure.objects.create(
        municipality=municipalities[0], code="half", year=YEAR, value=5, omschrijving="Half"
    )
    with pytest.raises(ValidationError, match="telt op tot 0"):
        keep(coordinator, model, key="nul")
    with pytest.raises(ValidationError) as info:
        keep(coordinator, model, key="half")
    assert municipalities[1].name in info.value.message_dict["key"][0]
    assert not Settlement.objects.exists()


def test_without_an_adopted_variant_nothing_is_settled(model, coordinator):
    for variant in model.variants.all():
        variant.adopted = False
        variant.save()
    with pytest.raises(ValidationError, match="nog geen variant vastgesteld"):
        keep(coordinator, model)


# --- delete, put back, history ----------------------------------------------------------


def test_a_deleted_settlement_is_put_back_with_the_same_figures(model, coordinator):
    settlement = keep(coordinator, model, status="vastgesteld")
    kept, pk = lines_of(settlement), settlement.pk
    history_id = services.delete_settlement(
        user=coordinator, settlement=settlement, expected_version=settlement.version
    )
    assert not Settlement.objects.exists() and not SettlementLine.objects.exists()
    assert [row.history_id for row in selectors.deleted_settlements(model)] == [history_id]

    restored = services.restore_settlement(user=coordinator, model=model, history_id=history_id)

    assert restored.pk == pk
    assert lines_of(restored) == kept
    assert (restored.status, restored.amount) == ("vastgesteld", Decimal(120000))
    assert restored.created_at == settlement.created_at
    assert selectors.deleted_settlements(model) == []
    with pytest.raises(ValidationError, match="bestaat al weer"):
        services.restore_settlement(user=coordinator, model=model, history_id=history_id)


def test_put_back_after_a_correction_gives_the_corrected_lines(model, coordinator):
    settlement = keep(coordinator, model)
    settlement = services.correct_settlement(
        user=coordinator,
        settlement=settlement,
        expected_version=settlement.version,
        amount=Decimal("-40000"),
        key="jeugdinwoners",
        description="Overschot",
        status="concept",
    )
    corrected = lines_of(settlement)
    history_id = services.delete_settlement(
        user=coordinator, settlement=settlement, expected_version=settlement.version
    )
    restored = services.restore_settlement(user=coordinator, model=model, history_id=history_id)
    assert lines_of(restored) == corrected
    assert sum(corrected.values()) == Decimal("-40000")


def test_every_change_is_in_the_history_with_who_and_why(model, coordinator):
    settlement = keep(coordinator, model)
    settlement = services.correct_settlement(
        user=coordinator,
        settlement=settlement,
        expected_version=settlement.version,
        amount=Decimal(90000),
        key="bijdrage",
        description="Gecorrigeerd",
        status="vastgesteld",
    )
    history_id = services.delete_settlement(
        user=coordinator, settlement=settlement, expected_version=settlement.version
    )
    services.restore_settlement(user=coordinator, model=model, history_id=history_id)

    rows = list(Settlement.history.filter(id=settlement.pk).order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "~", "-", "+"]
    assert [r.amount for r in rows[:2]] == [Decimal(120000), Decimal(90000)]
    assert {r.history_user for r in rows} == {coordinator}
    assert rows[-1].history_change_reason.startswith("Teruggezet naar")
    line_types = SettlementLine.history.filter(settlement_id=settlement.pk).values_list(
        "history_type", flat=True
    )
    # 3 lines saved, replaced by 3 (the amount changed), deleted and put back
    assert sorted(line_types) == sorted(["+"] * 9 + ["-"] * 6)


def test_restore_needs_a_deleted_settlement_of_this_model(model, coordinator, partnership):
    settlement = keep(coordinator, model)
    saved_row = Settlement.history.get(id=settlement.pk).history_id
    with pytest.raises(ValidationError, match="niet bekend"):
        services.restore_settlement(user=coordinator, model=model, history_id=saved_row)
    with pytest.raises(ValidationError, match="niet bekend"):
        services.restore_settlement(user=coordinator, model=model, history_id=999_999)


# --- what a participant sees ------------------------------------------------------------


def test_a_participant_sees_adopted_settlements_and_concepts_only_if_it_may(
    model, coordinator, municipalities
):
    adopted = keep(coordinator, model, status="vastgesteld")
    concept = keep(coordinator, model, "-500", status="concept")
    participation = Participation.objects.get(
        municipality=municipalities[1], partnership=model.partnership
    )
    reader = UserFactory()
    grant(reader, "raadslid", municipalities[1])

    def seen(user):
        found = selectors.participant_settlements(participation, YEAR, user)
        return [(f.settlement.pk, f.line.amount) for f in found]

    assert seen(AnonymousUser()) == [(adopted.pk, lines_of(adopted)[municipalities[1].name])]
    assert {pk for pk, _ in seen(reader)} == {adopted.pk, concept.pk}
    assert {pk for pk, _ in seen(coordinator)} == {adopted.pk, concept.pk}
    assert selectors.participant_settlements(participation, YEAR + 1, coordinator) == []


# --- the pages (the Veilig Thuis 2018 model of the demo) --------------------------------

VT = "/renkum/samenwerkingen/vtgm/2018/verdeelmodel/"
SAVE = VT + "verrekeningen/"


def post_keep(client, **extra):
    data = {
        "resultaat": "120.000",
        "sleutel": "bijdrage",
        "omschrijving": "Tekort jaarrekening 2018",
        "status": "vastgesteld",
        **extra,
    }
    return client.post(SAVE, data)


def test_the_comparison_offers_to_keep_the_settlement_to_the_coordinator_only(
    officer_client, vt_model
):
    query = "?resultaat=120.000&sleutel=bijdrage"
    page = officer_client.get(VT + query).content.decode()
    assert "Verrekening opslaan" in page
    assert 'name="resultaat" value="120.000"' in page
    assert "Er is nog geen verrekening van 2018 opgeslagen." in page
    public = Client().get(VT + query).content.decode()
    assert "Verdeling van € 120.000" in public and "Verrekening opslaan" not in public


def test_saving_keeps_it_shows_it_and_lists_it_on_the_comparison(officer_client, vt_model):
    response = post_keep(officer_client)

    settlement = Settlement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{SAVE}{settlement.pk}/"
    page = officer_client.get(response["Location"]).content.decode()
    assert "Verrekening resultaat 2018: tekort € 120.000" in page
    renkum = settlement.lines.get(name="Renkum")
    assert "<strong>Renkum</strong>" in page
    assert settlement.lines.count() == len(vt_model.inputs["deelnemers"])
    assert sum(line.amount for line in settlement.lines.all()) == Decimal(120000)
    assert renkum.amount > 0
    listing = officer_client.get(VT).content.decode()
    assert f'href="{SAVE}{settlement.pk}/"' in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"resultaat": "abc"}, "Te verrekenen resultaat (€):"),
        ({"resultaat": "0"}, "Bij 0 valt er niets te verdelen"),
        ({"omschrijving": ""}, "Vul een omschrijving in"),
        ({"omschrijving": "x" * (NOTE_MAX_LENGTH + 1)}, "Omschrijving:"),
        ({"sleutel": "<script>"}, "Verdelen:"),
        ({"status": "definitief"}, "Status:"),
    ],
)
def test_bad_input_on_the_page_is_a_dutch_message_not_a_500(
    officer_client, vt_model, data, message
):
    response = post_keep(officer_client, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "fout" in page and message in page
    assert not Settlement.objects.exists()


def test_a_key_that_adds_up_to_zero_is_a_message_on_the_comparison(client, vt_model):
    for name in [p["naam"] for p in vt_model.inputs["deelnemers"]]:
        Measure.objects.create(
            municipality=Municipality.objects.get(name=name),
            code="nul",
            year=2018,
            value=0,
            omschrijving="Nul",
        )
    response = client.get(VT + "?resultaat=1000&sleutel=nul")
    assert response.status_code == 200
    assert "telt op tot 0" in response.content.decode()


def test_the_export_has_real_numbers_that_add_up(officer_client, vt_model):
    post_keep(officer_client, resultaat="-99.999,99")
    settlement = Settlement.objects.get()
    url = f"{SAVE}{settlement.pk}/"

    book = openpyxl.load_workbook(io.BytesIO(officer_client.get(url + "?_export=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Gemeente", "Grondslag", "Aandeel in het resultaat")
    body = {row[0]: row for row in rows[1:-1]}
    renkum = settlement.lines.get(name="Renkum")
    assert body["Renkum"][2] == pytest.approx(float(renkum.amount))
    assert isinstance(body["Renkum"][1], int | float)
    assert rows[-1][0] == "Totaal" and rows[-1][2] == pytest.approx(-99999.99)
    text = officer_client.get(url + "?_export=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(lines) == len(rows)
    cents = sum(Decimal(row[2].replace(",", ".")) for row in lines[1:-1])  # decimal comma
    assert cents == Decimal("-99999.99")


def test_a_concept_is_hidden_from_the_public_an_adopted_one_is_not(client, officer, vt_model):
    concept = keep(officer, vt_model, status="concept")
    adopted = keep(officer, vt_model, "-5000", status="vastgesteld")
    assert client.get(f"{SAVE}{concept.pk}/").status_code == 404
    assert client.get(f"{SAVE}{adopted.pk}/").status_code == 200
    assert client.get(f"{SAVE}{concept.pk}/?_export=csv").status_code == 404
    page = client.get(VT).content.decode()
    assert f"{SAVE}{adopted.pk}/" in page and f"{SAVE}{concept.pk}/" not in page


def test_correcting_on_a_replaced_version_keeps_the_input_and_says_why(
    officer_client, officer, vt_model
):
    settlement = keep(officer, vt_model)
    url = f"{SAVE}{settlement.pk}/corrigeren/"
    assert officer_client.get(url).status_code == 200
    data = {
        "resultaat": "130.000",
        "sleutel": "bijdrage",
        "omschrijving": "Mijn correctie",
        "status": "vastgesteld",
        "version": str(settlement.version),
    }
    services.correct_settlement(
        user=officer,
        settlement=settlement,
        expected_version=settlement.version,
        amount=settlement.amount,
        key="bijdrage",
        description="Iemand anders",
        status="concept",
    )
    response = officer_client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft deze verrekening opgeslagen" in page
    assert "Mijn correctie" in page
    data["version"] = str(Settlement.objects.get().version)
    assert officer_client.post(url, data).status_code == 302
    assert Settlement.objects.get().amount == Decimal(130000)


def test_delete_asks_first_and_the_comparison_offers_the_way_back(
    officer_client, officer, vt_model
):
    settlement = keep(officer, vt_model, status="vastgesteld")
    url = f"{SAVE}{settlement.pk}/verwijderen/"
    confirm = officer_client.get(url).content.decode()
    assert "Ja, verwijder deze verrekening" in confirm
    assert Settlement.objects.exists()  # asking deletes nothing

    response = officer_client.post(url, {"version": str(settlement.version)})
    assert response.status_code == 302 and not Settlement.objects.exists()
    page = officer_client.get(VT).content.decode()
    assert "Verwijderde verrekeningen" in page and "Terugzetten" in page
    history_id = Settlement.history.filter(id=settlement.pk, history_type="-").get().history_id

    response = officer_client.post(SAVE + "terugzetten/", {"history_id": str(history_id)})
    assert response["Location"] == f"{SAVE}{settlement.pk}/"
    assert Settlement.objects.get().lines.count() == settlement.lines.count()
    again = officer_client.post(SAVE + "terugzetten/", {"history_id": "nonsense"}, follow=True)
    assert "Kies een verwijderde verrekening" in again.content.decode()


def test_each_participant_year_page_shows_its_part_and_versions_stay_as_they_were(
    client, officer, vt_model, django_assert_max_num_queries
):
    renkum = Participation.objects.get(municipality__slug="renkum", partnership__slug="vtgm")
    versions = YearVersion.objects.filter(participation=renkum)
    frozen = list(versions.values_list("snapshot", flat=True))
    assert frozen  # Renkum 2018 is published
    settlement = keep(officer, vt_model, status="vastgesteld")
    keep(officer, vt_model, "-777", status="concept")
    part = settlement.lines.get(name="Renkum").amount
    with django_assert_max_num_queries(20):
        page = client.get("/renkum/samenwerkingen/vtgm/2018/").content.decode()
    assert (
        f"Verrekening resultaat 2018: tekort € 120.000, aandeel Renkum {format_money(part, 2)}"
        in page
    )
    assert "naar rato van de bijdrage volgens variant A" in page
    assert "overschot € 777" not in page  # the concept is not the public's
    other = client.get("/arnhem/samenwerkingen/vtgm/2018/").content.decode()
    assert "aandeel Arnhem" in other and "aandeel Renkum" not in other
    assert list(versions.values_list("snapshot", flat=True)) == frozen


# --- in the browser ---------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_coordinator_settles_keeps_and_the_participant_year_page_shows_it(
    page, live_server, vt_model, login, assert_accessible
):
    login(page, "financieel-arnhem", "demo-arnhem")  # the demo's coördinator of VTGM
    page.goto(f"{live_server.url}{VT}#verrekenen")
    page.get_by_label("Te verrekenen resultaat (€)").fill("120.000")
    page.get_by_label("Verdelen").select_option("bijdrage")
    page.get_by_role("button", name="Verdeel het resultaat").click()
    expect(page.get_by_role("button", name="Verrekening opslaan")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Omschrijving").fill("Tekort jaarrekening 2018, besluit AB")
    page.get_by_label("vastgesteld", exact=True).check()
    page.get_by_role("button", name="Verrekening opslaan").click()

    whole = format_money(Decimal(120000))
    expect(
        page.get_by_role("heading", name=f"Verrekening resultaat 2018: tekort {whole}")
    ).to_be_visible()
    assert_accessible(page)
    part = Settlement.objects.get().lines.get(name="Renkum").amount

    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}/renkum/samenwerkingen/vtgm/2018/")
    expect(
        public.get_by_text(
            f"Verrekening resultaat 2018: tekort {whole}, aandeel Renkum {format_money(part, 2)}"
        )
    ).to_be_visible()
    assert_accessible(public)
