"""Every write of the collaborations app. Keyword-only, atomic, validated.

Permission checks live here, in one place. Roles and logins are in `services/roles.py`.
"""

from collections.abc import Iterable
from typing import Any

from simple_history.utils import bulk_create_with_history

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from collaborations import workflow
from collaborations.models import (
    BoardSeat,
    MotiveAnswer,
    Municipality,
    Organisation,
    Participation,
    Partnership,
    ProcessEntry,
    Role,
    Term,
    Vocabulary,
    YearRecord,
)
from collaborations.permissions import User, can_adopt, can_coordinate, user_can_edit
from core.fields import require_max_length
from core.history import restore_m2m, restore_state, restored_reason
from core.locking import lock_for_fields, lock_versioned, save_versioned

# The fields of section C that "Nieuw jaar starten" carries over to the next year.
COPIED_TEXT_FIELDS = [
    "eigen_formulering",
    "motief_beantwoord",
    "beoogd_inhoud",
    "beoogd_proces",
    "beoogd_samenwerking",
    "beoogd_kern",
    "feitelijk_inhoud",
    "feitelijk_proces",
    "feitelijk_samenwerking",
    "feitelijk_kern",
    "kosten_baten_begroot",
    "kosten_baten_feitelijk",
    "aandeel_toelichting",
    "verdeelsleutel_tekst",
    "evenwicht_kosten",
    "evenwicht_kosten_toelichting",
    "evenwicht_baten",
    "evenwicht_baten_toelichting",
    "aandeel_percentage",
]


def motives_state(record: YearRecord) -> dict[str, object]:
    """The motives section as values to compare (what the form showed against what is saved)."""
    return {
        "eigen_formulering": record.eigen_formulering,
        "motief_beantwoord": record.motief_beantwoord,
        "submotieven": [t.pk for t in record.submotieven.all()],
        "belangrijkste_motieven": [t.pk for t in record.belangrijkste_motieven.all()],
        "antwoorden": [
            f"{a.motief_id}:{a.antwoord}:{a.toelichting}" for a in record.motive_answers.all()
        ],
    }


def _require_editor(user: User, municipality: Municipality) -> None:
    if not user_can_edit(user, municipality):
        raise PermissionDenied(f"U mag de gegevens van {municipality} niet wijzigen.")


