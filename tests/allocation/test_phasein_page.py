"""The ingroeiregeling page: from the adopted variant to another over N years, every year
shown and adding up to the new total; bad input named, never a 500."""

import pytest

from django.urls import reverse

from allocation import selectors

pytestmark = pytest.mark.django_db
URL = reverse("allocation:phase-in", args=["arnhem", "vtgm", 2018])


def test_three_years_from_a_to_b_end_at_b_and_add_up(client, vt_model):
    response = client.get(URL, {"van": "A", "naar": "B", "jaren": "3", "soort_grens": "euro"})
    assert response.status_code == 200
    plan = response.context["plan"]
    comparison = selectors.comparison(vt_model)
    b = comparison.results[[v.code for v in comparison.variants].index("B")]
    assert len(plan.years) == 3
    assert dict(plan.years[-1].amounts) == b.amounts()
    for year in plan.years:
        assert sum(year.amounts.values()) == b.total
    page = response.content.decode()
    assert "Jaar 3" in page and "Renkum" in page


def test_a_cap_holds_every_year_but_the_last(client, vt_model):
    response = client.get(
        URL, {"van": "A", "naar": "C1", "jaren": "3", "grens": "10.000", "soort_grens": "euro"}
    )
    plan = response.context["plan"]
    for year in plan.years[:-1]:
        assert all(abs(v) <= 10000 for v in year.shifts.values())


@pytest.mark.parametrize(
    "query",
    [
        {"van": "A", "naar": "A", "jaren": "3", "soort_grens": "euro"},
        {"van": "A", "naar": "B", "jaren": "99", "soort_grens": "euro"},
        {"van": "A", "naar": "B", "jaren": "drie", "soort_grens": "euro"},
        {"van": "A", "naar": "Q", "jaren": "3", "soort_grens": "euro"},
        {"van": "A", "naar": "B", "jaren": "3", "grens": "-5", "soort_grens": "euro"},
    ],
)
def test_bad_input_is_named(client, vt_model, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert "foutmeldingen" in response.content.decode()
