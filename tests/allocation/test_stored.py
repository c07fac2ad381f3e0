"""The allocation engine inside the dashboard: stored measures and variants, the command, the
comparison page, the export, adopting a variant and settling a result."""

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from allocation import engine, selectors
from allocation.demo import load_allocation_demo
from allocation.models import AllocationVariant, Measure
from collaborations.models import Municipality
from reports.services import ensure_versions
from tests.collaborations.factories import UserFactory, grant

pytestmark = pytest.mark.django_db
PUBLISHED = json.loads((engine.DATA_DIR / "vt2018_published.json").read_text(encoding="utf-8"))[
    "overzicht_100"
]
COMPARE = reverse("allocation:compare", args=["arnhem", "vtgm", 2018])


@pytest.fixture
def vt_model(demo):
    model = load_allocation_demo()
    ensure_versions()  # its years are published: each gets version 1, as load_demo does
    return model


def test_stored_model_reproduces_all_80_published_figures(vt_model):
    """Measures from the Measure table, steps from the stored variants: the report's figures."""
    comparison = selectors.comparison(vt_model)
    assert [v.code for v in comparison.variants] == list(PUBLISHED)
    checked = 0
    for index, variant in enumerate(comparison.variants):
        for group in comparison.groups:
            for row in group.rows:
                assert row.amounts[index] == PUBLISHED[variant.code][row.name], (
                    variant.code,
                    row.name,
                )
                checked += 1
    assert checked == 80


def test_measures_are_stored_per_municipality_with_their_source(vt_model):
    rheden = Measure.objects.get(municipality__name="Rheden", code="jeugdinwoners", year=2018)
    assert rheden.value == 8832
    assert rheden.bron == "Bijlage 2A"
    assert Measure.objects.filter(code="inwoners", year=2018).count() == 16


def test_changing_a_measure_changes_the_allocation(vt_model):
    Measure.objects.filter(municipality__name="Doesburg", code="inwoners").update(value=22672)
    comparison = selectors.comparison(vt_model)
    cg = comparison.groups[0]
    doesburg = next(r for r in cg.rows if r.name == "Doesburg")
    assert doesburg.amounts[0] > PUBLISHED["A"]["Doesburg"]
    assert cg.subtotals[0] == sum(PUBLISHED["A"][r.name] for r in cg.rows)  # region fixed


def test_herverdeeleffect_against_the_adopted_variant(client, vt_model):
    comparison = selectors.comparison(vt_model)
    assert comparison.adopted.code == "A"
    arnhem = comparison.groups[0].rows[0]
    expected = PUBLISHED["B"]["Arnhem"] - PUBLISHED["A"]["Arnhem"]
    assert arnhem.effects[2] == expected
    assert arnhem.effects_per_inhabitant[2] == Decimal(expected) / Decimal(153818)
    page = client.get(COMPARE).content.decode()
    assert "+€ 155.800" in page  # B against A for Arnhem
    assert "+€ 1,01" in page  # per inwoner
    assert "Subtotaal Gelderland Centraal (regio Arnhem)" in page


