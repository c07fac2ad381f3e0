"""The verdeelmodel pages: the variants side by side (with export and settlement), adopting a
variant, and the explanation trail of one variant. Thin: reads via selectors, writes via
services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from allocation import engine, selectors, services
from allocation.comparison import UnknownParticipant, cost_price_view, trail_view
from allocation.forms import SettlementForm
from allocation.permissions import can_manage_allocation
from allocation.resources import comparison_sheet
from allocation.views.settlements import settlement_section
from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from core.http import requested_export
from core.locking import NOT_CHECKED


class ComparisonView(View):
    """The variants of a partnership's allocation model side by side, per municipality."""

    template_name = "allocation/comparison.html"

    def get(self, request, municipality_slug, slug, year):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        state = visible_state(request, participation, model)
        if not isinstance(state, selectors.ModelState):
            return state
        try:
            comparison = state.comparison()
        except engine.DefinitionError as exc:
            return broken(request, participation, model, exc)
        download = requested_export(
            request, lambda: comparison_sheet(comparison), f"verdeelmodel-{slug}-{year}"
        )
        if download is not None:
            return download
        choices = _measure_choices(model)
        settle_form = SettlementForm(
            request.GET if "resultaat" in request.GET else None, measures=choices
        )
        settled = None
        if settle_form.is_bound and settle_form.is_valid():
            try:
                settled = selectors.settlement(
                    comparison,
                    settle_form.cleaned_data["resultaat"],
                    settle_form.cleaned_data["sleutel"],
                )
            except engine.DefinitionError as exc:  # e.g. a key that adds up to 0
                settle_form.add_error("sleutel", f"{exc.message[:1].upper()}{exc.message[1:]}.")
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "model": state.model,
                "state": state,
                "version_query": version_query(state),
                "publications": selectors.publications(model),
                "changes": selectors.unpublished_changes(model, state.latest)
                if state.working
                else [],
                "changes_known": state.working,
                "comparison": comparison,
                "can_manage": can_manage_allocation(request.user, model.partnership),
                "can_adopt": state.working
                and can_manage_allocation(request.user, model.partnership),
                "undo": _undo(request, model),
                "settle_form": settle_form,
                "settled": settled,
                **settlement_section(
                    request,
                    participation,
                    model,
                    can_manage_allocation(request.user, model.partnership),
                ),
                "settle_label": dict(choices).get(request.GET.get("sleutel", ""), ""),
                "cost": cost_price_view(state.model),
                "crumbs": crumbs(
                    participation.municipality, participation, None, f"Verdeelmodel {year}"
                ),
            },
        )


class AdoptVariantView(LoginRequiredMixin, View):
    """Adopting a variant changes every participant's contribution: first the effect per
    municipality and a confirmation, then the adoption (refused if someone adopted another
    variant in between)."""

    template_name = "allocation/adopt_confirm.html"

    def _load(self, request, municipality_slug, slug, year, code):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        if not can_manage_allocation(request.user, model.partnership):
            raise PermissionDenied(
                "Alleen de coördinator van de samenwerking kan een variant vaststellen."
            )
        variant = model.variants.filter(code=code).first()
        return participation, model, variant

    def _confirm(self, request, participation, model, variant, error=None, status=200):
        comparison = selectors.comparison(model)
        index = comparison.variants.index(variant)
        current = comparison.adopted
        rows = [
            {
                "name": row.name,
                "new": row.amounts[index],
                "current": row.amounts[comparison.adopted_index] if current else None,
                "effect": row.effects[index],
            }
            for group in comparison.groups
            for row in group.rows
        ]
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "model": model,
                "variant": variant,
                "current": current,
                "rows": rows,
                "error": error,
                "crumbs": crumbs(
                    participation.municipality, participation, None, f"Verdeelmodel {model.year}"
                ),
            },
            status=status,
        )

    def get(self, request, municipality_slug, slug, year):
        participation, model, variant = self._load(
            request, municipality_slug, slug, year, request.GET.get("variant", "")
        )
        if variant is None:
            raise Http404("Deze variant bestaat niet.")
        return self._confirm(request, participation, model, variant)

    def post(self, request, municipality_slug, slug, year):
        participation, model, variant = self._load(
            request, municipality_slug, slug, year, request.POST.get("variant", "")
        )
        if variant is None:
            messages.error(request, "Kies een bestaande variant.")
        else:
            try:
                services.adopt_variant(
                    user=request.user,
                    variant=variant,
                    expected_adopted=request.POST.get("adopted_was", NOT_CHECKED),
                )
            except ValidationError as exc:
                return self._confirm(
                    request, participation, model, variant, " ".join(exc.messages), 409
                )
            messages.success(
                request,
                f"{variant.name} is vastgesteld: de bedragen staan nu bij het aandeel van elke "
                "gemeente.",
            )
        return HttpResponseRedirect(
            reverse("allocation:compare", args=[municipality_slug, slug, year])
        )


