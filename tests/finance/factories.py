"""factory_boy factories for money tables: a line, a table-year with its rows, amounts, a split
key component. A table-year and a line belong to one owner: a perspective (kosten, baten) or
the partnership (the shared tables)."""

from decimal import Decimal

import factory

from finance.models import (
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    SplitKeyComponent,
    Table,
)
from tests.collaborations.factories import ParticipationFactory, YearRecordFactory


class FinanceLineFactory(factory.django.DjangoModelFactory):
    """A Kosten line of a perspective (pass `partnership=…, participation=None` for shared)."""

    class Meta:
        model = FinanceLine

    participation = factory.SubFactory(ParticipationFactory)
    partnership = None
    table = Table.KOSTEN
    label = factory.Sequence(lambda n: f"Bijdrage {n}")


class FinanceTableYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinanceTableYear

    participation = factory.SubFactory(ParticipationFactory)
    partnership = None
    table = Table.KOSTEN
    year = 2025


class FinanceRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinanceRow

    table_year = factory.SubFactory(FinanceTableYearFactory)
    line = factory.SubFactory(
        FinanceLineFactory,
        participation=factory.SelfAttribute("..table_year.participation"),
        partnership=factory.SelfAttribute("..table_year.partnership"),
        table=factory.SelfAttribute("..table_year.table"),
    )
    order = factory.Sequence(int)


class FinanceAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinanceAmount

    line = factory.SubFactory(FinanceLineFactory)
    year = 2025
    kind = Kind.BEGROTING
    amount = Decimal("1000.00")
    not_applicable = False


class SplitKeyComponentFactory(factory.django.DjangoModelFactory):
    """A share of a base amount (kind aandeel); pass `kind="vast", fixed_amount=…` for a sum."""

    class Meta:
        model = SplitKeyComponent

    year_record = factory.SubFactory(YearRecordFactory)
    kind = SplitKeyComponent.Kind.AANDEEL
    omschrijving = "Bijdrage"
    base_amount = Decimal("100000.00")
    share_percent = Decimal("10")
    applies_to_year = factory.SelfAttribute("year_record.year")
