"""Storing a verdeelmodel and adopting a variant (allocation.services), with factory data."""

from decimal import ROUND_FLOOR, Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from allocation import selectors, services
from allocation.constants import RESERVED_VARIANT_CODES
from allocation.models import AllocationModel, AllocationVariant, Measure
from allocation.services import VariantInput
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
# Chosen so that no two exact shares have the same remainder (no tie for the last euro).
INHABITANTS = [17_231, 42_097, 95_612]


@pytest.fixture
def municipalities():
    """Three municipalities in one partnership; the first is its centrumgemeente."""
    return [MunicipalityFactory() for _ in INHABITANTS]


@pytest.fixture
def partnership(municipalities):
    partnership = PartnershipFactory(centrumgemeente=municipalities[0])
    for municipality in municipalities:
        ParticipationFactory(partnership=partnership, municipality=municipality)
    return partnership


def inputs_for(municipalities, inhabitants=INHABITANTS) -> dict:
    return {
        "deelnemers": [{"naam": m.name} for m in municipalities],
        "maten": {
            "inwoners": {
                "omschrijving": "Aantal inwoners",
                "bron": "CBS",
                "waarden": {m.name: v for m, v in zip(municipalities, inhabitants, strict=True)},
            }
        },
    }


def variant(code: str, total=TOTAL, definition=None) -> VariantInput:
    return VariantInput(
        code=code,
        name=f"Variant {code}",
        omschrijving="",
        definition=definition if definition is not None else split_by_measure(total),
    )


def save_model(partnership, municipalities, variants, adopted_code=None, inputs=None):
    return services.save_allocation_model(
        partnership=partnership,
        year=YEAR,
        name="Verdeelmodel",
        bron="Begroting",
        inputs=inputs if inputs is not None else inputs_for(municipalities),
        variants=variants,
        adopted_code=adopted_code,
    )


def nothing_stored() -> bool:
    return not (
        AllocationModel.objects.exists()
        or AllocationVariant.objects.exists()
        or Measure.objects.exists()
    )


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, Decimal]:
    """The expected split: pro rata, down to the euro, missing euros to the largest rests."""
    whole = sum(weights.values())
    exact = {name: Decimal(total) * w / whole for name, w in weights.items()}
    floors = {name: value.to_integral_value(rounding=ROUND_FLOOR) for name, value in exact.items()}
    missing = int(total - sum(floors.values()))
    for name in sorted(exact, key=lambda n: exact[n] - floors[n], reverse=True)[:missing]:
        floors[name] += 1
    return floors


# --- save_allocation_model --------------------------------------------------------------


def test_measures_are_stored_per_municipality(partnership, municipalities):
    """Measures are kept once per municipality and year, with their source."""
    save_model(partnership, municipalities, [variant("A")])

    stored = {
        m.municipality: m
        for m in Measure.objects.filter(code="inwoners", year=YEAR).select_related("municipality")
    }
    assert {m: stored[m].value for m in municipalities} == dict(
        zip(municipalities, map(Decimal, INHABITANTS), strict=True)
    )
    assert {m.bron for m in stored.values()} == {"CBS"}
    model = AllocationModel.objects.get(partnership=partnership, year=YEAR)
    assert "maten" not in model.inputs  # the measures live in their table, not twice


def test_variants_are_stored_in_order_with_the_adopted_one_flagged(partnership, municipalities):
    """The comparison shows the variants in the order given and marks the adopted one."""
    model = save_model(
        partnership, municipalities, [variant("A"), variant("B", 900_000)], adopted_code="B"
    )

    variants = list(model.variants.all())
    assert [(v.code, v.adopted) for v in variants] == [("A", False), ("B", True)]
    assert variants[1].definition == split_by_measure(900_000)


def test_saving_again_replaces_variants_and_the_adopted_flag(partnership, municipalities):
    """A re-imported model leaves no stale variant and one adopted variant."""
    save_model(partnership, municipalities, [variant("A"), variant("B")], adopted_code="A")

    model = save_model(partnership, municipalities, [variant("B"), variant("C")], adopted_code="C")

    assert AllocationModel.objects.count() == 1
    assert [(v.code, v.adopted) for v in model.variants.all()] == [("B", False), ("C", True)]


def test_an_invalid_definition_is_refused_by_code_and_nothing_is_saved(partnership, municipalities):
    """The engine checks every variant before anything is stored: no half-saved model."""
    broken = split_by_measure(TOTAL, measure="jeugdinwoners")  # a measure that is not there

    with pytest.raises(ValidationError) as info:
        save_model(partnership, municipalities, [variant("A"), variant("Jeugd", definition=broken)])

    assert info.value.messages[0].startswith("Variant Jeugd:")
    assert nothing_stored()


def test_a_refused_save_keeps_the_model_that_was_there(partnership, municipalities):
    """A broken import must not wipe the adopted variant everyone's contribution comes from."""
    save_model(partnership, municipalities, [variant("A")], adopted_code="A")
    broken = {**split_by_measure(TOTAL), "formaat": "verdeelmodel/99"}

    with pytest.raises(ValidationError):
        save_model(partnership, municipalities, [variant("B", definition=broken)])

    assert [(v.code, v.adopted) for v in AllocationVariant.objects.all()] == [("A", True)]


