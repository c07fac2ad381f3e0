"""Two people pressing "Nieuw jaar starten: 2026" at the same moment get one new year and no
error. Needs real concurrent transactions, so it runs on PostgreSQL (CI's second pass); SQLite
serialises every write anyway."""

import threading

import pytest

from django.db import connection, connections

from collaborations import services
from collaborations.models import YearRecord
from tests.collaborations.factories import UserFactory, YearRecordFactory, grant

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
]


def test_concurrent_new_year_gives_one_year_and_no_error():
    record = YearRecordFactory(year=2025)
    participation = record.participation
    clerk = UserFactory()
    grant(clerk, "invoerder", participation.municipality)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def press():
        try:
            barrier.wait()
            results.append(
                services.start_new_year(user=clerk, participation=participation, year=2026).pk
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert YearRecord.objects.filter(participation=participation, year=2026).count() == 1