@transaction.atomic
def update_year_record(
    *,
    user: User,
    record: YearRecord,
    fields: dict[str, Any],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> YearRecord:
    """Save plain fields of section C (results, kosten en baten, aandeel).

    With `original` (the fields' values when the form was opened) a save after someone else's
    save of another section goes through; a change of these very fields is a conflict."""
    _require_editor(user, record.participation.municipality)
    locked = lock_for_fields(
        YearRecord.objects.filter(pk=record.pk),
        expected_version=expected_version,
        original=original,
        current=lambda r: {name: getattr(r, name) for name in fields},
    )
    require_open(locked)
    allowed = set(COPIED_TEXT_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_by = user if user.is_authenticated else None
    locked.full_clean(exclude=["participation", "copied_from", "updated_by"])
    save_versioned(locked)
    return locked


@transaction.atomic
def update_motives(
    *,
    user: User,
    record: YearRecord,
    eigen_formulering: str,
    motief_beantwoord: str,
    submotief_ids: Iterable[int],
    belangrijkste_ids: Iterable[int],
    answers: dict[int, tuple[str, str]],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> YearRecord:
    """Save question 13 and 14: sub-motives, own wording, most important, answered per motive.

    `original` as for `update_year_record`: only a change of the motives is a conflict."""
    _require_editor(user, record.participation.municipality)
    locked = lock_for_fields(
        YearRecord.objects.filter(pk=record.pk),
        expected_version=expected_version,
        original=original,
        current=motives_state,
    )
    require_open(locked)
    submotief_ids = list(submotief_ids)
    belangrijkste_ids = list(belangrijkste_ids)
    valid_sub = set(
        Term.objects.filter(pk__in=submotief_ids, vocabulary=Vocabulary.SUBMOTIEF).values_list(
            "pk", flat=True
        )
    )
    valid_main = set(
        Term.objects.filter(
            pk__in=[*belangrijkste_ids, *answers], vocabulary=Vocabulary.MOTIEF
        ).values_list("pk", flat=True)
    )
    if set(submotief_ids) - valid_sub or set(belangrijkste_ids) - valid_main:
        raise ValidationError("Kies alleen motieven uit de lijsten.")
    if set(answers) - valid_main:
        raise ValidationError("Een antwoord hoort bij een onbekend motief.")
    valid_answers = set(MotiveAnswer.Answer.values)
    for antwoord, _ in answers.values():
        if antwoord not in valid_answers:
            raise ValidationError(f"Onbekend antwoord: {antwoord}.")
    locked.eigen_formulering = eigen_formulering
    locked.motief_beantwoord = motief_beantwoord
    locked.updated_by = user if user.is_authenticated else None
    save_versioned(locked)
    locked.submotieven.set(submotief_ids)
    locked.belangrijkste_motieven.set(belangrijkste_ids)
    locked.motive_answers.exclude(motief_id__in=answers).delete()
    for motief_id, (antwoord, toelichting) in answers.items():
        MotiveAnswer.objects.update_or_create(
            year_record=locked,
            motief_id=motief_id,
            defaults={"antwoord": antwoord, "toelichting": toelichting},
        )
    return locked


@transaction.atomic
def start_new_year(
    *, user: User, participation: Participation, year: int | None = None
) -> YearRecord:
    """Create `year`'s section C as a draft from the latest earlier year, not reviewed; a year
    before every other (figures of an earlier year, entered with a later one) starts empty.

    Idempotent: the button says which year it starts, so a double click, a second tab or two
    people at the same time get that one year (the participation row is locked while the year
    is made; the unique constraint is the last guard). Without `year`: the year after the
    latest."""
    _require_editor(user, participation.municipality)
    Participation.objects.select_for_update().filter(pk=participation.pk).first()
    latest = participation.years.order_by("-year").first()
    if latest is None:
        raise ValidationError("Er is nog geen jaar om van uit te gaan.")
    if year is None:
        year = latest.year + 1
    existing = participation.years.filter(year=year).first()
    if existing is not None:
        return existing
    source = participation.years.filter(year__lt=year).order_by("-year").first()
    if source is None:
        return create_year_record(user=user, participation=participation, year=year)
    new = YearRecord(
        participation=participation,
        year=year,
        status=YearRecord.Status.CONCEPT,
        nagekeken=False,
        copied_from=source,
        updated_by=user if user.is_authenticated else None,
        **{name: getattr(source, name) for name in COPIED_TEXT_FIELDS},
    )
    new.full_clean(exclude=["updated_by"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError:  # made at the same moment by someone else: that one counts
        return participation.years.get(year=year)
    new.submotieven.set(source.submotieven.all())
    new.belangrijkste_motieven.set(source.belangrijkste_motieven.all())
    bulk_create_with_history(
        [
            MotiveAnswer(
                year_record=new,
                motief_id=a.motief_id,
                antwoord=a.antwoord,
                toelichting=a.toelichting,
            )
            for a in source.motive_answers.all()
        ],
        MotiveAnswer,
    )
    from .bbv import carry_over  # bbv builds on this module: imported once both are loaded

    carry_over(user=user, source=source, new=new)
    return new


@transaction.atomic
def create_year_record(*, user: User, participation: Participation, year: int) -> YearRecord:
    """Create an empty section C for a year (the first year of a participation)."""
    _require_editor(user, participation.municipality)
    if participation.years.filter(year=year).exists():
        raise ValidationError(f"Het jaar {year} bestaat al.")
    record = YearRecord(participation=participation, year=year, nagekeken=True)
    record.full_clean(exclude=["updated_by"])
    record.save()
    return record


@transaction.atomic
def change_status(
    *, user: User, record: YearRecord, action: str, expected_version: int, note: str = ""
) -> YearRecord:
    """Take one step of the workflow (`collaborations.workflow`): checked against the state,
    the person's role and the version; a remark is required where the step says so.
    Publishing itself (with its version) is `reports.services.publish_year`."""
    step = workflow.STEPS.get(action)
    if step is None:
        raise ValidationError("Onbekende stap.")
    municipality = record.participation.municipality
    user_roles = workflow.roles(
        is_clerk=user_can_edit(user, municipality), is_adopter=can_adopt(user, municipality)
    )
    if not user_roles & set(step.who):
        raise PermissionDenied(f"U mag deze stap niet zetten: {step.label.lower()}.")
    locked = lock_versioned(
        YearRecord.objects.filter(pk=record.pk), expected_version=expected_version
    )
    if locked.status not in step.sources:
        raise ValidationError(
            f"Dit kan niet meer: het jaar staat op “{locked.get_status_display()}”."
        )
    note = note.strip()
    if step.needs_note and not note:
        raise ValidationError("Toelichting: schrijf waarom (verplicht bij deze stap).")
    require_max_length(note, YearRecord._meta.get_field("status_note").max_length, "Toelichting")
    locked.status = step.target
    locked.status_note = note if step.needs_note else ""
    if step.target == YearRecord.Status.GEPUBLICEERD:
        locked.nagekeken = True
    locked.updated_by = user if user.is_authenticated else None
    locked._change_reason = f"{step.label}{': ' + note if note else ''}"
    save_versioned(locked)
    return locked


def require_open(record: YearRecord) -> None:
    """An adopted or published year is locked: changing it starts with reopening it."""
    if record.status in workflow.LOCKED:
        raise ValidationError(
            f"{record.year} is {record.get_status_display().lower()} en kan niet worden "
            "gewijzigd. Heropen het jaar eerst (met een reden); de gepubliceerde versie blijft "
            "zichtbaar tot de nieuwe is gepubliceerd."
        )


# --- Reference data (vocabularies, demo) ---------------------------------------------------


@transaction.atomic
def sync_vocabularies(*, data: dict[str, list]) -> int:
    """Create or update vocabulary terms from `collaborations/data/vocabularies.json`.

    Rows are [code, label] or [code, label, help]; motives carry a fourth element, the list of
    their sub-motives. Codes are stable; labels and help texts follow the file. Idempotent.
    """
    count = 0
    known = set(Vocabulary.values)
    for vocabulary, rows in data.items():
        if vocabulary not in known:
            raise ValidationError(f"Onbekend vocabulaire: {vocabulary}.")
        for order, row in enumerate(rows, start=1):
            code, label, *rest = row
            help_text = rest[0] if rest else ""
            term, _ = Term.objects.update_or_create(
                vocabulary=vocabulary,
                code=code,
                defaults={"label": label, "help_text": help_text, "order": order},
            )
            count += 1
            children = rest[1] if len(rest) > 1 else []
            for child_order, (child_code, child_label) in enumerate(children, start=1):
                Term.objects.update_or_create(
                    vocabulary=Vocabulary.SUBMOTIEF,
                    code=f"{code}-{child_code}",
                    defaults={"label": child_label, "order": child_order, "parent": term},
                )
                count += 1
    return count


@transaction.atomic
def upsert_municipality(*, name: str, cbs_code: str, slug: str) -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        cbs_code=cbs_code, defaults={"name": name, "slug": slug}
    )
    return municipality


@transaction.atomic
def upsert_partnership(
    *,
    slug: str,
    fields: dict[str, Any],
    terms: dict[str, list[str]],
    municipality_slugs: list[str],
    organisation_names: list[str],
) -> Partnership:
    """Create or update a shared partnership record with its participants (used by load_demo)."""
    from django.utils.text import slugify

    vorm = fields.pop("vorm", None)
    bbv = fields.pop("bbv_categorie", None)
    centre = fields.pop("centrumgemeente", None)
    partnership, _ = Partnership.objects.update_or_create(slug=slug, defaults=fields)
    partnership.vorm = Term.objects.get(vocabulary=Vocabulary.VORM, code=vorm) if vorm else None
    partnership.bbv_categorie = (
        Term.objects.get(vocabulary=Vocabulary.BBV, code=bbv) if bbv else None
    )
    partnership.centrumgemeente = Municipality.objects.get(slug=centre) if centre else None
    partnership.full_clean()
    partnership.save()
    for vocabulary, field in ((Vocabulary.ONDERWERP, "onderwerpen"), (Vocabulary.AARD, "aard")):
        getattr(partnership, field).set(_terms(vocabulary, terms.get(field, [])))
    organisations = [
        Organisation.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
        for name in organisation_names
    ]
    partnership.organisations.set(organisations)
    for municipality_slug in municipality_slugs:
        Participation.objects.get_or_create(
            partnership=partnership, municipality=Municipality.objects.get(slug=municipality_slug)
        )
    return partnership


def _terms(vocabulary: str, codes: list[str]) -> list[Term]:
    terms = list(Term.objects.filter(vocabulary=vocabulary, code__in=codes))
    missing = set(codes) - {t.code for t in terms}
    if missing:
        raise ValidationError(f"Onbekende codes in {vocabulary}: {', '.join(sorted(missing))}.")
    return terms


@transaction.atomic
def update_perspective(*, participation: Participation, data: dict[str, Any]) -> Participation:
    """Set a municipality's perspective from structured data (used by load_demo)."""
    simple = [
        "bestuurlijk_belang",
        "financieel_belang",
        "accounthouders",
        "raadsprogramma",
        "delegatie_mandaat",
        "delegatie_mandaat_toelichting",
        "rol_taakverdeling",
        "afspraken_instrumenten",
    ]
    for name in simple:
        if name in data:
            setattr(participation, name, data[name])
    toezicht = data.get("toezichtarrangement")
    participation.toezichtarrangement = (
        Term.objects.get(vocabulary=Vocabulary.TOEZICHT, code=toezicht) if toezicht else None
    )
    participation.full_clean()
    participation.save()
    participation.belang_waarom.set(_terms(Vocabulary.BELANG_WAAROM, data.get("belang_waarom", [])))
    participation.belang_wie.set(_terms(Vocabulary.BELANG_WIE, data.get("belang_wie", [])))
    participation.board_seats.all().delete()
    bulk_create_with_history(
        [
            BoardSeat(
                participation=participation,
                orgaan=orgaan,
                vertegenwoordiging=wie,
                stemmen=stemmen,
                stemmen_totaal=totaal,
                toelichting=toelichting,
                order=i,
            )
            for i, (orgaan, wie, stemmen, totaal, toelichting) in enumerate(
                data.get("board_seats", [])
            )
        ],
        BoardSeat,
    )
    participation.process_entries.all().delete()
    bulk_create_with_history(
        [
            ProcessEntry(
                participation=participation, actor=actor, jaar=jaar, kwartaal=kwartaal, actie=actie
            )
            for actor, jaar, kwartaal, actie in data.get("process", [])
        ],
        ProcessEntry,
    )
    return participation


@transaction.atomic
def import_year_record(
    *, participation: Participation, year: int, data: dict[str, Any]
) -> YearRecord:
    """Create or replace a year's section C from structured data (used by load_demo), as a
    working copy (concept): publishing is a step of its own (`reports.demo.publish_demo`)."""
    fields = {name: data.get(name, "") for name in COPIED_TEXT_FIELDS}
    fields["aandeel_percentage"] = data.get("aandeel_percentage")
    record, _ = YearRecord.objects.update_or_create(
        participation=participation,
        year=year,
        defaults={
            **fields,
            "status": YearRecord.Status.CONCEPT,
            "nagekeken": data.get("nagekeken", False),
        },
    )
    record.full_clean()
    sub_codes = set(data.get("submotieven", []))
    subs = [
        term
        for term in Term.objects.filter(vocabulary=Vocabulary.SUBMOTIEF).select_related("parent")
        if term.code.removeprefix(f"{term.parent.code}-") in sub_codes
    ]
    if len(subs) != len(sub_codes):
        raise ValidationError(f"Onbekende submotieven in {participation} {year}.")
    record.submotieven.set(subs)
    record.belangrijkste_motieven.set(
        _terms(Vocabulary.MOTIEF, data.get("belangrijkste_motieven", []))
    )
    record.motive_answers.all().delete()
    motives = {t.code: t for t in Term.objects.filter(vocabulary=Vocabulary.MOTIEF)}
    bulk_create_with_history(
        [
            MotiveAnswer(
                year_record=record, motief=motives[code], antwoord=antwoord, toelichting=toelichting
            )
            for code, antwoord, toelichting in data.get("motive_answers", [])
        ],
        MotiveAnswer,
    )
    return record


@transaction.atomic
def upsert_demo_user(
    *,
    username: str,
    password: str,
    full_name: str,
    superuser: bool,
    roles: list[tuple[str, str]],
):
    """A demo login (load_demo): superuser for the beheerder, otherwise exactly the given roles
    as (kind, municipality or partnership slug)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    first, _, last = full_name.partition(" ")
    user, _ = user_model.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_staff": superuser,
            "is_superuser": superuser,
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save()
    wanted = set()
    for kind, slug in roles:
        if kind in Role.PARTNERSHIP_KINDS:
            scope = {"partnership": Partnership.objects.get(slug=slug), "municipality": None}
        else:
            scope = {"municipality": Municipality.objects.get(slug=slug), "partnership": None}
        role, _ = Role.objects.get_or_create(user=user, kind=kind, **scope)
        wanted.add(role.pk)
    for role in user.roles.exclude(pk__in=wanted):
        role.delete()
    return user


# --- Restore from the history -------------------------------------------------------------

RESTORED_FIELDS = COPIED_TEXT_FIELDS


@transaction.atomic
def restore_year_record(
    *, user: User, record: YearRecord, history_id: int, expected_version: int
) -> YearRecord:
    """Put section C's texts, choices and motives back as they were after an earlier change.

    The workflow state (status, nagekeken) is not restored; the restore is itself a change in
    the history ("Teruggezet naar …") and can be undone the same way."""
    _require_editor(user, record.participation.municipality)
    try:
        old = record.history.get(history_id=history_id)
    except YearRecord.history.model.DoesNotExist as exc:
        raise ValidationError("Deze versie hoort niet bij dit jaar.") from exc
    locked = lock_versioned(
        YearRecord.objects.filter(pk=record.pk), expected_version=expected_version
    )
    require_open(locked)
    for name in RESTORED_FIELDS:
        setattr(locked, name, getattr(old, name))
    locked.updated_by = user if user.is_authenticated else None
    locked.full_clean(exclude=["participation", "copied_from", "updated_by"])
    locked._change_reason = restored_reason(old)
    save_versioned(locked)
    restore_m2m(locked, old, ("submotieven", "belangrijkste_motieven"))
    return locked


@transaction.atomic
def restore_participation(
    *, user: User, participation: Participation, history_id: int
) -> Participation:
    """Put a municipality's perspective (importance, governance, process notes) back as it was
    after an earlier change; the restore is a change of its own."""
    _require_editor(user, participation.municipality)
    try:
        old = participation.history.get(history_id=history_id)
    except Participation.history.model.DoesNotExist as exc:
        raise ValidationError("Deze versie hoort niet bij dit perspectief.") from exc
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    restored = restore_state(
        locked,
        old,
        exclude=frozenset({"partnership", "municipality"}),
        m2m=("belang_waarom", "belang_wie"),
    )
    # A form opened before the restore (belang, bestuur, proces) is refused, not merged.
    save_versioned(restored, update_fields=[])
    return restored


@transaction.atomic
def restore_partnership(*, user: User, partnership: Partnership, history_id: int) -> Partnership:
    """Put the shared record of a partnership back as it was after an earlier change. The shared
    record is kept by the partnership's coördinator."""
    if not can_coordinate(user, partnership):
        raise PermissionDenied(
            "Alleen de coördinator van de samenwerking kan de gedeelde gegevens terugzetten."
        )
    try:
        old = partnership.history.get(history_id=history_id)
    except Partnership.history.model.DoesNotExist as exc:
        raise ValidationError("Deze versie hoort niet bij deze samenwerking.") from exc
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    restored = restore_state(locked, old, m2m=("onderwerpen", "aard", "organisations"))
    # A form opened before the restore (the shared record, the admin) is refused, not merged.
    save_versioned(restored, update_fields=[])
    return restored