class ExplanationView(View):
    """The explanation trail of one variant, step by step; optionally for one participant."""

    template_name = "allocation/explanation.html"

    def get(self, request, municipality_slug, slug, year, variant):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        state = visible_state(request, participation, model)
        if not isinstance(state, selectors.ModelState):
            return state
        stored = state.variant(variant)
        if stored is None:
            raise Http404("Deze variant bestaat niet.")
        try:
            result = engine.allocate(engine.build_definition(stored.definition, state.inputs))
        except engine.DefinitionError as exc:
            return broken(request, participation, model, exc)
        only = request.GET.get("deelnemer") or None
        try:
            steps = trail_view(result, only)
        except UnknownParticipant as exc:
            raise Http404("Deze deelnemer hoort niet bij het verdeelmodel.") from exc
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "model": state.model,
                "state": state,
                "version_query": version_query(state),
                "variant": stored,
                "result": result,
                "only": only,
                "steps": steps,
                "crumbs": crumbs(
                    participation.municipality,
                    participation,
                    None,
                    f"Verdeelmodel {year}: variant {variant}",
                ),
            },
        )


def visible_state(request, participation, model):
    """The state of the model this reader may see (`selectors.model_state`): `?versie=N` asks
    for a publication; the coordinator works on the model itself; the public reads the newest
    publication, and a page that says so when nothing is published yet."""
    number = selectors.requested_version(request.GET.get("versie"))
    state = selectors.model_state(model, request.user, number=number)
    if state is not None:
        return state
    return render(
        request,
        "allocation/unpublished.html",
        {
            **participation_context(participation),
            "model": model,
            "crumbs": crumbs(
                participation.municipality, participation, None, f"Verdeelmodel {model.year}"
            ),
        },
    )


def version_query(state: selectors.ModelState) -> str:
    """`?versie=N` for links from an older publication, so they stay in that version."""
    if state.publication is not None and state.publication != state.latest:
        return f"?versie={state.publication.number}"
    return ""


def _undo(request, model) -> dict | None:
    """Right after a variant was deleted: what the one-click way back needs."""
    undo = request.session.get("allocation_undo")
    return undo if undo and undo.get("model") == model.pk else None


def _measure_choices(model) -> list[tuple[str, str]]:
    return [("bijdrage", "naar rato van de bijdrage volgens de vastgestelde variant")] + [
        (code, f"naar rato van: {label or code}")
        for code, label in selectors.measure_choices(model)
    ]


def broken(request, participation, model, exc: Exception):
    """A stored variant that the engine refuses: a message on the page, never a 500."""
    return render(
        request,
        "allocation/broken.html",
        {
            **participation_context(participation),
            "model": model,
            "error": f"Ongeldig verdeelmodel: {exc}",
            "crumbs": crumbs(
                participation.municipality, participation, None, f"Verdeelmodel {model.year}"
            ),
        },
        status=409,
    )
