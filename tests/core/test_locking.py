"""Optimistic locking (core.locking): no save silently overwrites another user's save."""

import pytest

from django.core.exceptions import ValidationError
from django.db import transaction

from collaborations.models import YearRecord
from core.locking import StaleVersionError, check_version, lock_versioned, save_versioned
from finance.models import FinanceTableYear, Table
from tests.collaborations.factories import YearRecordFactory

pytestmark = pytest.mark.django_db


def save_text(record: YearRecord, *, expected_version: int | None, text: str) -> YearRecord:
    """What every service does: lock with the form's version, change, save versioned."""
    with transaction.atomic():
        locked = lock_versioned(
            YearRecord.objects.filter(pk=record.pk), expected_version=expected_version
        )
        locked.beoogd_inhoud = text
        save_versioned(locked)
    return locked


def test_a_matching_version_saves_and_goes_up_by_exactly_one():
    """The next form must carry the new version, so the bump has to be exactly one."""
    record = YearRecordFactory(beoogd_inhoud="oud")
    before = record.version

    saved = save_text(record, expected_version=before, text="nieuw")

    assert saved.version == before + 1  # reloaded: an int, not an F() expression
    stored = YearRecord.objects.get(pk=record.pk)
    assert (stored.beoogd_inhoud, stored.version) == ("nieuw", before + 1)


def test_a_stale_version_is_refused_in_dutch_and_nothing_is_written():
    """Two people open the same form; the second save must not overwrite the first."""
    record = YearRecordFactory(beoogd_inhoud="oud")
    opened_at = record.version
    save_text(record, expected_version=opened_at, text="van collega")

    with pytest.raises(StaleVersionError) as info:
        save_text(record, expected_version=opened_at, text="van mij")

    assert isinstance(info.value, ValidationError)  # forms and views show it as a form error
    assert info.value.code == "stale"
    assert "Iemand anders heeft dit onderdeel opgeslagen" in info.value.messages[0]
    stored = YearRecord.objects.get(pk=record.pk)
    assert (stored.beoogd_inhoud, stored.version) == ("van collega", opened_at + 1)


def test_the_message_names_what_was_saved():
    """The user is told which part changed (a table, a section), not a generic error."""
    with pytest.raises(StaleVersionError) as info:
        check_version(3, 2, what="deze tabel")
    assert "Iemand anders heeft deze tabel opgeslagen" in info.value.messages[0]


def test_a_row_that_does_not_exist_yet_has_version_none():
    """A first table of a year is created with expected version None."""
    record = YearRecordFactory()
    missing = FinanceTableYear.objects.filter(
        participation=record.participation, table=Table.KOSTEN, year=record.year
    )

    with transaction.atomic():
        assert lock_versioned(missing, expected_version=None) is None
    with pytest.raises(StaleVersionError), transaction.atomic():
        lock_versioned(missing, expected_version=1)  # the row the form showed is gone


def test_creating_a_row_someone_else_just_created_is_refused():
    """Two people fill in the first table of a year at once: the second one is told."""
    record = YearRecordFactory()
    FinanceTableYear.objects.create(
        participation=record.participation, table=Table.KOSTEN, year=record.year
    )
    existing = FinanceTableYear.objects.filter(participation=record.participation)

    with pytest.raises(StaleVersionError), transaction.atomic():
        lock_versioned(existing, expected_version=None)


def test_save_versioned_with_update_fields_bumps_the_version_too():
    """A partial save (e.g. the split key touching only updated_by) must still invalidate
    forms opened before it."""
    record = YearRecordFactory(beoogd_inhoud="oud", feitelijk_inhoud="oud")
    before = record.version
    record.beoogd_inhoud = "nieuw"
    record.feitelijk_inhoud = "niet opgeslagen"

    save_versioned(record, update_fields=["beoogd_inhoud"])

    assert record.version == before + 1
    stored = YearRecord.objects.get(pk=record.pk)
    assert stored.version == before + 1
    assert stored.beoogd_inhoud == "nieuw"
    assert stored.feitelijk_inhoud == "oud"  # only the named fields (and version) are written


def test_a_new_instance_starts_at_the_default_version():
    """A first save must not start at version 2: the next form would carry a wrong version."""
    record = YearRecordFactory()
    table_year = FinanceTableYear(
        participation=record.participation, table=Table.BATEN, year=record.year
    )

    save_versioned(table_year)

    assert table_year.pk is not None
    assert table_year.version == FinanceTableYear._meta.get_field("version").default
