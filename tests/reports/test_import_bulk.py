"""The bulk write of a money import stores what the grid's save stores: the same lines in the
same order, the same figures in their three states, the versions of the table and its
neighbours bumped, the same refusals; with a history row for every new line, row and figure."""

from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from collaborations.models import Participation
from finance.models import FinanceAmount, FinanceTableYear, Table
from finance.money import EMPTY, NVT, Cell
from finance.resources.bulk import merge_table_year
from finance.selectors import table_year_for_edit
from finance.services import GridRow, save_table_year
from tests.collaborations.factories import ParticipationFactory, UserFactory, grant
from tests.finance.factories import FinanceTableYearFactory

pytestmark = pytest.mark.django_db


def _state(participation, year):
    table_year, _, lines, amounts = table_year_for_edit(participation, Table.KOSTEN, year)
    return (
        table_year.not_applicable,
        [line.label for line in lines],
        sorted(
            (line.label, y, k, str(c.amount), c.not_applicable)
            for (pk, y, k), c in amounts.items()
            for line in lines
            if line.pk == pk
        ),
    )


def test_merge_stores_what_the_grid_stores():
    user = UserFactory(username="bulk", is_superuser=True)
    a, b = ParticipationFactory(), ParticipationFactory()
    first = [GridRow("Bestaand", (Cell(Decimal(10)), Cell(Decimal(11)), EMPTY))]
    for participation in (a, b):
        save_table_year(
            user=user,
            participation=participation,
            table=Table.KOSTEN,
            year=2020,
            rows=first,
            expected_version=None,
        )
        FinanceTableYearFactory(participation=participation, year=2021)
    change = [
        GridRow("Bestaand", (Cell(Decimal(12)), EMPTY, NVT)),
        GridRow("Nieuw", (Cell(Decimal("0")), Cell(Decimal("1234.56")), Cell(Decimal(7)))),
    ]
    version = FinanceTableYear.objects.get(participation=a, year=2020).version
    save_table_year(
        user=user,
        participation=a,
        table=Table.KOSTEN,
        year=2020,
        rows=change,
        expected_version=version,
    )
    merge_table_year(
        user=user,
        participation=b,
        table=Table.KOSTEN,
        year=2020,
        lines=change,
        reason="Import bedragen uit test.xlsx",
    )
    assert _state(a, 2020) == _state(b, 2020)
    for year in (2020, 2021):  # the table and the neighbour that shows its Begroting
        assert (
            FinanceTableYear.objects.get(participation=b, year=year).version
            == FinanceTableYear.objects.get(participation=a, year=year).version
        )
    reasons = set(
        FinanceAmount.history.filter(history_change_reason__contains="test.xlsx").values_list(
            "history_type", flat=True
        )
    )
    assert reasons == {"+", "~", "-"}  # new, changed and removed figures, each with the file


def test_merge_leaves_the_other_lines_and_columns_alone():
    user = UserFactory(username="bulk", is_superuser=True)
    participation = ParticipationFactory()
    save_table_year(
        user=user,
        participation=participation,
        table=Table.KOSTEN,
        year=2020,
        rows=[
            GridRow("A", (Cell(Decimal(1)), Cell(Decimal(2)), Cell(Decimal(3)))),
            GridRow("B", (Cell(Decimal(4)), EMPTY, EMPTY)),
        ],
        expected_version=None,
    )
    merge_table_year(
        user=user,
        participation=participation,
        table=Table.KOSTEN,
        year=2020,
        lines=[GridRow("a", (EMPTY, Cell(Decimal(20)), EMPTY))],
        columns=(False, True, False),
    )
    _, lines, amounts = _state(participation, 2020)
    assert lines == ["A", "B"]
    assert ("A", 2020, "realisatie", "20.00", False) in amounts
    assert ("A", 2021, "begroting", "3.00", False) in amounts


def test_merge_refuses_what_the_grid_refuses(demo):
    venlo = Participation.objects.get(municipality__slug="venlo", partnership__slug="zvh")
    clerk = UserFactory(username="bulk-clerk")
    grant(clerk, "invoerder", venlo.municipality)
    line = [GridRow("X", (Cell(Decimal(1)), EMPTY, EMPTY))]
    with pytest.raises(ValidationError, match="2017 is gepubliceerd"):
        merge_table_year(user=clerk, participation=venlo, table=Table.KOSTEN, year=2017, lines=line)
    with pytest.raises(PermissionDenied):
        merge_table_year(
            user=clerk, participation=venlo, table=Table.RESULTATEN, year=2016, lines=line
        )
    with pytest.raises(ValidationError, match="te groot"):
        merge_table_year(
            user=clerk,
            participation=venlo,
            table=Table.KOSTEN,
            year=2016,
            lines=[GridRow("X", (Cell(Decimal("1e13")), EMPTY, EMPTY))],
        )
