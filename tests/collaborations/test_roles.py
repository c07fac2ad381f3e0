"""The beheerder grants and withdraws roles and makes logins, in the site: every change in
the history, every refusal in Dutch naming the field, a withdrawal undone with one button."""

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collaborations.models import Role
from collaborations.permissions import can_adopt, user_can_edit
from collaborations.services import roles
from tests.collaborations.factories import (
    MunicipalityFactory,
    PartnershipFactory,
    UserFactory,
    grant,
)
from tests.finance.test_grid_and_split_key import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder():
    return UserFactory(username="bea", is_staff=True, is_superuser=True)


def test_a_granted_role_works_at_once_and_is_in_the_history(beheerder):
    member, town = UserFactory(username="ingrid"), MunicipalityFactory()
    assert not user_can_edit(member, town)
    role = roles.grant_role(user=beheerder, member=member, kind="invoerder", municipality=town)
    assert user_can_edit(member, town) and not can_adopt(member, town)
    entry = role.history.get()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        beheerder,
        "Rol toegekend",
    )
    assert role.granted_by == beheerder


@pytest.mark.parametrize(
    ("kind", "scope", "field", "message"),
    [
        ("invoerder", {}, "municipality", "Kies de gemeente voor deze rol."),
        ("coordinator", {}, "partnership", "Kies de samenwerking van de coördinator."),
        ("baas", {}, "kind", "Kies een rol uit de lijst."),
    ],
)
def test_a_role_without_its_scope_is_refused_naming_the_field(
    beheerder, kind, scope, field, message
):
    with pytest.raises(ValidationError) as refused:
        roles.grant_role(user=beheerder, member=UserFactory(), kind=kind, **scope)
    assert refused.value.message_dict == {field: [message]}
    assert not Role.objects.exists()


def test_a_role_given_twice_is_refused(beheerder):
    member, partnership = UserFactory(username="cor"), PartnershipFactory(afkorting="GO")
    roles.grant_role(user=beheerder, member=member, kind="coordinator", partnership=partnership)
    with pytest.raises(ValidationError, match="cor is al coördinator van"):
        roles.grant_role(user=beheerder, member=member, kind="coordinator", partnership=partnership)
    assert Role.objects.count() == 1


def test_only_the_beheerder_grants_withdraws_and_makes_logins():
    clerk, town = UserFactory(), MunicipalityFactory()
    grant(clerk, "invoerder", town)
    role = Role.objects.get()
    with pytest.raises(PermissionDenied):
        roles.grant_role(user=clerk, member=clerk, kind="vaststeller", municipality=town)
    with pytest.raises(PermissionDenied):
        roles.withdraw_role(user=clerk, role_id=role.pk)
    with pytest.raises(PermissionDenied):
        roles.create_login(user=clerk, username="nieuw", password="een-lang-wachtwoord-9")
    assert list(Role.objects.all()) == [role]


def test_a_withdrawn_role_stops_at_once_and_the_history_keeps_it(beheerder):
    member, town = UserFactory(), MunicipalityFactory()
    role = grant(member, "vaststeller", town)
    roles.withdraw_role(user=beheerder, role_id=role.pk)
    member = type(member).objects.get(pk=member.pk)  # a new request
    assert not can_adopt(member, town)
    gone = Role.history.filter(id=role.pk).order_by("history_id").last()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Rol ingetrokken")


def test_a_new_login_needs_a_strong_password_and_a_free_name(beheerder):
    with pytest.raises(ValidationError) as refused:
        roles.create_login(user=beheerder, username="nieuw", password="kort")
    assert "password" in refused.value.message_dict
    assert "te kort" in " ".join(refused.value.message_dict["password"])
    UserFactory(username="Ingrid")
    with pytest.raises(ValidationError, match="bestaat al"):
        roles.create_login(user=beheerder, username="ingrid", password="een-lang-wachtwoord-9")
    made = roles.create_login(
        user=beheerder, username="nieuw", first_name="Nina", password="een-lang-wachtwoord-9"
    )
    assert made.check_password("een-lang-wachtwoord-9") and not made.roles.exists()


def test_the_page_grants_withdraws_after_confirmation_and_undoes(client, beheerder):
    member, town = UserFactory(username="roos"), MunicipalityFactory(name="Venray")
    client.force_login(beheerder)
    url = reverse("collaborations:roles")

    refused = client.post(url, {"member": member.pk, "kind": "raadslid"})
    assert refused.status_code == 400
    assert "Gemeente (voor invoerder, vaststeller, raadslid): Kies de gemeente" in page_text(
        refused
    )

    done = client.post(
        url, {"member": member.pk, "kind": "raadslid", "municipality": town.pk}, follow=True
    )
    assert "roos is nu raadslid van Venray." in page_text(done)
    role = Role.objects.get(user=member)

    confirm = client.get(reverse("collaborations:role-withdraw", args=[role.pk]))
    assert "Wilt u" in page_text(confirm) and Role.objects.filter(pk=role.pk).exists()
    after = client.post(reverse("collaborations:role-withdraw", args=[role.pk]), follow=True)
    assert not Role.objects.filter(user=member).exists()
    assert "Ongedaan maken: rol opnieuw toekennen" in after.content.decode()

    undo = {"member": member.pk, "kind": "raadslid", "municipality": town.pk, "partnership": ""}
    client.post(url, undo)
    assert Role.objects.filter(user=member, kind="raadslid", municipality=town).exists()


def test_the_beheerder_unlocks_a_locked_login_on_the_page(client, beheerder, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="wim", password="het-goede-wachtwoord-1")
    visitor = type(client)()
    for _ in range(3):
        visitor.post("/inloggen/", {"username": "wim", "password": "fout"})
    locked = visitor.post("/inloggen/", {"username": "wim", "password": "het-goede-wachtwoord-1"})
    assert locked.status_code == 429

    client.force_login(beheerder)
    page = client.get(reverse("collaborations:roles"))
    assert "Geblokkeerde logins" in page_text(page) and "wim: 3 mislukte pogingen" in page_text(
        page
    )
    done = client.post(reverse("collaborations:login-unlock"), {"username": "wim"}, follow=True)
    assert "wim kan weer inloggen." in page_text(done)
    assert "Geblokkeerde logins" not in page_text(done)
    again = visitor.post("/inloggen/", {"username": "wim", "password": "het-goede-wachtwoord-1"})
    assert again.status_code == 302
