"""Editing a municipality's perspective (belang, bestuur, proces) and the shared record of a
partnership in the site: who may, Dutch errors naming field, row and column, no save silently
overwriting another, and every save in the history with its before and after."""

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collaborations.forms import AandeelForm
from collaborations.forms.records import PERSPECTIVE_BLOCKS, PartnershipForm
from collaborations.models import (
    Municipality,
    Participation,
    Partnership,
    ProcessEntry,
    Term,
    Vocabulary,
    YearRecord,
)
from collaborations.services import records
from core.locking import FieldConflict, StaleVersionError
from reports.selectors.history import partnership_history
from tests.collaborations.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def zvh(demo) -> Participation:
    """Venlo's perspective on the ZVH, emptied (the demo fills part of it from the wiki)."""
    participation = Participation.objects.get(municipality__slug="venlo", partnership__slug="zvh")
    for name in ("bestuurlijk_belang", "financieel_belang"):
        setattr(participation, name, None)
    for name in ("rol_taakverdeling", "afspraken_instrumenten", "accounthouders"):
        setattr(participation, name, "")
    participation.save()
    participation.belang_waarom.clear()
    participation.belang_wie.clear()
    participation.board_seats.all().delete()
    participation.process_entries.all().delete()
    return Participation.objects.get(pk=participation.pk)


@pytest.fixture
def vrln(demo) -> Participation:
    """Venlo's perspective on the VRLN with one board seat and one process step (the demo has
    more steps: the later ones are removed)."""
    participation = Participation.objects.get(municipality__slug="venlo", partnership__slug="vrln")
    first = participation.process_entries.order_by("pk").first()  # the one the wiki had
    participation.process_entries.exclude(pk=first.pk).delete()
    return participation


