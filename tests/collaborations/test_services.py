"""The writes of section C (collaborations.services), called directly with factory data."""

from decimal import Decimal

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from collaborations import services
from collaborations.models import (
    KERN_MAX_LENGTH,
    MotiveAnswer,
    Term,
    Vocabulary,
    YearRecord,
)
from core.locking import StaleVersionError
from tests.collaborations.factories import (
    MunicipalityFactory,
    ParticipationFactory,
    UserFactory,
    YearRecordFactory,
    grant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> YearRecord:
    return YearRecordFactory(
        year=2025,
        status=YearRecord.Status.CONCEPT,
        nagekeken=False,
        beoogd_inhoud="Minder overlast",
    )


@pytest.fixture
def invoerder(record):
    """A clerk of the record's municipality."""
    user = UserFactory()
    grant(user, "invoerder", record.participation.municipality)
    return user


@pytest.fixture
def stranger():
    """A clerk of another municipality."""
    user = UserFactory()
    grant(user, "invoerder", MunicipalityFactory())
    return user


@pytest.fixture
def motives():
    """Two main motives; the first with two sub-motives."""
    veiligheid = Term.objects.create(vocabulary=Vocabulary.MOTIEF, code="veiligheid", label="V")
    kwaliteit = Term.objects.create(vocabulary=Vocabulary.MOTIEF, code="kwaliteit", label="K")
    sub_a = Term.objects.create(
        vocabulary=Vocabulary.SUBMOTIEF, code="veiligheid-a", label="Va", parent=veiligheid
    )
    sub_b = Term.objects.create(
        vocabulary=Vocabulary.SUBMOTIEF, code="veiligheid-b", label="Vb", parent=veiligheid
    )
    return veiligheid, kwaliteit, sub_a, sub_b


def stored(record: YearRecord) -> YearRecord:
    return YearRecord.objects.get(pk=record.pk)


# --- update_year_record -----------------------------------------------------------------


def test_update_year_record_saves_the_field_and_bumps_the_version(record, invoerder):
    """The text the clerk typed is what readers see, and older open forms become stale."""
    before = record.version

    saved = services.update_year_record(
        user=invoerder,
        record=record,
        fields={"feitelijk_inhoud": "Overlast daalde", "aandeel_percentage": Decimal("12.5")},
        expected_version=before,
    )

    assert saved.version == before + 1
    fresh = stored(record)
    assert fresh.feitelijk_inhoud == "Overlast daalde"
    assert fresh.aandeel_percentage == Decimal("12.5")
    assert fresh.beoogd_inhoud == "Minder overlast"  # fields not sent stay as they were
    assert fresh.version == before + 1
    assert fresh.updated_by == invoerder


def test_update_year_record_refuses_an_unknown_field(record, invoerder):
    """The edit form must not be a back door to publishing (status) or to other records."""
    with pytest.raises(ValidationError) as info:
        services.update_year_record(
            user=invoerder,
            record=record,
            fields={"status": YearRecord.Status.GEPUBLICEERD, "feitelijk_inhoud": "x"},
            expected_version=record.version,
        )
    assert "Onbekende velden: status" in info.value.messages[0]
    fresh = stored(record)
    assert fresh.status == YearRecord.Status.CONCEPT
    assert fresh.feitelijk_inhoud == ""
    assert fresh.version == record.version


def test_update_year_record_validates_the_kern_length(record, invoerder):
    """The kern is printed in a fixed space: more than 500 characters is refused."""
    with pytest.raises(ValidationError):
        services.update_year_record(
            user=invoerder,
            record=record,
            fields={"beoogd_kern": "x" * (KERN_MAX_LENGTH + 1)},
            expected_version=record.version,
        )
    assert stored(record).beoogd_kern == ""


def test_update_year_record_refuses_a_clerk_of_another_municipality(record, stranger):
    """A clerk edits only their own municipality's perspective."""
    with pytest.raises(PermissionDenied):
        services.update_year_record(
            user=stranger,
            record=record,
            fields={"feitelijk_inhoud": "ingebroken"},
            expected_version=record.version,
        )
    assert stored(record).feitelijk_inhoud == ""


def test_update_year_record_refuses_an_anonymous_user(record):
    """Nobody edits without logging in."""
    with pytest.raises(PermissionDenied):
        services.update_year_record(
            user=AnonymousUser(),
            record=record,
            fields={"feitelijk_inhoud": "anoniem"},
            expected_version=record.version,
        )
    assert stored(record).feitelijk_inhoud == ""


def test_update_year_record_refuses_a_stale_version(record, invoerder):
    """A colleague's save in between is not silently overwritten."""
    opened_at = record.version
    services.update_year_record(
        user=invoerder,
        record=record,
        fields={"feitelijk_inhoud": "eerste"},
        expected_version=opened_at,
    )

    with pytest.raises(StaleVersionError):
        services.update_year_record(
            user=invoerder,
            record=record,
            fields={"feitelijk_inhoud": "tweede"},
            expected_version=opened_at,
        )
    assert stored(record).feitelijk_inhoud == "eerste"


# --- update_motives ---------------------------------------------------------------------


def test_update_motives_saves_choices_and_answers(record, invoerder, motives):
    """Questions 13 and 14 come back on the page exactly as chosen."""
    veiligheid, kwaliteit, sub_a, sub_b = motives

    services.update_motives(
        user=invoerder,
        record=record,
        eigen_formulering="Eigen motief",
        motief_beantwoord="Grotendeels",
        submotief_ids=[sub_a.pk, sub_b.pk],
        belangrijkste_ids=[veiligheid.pk],
        answers={veiligheid.pk: ("ja", "Gehaald"), kwaliteit.pk: ("deels", "")},
        expected_version=record.version,
    )

    fresh = stored(record)
    assert fresh.version == record.version + 1
    assert fresh.eigen_formulering == "Eigen motief"
    assert set(fresh.submotieven.all()) == {sub_a, sub_b}
    assert list(fresh.belangrijkste_motieven.all()) == [veiligheid]
    answers = {a.motief: (a.antwoord, a.toelichting) for a in fresh.motive_answers.all()}
    assert answers == {veiligheid: ("ja", "Gehaald"), kwaliteit: ("deels", "")}


def test_update_motives_drops_answers_no_longer_given(record, invoerder, motives):
    """An answer the clerk removed must not stay on the page."""
    veiligheid, kwaliteit, _, _ = motives
    common = {
        "user": invoerder,
        "record": record,
        "eigen_formulering": "",
        "motief_beantwoord": "",
        "submotief_ids": [],
        "belangrijkste_ids": [],
    }
    services.update_motives(
        **common,
        answers={veiligheid.pk: ("ja", ""), kwaliteit.pk: ("nee", "")},
        expected_version=record.version,
    )
    services.update_motives(
        **common, answers={kwaliteit.pk: ("deels", "")}, expected_version=record.version + 1
    )

    assert [(a.motief, a.antwoord) for a in MotiveAnswer.objects.filter(year_record=record)] == [
        (kwaliteit, "deels")
    ]


@pytest.mark.parametrize(
    "which",
    ["main-as-sub", "sub-as-main", "unknown-id", "answer-to-sub", "bad-answer"],
)
def test_update_motives_refuses_invalid_choices_and_saves_nothing(
    record, invoerder, motives, which
):
    """Only terms of the right list may be chosen; a refused save changes nothing."""
    veiligheid, _, sub_a, _ = motives
    missing_id = max(t.pk for t in motives) + 1000
    choice = {
        "main-as-sub": {"submotief_ids": [veiligheid.pk]},
        "sub-as-main": {"belangrijkste_ids": [sub_a.pk]},
        "unknown-id": {"submotief_ids": [missing_id]},
        "answer-to-sub": {"answers": {sub_a.pk: ("ja", "")}},
        "bad-answer": {"answers": {veiligheid.pk: ("misschien", "")}},
    }[which]
    data = {"submotief_ids": [], "belangrijkste_ids": [], "answers": {}, **choice}

    with pytest.raises(ValidationError):
        services.update_motives(
            user=invoerder,
            record=record,
            eigen_formulering="mag niet bewaard worden",
            motief_beantwoord="",
            expected_version=record.version,
            **data,
        )

    fresh = stored(record)
    assert fresh.eigen_formulering == ""
    assert fresh.version == record.version
    assert not fresh.submotieven.exists()
    assert not fresh.belangrijkste_motieven.exists()
    assert not fresh.motive_answers.exists()


def test_update_motives_refuses_another_municipality(record, stranger, motives):
    """Motives are part of a municipality's own perspective."""
    with pytest.raises(PermissionDenied):
        services.update_motives(
            user=stranger,
            record=record,
            eigen_formulering="x",
            motief_beantwoord="",
            submotief_ids=[],
            belangrijkste_ids=[],
            answers={},
            expected_version=record.version,
        )


# --- start_new_year ---------------------------------------------------------------------


@pytest.fixture
def filled_in(record, invoerder, motives):
    """A published, reviewed 2025 with every copied text, motives and answers."""
    veiligheid, _, sub_a, _ = motives
    texts = {name: f"Tekst {name}" for name in services.COPIED_TEXT_FIELDS}
    texts.update(
        evenwicht_kosten=YearRecord.Evenwicht.EVENWICHTIG,
        evenwicht_baten=YearRecord.Evenwicht.ONBEKEND,
        aandeel_percentage=Decimal("33.3333"),
    )
    YearRecord.objects.filter(pk=record.pk).update(
        **texts, status=YearRecord.Status.GEPUBLICEERD, nagekeken=True
    )
    record.refresh_from_db()
    record.submotieven.set([sub_a])
    record.belangrijkste_motieven.set([veiligheid])
    MotiveAnswer.objects.create(
        year_record=record, motief=veiligheid, antwoord="ja", toelichting="Gehaald"
    )
    return record


def test_start_new_year_copies_the_answers_as_an_unreviewed_concept(filled_in, invoerder):
    """A new year starts from last year's texts, but readers must see it is not checked yet."""
    new = services.start_new_year(user=invoerder, participation=filled_in.participation)

    assert new.year == filled_in.year + 1
    assert new.status == YearRecord.Status.CONCEPT
    assert new.nagekeken is False
    assert new.copied_from == filled_in
    fresh = stored(new)
    for name in services.COPIED_TEXT_FIELDS:
        assert getattr(fresh, name) == getattr(filled_in, name), name
    assert list(fresh.submotieven.all()) == list(filled_in.submotieven.all())
    assert list(fresh.belangrijkste_motieven.all()) == list(filled_in.belangrijkste_motieven.all())
    assert [(a.motief_id, a.antwoord, a.toelichting) for a in fresh.motive_answers.all()] == [
        (a.motief_id, a.antwoord, a.toelichting) for a in filled_in.motive_answers.all()
    ]
    previous = stored(filled_in)
    assert (previous.status, previous.nagekeken) == (YearRecord.Status.GEPUBLICEERD, True)


def test_start_new_year_twice_gives_one_year(filled_in, invoerder):
    """Pressing "Nieuw jaar starten: 2026" twice (double click, a second tab) must not make
    2026 and then 2027: the second press gives the same 2026, without an error."""
    participation = filled_in.participation
    year = filled_in.year + 1
    first = services.start_new_year(user=invoerder, participation=participation, year=year)
    second = services.start_new_year(user=invoerder, participation=participation, year=year)

    assert second.pk == first.pk
    assert sorted(participation.years.values_list("year", flat=True)) == [
        filled_in.year,
        filled_in.year + 1,
    ]


def test_start_new_year_needs_a_year_to_start_from(invoerder):
    """Without a previous year there is nothing to copy: a clear refusal, no empty year."""
    participation = ParticipationFactory()
    grant(invoerder, "invoerder", participation.municipality)
    with pytest.raises(ValidationError):
        services.start_new_year(user=invoerder, participation=participation)


def test_start_new_year_refuses_another_municipality(filled_in, stranger):
    """Only the municipality's own clerks start its years."""
    with pytest.raises(PermissionDenied):
        services.start_new_year(user=stranger, participation=filled_in.participation)
    assert filled_in.participation.years.count() == 1


# --- change_status (the workflow) -----------------------------------------------------------


@pytest.fixture
def adopter(record):
    """The vaststeller of the record's municipality (a role, not a beheerder)."""
    user = UserFactory(username="vaststeller")
    grant(user, "vaststeller", record.participation.municipality)
    return user


def test_a_vaststeller_of_another_municipality_adopts_nothing(record, invoerder):
    elsewhere = UserFactory(username="vaststeller-elders")
    grant(elsewhere, "vaststeller", MunicipalityFactory())
    step(invoerder, record, "aanbieden")
    with pytest.raises(PermissionDenied):
        step(elsewhere, record, "vaststellen")
    assert stored(record).status == YearRecord.Status.TER_VASTSTELLING


def step(user, record, action, note=""):
    record.refresh_from_db()
    return services.change_status(
        user=user, record=record, action=action, expected_version=record.version, note=note
    )


def test_the_clerk_submits_and_the_adopter_adopts(record, invoerder, adopter):
    """The workflow: concept → ter vaststelling (clerk) → vastgesteld (adopter)."""
    step(invoerder, record, "aanbieden")
    assert stored(record).status == YearRecord.Status.TER_VASTSTELLING
    with pytest.raises(PermissionDenied):
        step(invoerder, record, "vaststellen")
    step(adopter, record, "vaststellen")
    assert stored(record).status == YearRecord.Status.VASTGESTELD


def test_an_adopted_year_is_locked_until_reopened_with_a_reason(record, invoerder, adopter):
    step(invoerder, record, "aanbieden")
    step(adopter, record, "vaststellen")
    fresh = stored(record)
    with pytest.raises(ValidationError, match="Heropen het jaar eerst"):
        services.update_year_record(
            user=invoerder,
            record=fresh,
            fields={"beoogd_kern": "x"},
            expected_version=fresh.version,
        )
    with pytest.raises(PermissionDenied):  # the vaststeller reopens, not the clerk
        step(invoerder, record, "heropenen", note="Cijfers van de accountant")
    with pytest.raises(ValidationError, match="Toelichting"):
        step(adopter, record, "heropenen", note="  ")
    step(adopter, record, "heropenen", note="Cijfers van de accountant")
    fresh = stored(record)
    assert (fresh.status, fresh.status_note) == (
        YearRecord.Status.CONCEPT,
        "Cijfers van de accountant",
    )
    services.update_year_record(
        user=invoerder, record=fresh, fields={"beoogd_kern": "x"}, expected_version=fresh.version
    )


def test_sending_back_needs_a_remark_and_makes_a_concept(record, invoerder, adopter):
    step(invoerder, record, "aanbieden")
    with pytest.raises(ValidationError):
        step(adopter, record, "terugsturen")
    step(adopter, record, "terugsturen", note="Graag de kern aanvullen.")
    fresh = stored(record)
    assert fresh.status == YearRecord.Status.CONCEPT
    assert fresh.status_note == "Graag de kern aanvullen."


def test_a_step_from_the_wrong_state_is_refused(record, adopter):
    with pytest.raises(ValidationError, match="Dit kan niet meer"):
        step(adopter, record, "publiceren")
    assert stored(record).status == YearRecord.Status.CONCEPT


def test_change_status_refuses_a_stale_version(record, invoerder):
    """Submitting a page someone changed since it was read would submit unread text."""
    opened_at = record.version
    services.update_year_record(
        user=invoerder, record=record, fields={"beoogd_proces": "x"}, expected_version=opened_at
    )
    with pytest.raises(StaleVersionError):
        services.change_status(
            user=invoerder, record=record, action="aanbieden", expected_version=opened_at
        )
    assert stored(record).status == YearRecord.Status.CONCEPT


def test_change_status_refuses_another_municipality(record, stranger):
    """Only the municipality's own clerks submit its years."""
    with pytest.raises(PermissionDenied):
        services.change_status(
            user=stranger, record=record, action="aanbieden", expected_version=record.version
        )
    assert stored(record).status == YearRecord.Status.CONCEPT
