"""The writes of the money tables and the split key (finance.services), called directly."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from collaborations import services as collab_services
from collaborations.models import YearRecord
from core.locking import StaleVersionError
from finance import selectors, services
from finance.models import (
    FinanceAmount,
    FinanceLine,
    FinanceTableYear,
    Kind,
    SplitKeyComponent,
    Table,
)
from finance.money import EMPTY, NVT, Cell
from finance.services import GridRow, KeyComponentInput
from tests.collaborations.factories import (
    MunicipalityFactory,
    ParticipationFactory,
    PartnershipFactory,
    UserFactory,
    YearRecordFactory,
    grant,
)
from tests.finance.factories import SplitKeyComponentFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def euro(text: str) -> Cell:
    return Cell(amount=Decimal(text))


def row(label: str, begroting=EMPTY, realisatie=EMPTY, begroting_next=EMPTY) -> GridRow:
    return GridRow(label=label, cells=(begroting, realisatie, begroting_next))


def clerk_of(municipality):
    user = UserFactory()
    grant(user, "invoerder", municipality)
    return user


@pytest.fixture
def participation():
    return ParticipationFactory()


@pytest.fixture
def invoerder(participation):
    return clerk_of(participation.municipality)


def save(user, participation, rows, *, year=YEAR, table=Table.KOSTEN, expected_version=None):
    return services.save_table_year(
        user=user,
        participation=participation,
        table=table,
        year=year,
        rows=rows,
        expected_version=expected_version,
    )


def grid(participation, year=YEAR, table=Table.KOSTEN, copy=False):
    """What the edit grid of a year shows: labels in order and a cell per (label, year, kind)."""
    _, _, lines, amounts = selectors.table_year_for_edit(participation, table, year, copy=copy)
    cells = {
        (line.label, y, kind): amounts.get((line.pk, y, kind), EMPTY)
        for line in lines
        for y in (year, year + 1)
        for kind in Kind.values
    }
    return [line.label for line in lines], cells


# --- save_table_year --------------------------------------------------------------------


def test_rows_are_saved_in_the_order_of_the_grid(participation, invoerder):
    """Readers compare tables line by line: the order entered is the order shown."""
    labels = ["Personeel", "Huisvesting", "Automatisering"]
    first = save(invoerder, participation, [row(label) for label in labels])
    assert grid(participation)[0] == labels

    second = save(
        invoerder,
        participation,
        [row(label) for label in reversed(labels)],
        expected_version=first.version,
    )

    assert grid(participation)[0] == list(reversed(labels))
    assert second.pk == first.pk and second.version == first.version + 1


def test_empty_zero_and_nvt_stay_three_different_things(participation, invoerder):
    """An empty cell is "not filled in", 0 is € 0 and n.v.t. is n.v.t.: readers see the
    difference, so a save must never turn one into another."""
    first = save(
        invoerder,
        participation,
        [row("Personeel", euro("1000"), euro("900"), euro("1100"))],
    )
    save(
        invoerder,
        participation,
        [row("Personeel", EMPTY, euro("0"), NVT)],
        expected_version=first.version,
    )

    _, cells = grid(participation)
    assert cells[("Personeel", YEAR, Kind.BEGROTING)] == EMPTY
    assert cells[("Personeel", YEAR, Kind.REALISATIE)] == Cell(amount=Decimal(0))
    assert cells[("Personeel", YEAR + 1, Kind.BEGROTING)] == NVT
    line = FinanceLine.objects.get(participation=participation, label="Personeel")
    assert not FinanceAmount.objects.filter(line=line, year=YEAR, kind=Kind.BEGROTING).exists()
    zero = FinanceAmount.objects.get(line=line, year=YEAR, kind=Kind.REALISATIE)
    assert (zero.amount, zero.not_applicable) == (Decimal(0), False)
    nvt = FinanceAmount.objects.get(line=line, year=YEAR + 1, kind=Kind.BEGROTING)
    assert (nvt.amount, nvt.not_applicable) == (None, True)


@pytest.mark.parametrize("second", ["Personeel", " personeel "])
def test_a_duplicate_category_is_refused_naming_the_row(participation, invoerder, second):
    """Two lines with one category would merge their figures; the clerk is told which row."""
    with pytest.raises(ValidationError) as info:
        save(invoerder, participation, [row("Personeel", euro("1")), row(second, euro("2"))])

    message = info.value.messages[0]
    assert message.startswith("Regel 2")
    assert "regel 1" in message and second.strip() in message
    assert not FinanceTableYear.objects.filter(participation=participation).exists()
    assert not FinanceAmount.objects.exists()


def test_an_empty_category_is_refused_naming_the_row(participation, invoerder):
    """A figure without a category cannot be read; the clerk is told which row."""
    with pytest.raises(ValidationError) as info:
        save(invoerder, participation, [row("Personeel", euro("1")), row("   ", euro("2"))])

    assert info.value.messages[0].startswith("Regel 2")
    assert "categorie" in info.value.messages[0]
    assert not FinanceTableYear.objects.filter(participation=participation).exists()


def test_next_years_begroting_is_the_figure_next_years_table_shows(participation, invoerder):
    """ "Begroting 2026" on the 2025 page and on the 2026 page is one figure, stored once."""
    save(invoerder, participation, [row("Personeel", euro("1000"), euro("950"), euro("1234.56"))])

    labels, cells = grid(participation, YEAR + 1, copy=True)
    assert labels == ["Personeel"]
    assert cells[("Personeel", YEAR + 1, Kind.BEGROTING)] == euro("1234.56")

    save(invoerder, participation, [row("Personeel", euro("2000"))], year=YEAR + 1)

    _, cells = grid(participation, YEAR)
    assert cells[("Personeel", YEAR + 1, Kind.BEGROTING)] == euro("2000")
    assert FinanceAmount.objects.filter(year=YEAR + 1, kind=Kind.BEGROTING).count() == 1


def test_removing_a_row_keeps_the_begroting_next_years_table_still_shows(participation, invoerder):
    """Dropping a line from 2025 must not erase the 2026 budget the 2026 table shows."""
    first = save(invoerder, participation, [row("Personeel"), row("Huur", EMPTY, EMPTY, euro("7"))])
    save(invoerder, participation, [row("Huur", euro("7"))], year=YEAR + 1)
    first.refresh_from_db()  # saving 2026 bumped 2025: it shows the same Begroting 2026

    save(invoerder, participation, [row("Personeel")], expected_version=first.version)

    _, cells = grid(participation, YEAR + 1)
    assert cells[("Huur", YEAR + 1, Kind.BEGROTING)] == euro("7")


def test_removing_a_row_keeps_the_begroting_last_years_table_shows(participation, invoerder):
    """Editing 2026 must not change what the (perhaps published) 2025 page shows: the 2025
    table's "Begroting 2026" of a line is kept when the line is dropped from 2026."""
    save(invoerder, participation, [row("Huur", euro("5"), euro("5"), euro("7"))])
    next_year = save(invoerder, participation, [row("Huur", euro("7"))], year=YEAR + 1)

    save(invoerder, participation, [], year=YEAR + 1, expected_version=next_year.version)

    _, cells = grid(participation, YEAR)
    assert cells[("Huur", YEAR + 1, Kind.BEGROTING)] == euro("7")