@pytest.fixture
def coordinator(demo):
    user = UserFactory(username="coord", first_name="Cor", last_name="Coördinator")
    grant(user, "coordinator", Partnership.objects.get(slug="zvh"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def fresh(participation: Participation) -> Participation:
    return Participation.objects.get(pk=participation.pk)


def edit_url(block: str, partnership: str = "zvh") -> str:
    if block == "samenwerking":
        return reverse("collaborations:partnership-edit", args=["venlo", partnership])
    return reverse("collaborations:perspective-edit", args=["venlo", partnership, block])


def history(participation: Participation):
    return partnership_history(fresh(participation))


def changes_of(entries, kind: str) -> dict[str, tuple[str, str]]:
    """Per field the newest change (before, after) of one kind of record."""
    found: dict[str, tuple[str, str]] = {}
    for entry in entries:  # newest first
        if entry.kind == kind and entry.action == "gewijzigd":
            for change in entry.changes:
                found.setdefault(change.label, (change.old, change.new))
    return found


def form_data(form, formset=None) -> dict:
    """What the browser would send back for an unchanged form (and its table)."""
    data: dict = {}
    for bound_form in [form, *(formset.forms if formset is not None else [])]:
        for bound in bound_form:
            value = bound.value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    if formset is not None:
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(management[name].value())
    return data


def opened(block: str, participation: Participation) -> dict:
    """The data of a block's form as it was opened now."""
    if block == "samenwerking":
        form = PartnershipForm(instance=Partnership.objects.get(pk=participation.partnership_id))
        return form_data(form)
    form = PERSPECTIVE_BLOCKS[block][1](instance=fresh(participation))
    return form_data(form, form.make_formset())


# --- Services: the perspective ------------------------------------------------------------


def test_the_clerk_sets_the_importance_and_the_history_shows_before_and_after(clerk, zvh):
    version = zvh.version
    records.update_importance(
        user=clerk,
        participation=zvh,
        belang_waarom=[term(Vocabulary.BELANG_WAAROM, "opgave").pk],
        belang_wie=[term(Vocabulary.BELANG_WIE, "raad").pk],
        fields={
            "bestuurlijk_belang": True,
            "financieel_belang": True,
            "accounthouders": "Jan Jansen",
            "raadsprogramma": "Programma 3",
        },
        expected_version=version,
    )
    saved = fresh(zvh)
    assert saved.version == version + 1
    assert saved.verbonden_partij is True
    assert [t.code for t in saved.belang_wie.all()] == ["raad"]
    last = saved.history.order_by("-history_id").first()
    assert last.history_change_reason == "Belangrijkheid bewerkt"
    assert last.history_user == clerk
    changed = changes_of(history(zvh), "Perspectief")
    assert changed["Accounthouders"] == ("niet ingevuld", "Jan Jansen")
    assert changed["De gemeente heeft bestuurlijk belang"] == ("niet ingevuld", "ja")


@pytest.mark.parametrize("who", ["invoerder-wijchen", "coordinator-zvh", "raadslid-venlo"])
def test_only_the_municipalitys_invoerder_edits_its_perspective(zvh, who):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=who)
    with pytest.raises(PermissionDenied):
        records.update_process(user=user, participation=zvh, steps=[], expected_version=1)


def test_more_votes_than_the_total_is_refused_naming_the_row(clerk, vrln):
    seats = [
        records.SeatRow(orgaan="Algemeen Bestuur (AB)", stemmen=1, stemmen_totaal=15),
        records.SeatRow(orgaan="Dagelijks Bestuur (DB)", stemmen=5, stemmen_totaal=3),
    ]
    with pytest.raises(ValidationError) as exc:
        records.update_governance(
            user=clerk,
            participation=vrln,
            fields={},
            seats=seats,
            expected_version=vrln.version,
        )
    assert exc.value.messages == [
        "Bestuursorgaan 2 (Dagelijks Bestuur (DB)): het aantal stemmen voor de gemeente (5) is "
        "groter dan het totaal aantal stemmen (3)."
    ]
    assert fresh(vrln).board_seats.count() == 1


def test_process_steps_are_changed_added_and_removed_with_history(clerk, vrln):
    step = vrln.process_entries.get()
    records.update_process(
        user=clerk,
        participation=vrln,
        steps=[
            records.ProcessRow(id=step.pk, actor="raad", jaar=2026, kwartaal=3, actie=step.actie),
            records.ProcessRow(actor="college", jaar=2027, kwartaal=None, actie="Kaderbrief"),
        ],
        expected_version=vrln.version,
    )
    assert [(e.actor, e.jaar, e.kwartaal) for e in fresh(vrln).process_entries.all()] == [
        ("raad", 2026, 3),
        ("college", 2027, None),
    ]
    entries = [e for e in history(vrln) if e.kind == "Proces"]
    changed = next(e for e in entries if e.action == "gewijzigd")
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("Kwartaal", "tweede kwartaal", "derde kwartaal")
    ]
    assert changed.reason == "Proces bewerkt"
    assert any(e.action == "aangemaakt" and e.name == "2027" for e in entries)
    # the unchanged fields of the changed step wrote nothing else
    records.update_process(
        user=clerk, participation=vrln, steps=[], expected_version=fresh(vrln).version
    )
    assert not ProcessEntry.objects.filter(participation=vrln).exists()
    assert any(e.action == "verwijderd" for e in history(vrln) if e.kind == "Proces")


def test_a_wrong_step_is_refused_naming_row_and_column(clerk, vrln):
    with pytest.raises(ValidationError) as exc:
        records.update_process(
            user=clerk,
            participation=vrln,
            steps=[
                records.ProcessRow(actor="raad", jaar=2026, kwartaal=None, actie="Zienswijze"),
                records.ProcessRow(actor="raad", jaar=1800, kwartaal=None, actie="Te vroeg"),
            ],
            expected_version=vrln.version,
        )
    assert any(m.startswith("Stap 2, jaar: ") for m in exc.value.messages), exc.value.messages
    assert fresh(vrln).process_entries.count() == 1  # nothing written


def test_a_stale_form_of_the_same_block_is_refused_another_block_goes_through(clerk, vrln):
    opened_version = vrln.version
    original = records_original(records.importance_state, vrln)
    records.update_importance(
        user=clerk,
        participation=vrln,
        belang_waarom=[],
        belang_wie=[],
        fields={"accounthouders": "Eerste"},
        expected_version=opened_version,
        original=original,
    )
    with pytest.raises(FieldConflict) as exc:
        records.update_importance(
            user=clerk,
            participation=vrln,
            belang_waarom=[],
            belang_wie=[],
            fields={"accounthouders": "Tweede"},
            expected_version=opened_version,
            original=original,
        )
    assert exc.value.saved["accounthouders"] == "Eerste"
    assert fresh(vrln).accounthouders == "Eerste"
    # the governance form opened at the same moment saves: its fields were not touched
    records.update_governance(
        user=clerk,
        participation=vrln,
        fields={"rol_taakverdeling": "De VRLN voert uit."},
        seats=[records.SeatRow(id=s.pk, orgaan=s.orgaan) for s in vrln.board_seats.all()],
        expected_version=opened_version,
        original=records_original(records.governance_state, vrln),
    )
    assert fresh(vrln).rol_taakverdeling == "De VRLN voert uit."


