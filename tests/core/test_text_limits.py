"""Every free-text field has a maximum, enforced in the form (a Dutch error naming the field,
the rest of the input kept) and in the model (services run `full_clean`)."""

import pytest

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from collaborations import services
from collaborations.models import YearRecord
from core.fields import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from tests.collaborations.factories import UserFactory, YearRecordFactory, grant
from tests.finance.test_grid_and_split_key import page_text

DOMAIN_APPS = ("collaborations", "finance", "allocation", "reports")
# written by the system, never typed by a person
SYSTEM_FIELDS = {("reportbundle", "error"), ("reportbundle", "progress_label")}


def test_every_free_text_field_of_the_domain_has_a_maximum():
    unbounded = [
        f"{model.__name__}.{field.name}"
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, (models.TextField, models.CharField))
        and (model._meta.model_name, field.name) not in SYSTEM_FIELDS
        and not field.max_length
    ]
    assert not unbounded


@pytest.fixture
def record(db):
    record = YearRecordFactory(beoogd_proces="Bestaande tekst")
    return record


@pytest.fixture
def invoerder(record):
    user = UserFactory()
    grant(user, "invoerder", record.participation.municipality)
    return user


def test_the_form_refuses_too_long_a_text_naming_the_field_and_keeps_the_rest(
    client, record, invoerder
):
    client.force_login(invoerder)
    participation = record.participation
    url = reverse(
        "collaborations:year-edit",
        args=[
            participation.municipality.slug,
            participation.partnership.slug,
            record.year,
            "beoogde-resultaten",
        ],
    )
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "version": record.version,
            "beoogd_inhoud": "x" * (TEXT_MAX_LENGTH + 1),
            "beoogd_proces": "Mijn nieuwe proces",
            "beoogd_samenwerking": "",
            "beoogd_kern": "",
        },
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Inhoud: Zorg dat deze waarde niet meer dan 10000 tekens bevat" in text
    assert "Mijn nieuwe proces" in response.content.decode()  # nothing typed is lost
    stored = YearRecord.objects.get(pk=record.pk)
    assert (stored.beoogd_inhoud, stored.beoogd_proces) == ("", "Bestaande tekst")


def test_the_service_refuses_too_long_a_text_without_a_form(record, invoerder):
    with pytest.raises(ValidationError, match="niet meer dan 10000 tekens"):
        services.update_year_record(
            user=invoerder,
            record=record,
            fields={"feitelijk_inhoud": "y" * (TEXT_MAX_LENGTH + 1)},
            expected_version=record.version,
        )
    assert YearRecord.objects.get(pk=record.pk).feitelijk_inhoud == ""


def test_a_reason_longer_than_its_maximum_is_refused(record, invoerder):
    vaststeller = UserFactory()
    grant(vaststeller, "vaststeller", record.participation.municipality)
    record = services.change_status(
        user=invoerder, record=record, action="aanbieden", expected_version=record.version
    )
    with pytest.raises(ValidationError, match=r"Toelichting: hoogstens 2\.000 tekens"):
        services.change_status(
            user=vaststeller,
            record=record,
            action="terugsturen",
            expected_version=record.version,
            note="z" * (NOTE_MAX_LENGTH + 1),
        )
    assert YearRecord.objects.get(pk=record.pk).status == YearRecord.Status.TER_VASTSTELLING
