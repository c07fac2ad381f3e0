"""The partnership's board meetings, kept by its coördinator (or a beheerder). Keyword-only,
atomic, validated, permission-checked, versioned per partnership (`MeetingSchedule`), and every
change of a meeting is in its history."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from collaborations.models import BoardMeeting, Partnership
from collaborations.models.meetings import MeetingSchedule
from collaborations.permissions import User, can_coordinate
from core.locking import check_version, lock_versioned, save_versioned

WHAT = "het vergaderschema"


@dataclass(frozen=True)
class MeetingInput:
    """One row of the meetings form: an existing meeting (`id`) or a new one."""

    date: date
    kind: str
    note: str = ""
    id: int | None = None


def _duplicates(
    rows: Iterable[tuple[int, MeetingInput]], kept: Iterable[BoardMeeting]
) -> list[str]:
    """A date with the same kind of meeting twice, named by row number."""
    seen: dict[tuple[date, str], str] = {
        (m.date, m.kind): "een opgeslagen vergadering" for m in kept
    }
    problems = []
    for number, row in rows:
        where = seen.get((row.date, row.kind))
        if where is not None:
            problems.append(
                f"Regel {number}: op deze datum staat al een vergadering van deze soort ({where})."
            )
        seen[(row.date, row.kind)] = f"regel {number}"
    return problems


def _lock_schedule(
    user: User, partnership: Partnership, expected_version: int | None
) -> MeetingSchedule:
    """Lock the partnership's sheet and check the form's version; the first save makes it."""
    schedule = lock_versioned(
        MeetingSchedule.objects.filter(partnership=partnership),
        expected_version=expected_version,
        what=WHAT,
    )
    if schedule is not None:
        return schedule
    try:
        with transaction.atomic():
            return MeetingSchedule.objects.create(partnership=partnership, updated_by=user)
    except IntegrityError:  # someone else's first save came in between: their sheet is 1
        check_version(1, expected_version, WHAT)
        raise


@transaction.atomic
def save_meetings(
    *,
    user: User,
    partnership: Partnership,
    meetings: Sequence[MeetingInput],
    remove: Iterable[int] = (),
    expected_version: int | None,
) -> MeetingSchedule:
    """Add and change the meetings in `meetings` and delete those in `remove`; meetings the
    form did not show stay as they are. Refused when someone else saved the meetings since the
    form was opened (`StaleVersionError`: the form keeps the input). Returns the sheet with its
    new version."""
    if not can_coordinate(user, partnership):
        raise PermissionDenied(
            f"Alleen de coördinator van {partnership.afkorting} (of de beheerder) legt de "
            "vergaderdata vast."
        )
    schedule = _lock_schedule(user, partnership, expected_version)
    created = expected_version is None  # a new sheet starts at version 1
    existing = {m.pk: m for m in BoardMeeting.objects.filter(partnership=partnership)}
    remove = {pk for pk in remove if pk in existing}
    touched = {row.id for row in meetings if row.id in existing}
    untouched = [m for pk, m in existing.items() if pk not in remove | touched]
    numbered = [(n, row) for n, row in enumerate(meetings, 1) if row.id not in remove]
    problems = _duplicates(numbered, untouched)
    if problems:
        raise ValidationError(problems)
    changes = 0
    for pk in sorted(remove):
        gone = existing[pk]
        gone._history_user = user
        gone._change_reason = "Vergadering verwijderd"
        gone.delete()
        changes += 1
    for number, row in numbered:
        meeting = existing.get(row.id) if row.id in touched else None
        if meeting is not None and (meeting.date, meeting.kind, meeting.note) == (
            row.date,
            row.kind,
            row.note,
        ):
            continue
        if meeting is None:
            meeting = BoardMeeting(partnership=partnership)
        meeting.date, meeting.kind, meeting.note = row.date, row.kind, row.note
        try:
            meeting.full_clean(exclude=["partnership"])
        except ValidationError as exc:
            raise ValidationError(
                [f"Regel {number}: {message}" for message in exc.messages]
            ) from exc
        meeting._history_user = user
        meeting._change_reason = "Vergadering gewijzigd" if meeting.pk else "Vergadering toegevoegd"
        meeting.save()
        changes += 1
    if changes and not created:
        schedule.updated_by = user if user.is_authenticated else None
        save_versioned(schedule)
    return schedule


@transaction.atomic
def upsert_demo_meetings(*, partnership: Partnership, meetings: Iterable[MeetingInput]) -> int:
    """The demo's meetings (`load_demo`): idempotent, adds the given dates (or corrects their
    note) and leaves other meetings alone. Returns how many it added or changed."""
    changes = 0
    for row in meetings:
        meeting = BoardMeeting.objects.filter(
            partnership=partnership, date=row.date, kind=row.kind
        ).first()
        if meeting is not None and meeting.note == row.note:
            continue
        meeting = meeting or BoardMeeting(partnership=partnership, date=row.date, kind=row.kind)
        meeting.note = row.note
        meeting.full_clean()
        meeting._change_reason = "Demogegevens"
        meeting.save()
        changes += 1
    schedule = MeetingSchedule.objects.select_for_update().filter(partnership=partnership).first()
    if schedule is None:
        MeetingSchedule.objects.create(partnership=partnership)
    elif changes:
        save_versioned(schedule)  # a form opened before the loader ran is now out of date
    return changes
