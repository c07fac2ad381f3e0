"""The commands, as the issue asks: export Venlo's data, import it into an empty database (the
base data only: municipalities, vocabularies, logins), export again: the same workbook, cell for
cell. A dry run writes nothing. The same workbook is a download for the municipality's people."""

from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from django.core.management import call_command
from django.core.management.base import CommandError

from allocation.demo import load_allocation_demo
from allocation.models import Measure
from collaborations.models import Organisation, Partnership
from finance.models import FinanceAmount
from tests.collaborations.factories import UserFactory

from .imports_support import counts, xlsx

pytestmark = pytest.mark.django_db


def _cells(path) -> dict:
    """Every sheet by name: every cell's value and number format."""
    book = load_workbook(path)
    return {
        ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for ws in book.worksheets
    }


def _export(tmp_path, name: str, municipality: str = "venlo") -> dict:
    path = tmp_path / name
    call_command("export_data", "--municipality", municipality, str(path), stdout=StringIO())
    return _cells(path)


def _empty_but_the_base_data() -> None:
    """What a fresh installation has before anyone enters a partnership."""
    Partnership.objects.all().delete()  # with perspectives, years, tables, models
    Organisation.objects.all().delete()
    Measure.objects.all().delete()


def test_export_import_into_an_empty_database_and_export_again_is_the_same(demo, tmp_path):
    UserFactory(username="system", is_superuser=True)
    first = _export(tmp_path, "venlo.xlsx")
    assert list(first) == ["Samenwerkingen", "Bedragen", "Verdeelsleutel", "Maten", "Productie"]
    assert len(first["Bedragen"]) > 10 and len(first["Verdeelsleutel"]) == 5
    share = first["Verdeelsleutel"][2][7]
    assert share[1].endswith("%")  # a percentage cell (the fraction 0,6157 shown as 61,571%)
    assert first["Bedragen"][1][5][1].startswith('"€ "')

    _empty_but_the_base_data()
    assert not FinanceAmount.objects.exists()
    out = StringIO()
    call_command("import_data", str(tmp_path / "venlo.xlsx"), stdout=out)
    assert "Samenwerkingen: 4 nieuw, 0 gewijzigd, 0 ongewijzigd." in out.getvalue()
    assert "venlo.xlsx is ingelezen." in out.getvalue()

    second = _export(tmp_path, "venlo-2.xlsx")
    for sheet in first:
        assert second[sheet] == first[sheet], sheet
    again = StringIO()
    call_command("import_data", "--dry-run", str(tmp_path / "venlo-2.xlsx"), stdout=again)
    assert "Bedragen: 0 nieuw, 0 gewijzigd, 18 ongewijzigd." in again.getvalue()


def test_a_dry_run_writes_nothing(demo, tmp_path):
    UserFactory(username="system", is_superuser=True)
    _export(tmp_path, "venlo.xlsx")
    _empty_but_the_base_data()
    before = counts()
    out = StringIO()
    call_command("import_data", "--dry-run", str(tmp_path / "venlo.xlsx"), stdout=out)
    assert "Bedragen: 18 nieuw" in out.getvalue()
    assert "Proef: er is niets opgeslagen." in out.getvalue()
    assert counts() == before


def test_measures_go_round_too(demo, tmp_path):
    load_allocation_demo()
    UserFactory(username="system", is_superuser=True)
    first = _export(tmp_path, "arnhem.xlsx", "arnhem")
    codes = [row[3][0] for row in first["Maten"][1:]]
    assert {"inwoners", "duvo", "jeugd"} <= set(codes)
    for measure in Measure.objects.filter(
        municipality__slug="arnhem", code__in=["inwoners", "duvo"]
    ):
        measure.value += 1  # changed since the export
        measure.save()
    out = StringIO()
    call_command("import_data", str(tmp_path / "arnhem.xlsx"), stdout=out)
    assert f"Maten: 0 nieuw, 2 gewijzigd, {len(codes) - 2} ongewijzigd." in out.getvalue()
    assert _export(tmp_path, "arnhem-2.xlsx", "arnhem") == first


def test_a_bad_workbook_exits_with_the_dutch_errors_and_changes_nothing(demo, tmp_path):
    UserFactory(username="system", is_superuser=True)
    path = tmp_path / "fout.xlsx"
    path.write_bytes(
        xlsx([["Venlo", "ZVH", "Kosten", "beschermd wonen", 2016, "12,3,4", None, None]])
    )
    before, err = counts(), StringIO()
    with pytest.raises(CommandError, match=r"Er is niets ingelezen\."):
        call_command("import_data", str(path), stdout=StringIO(), stderr=err)
    assert "Blad Bedragen, rij 2, kolom Begroting 2016: '12,3,4' is geen bedrag" in err.getvalue()
    assert counts() == before
    unknown = tmp_path / "onbekend.xlsx"
    unknown.write_bytes(xlsx([], title="Begroting"))
    with pytest.raises(CommandError):
        call_command("import_data", str(unknown), stdout=StringIO(), stderr=err)
    assert "Blad 'Begroting' is onbekend; de bladen heten: Samenwerkingen, Bedragen" in (
        err.getvalue()
    )


def test_the_workbook_is_a_download_for_the_municipality(clerk_client):
    response = clerk_client.get("/venlo/gegevens.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="gegevens-venlo.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Samenwerkingen", "Bedragen", "Verdeelsleutel", "Maten", "Productie"]
    assert book["Bedragen"]["A1"].value == "Gemeente"
