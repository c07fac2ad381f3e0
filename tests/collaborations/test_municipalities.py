"""find_municipality: CBS codes and names as people write them; merged and unknown ones refused."""

import json

import pytest

from django.core.exceptions import ValidationError

from collaborations.models import Municipality
from collaborations.municipalities import HERINDELINGEN, MunicipalityFinder, find_municipality
from tests.collaborations.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gemeenten():
    """Three municipalities of the demo (Rijnwaarden merged into Zevenaar on 1 January 2018)."""
    return {
        "venlo": MunicipalityFactory(name="Venlo", slug="venlo", cbs_code="GM0983"),
        "zevenaar": MunicipalityFactory(name="Zevenaar", slug="zevenaar", cbs_code="GM0299"),
        "rijnwaarden": MunicipalityFactory(
            name="Rijnwaarden", slug="rijnwaarden", cbs_code="GM0196"
        ),
        "sudwest": MunicipalityFactory(
            name="Súdwest-Fryslân", slug="sudwest-fryslan", cbs_code="GM1900"
        ),
        "bergen": MunicipalityFactory(name="Bergen (L.)", slug="bergen-l", cbs_code="GM0893"),
    }


def message(key: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        find_municipality(key, **kwargs)
    return caught.value.messages[0]


@pytest.mark.parametrize("key", ["GM0983", "gm0983", " GM0983 ", "0983", "983", "GM983"])
def test_by_cbs_code_in_every_spelling(gemeenten, key):
    assert find_municipality(key) == gemeenten["venlo"]


@pytest.mark.parametrize(
    "key, slug",
    [
        ("Venlo", "venlo"),
        ("  VENLO ", "venlo"),
        ("Súdwest-Fryslân", "sudwest"),
        ("sudwest-fryslan", "sudwest"),
        ("Sudwest Fryslan", "sudwest"),
        ("bergen (l.)", "bergen"),
        ("Bergen (L)", "bergen"),
    ],
)
def test_by_name_ignoring_case_accents_and_spacing(gemeenten, key, slug):
    assert find_municipality(key) == gemeenten[slug]


def test_merged_municipality_names_successor_and_date(gemeenten):
    expected = "Rijnwaarden is op 1 januari 2018 opgegaan in Zevenaar; gebruik Zevenaar (GM0299)."
    assert message("Rijnwaarden") == expected
    assert message("GM0196") == expected
    assert message("rijnwaarden", year=2018) == expected


def test_merged_municipality_is_found_for_years_it_still_existed(gemeenten):
    """The Veilig Thuis 2018 report was made in 2017, when Rijnwaarden still existed."""
    assert find_municipality("Rijnwaarden", year=2017) == gemeenten["rijnwaarden"]


def test_merged_municipality_not_in_the_database_is_named_too(gemeenten):
    assert message("Ubbergen") == (
        "Ubbergen is op 1 januari 2015 opgegaan in Berg en Dal; gebruik Berg en Dal (GM1945)."
    )
    assert "Weesp is op 24 maart 2022 opgegaan in Amsterdam" in message("GM0457")


def test_municipality_split_over_several_names_them_all(gemeenten):
    assert message("Winsum") == (
        "Winsum is op 1 januari 2019 verdeeld over Het Hogeland (GM1966) en Westerkwartier "
        "(GM1969); gebruik de gemeente waar het gebied nu onder valt."
    )


def test_unknown_name_suggests_a_close_one(gemeenten):
    assert message("Venloo") == "Onbekende gemeente 'Venloo'; bedoelt u Venlo (GM0983)?"
    assert message("Bergen") == "Onbekende gemeente 'Bergen'; bedoelt u Bergen (L.) (GM0893)?"


def test_unknown_name_without_close_one_says_what_to_use(gemeenten):
    assert message("Atlantis") == (
        "Onbekende gemeente 'Atlantis': gebruik de naam of de CBS-code (zoals GM0983)."
    )


def test_unknown_code_and_empty_key(gemeenten):
    assert message("GM9999") == "Er is geen gemeente met CBS-code GM9999 in het dashboard."
    assert message("  ").startswith("Geen gemeente opgegeven")


def test_finder_reads_the_municipalities_once(gemeenten, django_assert_num_queries):
    with django_assert_num_queries(1):
        finder = MunicipalityFinder()
        found = [finder.find(key) for key in ["Venlo", "GM0299", "983", "Súdwest-Fryslân"]]
    assert [m.name for m in found] == ["Venlo", "Zevenaar", "Venlo", "Súdwest-Fryslân"]


def test_demo_municipalities_and_the_merger_file_agree(demo):
    """Every demo municipality is found by name and code; the only merged one is Rijnwaarden."""
    data = json.loads(HERINDELINGEN.read_text(encoding="utf-8"))
    assert data["bron"].startswith("CBS")
    merged = {row["cbs_code"] for row in data["herindelingen"]}
    finder = MunicipalityFinder()
    for municipality in Municipality.objects.all():
        if municipality.cbs_code in merged:
            assert municipality.name == "Rijnwaarden"
            continue
        assert finder.find(municipality.name) == municipality
        assert finder.find(municipality.cbs_code[2:]) == municipality
