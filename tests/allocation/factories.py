"""factory_boy factories for the stored verdeelmodel: measures, a model, its variants.

`AllocationModelFactory` makes a model whose participants are given by name (the names of
existing municipalities); `AllocationVariantFactory` a variant that splits a total by a
measure, with the engine's format verdeelmodel/1."""

from decimal import Decimal

import factory

from allocation.models import AllocationModel, AllocationVariant, Measure
from tests.collaborations.factories import MunicipalityFactory, PartnershipFactory


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    municipality = factory.SubFactory(MunicipalityFactory)
    code = "inwoners"
    year = 2025
    period = ""
    value = Decimal("10000")
    omschrijving = "Aantal inwoners"
    eenheid = "inwoners"
    bron = "CBS"


class AllocationModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationModel

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2025
    name = factory.Sequence(lambda n: f"Verdeelmodel {n}")
    inputs = factory.LazyFunction(lambda: {"deelnemers": []})


def split_by_measure(total: int | str, measure: str = "inwoners") -> dict:
    """A variant definition (without invoer): the whole total pro rata to one measure, rounded
    to the euro with the largest remainder."""
    return {
        "formaat": "verdeelmodel/1",
        "stappen": [
            {
                "id": "bijdrage",
                "soort": "verdeling",
                "bedrag": str(total),
                "sleutel": {"maat": measure},
            }
        ],
        "afronding": {"eenheid": "1", "verschil": "grootste_rest"},
    }


class AllocationVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationVariant

    model = factory.SubFactory(AllocationModelFactory)
    code = factory.Sequence(lambda n: f"V{n}")
    name = factory.LazyAttribute(lambda o: f"Variant {o.code}")
    definition = factory.LazyFunction(lambda: split_by_measure(100000))
    order = factory.Sequence(int)
    adopted = False
