"""`…/verdeelmodel/publiceren/`: the coördinator publishes the working state of the verdeelmodel.
First what changes for the public (the differences with the newest publication) and a note,
then the publication; refused, with the reason on the page, when someone else published in
between or a variant cannot be computed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views import View

from allocation import selectors, services
from allocation.forms.publication import PublishForm

from .inputs import CoordinatorMixin


class PublishView(CoordinatorMixin, View):
    template_name = "allocation/publish.html"

    def _page(self, request, participation, model, form, status=200):
        latest = model.publications.first()
        return render(
            request,
            self.template_name,
            {
                **self.base_context(participation, model, "Verdeelmodel publiceren"),
                "form": form,
                "latest": latest,
                "changes": selectors.unpublished_changes(model, latest),
                "error_items": form.error_summary() if form.is_bound else [],
            },
            status=status,
        )

    def get(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        latest = model.publications.first()
        form = PublishForm(initial={"latest": latest.number if latest else ""})
        return self._page(request, participation, model, form)

    def post(self, request, municipality_slug, slug, year):
        participation, model = self.load(municipality_slug, slug, year)
        form = PublishForm(request.POST)
        if not form.is_valid():
            return self._page(request, participation, model, form, status=400)
        try:
            publication = services.publish_allocation_model(
                user=request.user,
                model=model,
                note=form.cleaned_data["toelichting"],
                expected_latest=form.cleaned_data["latest"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
            return self._page(request, participation, model, form, status=409)
        messages.success(
            request,
            f"Versie {publication.number} van het verdeelmodel is gepubliceerd: dit ziet het "
            "publiek nu.",
        )
        return HttpResponseRedirect(self.base_context(participation, model, "")["compare_url"])