def test_a_change_in_the_admin_without_a_new_version_is_not_overwritten(clerk, vrln):
    original = records_original(records.importance_state, vrln)
    Participation.objects.filter(pk=vrln.pk).update(raadsprogramma="Uit het beheer")
    with pytest.raises(FieldConflict):
        records.update_importance(
            user=clerk,
            participation=vrln,
            belang_waarom=[],
            belang_wie=[],
            fields={"raadsprogramma": "Uit het formulier"},
            expected_version=vrln.version,
            original=original,
        )
    with pytest.raises(StaleVersionError):  # without the values shown: the version decides
        records.update_process(
            user=clerk, participation=vrln, steps=[], expected_version=vrln.version + 5
        )


def records_original(state, record) -> dict[str, str]:
    """The values a form opened now would carry (`original`)."""
    from core.locking import as_text

    return {k: as_text(v) for k, v in state(type(record).objects.get(pk=record.pk)).items()}


# --- Services: the shared record ----------------------------------------------------------


def partnership_args(partnership: Partnership, **changes) -> dict:
    fields = {name: getattr(partnership, name) for name in records.PARTNERSHIP_FIELDS}
    args = {
        "partnership": partnership,
        "fields": fields,
        "onderwerpen": [t.pk for t in partnership.onderwerpen.all()],
        "aard": [t.pk for t in partnership.aard.all()],
        "municipality_ids": [m.pk for m in partnership.municipalities.all()],
        "organisation_ids": [o.pk for o in partnership.organisations.all()],
        "expected_version": partnership.version,
    }
    for name, value in changes.items():
        (fields if name in fields else args)[name] = value
    return args


def test_the_coordinator_changes_the_afkorting_and_the_slug_stays(coordinator, zvh):
    partnership = zvh.partnership
    records.update_partnership(
        user=coordinator, **partnership_args(partnership, afkorting="ZVH-LN")
    )
    partnership.refresh_from_db()
    assert (partnership.afkorting, partnership.slug, partnership.version) == ("ZVH-LN", "zvh", 2)
    assert changes_of(history(zvh), "Samenwerking (gedeeld)")["Afkorting"] == ("ZVH", "ZVH-LN")
    entry = next(e for e in history(zvh) if e.kind == "Samenwerking (gedeeld)")
    assert (entry.who, entry.reason) == ("Cor Coördinator", "Gedeelde gegevens bewerkt")


def test_only_the_coordinator_or_the_beheerder_edits_the_shared_record(clerk, zvh):
    with pytest.raises(PermissionDenied):
        records.update_partnership(user=clerk, **partnership_args(zvh.partnership, name="X"))


def test_the_centrumgemeente_must_take_part(coordinator, zvh):
    arnhem = Municipality.objects.get(slug="arnhem")
    with pytest.raises(ValidationError) as exc:
        records.update_partnership(
            user=coordinator, **partnership_args(zvh.partnership, centrumgemeente=arnhem)
        )
    assert exc.value.message_dict["centrumgemeente"] == [
        "Arnhem neemt niet deel aan de samenwerking: de centrumgemeente is een van de "
        "deelnemende gemeenten."
    ]


def test_removing_a_participant_is_refused_and_keeps_its_data(coordinator, zvh):
    partnership = zvh.partnership
    without_venlo = [m.pk for m in partnership.municipalities.exclude(slug="venlo")]
    with pytest.raises(ValidationError) as exc:
        records.update_partnership(
            user=coordinator, **partnership_args(partnership, municipality_ids=without_venlo)
        )
    message = exc.value.message_dict["municipalities"][0]
    assert message.startswith("Venlo neemt deel: hier kunt u geen deelnemer weghalen")
    assert "Beëindig de deelname" in message
    assert Participation.objects.filter(pk=zvh.pk).exists()
    assert YearRecord.objects.filter(participation=zvh).exists()


