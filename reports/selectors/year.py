"""What a year page shows (section C with its money and the adopted contribution), for the
web page, the year PDF and each section of the committee bundle alike.

The public sees the latest published version (frozen, `reports.snapshot`); a clerk of the
municipality works on the working copy and sees how far it is from that version."""

from __future__ import annotations

from allocation import selectors as allocation_selectors
from collaborations import selectors as collab
from collaborations.models import Participation, YearVersion
from collaborations.navigation import participation_context
from collaborations.permissions import can_read_drafts, user_can_edit
from finance import selectors as finance_selectors
from finance.models import SHARED_TABLES, Table
from finance.permissions import can_edit_table
from reports import bbv as bbv_view
from reports import kernbeeld as kernbeeld_view
from reports import snapshot
from reports.selectors.versions import latest_version


def working_context(
    participation: Participation, year: int, user, *, show_empty: bool, id_prefix: str = ""
) -> dict:
    """The page as the working data make it now (for clerks, and for freezing a version)."""
    page = collab.year_page(participation, year, user, working=True)
    record = page.record
    bbv, risks, risk_profile = (
        bbv_view.from_record(record, participation) if record else (None, [], None)
    )
    return {
        "page": page,
        "record": record,
        "bbv": bbv,
        "risks": risks,
        "risk_profile": risk_profile,
        "finance": finance_selectors.finance_page(
            participation, record, year, show_empty=show_empty, id_prefix=id_prefix
        )
        if record
        else None,
        "contribution": allocation_selectors.adopted_contribution(participation, year)
        if record
        else None,
    }


def _kernbeeld(context: dict, participation: Participation) -> kernbeeld_view.Kernbeeld | None:
    """The key figures at the top of the year page, from what the page shows below them."""
    record = context["record"]
    if record is None:
        return None
    return kernbeeld_view.build(
        year=record.year,
        municipality_name=participation.municipality.name,
        finance=context["finance"],
        bbv=context["bbv"],
        risk_profile=context["risk_profile"],
        status=record.get_status_display(),
        version=context.get("version"),
    )


def version_context(
    participation: Participation, version: YearVersion, user, id_prefix: str = ""
) -> dict:
    """The page of one published version, for the web page and the PDF alike: read-only."""
    context = snapshot.thaw(version.snapshot, participation, version.year, id_prefix=id_prefix)
    context["page"].years = collab.visible_years(participation, user)
    context["version"] = version
    return {
        **context,
        **participation_context(participation),
        "kernbeeld": _kernbeeld(context, participation),
        "changes_since_version": None,
        "showing_version": True,
        "idp": id_prefix,
        "can_edit": False,
        "can_edit_open": False,
    }


def year_context(participation: Participation, year: int, user, id_prefix: str = "") -> dict:
    """Everything the section C fragments need (reports/_year_sections.html), with the BBV
    figures and risks under `bbv`, `risks` and `risk_profile` (their attributes: `reports.bbv`).

    `id_prefix` keeps element ids unique when several partnerships share one document."""
    can_edit = user_can_edit(user, participation.municipality)
    can_read = can_read_drafts(user, participation.municipality)
    latest = latest_version(participation, year)
    if can_read:
        context = working_context(participation, year, user, show_empty=True, id_prefix=id_prefix)
        changes, changed = None, []
        if latest is not None and context["record"] is not None:
            changes, changed = snapshot.differences(latest.snapshot, snapshot.freeze(context))
        context.update(
            version=latest,
            changes_since_version=changes,
            changed_since_version=changed,
            showing_version=False,
        )
    elif latest is not None:
        context = version_context(participation, latest, user, id_prefix)
    else:
        context = {
            "page": collab.year_page(participation, year, user),
            "record": None,
            "bbv": None,
            "risks": [],
            "risk_profile": None,
            "finance": None,
            "contribution": None,
            "version": None,
            "changes_since_version": None,
            "showing_version": False,
        }
    return {
        **context,
        **participation_context(participation),
        "kernbeeld": _kernbeeld(context, participation),
        "idp": id_prefix,
        "can_edit": can_edit,
        "can_read_drafts": can_read,
        "can_edit_shared": can_edit_table(user, participation, Table.RESULTATEN),
        "shared_tables": [(t.value, t.label) for t in SHARED_TABLES],
    }


def figure_years(participation: Participation, user, years: list) -> list[int]:
    """Years with figures but without section C, for those who read the drafts."""
    if not can_read_drafts(user, participation.municipality):
        return []
    known = {r.year for r in years}
    return [y for y in finance_selectors.years_with_figures(participation) if y not in known]


def figures_only_context(participation: Participation, year: int, user) -> dict | None:
    """A year with figures but without section C (e.g. 2016, whose tables came with 2017): for
    those who read the municipality's drafts, its money tables and a way to start the year;
    None for everyone else or when there are no figures."""
    if not can_read_drafts(user, participation.municipality):
        return None
    if year not in finance_selectors.years_with_figures(participation):
        return None
    return {
        **participation_context(participation),
        "page": collab.year_page(participation, year, user),
        "record": None,
        "figures_only": True,
        "figures_year": year,
        "finance": finance_selectors.finance_page(participation, None, year, show_empty=False),
        "can_edit": user_can_edit(user, participation.municipality),
        "can_read_drafts": True,
        "idp": "",
    }


def kernbeeld(participation: Participation, user) -> tuple[object | None, list]:
    """The newest year's record and its belangrijkste motieven for the partnership page: the
    working copy for those who read the municipality's drafts, the newest published version for
    everyone else."""
    if can_read_drafts(user, participation.municipality):
        record = collab.latest_year_record(participation, user)
        return record, list(record.belangrijkste_motieven.all()) if record else []
    newest = (
        YearVersion.objects.filter(participation=participation).order_by("-year", "-number").first()
    )
    if newest is None:
        return None, []
    thawed = snapshot.thaw(newest.snapshot, participation, newest.year)
    return thawed["record"], thawed["page"].belangrijkste
