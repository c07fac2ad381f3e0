"""A municipality starts a partnership, joins one or ends its participation in the site:
never a second copy, every step in the history, only the municipality's own clerks."""

import datetime

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from collaborations.models import Municipality, Participation, Partnership, Role
from collaborations.permissions import can_coordinate
from collaborations.services import joining
from tests.collaborations.factories import UserFactory, grant
from tests.finance.test_grid_and_split_key import page_text


@pytest.fixture
def venlo_clerk(venlo):
    user = UserFactory(username="ingrid")
    grant(user, "invoerder", venlo)
    return user


def test_a_new_partnership_with_its_participants_coordinator_and_first_year(venlo, venlo_clerk):
    venray = Municipality.objects.get(slug="venray")
    own = joining.create_partnership(
        user=venlo_clerk,
        municipality=venlo,
        name="Regionale Afvalsamenwerking",
        afkorting="RAS",
        participants=[venray],
        first_year=2026,
    )
    partnership = own.partnership
    assert (partnership.slug, own.municipality) == ("ras", venlo)
    assert set(partnership.municipalities.values_list("slug", flat=True)) == {"venlo", "venray"}
    assert can_coordinate(venlo_clerk, partnership)
    assert own.years.get().year == 2026
    assert partnership.history.get().history_change_reason == "Samenwerking aangemaakt door Venlo"


@pytest.mark.parametrize(
    "twin", [{"afkorting": "zvh"}, {"name": "zorg- en veiligheidshuis limburg noord"}]
)
def test_a_second_copy_is_refused_unless_it_really_is_another(venlo, venlo_clerk, twin):
    fields = {"name": "Iets anders", "afkorting": "IA", **twin}
    before = Partnership.objects.count()
    with pytest.raises(ValidationError, match="bestaat al"):
        joining.create_partnership(user=venlo_clerk, municipality=venlo, **fields)
    assert Partnership.objects.count() == before
    other = joining.create_partnership(
        user=venlo_clerk, municipality=venlo, confirmed_new=True, **fields
    )
    assert other.partnership.slug != "zvh"


def test_the_word_nieuw_is_never_a_slug(venlo, venlo_clerk):
    own = joining.create_partnership(
        user=venlo_clerk, municipality=venlo, name="Nieuw Samenwerkingsverband", afkorting="Nieuw"
    )
    assert own.partnership.slug == "nieuw-1"


def test_joining_adds_the_perspective_once_and_ending_keeps_everything(venlo, venlo_clerk):
    arnhem = Municipality.objects.get(slug="arnhem")
    clerk = UserFactory(username="arnhem-klerk")
    grant(clerk, "invoerder", arnhem)
    zvh = Partnership.objects.get(slug="zvh")
    joined = joining.join_partnership(user=clerk, municipality=arnhem, partnership=zvh)
    with pytest.raises(ValidationError, match="neemt al deel"):
        joining.join_partnership(user=clerk, municipality=arnhem, partnership=zvh)
    ended = joining.end_participation(
        user=clerk, participation=joined, ended_on=datetime.date(2026, 12, 31), reason="Uitgetreden"
    )
    assert ended.ended_on == datetime.date(2026, 12, 31)
    assert ended.history.first().history_change_reason == "Deelname beëindigd: Uitgetreden"
    again = joining.join_partnership(user=clerk, municipality=arnhem, partnership=zvh)
    assert again.pk == joined.pk and again.ended_on is None
    assert Participation.objects.filter(municipality=arnhem, partnership=zvh).count() == 1


def test_only_the_municipalitys_clerk_acts_for_it(venlo):
    stranger = UserFactory(username="elders")
    grant(stranger, "invoerder", Municipality.objects.get(slug="wijchen"))
    with pytest.raises(PermissionDenied):
        joining.create_partnership(user=stranger, municipality=venlo, name="X", afkorting="X")
    with pytest.raises(PermissionDenied):
        joining.join_partnership(
            user=stranger, municipality=venlo, partnership=Partnership.objects.get(slug="go")
        )
    assert not Role.objects.filter(user=stranger, kind="coordinator").exists()


def test_the_wizard_finds_the_existing_partnership_and_refuses_a_copy(client, venlo, venlo_clerk):
    client.force_login(venlo_clerk)
    found = client.get("/venlo/samenwerkingen/nieuw/", {"naam": "veiligheidshuis"})
    assert "Zorg- en Veiligheidshuis Limburg Noord (ZVH) — Venlo neemt al deel" in page_text(found)
    refused = client.post("/venlo/samenwerkingen/nieuw/", {"name": "Iets", "afkorting": "ZVH"})
    assert refused.status_code == 400
    assert "bestaat al" in page_text(refused) and 'value="Iets"' in refused.content.decode()
