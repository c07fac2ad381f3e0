"""Thin views of section C: edit a section, start a new year, publish or withdraw a year.

Read through selectors, write through services, render templates."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from core.locking import FieldConflict

from . import selectors, services
from .forms import SECTION_FORMS, MotievenForm
from .navigation import crumbs, participation_context
from .permissions import user_can_edit


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collaborations/home.html", {"municipalities": selectors.municipality_list()}
    )


class YearSectionEditView(LoginRequiredMixin, View):
    """Edit one section of section C for a year. The rest of the input survives any error."""

    template_name = "collaborations/year_edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["section"] not in SECTION_FORMS:
            raise Http404("Onbekend onderdeel.")
        self.title, self.form_class = SECTION_FORMS[kwargs["section"]]

    def _load(self, request, municipality_slug, slug, year):
        participation = selectors.get_participation(municipality_slug, slug)
        if not user_can_edit(request.user, participation.municipality):
            raise PermissionDenied("U mag de gegevens van deze gemeente niet wijzigen.")
        record = selectors.year_record_for_edit(participation, year)
        return participation, record

    def _form(self, record, data=None):
        if self.form_class is MotievenForm:
            return MotievenForm(data, motives=selectors.motive_catalogue(), record=record)
        return self.form_class(data, instance=record)

    def _render(self, request, participation, record, form, status=200):
        return render(
            request,
            self.template_name,
            {
                **participation_context(participation),
                "record": record,
                "form": form,
                "title": self.title,
                "section": self.kwargs["section"],
                "crumbs": crumbs(
                    participation.municipality, participation, record.year, "Bewerken"
                ),
            },
            status=status,
        )

    def get(self, request, municipality_slug, slug, year, section):
        participation, record = self._load(request, municipality_slug, slug, year)
        return self._render(request, participation, record, self._form(record))

    def post(self, request, municipality_slug, slug, year, section):
        participation, record = self._load(request, municipality_slug, slug, year)
        form = self._form(record, request.POST)
        if form.is_valid():
            try:
                if isinstance(form, MotievenForm):
                    services.update_motives(
                        user=request.user,
                        record=record,
                        expected_version=form.cleaned_data["version"],
                        original=form.original_values(),
                        **form.to_service_data(),
                    )
                else:
                    fields = {
                        k: v
                        for k, v in form.cleaned_data.items()
                        if k not in ("version", "original")
                    }
                    services.update_year_record(
                        user=request.user,
                        record=record,
                        fields=fields,
                        expected_version=form.cleaned_data["version"],
                        original=form.original_values(),
                    )
            except FieldConflict as exc:
                form.add_error(None, exc)
                saved = selectors.year_record_for_edit(participation, year)
                form.show_conflict(exc.saved, saved.version, form.current_values(saved))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{self.title} opgeslagen.")
                url = reverse("reports:year", args=[municipality_slug, slug, year])
                return HttpResponseRedirect(f"{url}#{section}")
        return self._render(request, participation, record, form, status=400)


class StartYearView(LoginRequiredMixin, View):
    """ "Nieuw jaar starten: 2018": the button names the year, so pressing it twice gives that
    one year (the second press just opens it)."""

    def post(self, request, municipality_slug, slug):
        participation = selectors.get_participation(municipality_slug, slug)
        back = reverse("reports:partnership", args=[municipality_slug, slug])
        raw = request.POST.get("year", "")
        try:
            year = int(raw) if raw else None
        except ValueError:
            messages.error(request, f"Jaar: “{raw}” is geen jaartal.")
            return HttpResponseRedirect(back)
        existed = year is not None and participation.years.filter(year=year).exists()
        try:
            record = services.start_new_year(
                user=request.user, participation=participation, year=year
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(back)
        if existed:
            messages.info(request, f"Jaar {record.year} bestond al; u ziet het hieronder.")
        else:
            messages.success(
                request,
                f"Jaar {record.year} is aangemaakt als concept, met de antwoorden van "
                f"{record.copied_from.year}. Kijk elk onderdeel na en publiceer het jaar daarna.",
            )
        return HttpResponseRedirect(
            reverse("reports:year", args=[municipality_slug, slug, record.year])
        )
