"""Reference data: inhabitants from a CBS StatLine CSV and objective budgets from the
gemeentefonds spreadsheet, by command (import_cbs_inwoners, import_gemeentefonds)."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from allocation.models import Measure
from allocation.reference import read_cbs_csv
from allocation.services.reference import import_reference_file
from collaborations.models import Municipality
from tests.allocation.factories import MeasureFactory
from tests.collaborations.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
CBS = DATA / "70072NED_bevolking_2017_2018.csv"
FONDS = DATA / "gemeentefonds_meicirculaire_2017.xlsx"


def run(command: str, path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command(command, str(path), *args, stdout=out)
    return out.getvalue()


def refused(command: str, path: Path, *args: str) -> str:
    """The Dutch refusal; nothing in the database changed."""
    before = (Measure.objects.count(), Measure.history.count(), Municipality.objects.count())
    with pytest.raises(CommandError) as caught:
        run(command, path, *args)
    assert caught.value.returncode == 2
    assert (Measure.objects.count(), Measure.history.count(), Municipality.objects.count()) == (
        before
    )
    message = str(caught.value)
    assert message.startswith("Niet ingelezen, er is niets gewijzigd:")
    return message


def value(name: str, code: str, year: int) -> Decimal | None:
    found = Measure.objects.filter(municipality__name=name, code=code, year=year, period="").first()
    return found.value if found else None


def cbs_copy(tmp_path: Path, old: str, new: str, name: str = CBS.name) -> Path:
    text = CBS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def fonds_copy(tmp_path: Path, edit) -> Path:
    workbook = load_workbook(FONDS)
    edit(workbook.active)
    path = tmp_path / FONDS.name
    workbook.save(path)
    return path


# --- CBS StatLine ------------------------------------------------------------------------------


def test_cbs_figures_land_with_source_reference_date_and_history(demo):
    out = run("import_cbs_inwoners", CBS, "--jaar", "2017")
    assert "  Arnhem       inwoners 153.818 (nieuw); jeugdinwoners 33.828 (nieuw)" in out
    assert "Totaal (cijfers): 10 nieuw, 0 gewijzigd, 0 ongewijzigd." in out
    assert "Niet in het dashboard, niet aangemaakt (1): GM0034 (rij 9)." in out
    assert "2 rijen van andere gebieden dan gemeenten overgeslagen." in out
    assert out.rstrip().endswith("Opgeslagen.")
    assert value("Arnhem", "inwoners", 2017) == 153818
    assert value("Venlo", "jeugdinwoners", 2017) == 4512 + 4985 + 5210 + 5667
    arnhem = Measure.objects.get(municipality__name="Arnhem", code="inwoners", year=2017)
    assert (
        arnhem.bron == "CBS StatLine 70072NED, 70072NED_bevolking_2017_2018.csv, periode 2017JJ00"
    )
    assert arnhem.peildatum == date(2017, 1, 1)
    assert arnhem.omschrijving == "Aantal inwoners op 1 januari 2017"
    assert arnhem.history.get().history_change_reason == f"Ingelezen uit {CBS.name}"
    assert not Municipality.objects.filter(cbs_code="GM0034").exists()


def test_cbs_again_is_unchanged_and_writes_no_history(demo):
    run("import_cbs_inwoners", CBS, "--jaar", "2017")
    history = Measure.history.count()
    out = run("import_cbs_inwoners", CBS, "--jaar", "2017")
    assert "Totaal (cijfers): 0 nieuw, 0 gewijzigd, 10 ongewijzigd." in out
    assert Measure.history.count() == history


def test_cbs_changed_figure_shows_old_and_new_and_keeps_the_old_in_history(demo):
    renkum = Municipality.objects.get(name="Renkum")
    MeasureFactory(municipality=renkum, code="inwoners", year=2017, value=Decimal("30000"))
    out = run("import_cbs_inwoners", CBS, "--jaar", "2017")
    assert "inwoners 30.000 → 31.254 (gewijzigd)" in out
    measure = Measure.objects.get(municipality=renkum, code="inwoners", year=2017)
    assert [h.value for h in measure.history.order_by("history_date")] == [30000, 31254]


def test_cbs_dry_run_says_what_it_would_do_and_writes_nothing(demo):
    before = (Measure.objects.count(), Measure.history.count())
    out = run("import_cbs_inwoners", CBS, "--jaar", "2017", "--dry-run")
    assert "inwoners 153.818 (nieuw)" in out
    assert out.rstrip().endswith("Proef: er is niets opgeslagen.")
    assert (Measure.objects.count(), Measure.history.count()) == before


def test_cbs_merged_municipality_without_figures_is_skipped_unknown_is_not_zero(demo):
    venlo = Municipality.objects.get(name="Venlo")
    MeasureFactory(municipality=venlo, code="jeugdinwoners", year=2018, value=Decimal("20000"))
    out = run("import_cbs_inwoners", CBS, "--jaar", "2018")
    assert "Opgeheven gemeenten zonder cijfers overgeslagen: Rijnwaarden (GM0196)." in out
    assert "Venlo: jeugdinwoners onbekend" in out
    assert value("Venlo", "jeugdinwoners", 2018) == 20000  # '.' is unknown: the value stays
    assert value("Zevenaar", "inwoners", 2018) == 43300
    assert value("Rijnwaarden", "inwoners", 2018) is None


def test_cbs_figures_of_an_earlier_period_may_serve_a_later_year(demo):
    """The Veilig Thuis 2018 split used inhabitants of 2017, Rijnwaarden still among them."""
    run("import_cbs_inwoners", CBS, "--jaar", "2018", "--periode", "2017JJ00")
    assert value("Rijnwaarden", "inwoners", 2018) == 10866


def test_cbs_figures_feeding_a_verdeelmodel_say_so_and_still_compute(vt_model):
    """Same figures as the report, a new source: the working state is recomputed and named."""
    out = run("import_cbs_inwoners", CBS, "--jaar", "2018", "--periode", "2017JJ00")
    assert "  Arnhem       inwoners 153.818 (bron bijgewerkt)" in out
    assert (
        f"De werkversie van verdeelmodel {vt_model.name} (VTGM) rekent nu met deze cijfers; "
        "gepubliceerde versies blijven zoals ze zijn."
    ) in out


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            '"RegioS"',
            '"Regio"',
            "Rij 1: kolom RegioS ontbreekt in 70072NED_bevolking_2017_2018.csv",
        ),
        ('"    101068"', '"    1O1068"', "Rij 13, kolom TotaleBevolking_1: '1O1068' is geen getal"),
        ('"      8500"', '"    8500.5"', "Rij 10, kolom JongerDan5Jaar_4: '8500.5' is geen aantal"),
        (
            '"9";"GM0196  ";"2018JJ00";"         ."',
            '"9";"GM0196  ";"2018JJ00";"     10900"',
            "Rij 11, kolom RegioS: Rijnwaarden is op 1 januari 2018 opgegaan in Zevenaar; "
            "gebruik Zevenaar (GM0299).",
        ),
        ('"GM0983  ";"2018JJ00"', '"GM0202  ";"2018JJ00"', "GM0202 staat ook in rij 10"),
        ('"Perioden"', '"Perioden";"Extra"', "Rij 2: 9 kolommen, de kopregel heeft er 10."),
    ],
)
def test_cbs_bad_file_is_refused_naming_row_and_column(demo, tmp_path, old, new, expected):
    message = refused("import_cbs_inwoners", cbs_copy(tmp_path, old, new), "--jaar", "2018")
    assert expected in message


def test_cbs_bad_number_refuses_the_whole_file(demo, tmp_path):
    path = cbs_copy(tmp_path, '"    101192"', '"  101.192,"')
    assert "'101.192,' is geen getal" in refused("import_cbs_inwoners", path, "--jaar", "2017")
    assert value("Arnhem", "inwoners", 2017) is None  # the good rows did not land either


def test_cbs_other_layouts_and_periods_are_explained(demo, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text('"Regio\'s";"Perioden";"Totale bevolking"\n"Venlo";"2017";"101192"\n')
    assert "lees de onbewerkte dataset in" in refused(
        "import_cbs_inwoners", labels, "--jaar", "2017"
    )
    assert (
        "geen gemeentecijfers voor periode 2016JJ00 (perioden in het bestand: 2017JJ00, 2018JJ00)"
        in (refused("import_cbs_inwoners", CBS, "--jaar", "2016"))
    )
    assert "is een xlsx- of zip-bestand" in refused("import_cbs_inwoners", FONDS, "--jaar", "2017")
    empty = tmp_path / "leeg.csv"
    empty.write_text("")
    assert "leeg.csv is leeg." in refused("import_cbs_inwoners", empty, "--jaar", "2017")
    assert "Bestand niet gevonden" in refused(
        "import_cbs_inwoners", tmp_path / "x.csv", "--jaar", "2017"
    )


# --- Gemeentefonds -----------------------------------------------------------------------------


def test_gemeentefonds_amounts_land_with_source_and_history(demo):
    out = run("import_gemeentefonds", FONDS, "--jaar", "2017", "--maat", "duvo")
    assert "  Arnhem       duvo € 1.251.006 (nieuw)" in out
    assert "Niet in het dashboard, niet aangemaakt (1): GM0034 (rij 9)." in out
    assert "1 totaalrij overgeslagen." in out
    arnhem = Measure.objects.get(municipality__name="Arnhem", code="duvo", year=2017)
    assert arnhem.value == 1251006 and arnhem.eenheid == "EUR"
    assert arnhem.omschrijving == "Objectief budget decentralisatie-uitkering vrouwenopvang (DUVO)"
    assert arnhem.bron == (
        "Gemeentefonds, gemeentefonds_meicirculaire_2017.xlsx, blad Uitkeringen per gemeente, "
        "kolom Vrouwenopvang (DUVO)"
    )
    assert arnhem.history.get().history_change_reason == f"Ingelezen uit {FONDS.name}"


def test_gemeentefonds_empty_cell_is_unknown_and_nothing_is_stored(demo):
    out = run("import_gemeentefonds", FONDS, "--jaar", "2017", "--maat", "jeugd")
    assert "Venlo: jeugd onbekend" in out
    assert value("Venlo", "jeugd", 2017) is None
    assert value("Renkum", "jeugd", 2017) == 4664009


def test_gemeentefonds_dry_run_writes_nothing(demo):
    before = (Measure.objects.count(), Measure.history.count())
    out = run("import_gemeentefonds", FONDS, "--jaar", "2017", "--maat", "duvo", "--dry-run")
    assert "Totaal (cijfers): 5 nieuw" in out and "Proef: er is niets opgeslagen." in out
    assert (Measure.objects.count(), Measure.history.count()) == before


def test_gemeentefonds_merged_municipality_is_refused_for_a_later_year(demo):
    message = refused("import_gemeentefonds", FONDS, "--jaar", "2018", "--maat", "duvo")
    assert (
        "Rij 6, kolom Gemeentecode: Rijnwaarden is op 1 januari 2018 opgegaan in Zevenaar; "
        "gebruik Zevenaar (GM0299)."
    ) in message


def _without_codes(sheet):
    sheet.delete_cols(1)


def _set(cell: str, text):
    def edit(sheet):
        sheet[cell] = text

    return edit


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            _set("D5", "12,3,4"),
            "Rij 5, kolom Vrouwenopvang (DUVO): “12,3,4” bevat meer dan één komma",
        ),
        (_set("D5", -5), "Rij 5, kolom Vrouwenopvang (DUVO): € −5 is negatief"),
        (_set("D5", date(2017, 5, 31)), "Rij 5, kolom Vrouwenopvang (DUVO): '2017-05-31"),
        (
            _set("D5", "=D4*2"),
            "Rij 5, kolom Vrouwenopvang (DUVO): een formule zonder berekende waarde",
        ),
        (
            _set("B5", "Renkun"),
            "Rij 5, kolom Gemeentecode: GM0274 is Renkum, maar de rij noemt 'Renkun'.",
        ),
        (_set("A5", "GM02X4"), "Rij 5, kolom Gemeentecode: 'GM02X4' is geen CBS-gemeentecode"),
        (
            lambda sheet: (_set("A3", "abp-code")(sheet), _set("B3", "Naam en provincie")(sheet)),
            "een abp-code is geen CBS-code",
        ),
        (_set("D3", "Vrouwenopvang (x € 1.000)"), "geef --factor 1000"),
        (lambda sheet: sheet.merge_cells("B4:C4"), "Rij 4, kolom B-C: samengevoegde cellen"),
        (
            lambda sheet: sheet.delete_rows(3),
            "geen kopregel met een kolom Gemeentecode of Gemeente",
        ),
        (_set("D3", "DUVO"), "kies met --kolom de kolom voor duvo (passend: DUVO, Vrouwenopvang"),
    ],
)
def test_gemeentefonds_bad_file_is_refused_naming_row_and_column(demo, tmp_path, edit, expected):
    def apply(sheet):
        if expected.startswith("kies met"):  # two columns that could be DUVO
            sheet["G3"] = "Vrouwenopvang"
        edit(sheet)

    path = fonds_copy(tmp_path, apply)
    assert expected in refused("import_gemeentefonds", path, "--jaar", "2017", "--maat", "duvo")


def test_gemeentefonds_by_name_refuses_a_typo_of_a_dashboard_municipality(demo, tmp_path):
    path = fonds_copy(tmp_path, lambda sheet: (_without_codes(sheet), _set("A5", "Renkun")(sheet)))
    message = refused("import_gemeentefonds", path, "--jaar", "2017", "--maat", "duvo")
    assert "Rij 5, kolom Gemeentenaam: Onbekende gemeente 'Renkun'; bedoelt u Renkum (GM0274)?" in (
        message
    )


def test_gemeentefonds_by_name_reports_municipalities_not_in_the_dashboard(demo, tmp_path):
    path = fonds_copy(tmp_path, _without_codes)
    out = run("import_gemeentefonds", path, "--jaar", "2017", "--maat", "duvo")
    assert "Niet in het dashboard, niet aangemaakt (1): Almere (rij 9)." in out
    assert value("Renkum", "duvo", 2017) == 142348


def test_gemeentefonds_thousands_with_factor_and_own_column(demo, tmp_path):
    path = fonds_copy(tmp_path, _set("E3", "Maatschappelijke opvang (x € 1.000)"))
    run(
        "import_gemeentefonds", path, "--jaar", "2017", "--maat", "mo",
        "--kolom", "Maatschappelijke opvang (x € 1.000)", "--factor", "1000",
    )  # fmt: skip
    assert value("Arnhem", "mo", 2017) == Decimal("10234567000")
    assert "kolom Maatschappelijke opvang (x € 1.000)" in (
        Measure.objects.get(municipality__name="Arnhem", code="mo").bron
    )


def test_gemeentefonds_other_files_are_explained(demo, tmp_path):
    assert "is geen xlsx-bestand" in refused(
        "import_gemeentefonds", CBS, "--jaar", "2017", "--maat", "duvo"
    )
    assert "Maat wmo: geef met --kolom aan welke kolom" in refused(
        "import_gemeentefonds", FONDS, "--jaar", "2017", "--maat", "wmo"
    )
    assert "Geen werkblad 'Blad9'" in refused(
        "import_gemeentefonds", FONDS, "--jaar", "2017", "--maat", "duvo", "--blad", "Blad9"
    )


# --- The service --------------------------------------------------------------------------------


def test_only_the_beheerder_or_the_command_line_imports(demo):
    source = read_cbs_csv(CBS.read_bytes(), file_name=CBS.name, period="2017JJ00")
    with pytest.raises(PermissionDenied, match="Alleen de beheerder"):
        import_reference_file(user=UserFactory(), source=source, year=2017)
    admin = UserFactory(username="admin", is_superuser=True)
    summary = import_reference_file(user=admin, source=source, year=2017)
    assert summary.count("nieuw") == 10
    assert (
        Measure.objects.get(municipality__name="Venlo", code="inwoners").history.get().history_user
        == admin
    )


def test_import_reads_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    source = read_cbs_csv(CBS.read_bytes(), file_name=CBS.name, period="2017JJ00")
    with django_assert_max_num_queries(12):
        import_reference_file(user=None, source=source, year=2017)