def test_an_unknown_municipality_is_refused_and_nothing_is_saved(partnership, municipalities):
    """A misspelt municipality is named in the message, and nothing half-saved."""
    inputs = inputs_for(municipalities)
    inputs["deelnemers"].append({"naam": "Atlantis"})
    inputs["maten"]["inwoners"]["waarden"]["Atlantis"] = 1000

    with pytest.raises(ValidationError) as info:
        save_model(partnership, municipalities, [variant("A")], inputs=inputs)

    assert "Atlantis" in info.value.messages[0]
    assert nothing_stored()


@pytest.mark.parametrize("code", [*RESERVED_VARIANT_CODES, "PDF", "met spatie"])
def test_a_variant_code_that_cannot_be_a_url_path_is_refused(partnership, municipalities, code):
    """…/verdeelmodel/pdf/ and …/vaststellen/ are pages; a variant there could not be opened."""
    with pytest.raises(ValidationError) as info:
        save_model(partnership, municipalities, [variant("A"), variant(code)])

    assert info.value.messages[0].startswith(f"Variant {code}:")
    assert nothing_stored()


def test_a_model_with_measures_without_a_description_can_be_computed(partnership, municipalities):
    """The engine accepts a measure without "omschrijving" when the model is saved, so the
    stored model must compute too: its comparison page, year pages and bundles use it."""
    inputs = inputs_for(municipalities)
    del inputs["maten"]["inwoners"]["omschrijving"]
    model = save_model(partnership, municipalities, [variant("A")], inputs=inputs)

    comparison = selectors.comparison(model)

    assert comparison.totals == [Decimal(TOTAL)]


# --- adopt_variant ----------------------------------------------------------------------


@pytest.fixture
def model(partnership, municipalities):
    return save_model(partnership, municipalities, [variant("A"), variant("B")], adopted_code="A")


def adopted_codes(model) -> list[str]:
    return list(model.variants.filter(adopted=True).values_list("code", flat=True))


def test_the_coordinator_adopts_and_the_other_variant_is_unadopted(model, municipalities):
    """Exactly one variant decides the contributions; the partnership's coördinator (the
    regional finance officer) adopts it."""
    officer = UserFactory()
    grant(officer, "coordinator", model.partnership)

    adopted = services.adopt_variant(user=officer, variant=model.variants.get(code="B"))

    assert adopted.adopted is True
    assert adopted_codes(model) == ["B"]


def test_a_superuser_may_adopt(model):
    """The beheerder can always adopt on the officer's behalf."""
    admin = UserFactory(is_superuser=True)
    services.adopt_variant(user=admin, variant=model.variants.get(code="B"))
    assert adopted_codes(model) == ["B"]


@pytest.mark.parametrize(
    "who", ["centrumgemeente", "participant", "outsider", "other coordinator", "anonymous"]
)
def test_others_may_not_adopt(model, municipalities, who):
    """Only the coördinator decides what every participant pays: not a clerk (not even the
    centrumgemeente's), not the coördinator of another partnership."""
    user = AnonymousUser()
    if who == "other coordinator":
        user = UserFactory()
        grant(user, "coordinator", PartnershipFactory())
    elif who != "anonymous":
        user = UserFactory()
        clerk_of = {"centrumgemeente": municipalities[0], "participant": municipalities[1]}
        grant(user, "invoerder", clerk_of.get(who) or MunicipalityFactory())

    with pytest.raises(PermissionDenied):
        services.adopt_variant(user=user, variant=model.variants.get(code="B"))
    assert adopted_codes(model) == ["A"]


def test_without_centrumgemeente_no_participant_adopts_alone(model, municipalities):
    """Without a centrumgemeente a participant's clerk still does not decide alone."""
    model.partnership.centrumgemeente = None
    model.partnership.save()
    clerk = UserFactory()
    grant(clerk, "invoerder", municipalities[0])

    with pytest.raises(PermissionDenied):
        services.adopt_variant(user=clerk, variant=model.variants.get(code="B"))
    assert adopted_codes(model) == ["A"]


# --- comparison -------------------------------------------------------------------------


def test_comparison_splits_the_total_exactly_by_the_measure(partnership, municipalities):
    """Every variant adds up to its total to the cent, each participant's share follows the
    measure, and the herverdeeleffect is the difference with the adopted variant."""
    other_total = 987_654
    model = save_model(
        partnership,
        municipalities,
        [variant("A"), variant("B", other_total)],
        adopted_code="A",
    )
    weights = {m.name: v for m, v in zip(municipalities, INHABITANTS, strict=True)}
    expected = [largest_remainder(TOTAL, weights), largest_remainder(other_total, weights)]

    comparison = selectors.comparison(model)

    assert [v.code for v in comparison.variants] == ["A", "B"]
    assert comparison.totals == [Decimal(TOTAL), Decimal(other_total)]
    rows = [r for group in comparison.groups for r in group.rows]
    assert [r.name for r in rows] == list(weights)
    for index, total in enumerate([TOTAL, other_total]):
        assert sum(r.amounts[index] for r in rows) == Decimal(total)
        assert {r.name: r.amounts[index] for r in rows} == expected[index]
    for r in rows:
        assert r.effects == [Decimal(0), r.amounts[1] - r.amounts[0]]
        assert r.inhabitants == Decimal(weights[r.name])
