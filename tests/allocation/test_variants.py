"""The variant editor (issue 12, item 2): a new variant as a copy, edited step by step without
JSON, with a preview before saving; rename, delete with a way back, the JSON document."""

import json
from decimal import Decimal

import pytest

from django.test import Client
from django.urls import reverse

from allocation import engine, selectors
from allocation.models import AllocationVariant

pytestmark = pytest.mark.django_db
ARGS = ["arnhem", "vtgm", 2018]


def _edit_data(client, code: str) -> dict:
    """The editor's form as the page shows it."""
    response = client.get(reverse("allocation:variant-edit", args=[*ARGS, code]))
    data = {}
    forms = [response.context["variant_form"], *response.context["step_forms"]]
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(value)
    return data


def _copy(client, source: str, code: str) -> None:
    response = client.post(
        reverse("allocation:variant-new", args=ARGS),
        {"van": source, "code": code, "name": f"Variant {code}"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _mix_step(data: dict) -> str:
    """The prefix of the step that splits within each region by inhabitants (variant A)."""
    index = 0
    while f"s{index}-id" in data:
        if data.get(f"s{index}-sleutel_maat") == "inwoners" and data.get(f"s{index}-per_groep"):
            return f"s{index}"
        index += 1
    raise AssertionError("variant A has a per-region step by inhabitants")


def test_variant_d_from_a_with_a_mix_of_inhabitants_and_youth_budget(officer_client, vt_model):
    _copy(officer_client, "A", "D")
    data = _edit_data(officer_client, "D")
    step = _mix_step(data)
    data.update(
        {
            f"{step}-sleutel_soort": "mix",
            f"{step}-mix_0_gewicht": "50%",
            f"{step}-mix_0_maat": "inwoners",
            f"{step}-mix_1_gewicht": "0,5",
            f"{step}-mix_1_maat": "jeugd",
        }
    )
    url = reverse("allocation:variant-edit", args=[*ARGS, "D"])
    preview = officer_client.post(url, {**data, "_preview": "1"})
    assert "nog niet opgeslagen" in preview.content.decode()
    assert AllocationVariant.objects.get(code="D").definition == AllocationVariant.objects.get(
        code="A"
    ).definition | {"code": "D", "naam": "Variant D"}
    assert officer_client.post(url, data).status_code == 302
    stored = AllocationVariant.objects.get(code="D")
    keys = [s.get("sleutel") for s in stored.definition["stappen"]]
    assert {
        "mix": [
            {"gewicht": "50%", "sleutel": {"maat": "inwoners"}},
            {"gewicht": "0.5", "sleutel": {"maat": "jeugd"}},
        ]
    } in keys
    comparison = selectors.comparison(vt_model)
    d = [v.code for v in comparison.variants].index("D")
    a = [v.code for v in comparison.variants].index("A")
    assert comparison.totals[d] == comparison.totals[a]  # the same budget, another split
    effects = [row.effects[d] for group in comparison.groups for row in group.rows]
    assert any(effect != 0 for effect in effects)
    assert sum(effects) == 0
    page = officer_client.get(reverse("allocation:compare", args=ARGS)).content.decode()
    assert "Variant D" in page


def test_the_80_published_figures_are_untouched_by_editing_a_copy(officer_client, vt_model):
    _copy(officer_client, "C1", "C3")
    data = _edit_data(officer_client, "C3")
    assert (
        officer_client.post(
            reverse("allocation:variant-edit", args=[*ARGS, "C3"]), data
        ).status_code
        == 302
    )
    published = json.loads((engine.DATA_DIR / "vt2018_published.json").read_text())["overzicht_100"]
    comparison = selectors.comparison(vt_model)
    for code in engine.VT2018_VARIANTS:
        index = [v.code for v in comparison.variants].index(code)
        for group in comparison.groups:
            for row in group.rows:
                assert row.amounts[index] == Decimal(published[code][row.name])
    # saving the form unchanged gives the same amounts as its source
    c1 = [v.code for v in comparison.variants].index("C1")
    c3 = [v.code for v in comparison.variants].index("C3")
    assert comparison.totals[c1] == comparison.totals[c3]


def test_a_weight_mix_that_does_not_add_up_is_refused_in_words(officer_client, vt_model):
    _copy(officer_client, "A", "D")
    data = _edit_data(officer_client, "D")
    step = _mix_step(data)
    data.update(
        {
            f"{step}-sleutel_soort": "mix",
            f"{step}-mix_0_gewicht": "50%",
            f"{step}-mix_0_maat": "inwoners",
            f"{step}-mix_1_gewicht": "40%",
            f"{step}-mix_1_maat": "jeugd",
        }
    )
    response = officer_client.post(reverse("allocation:variant-edit", args=[*ARGS, "D"]), data)
    assert response.status_code == 409
    assert "Variant D:" in response.content.decode()
    stored = AllocationVariant.objects.get(code="D")
    assert (
        stored.definition["stappen"]
        == AllocationVariant.objects.get(code="A").definition["stappen"]
    )


def test_rename_and_a_stale_save_is_refused(officer_client, vt_model):
    _copy(officer_client, "B", "X")
    url = reverse("allocation:variant-edit", args=[*ARGS, "X"])
    data = _edit_data(officer_client, "X")
    stale = dict(data)
    data["code"], data["name"] = "Y", "Variant Y"
    assert officer_client.post(url, data).status_code == 302
    assert AllocationVariant.objects.filter(code="Y").exists()
    stale["name"] = "Iets anders"
    response = officer_client.post(reverse("allocation:variant-edit", args=[*ARGS, "Y"]), stale)
    assert response.status_code == 409
    assert AllocationVariant.objects.get(code="Y").name == "Variant Y"


def test_delete_asks_first_and_can_be_undone(officer_client, vt_model):
    _copy(officer_client, "B", "X")
    url = reverse("allocation:variant-delete", args=[*ARGS, "X"])
    assert "Variant X verwijderen" in officer_client.get(url).content.decode()
    assert AllocationVariant.objects.filter(code="X").exists()
    version = AllocationVariant.objects.get(code="X").version
    officer_client.post(url, {"version": version})
    assert not AllocationVariant.objects.filter(code="X").exists()
    page = officer_client.get(reverse("allocation:compare", args=ARGS)).content.decode()
    assert "Variant X terugzetten" in page
    history_id = officer_client.session["allocation_undo"]["history_id"]
    officer_client.post(
        reverse("allocation:variant-restore", args=ARGS), {"history_id": history_id}
    )
    assert AllocationVariant.objects.get(code="X").adopted is False


def test_the_adopted_variant_cannot_be_deleted(officer_client, vt_model):
    adopted = AllocationVariant.objects.get(adopted=True)
    url = reverse("allocation:variant-delete", args=[*ARGS, adopted.code])
    assert officer_client.post(url, {"version": adopted.version}).status_code == 409
    assert AllocationVariant.objects.filter(pk=adopted.pk).exists()


def test_json_download_runs_on_its_own_and_uploads_back(officer_client, vt_model):
    response = Client().get(reverse("allocation:variant-json", args=[*ARGS, "A"]))
    document = json.loads(response.content)
    published = json.loads((engine.DATA_DIR / "vt2018_published.json").read_text())["overzicht_100"]
    amounts = engine.allocate(engine.load_definition(document)).amounts()
    assert {k: str(v) for k, v in amounts.items()} == {k: str(v) for k, v in published["A"].items()}
    document["code"], document["naam"] = "E", "Variant E uit een document"
    upload = reverse("allocation:variant-upload", args=ARGS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("e.json", json.dumps(document).encode(), "application/json")
    assert officer_client.post(upload, {"bestand": file}).status_code == 302
    assert AllocationVariant.objects.get(code="E").name == "Variant E uit een document"
    bad = SimpleUploadedFile("x.json", b"{niet json", "application/json")
    response = officer_client.post(upload, {"bestand": bad})
    assert response.status_code == 400
    assert "geen leesbaar JSON-document" in response.content.decode()


def test_a_step_is_added_from_the_form(officer_client, vt_model):
    _copy(officer_client, "", "L")
    url = reverse("allocation:variant-edit", args=[*ARGS, "L"])
    data = _edit_data(officer_client, "L")
    page = officer_client.post(
        url, {**data, "_stap_toevoegen": "1", "_stap_toevoegen_soort": "bodem"}
    )
    assert "Stap 2: Bodem" in page.content.decode()


def test_others_cannot_edit(vt_model, clerk):
    client = Client()
    client.force_login(clerk)
    assert client.get(reverse("allocation:variant-edit", args=[*ARGS, "A"])).status_code == 403
