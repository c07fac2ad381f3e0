"""The BBV figures and the risk register are in the year's Geschiedenis like the rest of section
C: who changed what (before and after, in Dutch), and a way back — a changed figure, a deleted
risk — that is a change of its own and refuses a form opened before it."""

from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from collaborations.models import BbvFigures, Risk, YearRecord
from collaborations.services.bbv import RiskRow, bbv_state, restore_bbv, update_bbv, update_risks
from core.locking import as_text
from tests.reports import test_history
from tests.reports.test_history import YEAR, url

# the concept year and its clerk of the history tests
record, clerk, clerk_client = test_history.record, test_history.clerk, test_history.clerk_client

pytestmark = pytest.mark.django_db


def bbv(clerk, record, **values):
    record.refresh_from_db()
    return update_bbv(user=clerk, record=record, values=values, expected_version=record.version)


def risks(clerk, record, rows):
    record.refresh_from_db()
    return update_risks(user=clerk, record=record, risks=rows, expected_version=record.version)


def restore(clerk_client, record, kind, history_id, **extra):
    record.refresh_from_db()
    return clerk_client.post(
        url(record),
        {"soort": kind, "wijziging": history_id, "version": record.version},
        **extra,
    )


def test_a_bbv_figure_changed_twice_is_shown_and_restored(clerk_client, clerk, record):
    bbv(clerk, record, eigen_vermogen_eind=Decimal("1500000"), programma="Veiligheid")
    first = BbvFigures.history.latest()
    bbv(clerk, record, eigen_vermogen_eind=Decimal("900000"))
    page = clerk_client.get(url(record)).content.decode()
    assert "BBV-gegevens" in page
    assert "€ 1.500.000" in page and "€ 900.000" in page
    assert "Eigen vermogen einde jaar (verwacht)" in page
    response = restore(clerk_client, record, "bbv", first.history_id)
    assert response.status_code == 302
    figures = BbvFigures.objects.get(year_record=record)
    assert figures.eigen_vermogen_eind == Decimal("1500000")
    assert figures.programma == "Veiligheid"
    assert BbvFigures.history.latest().history_change_reason.startswith("Teruggezet naar")


def test_a_deleted_risk_comes_back_from_the_history(clerk_client, clerk, record):
    risks(
        clerk,
        record,
        [
            RiskRow("Tegenvaller huisvesting", 50, Decimal("10000"), "Reserve"),
            RiskRow("Loonstijging", 70, None),
        ],
    )
    kept = Risk.objects.get(omschrijving="Loonstijging")
    risks(clerk, record, [RiskRow("Loonstijging", 70, None, id=kept.pk)])
    deleted = Risk.history.filter(omschrijving="Tegenvaller huisvesting", history_type="-").get()
    page = clerk_client.get(url(record)).content.decode()
    assert "Risico" in page and "Tegenvaller huisvesting" in page
    response = restore(clerk_client, record, "risico", deleted.history_id, follow=True)
    assert "Teruggezet." in response.content.decode()
    back = Risk.objects.get(omschrijving="Tegenvaller huisvesting")
    assert (back.kans, back.effect, back.maatregelen) == (50, Decimal("10000"), "Reserve")
    assert Risk.objects.filter(year_record=record).count() == 2


def test_a_form_opened_before_the_restore_is_refused(clerk, record):
    bbv(clerk, record, resultaat=Decimal("100"))
    first = BbvFigures.history.latest()
    bbv(clerk, record, resultaat=Decimal("200"))
    record.refresh_from_db()
    opened = record.version  # a BBV form opened now shows € 200
    shown = {name: as_text(value) for name, value in bbv_state(record).items()}
    restore_bbv(user=clerk, record=record, history_id=first.history_id, expected_version=opened)
    with pytest.raises(ValidationError):
        update_bbv(
            user=clerk,
            record=record,
            values={"resultaat": Decimal("300")},
            expected_version=opened,
            original=shown,
        )
    assert BbvFigures.objects.get(year_record=record).resultaat == Decimal("100")


def test_a_restore_of_another_years_risk_is_refused(clerk_client, clerk, record):
    other = YearRecord.objects.create(participation=record.participation, year=YEAR + 1)
    risks(clerk, other, [RiskRow("Elders", 10, None)])
    foreign = Risk.history.get(omschrijving="Elders")
    response = restore(clerk_client, record, "risico", foreign.history_id, follow=True)
    assert "Deze versie hoort niet bij dit jaar." in response.content.decode()
    assert not Risk.objects.filter(year_record=record).exists()
