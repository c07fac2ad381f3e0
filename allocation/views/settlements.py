"""Kept settlements of a year-end result: save the settlement the comparison page computed, look
at one (and export it), correct it, delete it after a confirmation and put it back. Thin: reads
via selectors, writes via services; every refusal is a Dutch message on the page, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from allocation import selectors, services
from allocation.forms.settlements import CorrectSettlementForm, KeepSettlementForm
from allocation.models import Settlement
from allocation.permissions import can_manage_allocation
from allocation.resources import settlement_sheet
from allocation.views.inputs import CoordinatorMixin
from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs, participation_context
from core.http import post_int, requested_export
from core.locking import StaleVersionError

FORM_TEMPLATE = "allocation/settlement_form.html"


def key_choices(model) -> list[tuple[str, str]]:
    """The keys a result can be settled by: the contributions, or a measure of the year."""
    return [
        (Settlement.KEY_CONTRIBUTION, "naar rato van de bijdrage volgens de vastgestelde variant")
    ] + [
        (code, f"naar rato van: {label or code}")
        for code, label in selectors.measure_choices(model)
    ]


def settlement_section(request, participation, model, can_manage: bool) -> dict:
    """What the comparison page's settlement section adds: the form that keeps the computed
    settlement (for the coördinator), the kept settlements of the year and the deleted ones."""
    include = selectors.sees_concept_settlements(request.user, model, participation.municipality)
    return {
        "kept_settlements": selectors.kept_settlements(model, include_concepts=include),
        "deleted_settlements": selectors.deleted_settlements(model) if can_manage else [],
        "keep_form": KeepSettlementForm(auto_id="opslaan_%s", measures=key_choices(model))
        if can_manage
        else None,
    }


def _compare_url(participation, model) -> str:
    return reverse(
        "allocation:compare",
        args=[participation.municipality.slug, model.partnership.slug, model.year],
    )


def _detail_url(participation, settlement) -> str:
    model = settlement.model
    return reverse(
        "allocation:settlement",
        args=[participation.municipality.slug, model.partnership.slug, model.year, settlement.pk],
    )


def _form_page(request, participation, model, form, *, settlement=None, status=200):
    title = (
        f"Verrekening {model.year} corrigeren"
        if settlement
        else f"Verrekening {model.year} opslaan"
    )
    return render(
        request,
        FORM_TEMPLATE,
        {
            **participation_context(participation),
            "model": model,
            "form": form,
            "settlement": settlement,
            "title": title,
            "compare_url": _compare_url(participation, model),
            "crumbs": crumbs(participation.municipality, participation, None, title),
        },
        status=status,
    )


class SettlementSaveView(CoordinatorMixin, View):
    """`…/verdeelmodel/verrekeningen/`: keep a settled result (the comparison page's "Verrekening
    opslaan"); the GET is the same form on its own page."""

    def get(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        initial = {k: request.GET[k] for k in ("resultaat", "sleutel") if k in request.GET}
        form = KeepSettlementForm(initial=initial, measures=key_choices(model))
        return _form_page(request, participation, model, form)

    def post(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        form = KeepSettlementForm(request.POST, measures=key_choices(model))
        if form.is_valid():
            try:
                settlement = services.save_settlement(
                    user=request.user,
                    model=model,
                    amount=form.cleaned_data["resultaat"],
                    key=form.cleaned_data["sleutel"],
                    description=form.cleaned_data["omschrijving"],
                    status=form.cleaned_data["status"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    f"De verrekening van het {settlement.kind} is opgeslagen "
                    f"({settlement.get_status_display()}).",
                )
                return HttpResponseRedirect(_detail_url(participation, settlement))
        return _form_page(request, participation, model, form, status=400)


class SettlementView(View):
    """One kept settlement: the result, the key in words, who and when, the frozen line per
    participant; `?_export=xlsx|csv` (`&dialect=programma`). A concept is only for those who
    may see concepts."""

    template_name = "allocation/settlement.html"

    def get(self, request, municipality_slug, slug, year, pk):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        can_manage = can_manage_allocation(request.user, model.partnership)
        settlement = selectors.get_settlement(
            model,
            pk,
            include_concepts=selectors.sees_concept_settlements(
                request.user, model, participation.municipality
            ),
        )
        download = requested_export(
            request, lambda: settlement_sheet(settlement), f"verrekening-{slug}-{year}-{pk}"
        )
        if download is not None:
            return download
        title = f"Verrekening resultaat {year}"
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "model": model,
                "settlement": settlement,
                "lines": list(settlement.lines.all()),
                "can_manage": can_manage,
                "compare_url": _compare_url(participation, model),
                "crumbs": crumbs(participation.municipality, participation, None, title),
            },
        )


class SettlementEditView(CoordinatorMixin, View):
    """Correct a kept settlement; refused (with the input kept) if someone saved it since."""

    def _settlement(self, model, pk):
        return selectors.get_settlement(model, pk, include_concepts=True)

    def get(self, request, municipality_slug, slug, year, pk):
        participation, model = self.load(municipality_slug, slug, year)
        settlement = self._settlement(model, pk)
        form = CorrectSettlementForm(
            initial={
                "resultaat": settlement.amount,
                "sleutel": settlement.key,
                "omschrijving": settlement.description,
                "status": settlement.status,
                "version": settlement.version,
            },
            measures=_with_current(key_choices(model), settlement),
        )
        return _form_page(request, participation, model, form, settlement=settlement)

    def post(self, request, municipality_slug, slug, year, pk):
        participation, model = self.load(municipality_slug, slug, year)
        settlement = self._settlement(model, pk)
        form = CorrectSettlementForm(
            request.POST, measures=_with_current(key_choices(model), settlement)
        )
        status = 400
        if form.is_valid():
            try:
                corrected = services.correct_settlement(
                    user=request.user,
                    settlement=settlement,
                    expected_version=form.cleaned_data["version"],
                    amount=form.cleaned_data["resultaat"],
                    key=form.cleaned_data["sleutel"],
                    description=form.cleaned_data["omschrijving"],
                    status=form.cleaned_data["status"],
                )
            except StaleVersionError as exc:
                form.add_service_errors(exc)
                status = 409
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "De verrekening is gecorrigeerd.")
                return HttpResponseRedirect(_detail_url(participation, corrected))
        return _form_page(request, participation, model, form, settlement=settlement, status=status)


def _with_current(choices: list[tuple[str, str]], settlement) -> list[tuple[str, str]]:
    """The key a settlement was made with stays a choice, even if its measure is gone since."""
    if settlement.key in dict(choices):
        return choices
    return [*choices, (settlement.key, settlement.key_label)]


class SettlementDeleteView(CoordinatorMixin, View):
    """Delete a kept settlement: first what goes, then the deletion; it can be put back."""

    template_name = "allocation/settlement_delete.html"

    def get(self, request, municipality_slug, slug, year, pk):
        participation, model = self.load(municipality_slug, slug, year)
        settlement = selectors.get_settlement(model, pk, include_concepts=True)
        return self._confirm(request, participation, model, settlement)

    def _confirm(self, request, participation, model, settlement, error="", status=200):
        title = f"Verrekening {model.year} verwijderen"
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "model": model,
                "settlement": settlement,
                "error": error,
                "compare_url": _compare_url(participation, model),
                "detail_url": _detail_url(participation, settlement),
                "crumbs": crumbs(participation.municipality, participation, None, title),
            },
            status=status,
        )

    def post(self, request, municipality_slug, slug, year, pk):
        participation, model = self.load(municipality_slug, slug, year)
        settlement = selectors.get_settlement(model, pk, include_concepts=True)
        try:
            services.delete_settlement(
                user=request.user,
                settlement=settlement,
                expected_version=post_int(request, "version"),
            )
        except ValidationError as exc:
            return self._confirm(
                request, participation, model, settlement, " ".join(exc.messages), 409
            )
        messages.success(
            request,
            f"De verrekening van het {settlement.kind} is verwijderd. Onder “Verwijderde "
            "verrekeningen” kunt u haar terugzetten.",
        )
        return HttpResponseRedirect(_compare_url(participation, model) + "#verrekeningen")


class SettlementRestoreView(CoordinatorMixin, View):
    """Put a deleted settlement back from its history (POST)."""

    http_method_names = ["post"]

    def post(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        history_id = post_int(request, "history_id")
        try:
            if history_id is None:
                raise ValidationError("Kies een verwijderde verrekening uit de lijst.")
            restored = services.restore_settlement(
                user=request.user, model=model, history_id=history_id
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(_compare_url(participation, model) + "#verrekeningen")
        messages.success(
            request,
            "De verrekening is teruggezet. Ook dit staat in de geschiedenis.",
        )
        return HttpResponseRedirect(_detail_url(participation, restored))
