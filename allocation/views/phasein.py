"""`…/verdeelmodel/ingroeiregeling/`: from the current key (a variant) to a new one over N
years, linearly or with a cap per municipality per year, each year's amounts shown. A
computation over the stored variants: it reads, it saves nothing."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from allocation import engine, selectors
from allocation.forms.phasein import PhaseInForm
from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context

from .comparison import broken, visible_state


class PhaseInView(View):
    template_name = "allocation/phasein.html"

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
        variants = [(v.code, v.name) for v in comparison.variants]
        bound = "naar" in request.GET
        form = PhaseInForm(
            request.GET if bound else None,
            variants=variants,
            initial={"van": comparison.adopted.code if comparison.adopted else ""},
        )
        plan, error = None, ""
        if bound and form.is_valid():
            codes = [v.code for v in comparison.variants]
            current = comparison.results[codes.index(form.cleaned_data["van"])].amounts()
            target = comparison.results[codes.index(form.cleaned_data["naar"])].amounts()
            try:
                plan = engine.phase_in(
                    current,
                    target,
                    years=form.cleaned_data["jaren"],
                    cap=form.cleaned_data.get("grens"),
                    cap_kind=form.cleaned_data["soort_grens"],
                    unit=comparison.results[codes.index(form.cleaned_data["naar"])].unit,
                )
            except engine.DefinitionError as exc:
                error = f"Zo kan de ingroeiregeling niet worden berekend: {exc}"
        rows = []
        if plan is not None:
            rows = [
                (
                    name,
                    plan.current.get(name),
                    [y.amounts[name] for y in plan.years],
                    plan.years[-1].amounts[name] - plan.current.get(name, 0),
                )
                for name in plan.participants
            ]
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "model": state.model,
                "state": state,
                "form": form,
                "plan": plan,
                "rows": rows,
                "forced": plan.years[-1].limited if plan is not None else (),
                "error": error,
                "error_items": form.error_summary() if form.is_bound else [],
                "crumbs": crumbs(
                    participation.municipality, participation, None, f"Ingroeiregeling {year}"
                ),
            },
            status=400 if bound and not form.is_valid() else 200,
        )