def test_export_has_real_numbers(client, vt_model):
    response = client.get(COMPARE + "?_export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Gemeente", "Groep", "Inwoners", "Bijdrage A"]
    arnhem = [c.value for c in sheet[2]]
    assert arnhem[0] == "Arnhem"
    assert arnhem[3] == PUBLISHED["A"]["Arnhem"] and isinstance(arnhem[3], int)
    csv_text = client.get(COMPARE + "?_export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert rows[1][0] == "Arnhem" and rows[1][3] == str(PUBLISHED["A"]["Arnhem"])


def test_adopting_a_variant_needs_the_coordinator(client, vt_model):
    clerk = UserFactory(username="venlo-clerk")
    grant(clerk, "invoerder", Municipality.objects.get(slug="venlo"))
    client.force_login(clerk)
    adopt = reverse("allocation:adopt", args=["arnhem", "vtgm", 2018])
    assert client.post(adopt, {"variant": "B"}).status_code == 403
    officer = UserFactory(username="officer")
    grant(officer, "coordinator", vt_model.partnership)
    client.force_login(officer)
    assert client.post(adopt, {"variant": "B"}).status_code == 302
    assert AllocationVariant.objects.get(adopted=True).code == "B"
    # The adopted variant's amount is now each participant's contribution in its working copy;
    # the public keeps seeing the published version until the year is published again.
    year_url = reverse("reports:year", args=["rheden", "vtgm", 2018])
    public = Client().get(year_url).content.decode()
    assert f"€ {PUBLISHED['A']['Rheden']:,}".replace(",", ".") in public
    rheden_clerk = UserFactory(username="rheden-clerk")
    grant(rheden_clerk, "invoerder", Municipality.objects.get(slug="rheden"))
    client.force_login(rheden_clerk)
    page = client.get(year_url).content.decode()
    assert f"€ {PUBLISHED['B']['Rheden']:,}".replace(",", ".") in page
    assert "?deelnemer=Rheden" in page


def test_settling_a_result_adds_up_exactly(client, vt_model):
    comparison = selectors.comparison(vt_model)
    parts = selectors.settlement(comparison, Decimal("-120000"), "bijdrage")
    assert sum(p for _, _, p in parts) == Decimal("-120000")
    arnhem = next(p for name, _, p in parts if name == "Arnhem")
    assert abs(arnhem - Decimal("-120000") * 1275000 / 3934300) < Decimal("0.01")
    by_inhabitants = selectors.settlement(comparison, Decimal("99999.99"), "inwoners")
    assert sum(p for _, _, p in by_inhabitants) == Decimal("99999.99")
    page = client.get(COMPARE + "?resultaat=-120.000&sleutel=bijdrage").content.decode()
    assert "Verdeling van € −120.000" in page


def test_explanation_for_one_participant(client, vt_model):
    url = reverse("allocation:explain", args=["rheden", "vtgm", 2018, "C1"])
    page = client.get(url + "?deelnemer=Rheden").content.decode()
    assert "Bijdrage van Rheden:" in page and "€ 266.600" in page
    assert client.get(url + "?deelnemer=Venlo").status_code == 404


def test_allocate_command_stored_variant_as_json(vt_model, capsys):
    call_command("allocate", partnership="vtgm", year=2018, variant="C2", json=True)
    data = json.loads(capsys.readouterr().out)
    amounts = {p["name"]: p["amount"] for p in data["participants"]}
    assert amounts["Ede"] == f"{PUBLISHED['C2']['Ede']}.00"


def test_allocate_command_readable_table_from_a_file(capsys):
    call_command("allocate", str(engine.DATA_DIR / "vt2018" / "A-jeugd.json"))
    out = capsys.readouterr().out
    assert "€ 1.264.800" in out  # Arnhem, A-jeugd
    assert "Totaal" in out


def test_allocate_command_refuses_a_bad_file(tmp_path):
    bad = tmp_path / "fout.json"
    bad.write_text('{"formaat": "verdeelmodel/1", "stappen": []')
    with pytest.raises(CommandError) as info:
        call_command("allocate", str(bad))
    assert info.value.returncode == 2
    assert "ongeldige JSON" in str(info.value)


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{niet json", "ongeldige JSON"),
        (json.dumps({"formaat": "verdeelmodel/9", "stappen": [], "invoer": {}}), "formaat"),
    ],
)
def test_allocate_command_exit_status_2_without_traceback(stdin, message):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dashboard.settings.test"}
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "allocate", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_comparison_page_query_count(client, vt_model, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert client.get(COMPARE).status_code == 200


def test_settlement_form_names_a_bad_amount(client, vt_model):
    page = client.get(COMPARE + "?resultaat=12,3,4&sleutel=bijdrage").content.decode()
    assert "Er is 1 fout gevonden" in page
    assert "Te verrekenen resultaat (€): “12,3,4” bevat meer dan één komma" in page


def test_adopting_asks_first_and_shows_the_effect(client, vt_model):
    """Adoption changes every contribution: the officer sees the effect before confirming."""
    officer = UserFactory(username="officer")
    grant(officer, "coordinator", vt_model.partnership)
    client.force_login(officer)
    adopt = reverse("allocation:adopt", args=["arnhem", "vtgm", 2018])
    page = client.get(adopt, {"variant": "B"}).content.decode()
    assert "Variant B: " in page or "variant B" in page
    difference = PUBLISHED["B"]["Rheden"] - PUBLISHED["A"]["Rheden"]
    shown = f"{abs(difference):,}".replace(",", ".")
    assert shown in page
    assert AllocationVariant.objects.get(adopted=True).code == "A"  # nothing changed yet


def test_two_officers_adopting_at_once_do_not_overwrite_each_other(client, vt_model):
    """Both saw A adopted; the first adopts B, the second's C is refused, not silently won."""
    officer = UserFactory(username="officer")
    grant(officer, "coordinator", vt_model.partnership)
    client.force_login(officer)
    adopt = reverse("allocation:adopt", args=["arnhem", "vtgm", 2018])
    assert client.post(adopt, {"variant": "B", "adopted_was": "A"}).status_code == 302
    second = client.post(adopt, {"variant": "C1", "adopted_was": "A"})
    assert second.status_code == 409
    assert "Iemand anders heeft intussen variant B vastgesteld" in second.content.decode()
    assert AllocationVariant.objects.get(adopted=True).code == "B"


def test_a_broken_stored_variant_shows_a_message_not_a_500(client, vt_model, officer):
    """An invalid definition that reached the database (an old import, a shell) takes down no
    page: the year pages say the contribution cannot be computed, the comparison says why."""
    AllocationVariant.objects.filter(model=vt_model, code="A").update(
        definition={"formaat": "verdeelmodel/1", "stappen": [{"id": "x", "soort": "onzin"}]}
    )
    rheden_clerk = UserFactory(username="rheden-clerk")
    grant(rheden_clerk, "invoerder", Municipality.objects.get(slug="rheden"))
    client.force_login(rheden_clerk)
    year = client.get(reverse("reports:year", args=["rheden", "vtgm", 2018]))
    assert year.status_code == 200
    assert "kan nu niet worden berekend" in year.content.decode()
    # the clerk reads the published version, which is still whole
    assert client.get(COMPARE).status_code == 200
    # the coördinator, who works on the model itself, is told why it cannot be computed
    client.force_login(officer)
    compare = client.get(COMPARE)
    assert compare.status_code == 409
    assert "Ongeldig verdeelmodel" in compare.content.decode()
    explain = client.get(reverse("allocation:explain", args=["arnhem", "vtgm", 2018, "A"]))
    assert explain.status_code == 409


def test_the_admin_refuses_an_invalid_variant_definition(vt_model):
    from allocation.admin import VariantAdminForm

    variant = vt_model.variants.get(code="B")
    data = {
        "model": vt_model.pk,
        "code": "B",
        "name": variant.name,
        "omschrijving": "",
        "definition": '{"formaat": "verdeelmodel/1", "stappen": [{"id": "x", "soort": "onzin"}]}',
        "order": 1,
    }
    form = VariantAdminForm(data, instance=variant)
    assert not form.is_valid()
    assert "Ongeldig verdeelmodel" in " ".join(form.errors["definition"])