def test_a_stale_table_is_refused_and_nothing_changes(participation, invoerder):
    """A colleague's table, saved in between, is neither overwritten nor mixed with ours."""
    opened = save(invoerder, participation, [row("Personeel", euro("100"))])
    save(
        invoerder,
        participation,
        [row("Personeel", euro("200"))],
        expected_version=opened.version,
    )

    for stale in (opened.version, None):  # an old form, and a form that showed no table yet
        with pytest.raises(StaleVersionError):
            save(
                invoerder,
                participation,
                [row("Huisvesting", euro("300"))],
                expected_version=stale,
            )

    labels, cells = grid(participation)
    assert labels == ["Personeel"]
    assert cells[("Personeel", YEAR, Kind.BEGROTING)] == euro("200")
    assert FinanceTableYear.objects.get(participation=participation).version == opened.version + 1
    assert not FinanceLine.objects.filter(label="Huisvesting").exists()


def test_another_municipality_cannot_save_kosten(participation):
    """Kosten belong to one municipality's perspective; others and the public cannot save them."""
    stranger = clerk_of(MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        save(stranger, participation, [row("Personeel", euro("1"))])
    with pytest.raises(PermissionDenied):
        save(AnonymousUser(), participation, [row("Personeel", euro("1"))])
    assert not FinanceTableYear.objects.exists()


@pytest.fixture
def centred():
    """A partnership with a centrumgemeente and one other participant."""
    partnership = PartnershipFactory()
    centre = ParticipationFactory(partnership=partnership)
    other = ParticipationFactory(partnership=partnership)
    partnership.centrumgemeente = centre.municipality
    partnership.save()
    return centre, other


def test_a_shared_table_is_saved_by_the_coordinator_only(centred):
    """The financiële resultaten are entered once, by the partnership's coördinator, for
    everyone — not by a participant's clerk, not even the centrumgemeente's."""
    centre, other = centred
    other_clerk = clerk_of(other.municipality)
    centre_clerk = clerk_of(centre.municipality)

    for clerk in (other_clerk, centre_clerk):
        with pytest.raises(PermissionDenied):
            save(clerk, other, [row("Exploitatie", euro("1"))], table=Table.RESULTATEN)
    assert not FinanceTableYear.objects.exists()

    coordinator = UserFactory(username="coordinator")
    grant(coordinator, "coordinator", centre.partnership)
    table_year = save(coordinator, other, [row("Exploitatie", euro("500"))], table=Table.RESULTATEN)

    assert table_year.partnership == centre.partnership and table_year.participation is None
    for participation in (centre, other):  # one table, shown to every participant
        assert grid(participation, table=Table.RESULTATEN)[1][
            ("Exploitatie", YEAR, Kind.BEGROTING)
        ] == euro("500")
    # The other municipality still enters its own kosten.
    save(other_clerk, other, [row("Bijdrage", euro("1"))])


def test_without_centrumgemeente_the_coordinator_saves_a_shared_table():
    """A partnership without a centrumgemeente has a coördinator for its shared tables."""
    participation = ParticipationFactory()
    assert participation.partnership.centrumgemeente is None
    with pytest.raises(PermissionDenied):
        save(
            clerk_of(participation.municipality),
            participation,
            [row("Exploitatie")],
            table=Table.EIGEN_VERMOGEN,
        )
    coordinator = UserFactory(username="coordinator")
    grant(coordinator, "coordinator", participation.partnership)

    table_year = save(coordinator, participation, [row("Exploitatie")], table=Table.EIGEN_VERMOGEN)

    assert table_year.partnership == participation.partnership


# --- save_split_key ---------------------------------------------------------------------


@pytest.fixture
def record(participation) -> YearRecord:
    return YearRecordFactory(participation=participation, year=YEAR)


def share(base: str, percent: str, omschrijving="Bijdrage", **extra) -> KeyComponentInput:
    return KeyComponentInput(
        omschrijving=omschrijving,
        basis="inwoners",
        kind=SplitKeyComponent.Kind.AANDEEL,
        base_amount=Decimal(base),
        share_percent=Decimal(percent),
        fixed_amount=None,
        applies_to_year=YEAR,
        **extra,
    )


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def test_split_key_replaces_the_components(record, invoerder):
    """The key shown is exactly the key saved: old parts do not linger."""
    SplitKeyComponentFactory(year_record=record, omschrijving="Oud")
    fixed = KeyComponentInput(
        omschrijving="Vast",
        basis="",
        kind=SplitKeyComponent.Kind.VAST,
        base_amount=Decimal("1"),  # ignored for a fixed sum
        share_percent=Decimal("1"),
        fixed_amount=Decimal("999.50"),
        applies_to_year=YEAR,
    )

    services.save_split_key(
        user=invoerder,
        record=record,
        components=[share("100000", "12.5", "Nieuw"), fixed],
        expected_version=record.version,
    )

    components = list(record.split_key_components.all())
    assert [c.omschrijving for c in components] == ["Nieuw", "Vast"]
    assert (components[1].base_amount, components[1].share_percent) == (None, None)
    assert YearRecord.objects.get(pk=record.pk).version == record.version + 1


@pytest.mark.parametrize(
    ("base", "percent"), [("10005", "10"), ("12345", "10"), ("333", "50"), ("1000", "33.3333")]
)
def test_split_key_amount_is_rounded_half_up_to_the_euro(record, invoerder, base, percent):
    """Like Excel's ROUND: € 1.000,50 becomes € 1.001, not the banker's € 1.000."""
    [saved] = services.save_split_key(
        user=invoerder,
        record=record,
        components=[share(base, percent)],
        expected_version=record.version,
    )
    stored = SplitKeyComponent.objects.get(pk=saved.pk)
    assert stored.computed_amount == half_up(Decimal(base) * Decimal(percent) / 100)


def test_split_key_links_the_kosten_line(record, invoerder):
    """The link lets the page signal when the key and the Kosten table disagree."""
    [saved] = services.save_split_key(
        user=invoerder,
        record=record,
        components=[share("1000", "10", kosten_line_label="Bijdrage gemeente")],
        expected_version=record.version,
    )
    line = SplitKeyComponent.objects.get(pk=saved.pk).kosten_line
    assert (line.participation, line.table, line.label) == (
        record.participation,
        Table.KOSTEN,
        "Bijdrage gemeente",
    )


def test_an_incomplete_component_is_refused_and_the_old_key_kept(record, invoerder):
    """A refused save must not leave the year without its split key."""
    old = SplitKeyComponentFactory(year_record=record, omschrijving="Oud")
    incomplete = KeyComponentInput(
        omschrijving="Zonder percentage",
        basis="",
        kind=SplitKeyComponent.Kind.AANDEEL,
        base_amount=Decimal("1000"),
        share_percent=None,
        fixed_amount=None,
        applies_to_year=YEAR,
    )

    with pytest.raises(ValidationError) as info:
        services.save_split_key(
            user=invoerder,
            record=record,
            components=[share("1", "1"), incomplete],
            expected_version=record.version,
        )

    assert info.value.messages[0].startswith("Onderdeel 2")
    assert list(record.split_key_components.all()) == [old]


def test_a_stale_split_key_is_refused(record, invoerder):
    """A save of section C in between makes the open split-key form stale."""
    old = SplitKeyComponentFactory(year_record=record, omschrijving="Oud")
    opened_at = record.version
    collab_services.update_year_record(  # a colleague saves section C in between
        user=invoerder, record=record, fields={"beoogd_proces": "x"}, expected_version=opened_at
    )

    with pytest.raises(StaleVersionError):
        services.save_split_key(
            user=invoerder,
            record=record,
            components=[share("1000", "10", "Nieuw")],
            expected_version=opened_at,
        )
    assert list(record.split_key_components.all()) == [old]


def test_another_municipality_cannot_save_the_split_key(record):
    """Only the municipality's own clerks change what it pays."""
    old = SplitKeyComponentFactory(year_record=record)
    stranger = clerk_of(MunicipalityFactory())

    with pytest.raises(PermissionDenied):
        services.save_split_key(
            user=stranger,
            record=record,
            components=[share("1000", "10")],
            expected_version=record.version,
        )
    assert list(record.split_key_components.all()) == [old]
