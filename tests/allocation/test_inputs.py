"""The inputs of a verdeelmodel in the site (issue 12, item 1 and 3): the coördinator sets the
budget and the measures per municipality, sees the effect before saving, and nothing is
overwritten unnoticed; everyone else is refused."""

from decimal import Decimal

import pytest

from django.test import Client
from django.urls import reverse

from allocation import selectors
from allocation.models import Measure

pytestmark = pytest.mark.django_db
ARGS = ["arnhem", "vtgm", 2018]
INPUTS = reverse("allocation:inputs", args=ARGS)


def _parameter_post(model, **changes) -> dict:
    """The parameters form as the page shows it, with some values typed over."""
    parameters = model.inputs["parameters"]
    data = {
        "version": str(model.version),
        "p-TOTAL_FORMS": str(len(parameters) + 1),
        "p-INITIAL_FORMS": str(len(parameters)),
    }
    for index, (code, entry) in enumerate(parameters.items()):
        entry = entry if isinstance(entry, dict) else {"waarde": entry}
        data[f"p-{index}-code"] = code
        data[f"p-{index}-omschrijving"] = entry.get("omschrijving", "")
        data[f"p-{index}-waarde"] = changes.get(code, str(entry["waarde"]).replace(".", ","))
    return data


def _renkum_field(model) -> str:
    names = [p["naam"] for p in model.inputs["deelnemers"]]
    return f"w_{names.index('Renkum')}_0"


def test_only_the_coordinator_opens_the_inputs(vt_model, clerk):
    assert Client().get(INPUTS).status_code == 302  # to the login
    other = Client()
    other.force_login(clerk)
    assert other.get(INPUTS).status_code == 403


def test_the_budget_typed_the_dutch_way_moves_every_variant_that_splits_it(
    officer_client, vt_model
):
    before = selectors.comparison(vt_model)
    response = officer_client.post(INPUTS, _parameter_post(vt_model, begroting="4.100.000"))
    assert response.status_code == 302
    vt_model.refresh_from_db()
    after = selectors.comparison(vt_model)
    assert Decimal(vt_model.inputs["parameters"]["begroting"]["waarde"]) == Decimal(4100000)
    assert vt_model.version == 2
    a = after.variants.index(next(v for v in after.variants if v.code == "A"))
    assert after.totals[a] == Decimal(4100000) != before.totals[a]
    assert vt_model.history.count() >= 2  # the earlier parameters are kept


def test_bereken_shows_the_effect_and_saves_nothing(officer_client, vt_model):
    data = {**_parameter_post(vt_model, begroting="4.100.000"), "_preview": "1"}
    page = officer_client.post(INPUTS, data).content.decode()
    assert "nog niet opgeslagen" in page
    assert "€ 4.100.000" in page  # the total of the variants that split the budget
    vt_model.refresh_from_db()
    assert vt_model.version == 1
    assert Decimal(str(vt_model.inputs["parameters"]["begroting"]["waarde"])) == Decimal(3934300)


def test_the_script_gets_only_the_preview(officer_client, vt_model):
    data = {**_parameter_post(vt_model, begroting="4.100.000"), "_preview": "1"}
    fragment = officer_client.post(INPUTS, data, HTTP_X_PREVIEW="1").content.decode()
    assert 'id="voorbeeld"' in fragment and "<html" not in fragment


