"""The variant editor: a new variant (a copy or empty), editing one step by step with a preview
of its amounts and herverdeeleffect before saving, deleting with a confirmation and a way back,
and the JSON document to download and upload."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from allocation import editor, engine, selectors
from allocation.forms.variants import (
    CopyVariantForm,
    StepForm,
    UploadVariantForm,
    VariantForm,
    final_rounding,
)
from allocation.models import AllocationVariant
from allocation.services import variants as services
from collaborations import selectors as collab_selectors

from .comparison import visible_state
from .inputs import CoordinatorMixin, not_yet, preview, render_preview, wants_preview


def _compare_url(model, municipality_slug: str) -> str:
    return reverse(
        "allocation:compare", args=[municipality_slug, model.partnership.slug, model.year]
    )


def _editor_choices(model, steps: list[dict]) -> dict:
    inputs = selectors.model_inputs(model)
    measures = [
        (code, entry.get("omschrijving") or code) for code, entry in sorted(inputs["maten"].items())
    ]
    return {
        "measures": measures,
        "participants": [(p["naam"], p["naam"]) for p in inputs.get("deelnemers", [])],
        "steps": [(s.get("id"), s.get("omschrijving") or s.get("id")) for s in steps],
        "services": [
            (code, service.get("naam", code))
            for code, service in (inputs.get("diensten") or {}).items()
        ],
    }


def _get_variant(model, code: str) -> AllocationVariant:
    variant = model.variants.filter(code=code).first()
    if variant is None:
        raise Http404("Deze variant bestaat niet.")
    return variant


class VariantEditView(CoordinatorMixin, View):
    """`…/verdeelmodel/varianten/<code>/bewerken/`: the variant, one fieldset per step."""

    template_name = "allocation/variant_edit.html"

    def forms(self, model, variant, data=None, steps=None):
        definition = variant.definition
        steps = steps if steps is not None else list(definition.get("stappen", []))
        rounding = definition.get("afronding") or {}
        variant_form = VariantForm(
            data,
            initial={
                "code": variant.code,
                "name": variant.name,
                "omschrijving": variant.omschrijving,
                "afronding_eenheid": str(rounding.get("eenheid", "")),
                "afronding_verschil": rounding.get("verschil")
                if isinstance(rounding.get("verschil"), str)
                else "grootste_rest",
                "afronding_per_groep": bool(rounding.get("per_groep")),
                "version": variant.version,
            },
        )
        choices = _editor_choices(model, steps)
        step_forms = [
            StepForm(
                data, kind=step.get("soort", ""), step=step, choices=choices, prefix=f"s{index}"
            )
            for index, step in enumerate(steps)
        ]
        return variant_form, step_forms

    def context(self, participation, model, variant, variant_form, step_forms, **extra):
        title = f"Variant {variant.code} bewerken"
        items = variant_form.error_summary() if variant_form.is_bound else []
        for number, form in enumerate(step_forms, start=1):
            if form.is_bound:
                items += [
                    (f.auto_id, f"Stap {number}, {f.label}", e) for f in form for e in f.errors
                ]
        return {
            **self.base_context(participation, model, title),
            "variant": variant,
            "variant_form": variant_form,
            "step_forms": step_forms,
            "kinds": editor.KINDS.items(),
            "error_items": items + extra.pop("extra_errors", []),
            **extra,
        }

    def get(self, request, municipality_slug, slug, year, variant):
        participation, model = self.load(municipality_slug, slug, year)
        stored = _get_variant(model, variant)
        variant_form, step_forms = self.forms(model, stored)
        return render(
            request,
            self.template_name,
            self.context(participation, model, stored, variant_form, step_forms),
        )

    def post(self, request, municipality_slug, slug, year, variant):
        participation, model = self.load(municipality_slug, slug, year)
        stored = _get_variant(model, variant)
        originals = _posted_steps(request.POST, stored.definition.get("stappen", []))
        variant_form, step_forms = self.forms(model, stored, request.POST, originals)
        add = (
            request.POST.get("_stap_toevoegen_soort") if "_stap_toevoegen" in request.POST else None
        )
        valid = variant_form.is_valid() & all([f.is_valid() for f in step_forms])
        if not valid:
            context = self.context(participation, model, stored, variant_form, step_forms)
            context.update(not_yet(context["error_items"]))
            return render_preview(request, self.template_name, context, status=400)
        try:
            definition = self.definition(stored, variant_form, step_forms)
        except editor.EditorError as exc:
            context = self.context(
                participation,
                model,
                stored,
                variant_form,
                step_forms,
                extra_errors=[("", "", str(exc))],
            )
            context.update(not_yet(context["error_items"]))
            return render_preview(request, self.template_name, context, status=400)
        if add in editor.KINDS:
            steps = definition["stappen"] + [
                editor.new_step(add, {s["id"] for s in definition["stappen"]})
            ]
            variant_form, step_forms = self.forms(model, stored, None, steps)
            variant_form = VariantForm(request.POST)
            return render(
                request,
                self.template_name,
                self.context(participation, model, stored, variant_form, step_forms, added=True),
            )
        code = variant_form.cleaned_data["code"]
        if wants_preview(request):
            proposed = AllocationVariant(
                model=model,
                code=code,
                name=variant_form.cleaned_data["name"],
                definition=definition,
                adopted=stored.adopted,
            )
            others = [v if v.pk != stored.pk else proposed for v in model.variants.all()]
            extra = preview(lambda: selectors.comparison(model, variants=others))
            context = self.context(participation, model, stored, variant_form, step_forms, **extra)
            return render_preview(request, self.template_name, context)
        try:
            saved = services.save_variant(
                user=request.user,
                model=model,
                variant=stored,
                code=code,
                name=variant_form.cleaned_data["name"],
                omschrijving=variant_form.cleaned_data["omschrijving"],
                definition=definition,
                expected_version=variant_form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            context = self.context(
                participation,
                model,
                stored,
                variant_form,
                step_forms,
                extra_errors=[("", "", m) for m in exc.messages],
                refused=True,
            )
            return render(request, self.template_name, context, status=409)
        messages.success(request, f"Variant {saved.code} is opgeslagen.")
        return HttpResponseRedirect(
            _compare_url(model, municipality_slug) + f"#variant-{saved.code}"
        )

    @staticmethod
    def definition(stored, variant_form, step_forms) -> dict:
        steps = [f.to_step() for f in step_forms if not f.cleaned_data.get("verwijderen")]
        if not steps:
            raise editor.EditorError("een variant heeft ten minste één stap")
        definition = {k: v for k, v in stored.definition.items() if k != "afronding"}
        definition["stappen"] = steps
        rounding = final_rounding(variant_form.cleaned_data, stored.definition.get("afronding"))
        if rounding:
            definition["afronding"] = rounding
        return definition


def _posted_steps(data, stored: list[dict]) -> list[dict]:
    """The steps as the page had them: each fieldset carries its step as it was when the page
    was made (a step added on the page included), so that what the form does not show is kept."""
    steps, index = [], 0
    while f"s{index}-id" in data and index < 60:
        try:
            step = json.loads(data.get(f"s{index}-origineel") or "")
        except ValueError:
            step = None
        if not isinstance(step, dict) or step.get("soort") not in editor.KINDS:
            step = stored[index] if index < len(stored) else editor.new_step("verdeling", set())
        steps.append(step)
        index += 1
    return steps or list(stored)


class VariantNewView(CoordinatorMixin, View):
    """`…/verdeelmodel/varianten/nieuw/`: a new variant, as a copy of another or empty."""

    template_name = "allocation/variant_new.html"

    def context(self, participation, model, form, upload):
        title = f"Nieuwe variant, verdeelmodel {model.year}"
        items = form.error_summary() if form.is_bound else []
        items += upload.error_summary() if upload.is_bound else []
        return {
            **self.base_context(participation, model, title),
            "form": form,
            "upload": upload,
            "error_items": items,
        }

    def _choices(self, model):
        return [(v.code, f"Een kopie van {v.name}") for v in model.variants.all()]

    def get(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        form = CopyVariantForm(
            initial={"van": request.GET.get("van", "")}, variants=self._choices(model)
        )
        return render(
            request,
            self.template_name,
            self.context(participation, model, form, UploadVariantForm()),
        )

    def post(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        form = CopyVariantForm(request.POST, variants=self._choices(model))
        upload = UploadVariantForm()
        if form.is_valid():
            source = model.variants.filter(code=form.cleaned_data["van"]).first()
            try:
                created = services.copy_variant(
                    user=request.user,
                    model=model,
                    source=source,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, f"Variant {created.code} is gemaakt; pas haar hier aan.")
                return HttpResponseRedirect(
                    reverse(
                        "allocation:variant-edit",
                        args=[municipality_slug, slug, year, created.code],
                    )
                )
        return render(
            request,
            self.template_name,
            self.context(participation, model, form, upload),
            status=400,
        )


class VariantUploadView(VariantNewView):
    """`…/varianten/uploaden/`: a JSON document becomes a variant (a new one, or the one with
    its code, replaced: the earlier definition stays in the history). Its errors show on the
    page of a new variant, where the upload form is."""

    http_method_names = ["post"]

    def post(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        upload = UploadVariantForm(request.POST, request.FILES)
        error = ""
        if upload.is_valid():
            document = upload.cleaned_data["bestand"]
            code = str(document.get("code") or "")
            existing = model.variants.filter(code=code).first() if code else None
            try:
                saved = services.save_variant(
                    user=request.user,
                    model=model,
                    variant=existing,
                    code=code,
                    name=str(document.get("naam") or code),
                    omschrijving=str(document.get("omschrijving") or ""),
                    definition=document,
                    expected_version=existing.version if existing else None,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, f"Variant {saved.code} is ingelezen uit het document.")
                return HttpResponseRedirect(_compare_url(model, municipality_slug))
        form = CopyVariantForm(variants=self._choices(model))
        if error:
            upload.add_error("bestand", error)
        return render(
            request,
            self.template_name,
            self.context(participation, model, form, upload),
            status=400,
        )


class VariantDeleteView(CoordinatorMixin, View):
    """`…/varianten/<code>/verwijderen/`: first what goes, then the deletion with a way back."""

    template_name = "allocation/variant_delete.html"

    def get(self, request, municipality_slug, slug, year, variant):
        participation, model = self.load(municipality_slug, slug, year)
        stored = _get_variant(model, variant)
        return render(
            request,
            self.template_name,
            {
                **self.base_context(participation, model, f"Variant {stored.code} verwijderen"),
                "variant": stored,
            },
        )

    def post(self, request, municipality_slug, slug, year, variant):
        participation, model = self.load(municipality_slug, slug, year)
        stored = _get_variant(model, variant)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            history_id = services.delete_variant(
                user=request.user, variant=stored, expected_version=version
            )
        except ValidationError as exc:
            context = {
                **self.base_context(participation, model, f"Variant {stored.code} verwijderen"),
                "variant": stored,
                "error": " ".join(exc.messages),
            }
            return render(request, self.template_name, context, status=409)
        request.session["allocation_undo"] = {
            "model": model.pk,
            "history_id": history_id,
            "code": stored.code,
        }
        messages.success(
            request,
            f"Variant {stored.code} is verwijderd; met “Variant {stored.code} terugzetten” "
            "zet u hem terug.",
        )
        return HttpResponseRedirect(_compare_url(model, municipality_slug))


class VariantRestoreView(CoordinatorMixin, View):
    """POST `…/varianten/terugzetten/`: a deleted variant back, from its history."""

    def post(self, request, municipality_slug, slug, year):
        _participation, model = self.load(municipality_slug, slug, year)
        try:
            history_id = int(request.POST.get("history_id", ""))
        except ValueError:
            messages.error(request, "Kies een stand van een variant om terug te zetten.")
            return HttpResponseRedirect(_compare_url(model, municipality_slug))
        try:
            restored = services.restore_variant(
                user=request.user, model=model, history_id=history_id
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            request.session.pop("allocation_undo", None)
            messages.success(request, f"Variant {restored.code} is teruggezet.")
        return HttpResponseRedirect(_compare_url(model, municipality_slug))


class VariantDocumentView(View):
    """`…/varianten/<code>/json/`: the variant's definition as a JSON document (verdeelmodel/1),
    with its inputs, so that it runs on its own (`manage.py allocate`)."""

    def get(self, request, municipality_slug, slug, year, variant):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        state = visible_state(request, participation, model)  # the public: what is published
        if not isinstance(state, selectors.ModelState):
            return state
        stored = state.variant(variant)
        if stored is None:
            raise Http404("Deze variant bestaat niet.")
        document = {"formaat": engine.FORMAT, **stored.definition}
        if request.GET.get("invoer") != "nee":
            document["invoer"] = {
                "formaat": engine.INPUTS_FORMAT,
                **json.loads(json.dumps(state.inputs, default=str)),
            }
        body = json.dumps(document, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="variant-{slug}-{year}-{stored.code}.json"'
        )
        return response
