"""The totaaloverzicht stays one page of constant cost per row: its number of queries does not
grow with the number of partnerships, in any of its forms. Its time is measured, not asserted,
by benchmarks/bench_pages.py (budget in docs/performance.md)."""

import csv
import io
import re
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from collaborations.models import Term, Vocabulary
from finance.models import Kind
from reports.services import ensure_versions
from tests.collaborations.factories import (
    MunicipalityFactory,
    ParticipationFactory,
    UserFactory,
    YearRecordFactory,
    grant,
)
from tests.finance.factories import (
    FinanceAmountFactory,
    FinanceLineFactory,
    FinanceRowFactory,
    FinanceTableYearFactory,
)

pytestmark = pytest.mark.django_db

FORMS = [
    "?jaar=2025",
    "?jaar=2025&sort=-verschil_pct",
    "?jaar=2025&sort=vorm",
    "?jaar=2025&groepering=bbv",
    "?jaar=2025&zoek=Samenwerking",
    "?jaar=2025&_export=csv",
    "?jaar=2025&_export=xlsx",
]


@pytest.fixture
def town():
    return MunicipalityFactory(name="Teststad", slug="teststad")


@pytest.fixture
def terms() -> dict[str, list[Term]]:
    def make(vocabulary: str, *labels: str) -> list[Term]:
        return [
            Term.objects.create(vocabulary=vocabulary, code=f"{vocabulary}-{i}", label=label)
            for i, label in enumerate(labels)
        ]

    return {
        "onderwerp": make(Vocabulary.ONDERWERP, "Zorg en welzijn", "Veiligheid"),
        "belang_wie": make(Vocabulary.BELANG_WIE, "Raad", "College"),
        "vorm": make(Vocabulary.VORM, "Openbaar lichaam"),
        "bbv": make(Vocabulary.BBV, "Gemeenschappelijke regeling"),
    }


def add_partnerships(town, terms, count: int) -> None:
    """`count` participations with labels, a status and three amounts; every third one without
    vorm or BBV category and unpublished, so every kind of cell and group is on the page."""
    for _ in range(count):
        participation = ParticipationFactory(municipality=town)
        partnership = participation.partnership
        n = partnership.pk
        if n % 3:
            partnership.vorm = terms["vorm"][0]
            partnership.bbv_categorie = terms["bbv"][0]
            partnership.save()
        partnership.onderwerpen.set(terms["onderwerp"][: n % 3])
        participation.belang_wie.set(terms["belang_wie"][: n % 3])
        YearRecordFactory(
            participation=participation, year=2025, status="gepubliceerd" if n % 3 else "concept"
        )
        line = FinanceLineFactory(participation=participation)
        for year in (2024, 2025):
            FinanceRowFactory(
                table_year=FinanceTableYearFactory(participation=participation, year=year),
                line=line,
            )
        for year, kind, amount in [
            (2025, Kind.BEGROTING, Decimal(1000 + n)),
            (2024, Kind.BEGROTING, Decimal(900 + n)),
            (2024, Kind.REALISATIE, Decimal("950.50")),
        ]:
            FinanceAmountFactory(line=line, year=year, kind=kind, amount=amount)
    ensure_versions()  # the published ones get their version, which is what the public reads


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["public", "invoerder"])
@pytest.mark.parametrize("form", FORMS)
def test_queries_do_not_grow_with_the_number_of_partnerships(client, town, terms, who, form):
    if who == "invoerder":
        user = UserFactory()
        grant(user, "invoerder", town)
        client.force_login(user)
    url = f"/{town.slug}/samenwerkingen/{form}"
    add_partnerships(town, terms, 30)
    client.get(url)  # warm up (session, content types)
    with_30 = count_queries(client, url)
    add_partnerships(town, terms, 30)
    with_60 = count_queries(client, url)
    assert with_60 == with_30, (who, form)


def test_all_rows_are_on_the_page_and_agree_with_the_export(client, town, terms):
    """The page's preformatted cells and the export's numbers belong to the same rows."""
    add_partnerships(town, terms, 60)
    url = f"/{town.slug}/samenwerkingen/?jaar=2025&sort=-begroting"
    page = client.get(url).content.decode()
    body = page.split("<tbody", 1)[1].split(">", 1)[1].split("</tbody>", 1)[0]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("</tr>")]
    rows = [r for r in rows if r]
    exported = list(
        csv.reader(io.StringIO(client.get(url + "&_export=csv&dialect=programma").content.decode()))
    )
    assert len(rows) == len(exported) - 1 == 60
    published = [r for r in exported[1:] if r[6]]
    assert len(published) == 40  # every third one is unpublished: no money for the public
    for row, line in zip(rows, exported[1:], strict=True):
        assert row.startswith(line[0])
        if line[6]:
            begroting = int(Decimal(line[6]))
            assert f"€ {begroting:,}".replace(",", ".") in row
        else:
            assert "niet ingevuld" in row
