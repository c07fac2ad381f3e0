"""The inputs of a verdeelmodel in the site: the parameters (the budget first) and the measures
per municipality, for the partnership's coördinator. Every change can be seen before it is
saved: "Bereken" (or, with JavaScript, every keystroke) shows the amounts per municipality and
the herverdeeleffect with the proposed inputs, saving nothing."""

from __future__ import annotations

import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from allocation import engine, selectors
from allocation.forms import MeasureForm, ParameterFormSet, VersionForm
from allocation.permissions import require_allocation_manager
from allocation.services import inputs as services
from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from core.locking import FieldConflict, as_text

PREVIEW_HEADER = "HTTP_X_PREVIEW"


def wants_preview(request) -> bool:
    return "_preview" in request.POST


def preview(compute) -> dict:
    """The comparison with the proposed change, or the reason it cannot be computed."""
    try:
        return {"preview": compute(), "preview_error": ""}
    except (engine.DefinitionError, ValidationError, ArithmeticError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return {"preview": None, "preview_error": f"Zo kan het model niet rekenen: {text}"}


def not_yet(items) -> dict:
    """A form with errors cannot be previewed: the preview says what to correct first."""
    texts = [f"{label}: {message}" if label else message for _, label, message in items]
    return {"preview_error": "Nog niet te berekenen. " + " ".join(texts)}


def render_preview(request, template: str, context: dict, status: int = 200):
    """The whole page, or (for the script that recomputes while typing) only the preview."""
    if request.META.get(PREVIEW_HEADER):
        return render(request, "allocation/_preview.html", context, status=status)
    return render(request, template, context, status=status)


class CoordinatorMixin(LoginRequiredMixin):
    """Loads the participation and the model; only the coördinator gets further."""

    def load(self, municipality_slug, slug, year):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        require_allocation_manager(
            self.request.user, model.partnership, "het verdeelmodel wijzigen"
        )
        return participation, model

    def base_context(self, participation, model, title: str) -> dict:
        return {
            **participation_context(participation),
            "model": model,
            "title": title,
            "compare_url": reverse(
                "allocation:compare",
                args=[participation.municipality.slug, model.partnership.slug, model.year],
            ),
            "crumbs": crumbs(participation.municipality, participation, None, title),
        }


def _parameter_initial(model) -> list[dict]:
    rows = []
    for code, value in (model.inputs.get("parameters") or {}).items():
        entry = value if isinstance(value, dict) else {"waarde": value}
        rows.append(
            {
                "code": code,
                "omschrijving": entry.get("omschrijving", ""),
                "waarde": Decimal(str(entry.get("waarde", 0))),
                "bron": entry.get("bron", "") or entry.get("toelichting", ""),
            }
        )
    return rows


def _parameters(formset) -> list[services.ParameterInput]:
    return [
        services.ParameterInput(
            code=f.cleaned_data["code"],
            value=f.cleaned_data["waarde"],
            omschrijving=f.cleaned_data.get("omschrijving", ""),
            bron=f.cleaned_data.get("bron", ""),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class InputsView(CoordinatorMixin, View):
    """`…/verdeelmodel/invoer/`: the parameters as a table, and the list of measures."""

    template_name = "allocation/inputs.html"

    def context(self, participation, model, formset, version_form, **extra) -> dict:
        return {
            **self.base_context(participation, model, f"Invoer verdeelmodel {model.year}"),
            "formset": formset,
            "version_form": version_form,
            "measures": selectors.measure_overview(model),
            "error_items": [item for item in formset.error_summary()] if formset.is_bound else [],
            **extra,
        }

    def get(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        formset = ParameterFormSet(initial=_parameter_initial(model), prefix="p")
        version_form = VersionForm(initial={"version": model.version})
        return render(
            request, self.template_name, self.context(participation, model, formset, version_form)
        )

    def post(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        formset = ParameterFormSet(request.POST, prefix="p")
        version_form = VersionForm(request.POST)
        if not (formset.is_valid() and version_form.is_valid()):
            context = self.context(participation, model, formset, version_form)
            context.update(not_yet(context["error_items"]))
            return render_preview(request, self.template_name, context, status=400)
        parameters = _parameters(formset)
        if wants_preview(request):
            proposed = {
                **selectors.model_inputs(model),
                "parameters": services.parameters_document(parameters),
            }
            extra = preview(lambda: selectors.comparison(model, inputs=proposed))
            context = self.context(participation, model, formset, version_form, **extra)
            return render_preview(request, self.template_name, context)
        try:
            services.update_parameters(
                user=request.user,
                model=model,
                parameters=parameters,
                expected_version=version_form.cleaned_data["version"],
            )
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
            context = self.context(participation, model, formset, version_form, refused=True)
            return render(request, self.template_name, context, status=409)
        messages.success(request, "De parameters zijn opgeslagen; de varianten rekenen ermee.")
        return HttpResponseRedirect(request.path)


class MeasureEditView(CoordinatorMixin, View):
    """`…/verdeelmodel/maten/<code>/`: one measure for every participant (per period for
    production counts); `…/maten/nieuw/` adds a measure."""

    template_name = "allocation/measure_edit.html"

    def form(self, model, code, data=None):
        names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
        if code is None:
            return MeasureForm(data, names=names, periods=[], new=True), {}
        cells = services.measure_cells(model, code)
        periods = sorted({period for values in cells.values() for period in values})
        meta = selectors.measure_meta(model, code)
        if meta is None:
            raise Http404("Deze maat bestaat niet bij dit verdeelmodel.")
        initial = {**meta, "original": json.dumps(_as_text(cells))}
        for index, name in enumerate(names):
            for column, period in enumerate(periods or [""]):
                initial[MeasureForm.cell_name(index, column)] = cells[name].get(period)
        return MeasureForm(data, names=names, periods=periods, initial=initial), cells

    def context(self, participation, model, code, form, **extra) -> dict:
        title = (
            f"Nieuwe maat, verdeelmodel {model.year}"
            if code is None
            else f"Maat {form.initial.get('omschrijving') or code}, verdeelmodel {model.year}"
        )
        return {
            **self.base_context(participation, model, title),
            "form": form,
            "code": code,
            "inputs_url": reverse(
                "allocation:inputs",
                args=[participation.municipality.slug, model.partnership.slug, model.year],
            ),
            "error_items": form.error_summary() if form.is_bound else [],
            **extra,
        }

    def get(self, request, municipality_slug, slug, year, code=None):
        participation, model = self.load(municipality_slug, slug, year)
        form, _ = self.form(model, code)
        return render(request, self.template_name, self.context(participation, model, code, form))

    def post(self, request, municipality_slug, slug, year, code=None):
        participation, model = self.load(municipality_slug, slug, year)
        form, _ = self.form(model, code, request.POST)
        if not form.is_valid():
            context = self.context(participation, model, code, form)
            context.update(not_yet(context["error_items"]))
            return render_preview(request, self.template_name, context, status=400)
        target = code or form.cleaned_data["code"]
        values = form.values()
        meta = services.MeasureMeta(
            omschrijving=form.cleaned_data["omschrijving"],
            eenheid=form.cleaned_data.get("eenheid", ""),
            bron=form.cleaned_data.get("bron", ""),
            peildatum=form.cleaned_data.get("peildatum"),
        )
        if wants_preview(request):
            extra = preview(
                lambda: selectors.comparison(
                    model, inputs=selectors.inputs_with_measure(model, target, meta, values)
                ),
            )
            context = self.context(participation, model, code, form, **extra)
            return render_preview(request, self.template_name, context)
        if code is None and selectors.measure_meta(model, target) is not None:
            form.add_error("code", "Deze maat bestaat al; kies haar in de lijst om te wijzigen.")
            return render(
                request,
                self.template_name,
                self.context(participation, model, code, form),
                status=400,
            )
        try:
            count = services.update_measure(
                user=request.user,
                model=model,
                code=target,
                meta=meta,
                values=values,
                original=_original(form) if code is not None else None,
            )
        except FieldConflict as exc:
            return render(
                request,
                self.template_name,
                self.context(participation, model, code, form, conflict=exc.saved, refused=True),
                status=409,
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
            return render(
                request,
                self.template_name,
                self.context(participation, model, code, form),
                status=409,
            )
        messages.success(request, f"De maat is opgeslagen: {count} waarden gewijzigd.")
        return HttpResponseRedirect(
            reverse("allocation:inputs", args=[municipality_slug, slug, year])
        )


def _as_text(cells) -> dict:
    return {name: {p: as_text(v) for p, v in periods.items()} for name, periods in cells.items()}


def _original(form) -> dict | None:
    """The values the form was opened with, or None when absent or tampered with."""
    try:
        data = json.loads(form.cleaned_data.get("original") or "null")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    names = set(form.names)
    original: dict = {name: {period: "" for period in form.periods} for name in form.names}
    for name, periods in data.items():
        if name in names and isinstance(periods, dict):
            original[name].update({str(p): str(v) for p, v in periods.items()})
    return original