def test_adding_a_participant_creates_its_perspective_and_new_organisations(coordinator, zvh):
    partnership = zvh.partnership
    wijchen = Municipality.objects.get(slug="wijchen")
    ids = [*(m.pk for m in partnership.municipalities.all()), wijchen.pk]
    records.update_partnership(
        user=coordinator,
        **partnership_args(
            partnership, municipality_ids=ids, centrumgemeente=wijchen, website="https://zvh.nl"
        ),
        new_organisations=["Reclassering Nederland", " ", "Politie"],
    )
    partnership.refresh_from_db()
    assert Participation.objects.filter(partnership=partnership, municipality=wijchen).exists()
    assert partnership.centrumgemeente == wijchen
    assert sorted(o.name for o in partnership.organisations.all()) == [
        "Openbaar Ministerie",
        "Politie",
        "Reclassering Nederland",
        "Zorginstellingen",
    ]


def test_a_stale_shared_record_is_refused(coordinator, zvh):
    partnership = zvh.partnership
    args = partnership_args(partnership, name="Eerste naam")
    original = records_original(records.partnership_state, zvh.partnership)
    records.update_partnership(user=coordinator, **args, original=original)
    with pytest.raises(FieldConflict) as exc:
        records.update_partnership(
            user=coordinator, **partnership_args(partnership, name="Tweede naam"), original=original
        )
    assert exc.value.saved["name"] == "Eerste naam"


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("block", ["belang", "bestuur", "proces"])
def test_the_clerk_opens_each_block_with_help_and_dutch_choices(clerk_client, zvh, block):
    response = clerk_client.get(edit_url(block))
    assert response.status_code == 200
    page = response.content.decode()
    assert "---------" not in page and "Kies een optie" not in page
    assert "data-warn-unsaved" in page and "js/forms.js" in page
    assert "Toelichting" in page


def test_the_coordinator_opens_the_shared_record(coordinator_client, zvh):
    page = coordinator_client.get(edit_url("samenwerking")).content.decode()
    assert "---------" not in page
    assert "— kies —" in page  # BBV-categorie, centrumgemeente
    assert "Beleidsafstemming — Afspraken maken" in page  # the vocabulary's help per option


@pytest.mark.parametrize(
    ("who", "block", "status"),
    [
        ("raadslid-venlo", "belang", 403),
        ("invoerder-wijchen", "proces", 403),
        ("coordinator-zvh", "bestuur", 403),
        ("invoerder-venlo", "samenwerking", 403),
        ("coordinator-zvh", "samenwerking", 200),
        ("beheerder", "samenwerking", 200),
        ("beheerder", "proces", 200),
    ],
)
def test_who_may_open_which_page(client, zvh, who, block, status):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=who))
    assert client.get(edit_url(block)).status_code == status


def test_an_unknown_block_is_not_found(clerk_client, zvh):
    assert clerk_client.get(edit_url("onbekend")).status_code == 404


def test_section_c_selects_say_kies_in_dutch(demo):
    record = YearRecord.objects.filter(participation__partnership__slug="zvh").first()
    html = str(AandeelForm(instance=record)["evenwicht_kosten"])
    assert "— kies —" in html and "---------" not in html and "Kies een optie" not in html


def test_saving_the_importance_returns_to_the_page_and_shows_in_the_history(clerk_client, zvh):
    data = opened("belang", zvh)
    data.update(
        belang_waarom=[str(term(Vocabulary.BELANG_WAAROM, "kansen").pk)],
        bestuurlijk_belang="True",
        accounthouders="Piet Peters",
    )
    response = clerk_client.post(edit_url("belang"), data)
    assert response.status_code == 302
    assert response["Location"] == "/venlo/samenwerkingen/zvh/#kernbeeld"
    page = clerk_client.get(response["Location"]).content.decode()
    assert "Samenwerking biedt grote kansen." in page
    assert "Piet Peters" in page
    assert "Belangrijkheid en basisgegevens opgeslagen." in page
    story = clerk_client.get("/venlo/samenwerkingen/zvh/geschiedenis/").content.decode()
    assert "Belangrijkheid bewerkt" in story
    assert "Piet Peters" in story