def test_a_bad_amount_is_named_by_row_and_column_and_kept(officer_client, vt_model):
    response = officer_client.post(INPUTS, _parameter_post(vt_model, begroting="vier miljoen"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Parameter begroting, Waarde" in page
    assert 'value="vier miljoen"' in page


def test_a_parameter_a_variant_uses_cannot_be_removed(officer_client, vt_model):
    data = _parameter_post(vt_model)
    codes = list(vt_model.inputs["parameters"])
    data[f"p-{codes.index('uurtarief')}-DELETE"] = "on"
    response = officer_client.post(INPUTS, data)
    assert response.status_code == 409
    assert "kan variant C1 niet worden berekend" in response.content.decode()
    vt_model.refresh_from_db()
    assert "uurtarief" in vt_model.inputs["parameters"]


def test_two_officers_saving_parameters_do_not_overwrite_each_other(officer_client, vt_model):
    stale = _parameter_post(vt_model, begroting="4.000.000")
    assert (
        officer_client.post(INPUTS, _parameter_post(vt_model, begroting="4.100.000")).status_code
        == 302
    )
    response = officer_client.post(INPUTS, stale)
    assert response.status_code == 409
    vt_model.refresh_from_db()
    assert Decimal(vt_model.inputs["parameters"]["begroting"]["waarde"]) == Decimal(4100000)


def test_renkums_inhabitants_change_the_allocation_and_keep_their_source(officer_client, vt_model):
    url = reverse("allocation:measure", args=[*ARGS, "inwoners"])
    page = officer_client.get(url)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[_renkum_field(vt_model)] = "32.000"
    data["bron"] = "CBS, 1 januari 2017"
    data["peildatum"] = "01-01-2017"
    before = selectors.comparison(vt_model)
    assert officer_client.post(url, data).status_code == 302
    renkum = Measure.objects.get(code="inwoners", year=2018, municipality__name="Renkum")
    assert renkum.value == Decimal(32000) and renkum.bron == "CBS, 1 januari 2017"
    assert str(renkum.peildatum) == "2017-01-01"
    after = selectors.comparison(vt_model)
    row = lambda c: next(r for g in c.groups for r in g.rows if r.name == "Renkum")  # noqa: E731
    assert row(after).amounts != row(before).amounts
    assert renkum.history.count() == 2


def test_a_pasted_column_fills_every_municipality(officer_client, vt_model):
    url = reverse("allocation:measure-new", args=ARGS)
    names = [p["naam"] for p in vt_model.inputs["deelnemers"]]
    pasted = "\n".join(f"{name}\t{1000 + index}" for index, name in enumerate(names))
    data = {"code": "woningen", "omschrijving": "Aantal woningen", "plakken": pasted}
    assert officer_client.post(url, data).status_code == 302
    stored = dict(
        Measure.objects.filter(code="woningen", year=2018).values_list(
            "municipality__name", "value"
        )
    )
    assert stored == {name: Decimal(1000 + index) for index, name in enumerate(names)}


def test_a_pasted_line_that_is_no_participant_is_named(officer_client, vt_model):
    url = reverse("allocation:measure-new", args=ARGS)
    data = {
        "code": "woningen",
        "omschrijving": "Aantal woningen",
        "plakken": "Arnhem\t5\nAtlantis\t3",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 400
    assert "Regel 2: “Atlantis” is geen deelnemer" in response.content.decode()
    assert not Measure.objects.filter(code="woningen").exists()


def test_an_empty_cell_is_unknown_not_zero(officer_client, vt_model):
    url = reverse("allocation:measure-new", args=ARGS)
    names = [p["naam"] for p in vt_model.inputs["deelnemers"]]
    pasted = "\n".join("" if name == "Renkum" else "0" for name in names)
    data = {"code": "woningen", "omschrijving": "Aantal woningen", "plakken": pasted}
    assert officer_client.post(url, data).status_code == 302
    stored = dict(
        Measure.objects.filter(code="woningen", year=2018).values_list(
            "municipality__name", "value"
        )
    )
    assert "Renkum" not in stored  # unknown
    assert stored["Arnhem"] == Decimal(0)  # zero


def test_emptying_a_value_a_variant_needs_is_refused_naming_the_variant(officer_client, vt_model):
    url = reverse("allocation:measure", args=[*ARGS, "jeugdinwoners"])
    form = officer_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[_renkum_field(vt_model)] = ""
    response = officer_client.post(url, data)
    assert response.status_code == 409
    assert "kan variant A-jeugd niet worden berekend" in response.content.decode()
    assert Measure.objects.filter(
        code="jeugdinwoners", year=2018, municipality__name="Renkum"
    ).exists()


def test_a_measure_changed_by_someone_else_is_a_conflict(officer_client, vt_model):
    url = reverse("allocation:measure", args=[*ARGS, "inwoners"])
    form = officer_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    Measure.objects.filter(code="inwoners", year=2018, municipality__name="Renkum").update(
        value=Decimal(1)
    )
    data[_renkum_field(vt_model)] = "32.000"
    response = officer_client.post(url, data)
    assert response.status_code == 409
    assert "Iemand anders heeft deze maat intussen gewijzigd" in response.content.decode()
    assert Measure.objects.get(code="inwoners", year=2018, municipality__name="Renkum").value == 1


def test_counts_per_period_are_edited_per_period(officer_client, vt_model):
    municipality = Measure.objects.filter(year=2018).first().municipality
    for period in ("2016", "2017"):
        Measure.objects.create(
            municipality=municipality, code="meldingen", year=2018, period=period, value=5
        )
    url = reverse("allocation:measure", args=[*ARGS, "meldingen"])
    form = officer_client.get(url).context["form"]
    assert form.periods == ["2016", "2017"]
    index = form.names.index(municipality.name)
    assert form.fields[f"w_{index}_1"].label == f"{municipality.name}, 2017"
    assert form[f"w_{index}_1"].value() == "5"  # shown as typed


def test_an_unknown_measure_is_not_found(officer_client, vt_model):
    assert (
        officer_client.get(reverse("allocation:measure", args=[*ARGS, "bestaatniet"])).status_code
        == 404
    )


def test_the_inputs_page_takes_a_fixed_number_of_queries(
    officer_client, vt_model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        assert officer_client.get(INPUTS).status_code == 200
