"""The public reads a published verdeelmodel, never the coördinator's working state: a new
budget or a variant D shows only after publishing, as a new numbered version that never
changes; older versions stay readable, and two coordinators publishing at once do not pass
each other unnoticed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from allocation import selectors, services
from allocation.models import AllocationPublication
from core.formatting import format_money
from core.locking import StaleVersionError
from tests.collaborations.factories import UserFactory

pytestmark = pytest.mark.django_db
ARGS = ["arnhem", "vtgm", 2018]
COMPARE = reverse("allocation:compare", args=ARGS)
PUBLISH = reverse("allocation:publish", args=ARGS)
PDF = reverse("reports:allocation-pdf", args=ARGS)


def _total_a(comparison) -> Decimal:
    return comparison.totals[[v.code for v in comparison.variants].index("A")]


def _raise_budget(model, amount: int) -> None:
    model.inputs["parameters"]["begroting"] = {"waarde": str(amount), "omschrijving": "Begroting"}
    model.save()


def test_a_saved_change_stays_out_of_public_view_until_it_is_published(officer_client, vt_model):
    client = Client()  # the public
    published = selectors.comparison(vt_model)
    _raise_budget(vt_model, 4100000)
    new_total = format_money(Decimal(4100000))

    public = client.get(COMPARE).content.decode()
    assert new_total not in public
    assert format_money(_total_a(published)) in public
    assert "Versie 1 van dit verdeelmodel" in public

    own = officer_client.get(COMPARE).content.decode()
    assert "Werkversie" in own and new_total in own
    assert "Nog niet gepubliceerd: de begroting of de parameters" in own

    confirm = officer_client.get(PUBLISH).content.decode()
    assert "De begroting of de parameters" in confirm and "Versie 2 publiceren" in confirm
    response = officer_client.post(PUBLISH, {"latest": "1", "toelichting": "Na de wijziging"})
    assert response.status_code == 302
    assert new_total in client.get(COMPARE).content.decode()
    older = client.get(COMPARE + "?versie=1").content.decode()
    assert new_total not in older and "Er is een nieuwere versie (2)" in older


def test_a_new_variant_and_its_explanation_are_not_public_before_publishing(
    officer_client, vt_model
):
    client = Client()
    source = vt_model.variants.get(code="A")
    vt_model.variants.create(
        code="D", name="Variant D (concept)", definition=source.definition, order=9
    )
    assert "Variant D (concept)" not in client.get(COMPARE).content.decode()
    explain = reverse("allocation:explain", args=[*ARGS, "D"])
    assert client.get(explain).status_code == 404
    assert officer_client.get(explain).status_code == 200
    assert "variant D is nieuw" in officer_client.get(COMPARE).content.decode()


def test_the_pdf_and_the_export_follow_what_the_reader_may_see(officer_client, vt_model):
    client = Client()
    _raise_budget(vt_model, 4100000)
    public_csv = client.get(COMPARE + "?_export=csv").content.decode("utf-8-sig")
    own_csv = officer_client.get(COMPARE + "?_export=csv").content.decode("utf-8-sig")
    assert public_csv != own_csv
    public_pdf = client.get(PDF)
    assert public_pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(public_pdf.content)).pages)
    assert "Versie 1 van dit verdeelmodel" in text
    assert "4.100.000" not in text
    own_pdf = officer_client.get(PDF).content
    own_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(own_pdf)).pages)
    assert "Werkversie" in own_text and "4.100.000" in own_text


def test_a_publication_never_changes_and_the_numbers_follow_each_other(officer, vt_model):
    with pytest.raises(ValidationError, match="niets veranderd sinds versie 1"):
        services.publish_allocation_model(user=officer, model=vt_model)
    _raise_budget(vt_model, 4000000)
    second = services.publish_allocation_model(user=officer, model=vt_model, note="Twee")
    assert second.number == 2
    second.note = "Anders"
    with pytest.raises(ValidationError):
        second.save()
    assert AllocationPublication.objects.get(pk=second.pk).note == "Twee"


def test_publishing_from_a_stale_page_is_refused(officer_client, officer, vt_model):
    _raise_budget(vt_model, 4000000)
    services.publish_allocation_model(user=officer, model=vt_model, expected_latest=1)
    _raise_budget(vt_model, 4200000)
    with pytest.raises(StaleVersionError):
        services.publish_allocation_model(user=officer, model=vt_model, expected_latest=1)
    response = officer_client.post(PUBLISH, {"latest": "1"})
    assert response.status_code == 409
    assert "Iemand anders heeft intussen versie 2 gepubliceerd" in response.content.decode()
    assert vt_model.publications.count() == 2


def test_only_the_coordinator_publishes(vt_model, clerk):
    other = Client()
    other.force_login(clerk)
    assert other.post(PUBLISH, {"latest": "1"}).status_code == 403
    assert Client().post(PUBLISH, {"latest": "1"}).status_code == 302  # to the login
    with pytest.raises(Exception, match="coördinator"):
        services.publish_allocation_model(user=UserFactory(), model=vt_model)
    assert vt_model.publications.count() == 1


def test_a_model_never_published_says_so_to_the_public(officer_client, vt_model):
    client = Client()
    vt_model.publications.all().delete()
    page = client.get(COMPARE)
    assert page.status_code == 200 and "nog niet gepubliceerd" in page.content.decode()
    assert client.get(PDF).status_code == 404  # never a PDF of the working state
    assert "Het publiek ziet nog niets" in officer_client.get(COMPARE).content.decode()


@pytest.mark.parametrize("asked", ["0", "x", "-1", "99999999", "7"])
def test_a_version_that_does_not_exist_is_not_found(client, vt_model, asked):
    assert client.get(COMPARE + f"?versie={asked}").status_code == 404


def test_a_too_long_note_is_named_and_nothing_is_published(officer_client, vt_model):
    response = officer_client.post(PUBLISH, {"latest": "1", "toelichting": "x" * 301})
    assert response.status_code == 400
    assert "Toelichting" in response.content.decode()
    assert vt_model.publications.count() == 1


def test_a_broken_working_state_never_breaks_the_public_pdf(client, officer, vt_model):
    vt_model.variants.filter(code="A").update(
        definition={"formaat": "verdeelmodel/1", "stappen": [{"id": "x", "soort": "onzin"}]}
    )
    assert Client().get(PDF)["Content-Type"] == "application/pdf"  # version 1 is whole
    client.force_login(officer)
    response = client.get(PDF)
    assert response.status_code == 409 and "Ongeldig verdeelmodel" in response.content.decode()