def test_a_wrong_process_row_is_shown_with_row_and_column_and_the_input_kept(clerk_client, vrln):
    data = opened("proces", vrln)
    data.update(
        {
            "stap-1-actor": "college",
            "stap-1-jaar": "26",
            "stap-1-actie": "Kaderbrief bespreken",
        }
    )
    response = clerk_client.post(edit_url("proces", "vrln"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_stap-1-jaar">Stap 2, Jaar: Vul een jaartal in vanaf 1990.' in page
    assert "Kaderbrief bespreken" in page  # kept
    assert fresh(vrln).process_entries.count() == 1


def test_a_row_without_its_required_column_is_named(clerk_client, vrln):
    data = opened("proces", vrln)
    data.update({"stap-1-jaar": "2027"})
    page = clerk_client.post(edit_url("proces", "vrln"), data).content.decode()
    assert "Stap 2, Wie: Kies wie: raad, college of ambtelijke organisatie." in page
    assert "Stap 2, Wat: Vul in wat er gebeurt" in page


def test_steps_are_added_and_removed_through_the_page(clerk_client, vrln):
    data = opened("proces", vrln)
    data.update(
        {
            "stap-0-DELETE": "on",
            "stap-1-actor": "raad",
            "stap-1-jaar": "2027",
            "stap-1-kwartaal": "2",
            "stap-1-actie": "Zienswijze op de begroting 2028",
        }
    )
    response = clerk_client.post(edit_url("proces", "vrln"), data)
    assert response.status_code == 302, response.content.decode()
    assert [e.actie for e in fresh(vrln).process_entries.all()] == [
        "Zienswijze op de begroting 2028"
    ]


def test_too_many_votes_on_the_page_names_the_row(clerk_client, vrln):
    data = opened("bestuur", vrln)
    data.update({"zetel-0-stemmen": "16"})
    response = clerk_client.post(edit_url("bestuur", "vrln"), data)
    assert response.status_code == 400
    assert (
        "Bestuursorgaan 1, Aantal stemmen voor de gemeente: Meer stemmen (16) dan het totaal "
        "aantal stemmen (15)." in response.content.decode()
    )


def test_a_conflict_on_the_page_keeps_the_input_and_says_what_is_saved(clerk_client, clerk, vrln):
    data = opened("bestuur", vrln)
    records.update_governance(
        user=clerk,
        participation=vrln,
        fields={"rol_taakverdeling": "Van een ander"},
        seats=[records.SeatRow(orgaan="Algemeen Bestuur (AB)", stemmen=2, stemmen_totaal=15)],
        expected_version=vrln.version,
    )
    data.update(rol_taakverdeling="Van mij")
    response = clerk_client.post(edit_url("bestuur", "vrln"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Iemand anders heeft intussen hetzelfde onderdeel opgeslagen" in page
    assert "Intussen opgeslagen door een ander: “Van een ander”." in page
    assert "Vertegenwoordiging per bestuursorgaan: intussen gewijzigd door een ander" in page
    assert "Van mij" in page  # the input is kept
    assert "Zo is het nu opgeslagen (door een ander)" in page
    assert fresh(vrln).rol_taakverdeling == "Van een ander"


def test_the_shared_record_through_the_page(coordinator_client, zvh):
    data = opened("samenwerking", zvh)
    data.update(afkorting="ZVH-LN", vestigingsplaats="Venlo-Blerick")
    response = coordinator_client.post(edit_url("samenwerking"), data)
    assert response.status_code == 302
    assert response["Location"] == "/venlo/samenwerkingen/zvh/#basisgegevens"
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "(ZVH-LN)" in page and "Venlo-Blerick" in page
    story = coordinator_client.get("/venlo/samenwerkingen/zvh/geschiedenis/").content.decode()
    assert "Venlo-Blerick" in story and "Gedeelde gegevens bewerkt" in story


def test_removing_a_participant_on_the_page_is_refused_with_the_way_to_go(coordinator_client, zvh):
    data = opened("samenwerking", zvh)
    venlo = str(Municipality.objects.get(slug="venlo").pk)
    data["municipalities"] = [pk for pk in data["municipalities"] if pk != venlo]
    data["name"] = "Nieuwe naam"
    response = coordinator_client.post(edit_url("samenwerking"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_municipalities_0">Deelnemende gemeenten: Venlo neemt deel' in page
    assert "Nieuwe naam" in page  # kept
    assert zvh.partnership.municipalities.filter(slug="venlo").exists()


def test_a_centrumgemeente_outside_the_partnership_on_the_page(coordinator_client, zvh):
    data = opened("samenwerking", zvh)
    data["centrumgemeente"] = str(Municipality.objects.get(slug="arnhem").pk)
    page = coordinator_client.post(edit_url("samenwerking"), data).content.decode()
    assert "Centrumgemeente: Arnhem neemt niet deel aan de samenwerking" in page


def test_the_partnership_page_links_to_the_forms_of_who_may_edit(client, zvh, clerk):
    page = client.get("/venlo/samenwerkingen/zvh/").content.decode()
    assert "bewerken/" not in page
    client.force_login(clerk)
    page = client.get("/venlo/samenwerkingen/zvh/").content.decode()
    for block in ("belang", "bestuur", "proces"):
        assert f'href="/venlo/samenwerkingen/zvh/bewerken/{block}/' in page
    assert "bewerken/samenwerking/" not in page
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="beheerder"))
    page = client.get("/venlo/samenwerkingen/zvh/").content.decode()
    assert 'href="/venlo/samenwerkingen/zvh/bewerken/samenwerking/"' in page


@pytest.mark.parametrize(
    ("block", "queries"), [("belang", 10), ("bestuur", 9), ("proces", 8), ("samenwerking", 15)]
)
def test_each_page_takes_a_fixed_number_of_queries(
    client, vrln, block, queries, django_assert_max_num_queries
):
    """However many rows, terms or participants: the same number of queries."""
    from django.contrib.auth import get_user_model

    from collaborations.models import BoardSeat

    for n in range(8):
        ProcessEntry.objects.create(participation=vrln, actor="raad", jaar=2020 + n, actie="Stap")
        BoardSeat.objects.create(participation=vrln, orgaan=f"Orgaan {n}")
    client.force_login(get_user_model().objects.get(username="beheerder"))
    with django_assert_max_num_queries(queries):
        assert client.get(edit_url(block, "vrln")).status_code == 200


# --- A restore from the history replaces the version -----------------------------------------


def test_a_restore_bumps_the_version_so_a_form_opened_before_is_refused(clerk, coordinator, zvh):
    from collaborations import services as collab_services

    def importance(participation, accounthouders, original=None):
        return records.update_importance(
            user=clerk,
            participation=participation,
            belang_waarom=[],
            belang_wie=[],
            fields={"accounthouders": accounthouders},
            expected_version=participation.version,
            original=original,
        )

    importance(fresh(zvh), "Eerste")
    first = fresh(zvh).history.order_by("-history_id").first()
    importance(fresh(zvh), "Tweede")
    opened = fresh(zvh)  # a form shows "Tweede"
    original = records.importance_state(opened)
    collab_services.restore_participation(user=clerk, participation=zvh, history_id=first.pk)
    restored = fresh(zvh)
    assert (restored.accounthouders, restored.version) == ("Eerste", opened.version + 1)
    with pytest.raises(StaleVersionError):
        importance(opened, "Derde", original=original)
    assert fresh(zvh).accounthouders == "Eerste"

    partnership = Partnership.objects.get(pk=zvh.partnership_id)
    earlier = partnership.history.order_by("-history_id").first()
    records.update_partnership(user=coordinator, **partnership_args(partnership, name="Nieuw"))
    shown = Partnership.objects.get(pk=partnership.pk)  # the coördinator's form shows "Nieuw"
    collab_services.restore_partnership(user=coordinator, partnership=shown, history_id=earlier.pk)
    back = Partnership.objects.get(pk=partnership.pk)
    assert (back.name, back.version) == (partnership.name, shown.version + 1)
    with pytest.raises(StaleVersionError):
        records.update_partnership(user=coordinator, **partnership_args(shown, afkorting="X"))
    assert Partnership.objects.get(pk=partnership.pk).afkorting == partnership.afkorting
    # the bump itself writes nothing the history shows
    newest = next(e for e in history(zvh) if e.kind == "Samenwerking (gedeeld)")
    assert newest.reason.startswith("Teruggezet naar de versie van")
