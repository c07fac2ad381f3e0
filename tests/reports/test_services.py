"""Asking for a committee bundle (reports.services.request_bundle), with factory data.

A bundle is a PDF built in the background; a finished one is served again as long as the data
it shows is the same. Only one test builds a real PDF (WeasyPrint, about a second); the others
capture the queued build without running it."""

from decimal import Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from allocation import services as allocation_services
from allocation.models import AllocationVariant
from collaborations import services as collab_services
from collaborations.models import YearRecord
from core.formatting import format_money
from finance import services as finance_services
from finance.models import Table
from finance.money import EMPTY, Cell
from finance.services import GridRow, KeyComponentInput
from reports import documents, services
from reports.models import ReportBundle
from reports.selectors.bundles import bundle_participations
from tests.allocation.factories import split_by_measure
from tests.collaborations.factories import (
    MunicipalityFactory,
    ParticipationFactory,
    PartnershipFactory,
    UserFactory,
    YearRecordFactory,
    grant,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
ADOPTED_TOTAL = 100_000  # variant A of the factory verdeelmodel, split by inhabitants


@pytest.fixture
def record() -> YearRecord:
    """A published year of one municipality in a partnership with a centrumgemeente."""
    partnership = PartnershipFactory()
    centre = ParticipationFactory(partnership=partnership)
    partnership.centrumgemeente = centre.municipality
    partnership.save()
    participation = ParticipationFactory(partnership=partnership)
    return YearRecordFactory(participation=participation, year=YEAR, beoogd_inhoud="Doel")


@pytest.fixture
def municipality(record):
    return record.participation.municipality


@pytest.fixture
def invoerder(municipality):
    user = UserFactory()
    grant(user, "invoerder", municipality)
    return user


@pytest.fixture
def coordinator(record):
    """The partnership's coördinator: shared tables and the verdeelmodel."""
    user = UserFactory()
    grant(user, "coordinator", record.participation.partnership)
    return user


@pytest.fixture
def ask(municipality, django_capture_on_commit_callbacks):
    """Request a bundle without building it: returns (bundle, number of builds queued)."""

    def request(user=None, slugs=None):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            bundle = services.request_bundle(
                user=user or AnonymousUser(),
                municipality=municipality,
                year=YEAR,
                slugs=slugs or [],
            )
        return bundle, len(queued)

    return request


def bundle_html(municipality, viewer) -> str:
    """The HTML the bundle's PDF is made of (cheap: no PDF), as `viewer` sees it (a clerk sees
    the working copy; the public only published versions)."""
    participations = bundle_participations(municipality, [])
    html = documents.bundle_html(municipality, YEAR, participations, viewer)
    return html.replace("\xa0", " ").replace("&nbsp;", " ")


def kosten(user, participation, amount: str, *, year=YEAR, next_year=EMPTY, version=None):
    return finance_services.save_table_year(
        user=user,
        participation=participation,
        table=Table.KOSTEN,
        year=year,
        rows=[GridRow("Bijdrage", (Cell(amount=Decimal(amount)), EMPTY, next_year))],
        expected_version=version,
    )


def test_the_same_data_gives_the_same_finished_bundle_without_a_new_build(
    municipality, record, invoerder, django_capture_on_commit_callbacks, ask
):
    """A committee secretary asking twice gets the PDF at once; after a change, a new one."""
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_bundle(
            user=AnonymousUser(), municipality=municipality, year=YEAR, slugs=[]
        )
    first.refresh_from_db()
    assert first.status == ReportBundle.Status.KLAAR and first.file

    again, builds = ask()
    assert again.pk == first.pk
    assert builds == 0
    assert ReportBundle.objects.count() == 1

    kosten(invoerder, record.participation, "1000")
    changed, builds = ask()
    assert changed.pk != first.pk
    assert changed.status == ReportBundle.Status.WACHTEND
    assert builds == 1


def test_a_queued_bundle_is_not_queued_twice(ask):
    """A double click must not make the worker build the same PDF twice."""
    first, builds = ask()
    again, builds_again = ask()
    assert (builds, builds_again) == (1, 0)
    assert again.pk == first.pk


def test_a_failed_bundle_is_built_again(ask):
    """A failed PDF must not be served forever: asking again builds a new one."""
    first, _ = ask()
    ReportBundle.objects.filter(pk=first.pk).update(status=ReportBundle.Status.MISLUKT)

    again, builds = ask()

    assert again.pk != first.pk and builds == 1


def test_a_clerk_gets_a_bundle_with_drafts_and_the_public_one_without(ask, invoerder):
    """Drafts may only end up in the bundle of someone who may see them."""
    public, _ = ask()
    with_drafts, builds = ask(user=invoerder)

    assert (public.include_drafts, with_drafts.include_drafts) == (False, True)
    assert with_drafts.pk != public.pk and builds == 1
    assert with_drafts.requested_by == invoerder


def test_the_chosen_partnerships_are_kept(ask, record, municipality):
    """A bundle of one partnership is not the bundle of all of them."""
    other = ParticipationFactory(municipality=municipality)
    chosen = sorted([other.partnership.slug, record.participation.partnership.slug])

    everything, _ = ask()
    one, _ = ask(slugs=[other.partnership.slug])

    assert everything.slugs == chosen
    assert one.slugs == [other.partnership.slug]
    assert one.pk != everything.pk


@pytest.mark.parametrize("slugs", [["bestaat-niet"], "someone-else"])
def test_no_partnership_chosen_is_refused_in_dutch(ask, slugs):
    """Not an empty PDF, and never a bundle of another municipality's partnership."""
    if slugs == "someone-else":
        slugs = [ParticipationFactory().partnership.slug]

    with pytest.raises(ValidationError) as info:
        ask(slugs=slugs)

    assert info.value.messages == ["Kies ten minste één samenwerking."]
    assert not ReportBundle.objects.exists()


def test_a_municipality_without_partnerships_is_refused():
    """No empty PDF for a municipality without partnerships."""
    with pytest.raises(ValidationError) as info:
        services.request_bundle(
            user=AnonymousUser(), municipality=MunicipalityFactory(), year=YEAR, slugs=[]
        )
    assert "Kies ten minste één samenwerking" in info.value.messages[0]


# --- every change the bundle shows gives a new bundle -----------------------------------


@pytest.fixture
def allocation_model(record):
    """An adopted variant A that splits ADOPTED_TOTAL by inhabitants (30.000 and 10.000): the
    municipality's contribution is on its year page, and so in the bundle."""
    partnership = record.participation.partnership
    participants = [partnership.centrumgemeente, record.participation.municipality]
    return allocation_services.save_allocation_model(
        partnership=partnership,
        year=YEAR,
        name="Verdeelmodel",
        bron="",
        inputs=inhabitants(participants, [30_000, 10_000]),
        variants=[
            allocation_services.VariantInput(
                code=code, name=code, omschrijving="", definition=split_by_measure(total)
            )
            for code, total in (("A", ADOPTED_TOTAL), ("B", ADOPTED_TOTAL + 20_000))
        ],
        adopted_code="A",
    )


def inhabitants(municipalities, values) -> dict:
    return {
        "deelnemers": [{"naam": m.name} for m in municipalities],
        "maten": {
            "inwoners": {
                "omschrijving": "Aantal inwoners",
                "waarden": {m.name: v for m, v in zip(municipalities, values, strict=True)},
            }
        },
    }


def test_section_c_text_change_gives_a_new_bundle(ask, record, invoerder):
    """A changed text must appear in the next bundle."""
    first, _ = ask()
    collab_services.update_year_record(
        user=invoerder,
        record=record,
        fields={"feitelijk_inhoud": "Nieuw"},
        expected_version=record.version,
    )
    assert ask()[0].pk != first.pk


def test_split_key_change_gives_a_new_bundle(ask, record, invoerder):
    """A changed split key must appear in the next bundle."""
    first, _ = ask()
    finance_services.save_split_key(
        user=invoerder,
        record=record,
        components=[
            KeyComponentInput(
                omschrijving="Bijdrage",
                basis="",
                kind="aandeel",
                base_amount=Decimal("1000"),
                share_percent=Decimal("10"),
                fixed_amount=None,
                applies_to_year=YEAR,
            )
        ],
        expected_version=record.version,
    )
    assert ask()[0].pk != first.pk


def test_a_shared_table_saved_by_the_coordinator_gives_a_new_bundle(ask, record, coordinator):
    """The financiële resultaten are entered by the coördinator, and shown here too."""
    first, _ = ask()
    finance_services.save_table_year(
        user=coordinator,
        participation=record.participation,
        table=Table.RESULTATEN,
        year=YEAR,
        rows=[GridRow("Exploitatie", (Cell(amount=Decimal("5")), EMPTY, EMPTY))],
        expected_version=None,
    )
    assert ask()[0].pk != first.pk


def test_next_years_begroting_entered_next_year_gives_a_new_bundle(
    ask, municipality, record, invoerder
):
    """The 2025 section shows "Begroting 2026", the same figure the 2026 table edits."""
    before, after = Decimal("1100"), Decimal("1250")
    kosten(invoerder, record.participation, "1000", next_year=Cell(amount=before))
    first, _ = ask()
    assert format_money(before) in bundle_html(municipality, invoerder)

    kosten(invoerder, record.participation, str(after), year=YEAR + 1)  # begroting 2026

    assert format_money(after) in bundle_html(
        municipality, invoerder
    )  # the bundle shows the change…
    assert ask()[0].pk != first.pk  # …so the old PDF must not be served


def test_adopting_another_variant_gives_a_new_bundle(ask, allocation_model, coordinator):
    """The bundle shows the contribution under the adopted variant."""
    first, _ = ask()
    allocation_services.adopt_variant(
        user=coordinator, variant=allocation_model.variants.get(code="B")
    )
    assert ask()[0].pk != first.pk


def test_new_measures_for_the_adopted_variant_give_a_new_bundle(
    ask, municipality, record, allocation_model, invoerder
):
    """New inhabitant figures change every contribution under the adopted variant."""
    first, _ = ask()
    assert format_money(ADOPTED_TOTAL * 10_000 // 40_000) in bundle_html(municipality, invoerder)
    partnership = record.participation.partnership
    participants = [partnership.centrumgemeente, record.participation.municipality]
    allocation_services.save_allocation_model(
        partnership=partnership,
        year=YEAR,
        name=allocation_model.name,
        bron="",
        inputs=inhabitants(participants, [30_000, 20_000]),
        variants=[
            allocation_services.VariantInput(
                code=v.code, name=v.name, omschrijving="", definition=v.definition
            )
            for v in allocation_model.variants.all()
        ],
        adopted_code="A",
    )
    assert AllocationVariant.objects.get(adopted=True).code == "A"
    assert format_money(ADOPTED_TOTAL * 20_000 // 50_000) in bundle_html(municipality, invoerder)

    assert ask()[0].pk != first.pk
