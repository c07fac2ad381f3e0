"""Every change is kept and can be undone: the Geschiedenis page of a year shows who changed
what (before and after, in Dutch), and restores an earlier state as a new change."""

from decimal import Decimal

import pytest

from django.urls import reverse

from collaborations import services as collab_services
from collaborations.models import YearRecord
from finance import services as finance_services
from finance.models import FinanceAmount, Table
from finance.money import EMPTY, Cell
from tests.collaborations.factories import (
    PartnershipFactory,
    UserFactory,
    YearRecordFactory,
    grant,
)

YEAR = 2025


@pytest.fixture
def record(db):
    return YearRecordFactory(year=YEAR, beoogd_kern="Origineel")


@pytest.fixture
def clerk(record):
    user = UserFactory(username="klerk", first_name="Carla", last_name="Klerk")
    grant(user, "invoerder", record.participation.municipality)
    return user


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def url(record, name="reports:year-history"):
    p = record.participation
    return reverse(name, args=[p.municipality.slug, p.partnership.slug, record.year])


def edit(clerk, record, text):
    record.refresh_from_db()
    return collab_services.update_year_record(
        user=clerk, record=record, fields={"beoogd_kern": text}, expected_version=record.version
    )


def test_a_text_edited_three_times_and_restored_equals_the_original(clerk_client, clerk, record):
    first = record.history.earliest()
    for text in ("Tweede", "Derde", "Vierde"):
        edit(clerk, record, text)
    record.refresh_from_db()
    response = clerk_client.post(
        url(record),
        {"soort": "jaar", "wijziging": first.history_id, "version": record.version},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.beoogd_kern == "Origineel"
    # The restore is a change of its own, so it can be undone too.
    latest = record.history.first()
    assert latest.history_change_reason.startswith("Teruggezet naar de versie van")
    page = clerk_client.get(url(record)).content.decode()
    assert "Vierde" in page and "Origineel" in page and "Carla Klerk" in page


def test_the_history_page_shows_before_and_after_in_dutch(clerk_client, clerk, record):
    participation = record.participation
    row = finance_services.GridRow("Bijdrage", (Cell(Decimal("1281406")), EMPTY, EMPTY))
    table_year = finance_services.save_table_year(
        user=clerk,
        participation=participation,
        table=Table.KOSTEN,
        year=YEAR,
        rows=[row],
        expected_version=None,
    )
    finance_services.save_table_year(
        user=clerk,
        participation=participation,
        table=Table.KOSTEN,
        year=YEAR,
        rows=[finance_services.GridRow("Bijdrage", (Cell(Decimal("1300000")), EMPTY, EMPTY))],
        expected_version=table_year.version,
    )
    page = clerk_client.get(url(record)).content.decode()
    assert "Bedrag: Kosten (inbreng financiële middelen): Bijdrage, begroting 2025" in page
    assert "€ 1.281.406" in page and "€ 1.300.000" in page


def test_a_figure_is_restored_and_open_grids_are_refused(clerk_client, clerk, record):
    participation = record.participation

    def save(amount, version):
        return finance_services.save_table_year(
            user=clerk,
            participation=participation,
            table=Table.KOSTEN,
            year=YEAR,
            rows=[finance_services.GridRow("Bijdrage", (Cell(Decimal(amount)), EMPTY, EMPTY))],
            expected_version=version,
        )

    table_year = save("100", None)
    original = FinanceAmount.history.filter(amount=Decimal("100")).earliest()
    table_year = save("250", table_year.version)
    record.refresh_from_db()
    response = clerk_client.post(
        url(record),
        {"soort": "bedrag", "wijziging": original.history_id, "version": record.version},
    )
    assert response.status_code == 302
    assert FinanceAmount.objects.get(line__label="Bijdrage").amount == Decimal("100")
    table_year.refresh_from_db()
    assert table_year.version == 3  # a grid opened before the restore is refused


def test_the_history_is_for_the_municipalitys_clerks(client, record):
    assert client.get(url(record)).status_code == 302  # to the login page
    client.force_login(UserFactory(username="ander"))
    # a concept year: for those who may not read it, it does not exist
    assert client.get(url(record)).status_code == 404


def test_a_restore_of_another_years_change_is_refused(clerk_client, clerk, record):
    other = YearRecordFactory(participation=record.participation, year=YEAR + 1)
    foreign = other.history.earliest()
    response = clerk_client.post(
        url(record),
        {"soort": "jaar", "wijziging": foreign.history_id, "version": record.version},
        follow=True,
    )
    assert "Deze versie hoort niet bij dit jaar." in response.content.decode()
    assert YearRecord.objects.get(pk=record.pk).beoogd_kern == "Origineel"


def test_the_partnership_history_shows_an_adoption_and_a_perspective_change(client, demo):
    from allocation.demo import load_allocation_demo
    from allocation.services import adopt_variant
    from collaborations.models import Participation

    model = load_allocation_demo()
    officer = UserFactory(username="officer", first_name="Fenna", last_name="Financieel")
    arnhem = Participation.objects.get(partnership__slug="vtgm", municipality__slug="arnhem")
    grant(officer, "invoerder", arnhem.municipality)
    grant(officer, "coordinator", arnhem.partnership)
    adopt_variant(user=officer, variant=model.variants.get(code="B"))
    client.force_login(officer)
    page = client.get(reverse("reports:partnership-history", args=["arnhem", "vtgm"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Variant: " in text and "Vastgesteld" in text
    assert "<del>nee</del>" in text and "<ins>ja</ins>" in text  # B adopted
    client.force_login(UserFactory(username="buiten"))
    assert (
        client.get(reverse("reports:partnership-history", args=["arnhem", "vtgm"])).status_code
        == 403
    )


def test_a_perspective_is_restored_from_the_partnership_history(client, db):
    from collaborations.models import Participation
    from tests.collaborations.factories import ParticipationFactory

    participation = ParticipationFactory(accounthouders="Eerste accounthouder")
    first = participation.history.earliest()
    participation.accounthouders = "Tweede accounthouder"
    participation.save()
    clerk = UserFactory(username="klerk2")
    grant(clerk, "invoerder", participation.municipality)
    client.force_login(clerk)
    url = reverse(
        "reports:partnership-history",
        args=[participation.municipality.slug, participation.partnership.slug],
    )
    page = client.get(url).content.decode()
    assert "Tweede accounthouder" in page
    response = client.post(url, {"soort": "perspectief", "wijziging": first.history_id})
    assert response.status_code == 302
    assert Participation.objects.get(pk=participation.pk).accounthouders == "Eerste accounthouder"
    refused = client.post(url, {"soort": "samenwerking", "wijziging": 1}, follow=True)
    assert "Alleen de coördinator van de samenwerking" in refused.content.decode()


def _kinds_changes(entries, kind):
    """Per entry of `kind` (oldest first): its action and its changes as (label, was, werd)."""
    return [
        (e.action, [(c.label, c.old, c.new) for c in e.changes])
        for e in reversed(entries)
        if e.kind == kind
    ]


@pytest.fixture
def perspective(db):
    from tests.collaborations.factories import ParticipationFactory

    return ParticipationFactory()


def test_multiple_choice_changes_alone_are_in_the_partnership_history(client, perspective):
    from collaborations.models import Organisation, Term, Vocabulary
    from reports.selectors.history import partnership_history

    opgave, wet = (
        Term.objects.create(vocabulary=Vocabulary.BELANG_WAAROM, code=c, label=label)
        for c, label in (("opgave", "Maatschappelijke opgave"), ("wet", "Wettelijke taak"))
    )
    raad = Term.objects.create(vocabulary=Vocabulary.BELANG_WIE, code="raad", label="De raad")
    zorg = Term.objects.create(vocabulary=Vocabulary.ONDERWERP, code="zorg", label="Zorg")
    provincie = Organisation.objects.create(name="Provincie Limburg", slug="provincie-limburg")
    perspective._change_reason = "Eerste keuze"
    perspective.belang_waarom.set([opgave])
    perspective._change_reason = "Tweede keuze"
    perspective.belang_waarom.set([wet])  # a remove and an add: one change
    perspective.belang_wie.add(raad)
    partnership = perspective.partnership
    partnership.onderwerpen.add(zorg)
    partnership.organisations.add(provincie)

    found = partnership_history(perspective)
    shared = [
        c for _action, changes in _kinds_changes(found, "Samenwerking (gedeeld)") for c in changes
    ]
    assert ("Onderwerpen", "niet ingevuld", "Zorg") in shared
    assert ("Overige organisaties", "niet ingevuld", "Provincie Limburg") in shared
    own = [c for _action, changes in _kinds_changes(found, "Perspectief") for c in changes]
    assert ("Waarom is het belangrijk?", "niet ingevuld", "Maatschappelijke opgave") in own
    assert ("Waarom is het belangrijk?", "Maatschappelijke opgave", "Wettelijke taak") in own
    assert ("Voor wie is het vooral belangrijk?", "niet ingevuld", "De raad") in own
    # what a save wrote in one go is one change, not a row per link added or removed
    assert not any(old == new for _label, old, new in own)

    perspective._change_reason = "Derde keuze"
    perspective.belang_waarom.set([opgave, wet])
    newest = next(e for e in partnership_history(perspective) if e.kind == "Perspectief")
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        (
            "Waarom is het belangrijk?",
            "Wettelijke taak",
            "Maatschappelijke opgave, Wettelijke taak",
        )
    ]
    clerk = UserFactory(username="klerk3")
    grant(clerk, "invoerder", perspective.municipality)
    client.force_login(clerk)
    page = client.get(
        reverse(
            "reports:partnership-history",
            args=[perspective.municipality.slug, partnership.slug],
        )
    ).content.decode()
    assert "Overige organisaties" in page and "Provincie Limburg" in page
    assert "<ins>Maatschappelijke opgave, Wettelijke taak</ins>" in page


def test_board_seats_process_and_board_meetings_are_in_the_partnership_history(perspective):
    from datetime import date

    from collaborations.models import BoardMeeting, BoardSeat, ProcessEntry
    from reports.selectors.history import partnership_history

    seat = BoardSeat.objects.create(participation=perspective, orgaan="Algemeen bestuur")
    seat.stemmen, seat.stemmen_totaal = 2, 20
    seat.save()
    ProcessEntry.objects.create(
        participation=perspective, actor="raad", jaar=2026, actie="Zienswijze"
    )
    meeting = BoardMeeting.objects.create(
        partnership=perspective.partnership,
        date=date(2026, 3, 1),
        kind=BoardMeeting.Kind.BEGROTING,
    )
    meeting.date = date(2026, 3, 8)
    meeting.save()
    meeting.delete()
    # another partnership's meeting is not on this page
    BoardMeeting.objects.create(
        partnership=PartnershipFactory(), date=date(2026, 4, 1), kind=BoardMeeting.Kind.BEGROTING
    )

    found = partnership_history(perspective)
    assert _kinds_changes(found, "Bestuurszetel")[-1] == (
        "gewijzigd",
        [
            ("Aantal stemmen voor de gemeente", "niet ingevuld", "2"),
            ("Totaal aantal stemmen", "niet ingevuld", "20"),
        ],
    )
    assert [e.name for e in found if e.kind == "Proces"] == ["2026"]
    meetings = [e for e in reversed(found) if e.kind == "Bestuursvergadering"]
    assert [e.action for e in meetings] == ["aangemaakt", "gewijzigd", "verwijderd"]
    assert meetings[1].name == "algemeen bestuur: begroting, 8 maart 2026"
    assert [(c.label, c.old, c.new) for c in meetings[1].changes] == [
        ("Datum", "1 maart 2026", "8 maart 2026")
    ]
    assert not meetings[1].restore_key  # meetings are restored on their own page, not here
