"""Bad input gets a clear Dutch answer, never a 500, and nothing is lost or rounded silently:
years out of range in paths and query strings, amounts too large or too precise."""

import pytest

from django.urls import reverse

from collaborations.models import Participation
from finance.models import FinanceAmount, FinanceTableYear
from tests.finance.test_grid_and_split_key import grid_post, page_text

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/venlo/samenwerkingen/zvh/{HUGE}/",
        "/venlo/samenwerkingen/zvh/0001/",
        f"/venlo/samenwerkingen/zvh/{HUGE}/pdf/",
        f"/arnhem/samenwerkingen/vtgm/{HUGE}/verdeelmodel/",
        f"/venlo/samenwerkingen/zvh/{HUGE}/financien/kosten/",
    ],
)
def test_a_year_out_of_range_in_a_path_is_not_found(client, demo, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/venlo/samenwerkingen/?jaar={HUGE}",
        f"/venlo/vergelijken/?s=zvh&s=vrln&jaar={HUGE}",
        f"/venlo/samenwerkingen/zvh/vergelijken/?jaar={HUGE}",
        "/venlo/samenwerkingen/zvh/vergelijken/?jaar=-1",
        "/venlo/samenwerkingen/?jaar=abc",
    ],
)
def test_a_year_out_of_range_in_a_query_falls_back_to_the_default(client, demo, url):
    assert client.get(url).status_code == 200


def test_a_bundle_for_a_year_out_of_range_is_a_form_error(client, demo):
    response = client.post("/venlo/bundel/", {"jaar": "-1", "s": ["zvh"]})
    assert response.status_code == 400
    assert "Jaar: vul een jaar in tussen 1990 en 2100." in response.content.decode()


@pytest.fixture
def kosten_url(demo, reopen):
    zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    reopen(zvh.years.get(year=2017))
    table = FinanceTableYear.objects.get(participation=zvh, table="kosten", year=2017)
    return reverse("finance:grid", args=["venlo", "zvh", 2017, "kosten"]), table


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("123.456.789.012.345", "Dit bedrag is te groot"),
        ("1.000.000.000.000", "Dit bedrag is te groot"),
        ("12,345", "Vul hoogstens 2 decimalen in."),
    ],
)
def test_an_amount_that_cannot_be_stored_is_refused_naming_the_cell(
    clerk_client, kosten_url, amount, message
):
    url, table = kosten_url
    before = sorted(FinanceAmount.objects.values_list("pk", "amount"))
    rows = [(row.line.label, "1", "2", "3") for row in table.rows.order_by("order")]
    rows[1] = (rows[1][0], rows[1][1], amount, rows[1][3])
    response = clerk_client.post(url, grid_post(rows, str(table.version)))
    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "Regel 2" in text and "Realisatie 2017" in text
    assert f'value="{amount}"' in response.content.decode()  # the input is kept
    assert sorted(FinanceAmount.objects.values_list("pk", "amount")) == before


def test_the_largest_amount_with_cents_is_stored_exactly(clerk_client, kosten_url):
    url, table = kosten_url
    rows = [(row.line.label, "", "", "") for row in table.rows.order_by("order")]
    rows[0] = (rows[0][0], "999.999.999.999,99", "", "")
    response = clerk_client.post(url, grid_post(rows, str(table.version)) | {"confirm_loss": "on"})
    assert response.status_code == 302
    assert (
        str(FinanceAmount.objects.get(line__label=rows[0][0], year=2017, kind="begroting").amount)
        == "999999999999.99"
    )
