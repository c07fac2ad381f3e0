"""The workflow of a municipality's year, as a table: which step goes from which states to which,
and who may take it. Services apply it (`collaborations.services.change_status`); pages ask it
which buttons to show.

concept → ter vaststelling (the clerk submits) → vastgesteld (the adopter) → gepubliceerd (the
adopter publishes: a new version). The adopter may send a submitted or adopted year back with a
remark; an adopted or published year is locked until it is reopened with a reason, which starts
a new concept while the published version stays public."""

from __future__ import annotations

from dataclasses import dataclass

from .models import YearRecord

S = YearRecord.Status
CLERK, ADOPTER = "invoerder", "vaststeller"


@dataclass(frozen=True)
class Step:
    action: str
    label: str  # the button
    done: str  # the message afterwards, with {year}
    sources: tuple[str, ...]
    target: str
    who: tuple[str, ...]
    needs_note: bool = False


STEPS = {
    step.action: step
    for step in (
        Step(
            "aanbieden",
            "Ter vaststelling aanbieden",
            "Jaar {year} is ter vaststelling aangeboden.",
            (S.CONCEPT,),
            S.TER_VASTSTELLING,
            (CLERK, ADOPTER),
        ),
        Step(
            "vaststellen",
            "Vaststellen",
            "Jaar {year} is vastgesteld.",
            (S.TER_VASTSTELLING,),
            S.VASTGESTELD,
            (ADOPTER,),
        ),
        Step(
            "publiceren",
            "Publiceren",
            "Jaar {year} is gepubliceerd als nieuwe versie.",
            (S.VASTGESTELD,),
            S.GEPUBLICEERD,
            (ADOPTER,),
        ),
        Step(
            "terugsturen",
            "Terugsturen met opmerking",
            "Jaar {year} is teruggestuurd naar de invoerder.",
            (S.TER_VASTSTELLING, S.VASTGESTELD),
            S.CONCEPT,
            (ADOPTER,),
            needs_note=True,
        ),
        Step(
            "heropenen",
            "Heropenen",
            "Jaar {year} is heropend als concept; de gepubliceerde versie blijft zichtbaar.",
            (S.VASTGESTELD, S.GEPUBLICEERD),
            S.CONCEPT,
            (ADOPTER,),
            needs_note=True,
        ),
    )
}

LOCKED = (S.VASTGESTELD, S.GEPUBLICEERD)


def roles(*, is_clerk: bool, is_adopter: bool) -> set[str]:
    return {role for role, has in ((CLERK, is_clerk), (ADOPTER, is_adopter)) if has}


def available(status: str, user_roles: set[str]) -> list[Step]:
    """The steps a person with these roles can take from this state (the buttons)."""
    return [s for s in STEPS.values() if status in s.sources and user_roles & set(s.who)]
