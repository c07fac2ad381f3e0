"""Thin views: read through selectors, write through services, render templates."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from finance import selectors as finance_selectors

from . import selectors, services
from .forms import SECTION_FORMS, MotievenForm


def crumbs(municipality=None, participation=None, year=None, current=None) -> list:
    """The breadcrumb trail: (label, url) pairs, the last one without url (the current page)."""
    trail: list[tuple[str, str | None]] = [("Home", reverse("home"))]
    if municipality is not None:
        trail.append((municipality.name, reverse("partnership-list", args=[municipality.slug])))
    if participation is not None:
        p = participation.partnership
        trail.append((p.afkorting, reverse("partnership-detail", args=[municipality.slug, p.slug])))
        if year is not None:
            trail.append(
                (str(year), reverse("year-detail", args=[municipality.slug, p.slug, year]))
            )
    if current is not None:
        trail.append((current, None))
    else:
        trail[-1] = (trail[-1][0], None)
    return trail


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collaborations/home.html", {"municipalities": selectors.municipality_list()}
    )


def partnership_detail(request: HttpRequest, gemeente: str, slug: str) -> HttpResponse:
    participation = selectors.participation_detail(gemeente, slug)
    years = selectors.visible_years(participation, request.user)
    return render(
        request,
        "collaborations/partnership_detail.html",
        {
            "participation": participation,
            "partnership": participation.partnership,
            "municipality": participation.municipality,
            "years": years,
            "next_year": years[-1].year + 1 if years else None,
            "allocation_years": finance_selectors.allocation_years(participation.partnership_id),
            "crumbs": crumbs(participation.municipality, participation),
            "latest": selectors.latest_year_record(participation, request.user),
            "can_edit": selectors.user_can_edit(request.user, participation.municipality),
        },
    )


def year_detail(request: HttpRequest, gemeente: str, slug: str, jaar: int) -> HttpResponse:
    participation = selectors.get_participation(gemeente, slug)
    context = finance_selectors.year_context(participation, jaar, request.user)
    if context["record"] is None and not context["page"].years:
        raise Http404("Voor deze samenwerking zijn nog geen jaren ingevuld.")
    context["crumbs"] = crumbs(participation.municipality, participation, jaar)
    return render(
        request,
        "collaborations/year_detail.html",
        context,
        status=200 if context["record"] is not None else 404,
    )


class YearSectionEditView(LoginRequiredMixin, View):
    """Edit one section of section C for a year. The rest of the input survives any error."""

    template_name = "collaborations/year_edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["sectie"] not in SECTION_FORMS:
            raise Http404("Onbekend onderdeel.")
        self.title, self.form_class = SECTION_FORMS[kwargs["sectie"]]

    def _load(self, request, gemeente, slug, jaar):
        participation = selectors.get_participation(gemeente, slug)
        if not selectors.user_can_edit(request.user, participation.municipality):
            raise PermissionDenied("U mag de gegevens van deze gemeente niet wijzigen.")
        record = selectors.year_record_for_edit(participation, jaar)
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
                "participation": participation,
                "partnership": participation.partnership,
                "municipality": participation.municipality,
                "record": record,
                "form": form,
                "title": self.title,
                "sectie": self.kwargs["sectie"],
                "crumbs": crumbs(
                    participation.municipality, participation, record.year, "Bewerken"
                ),
            },
            status=status,
        )

    def get(self, request, gemeente, slug, jaar, sectie):
        participation, record = self._load(request, gemeente, slug, jaar)
        return self._render(request, participation, record, self._form(record))

    def post(self, request, gemeente, slug, jaar, sectie):
        participation, record = self._load(request, gemeente, slug, jaar)
        form = self._form(record, request.POST)
        if form.is_valid():
            try:
                if isinstance(form, MotievenForm):
                    services.update_motives(
                        user=request.user,
                        record=record,
                        expected_version=form.cleaned_data["version"],
                        **form.to_service_data(),
                    )
                else:
                    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                    services.update_year_record(
                        user=request.user,
                        record=record,
                        fields=fields,
                        expected_version=form.cleaned_data["version"],
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{self.title} opgeslagen.")
                url = reverse("year-detail", args=[gemeente, slug, jaar])
                return HttpResponseRedirect(f"{url}#{sectie}")
        return self._render(request, participation, record, form, status=400)


class StartYearView(LoginRequiredMixin, View):
    def post(self, request, gemeente, slug):
        participation = selectors.get_participation(gemeente, slug)
        try:
            record = services.start_new_year(user=request.user, participation=participation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("partnership-detail", args=[gemeente, slug]))
        messages.success(
            request,
            f"Jaar {record.year} is aangemaakt als concept, met de antwoorden van "
            f"{record.year - 1}. Kijk elk onderdeel na en publiceer het jaar daarna.",
        )
        return HttpResponseRedirect(reverse("year-detail", args=[gemeente, slug, record.year]))


class PublishYearView(LoginRequiredMixin, View):
    def post(self, request, gemeente, slug, jaar):
        participation = selectors.get_participation(gemeente, slug)
        record = selectors.year_record_for_edit(participation, jaar)
        publish = request.POST.get("actie") == "publiceren"
        try:
            expected = int(request.POST.get("version", "0"))
            services.set_year_status(
                user=request.user, record=record, publish=publish, expected_version=expected
            )
        except (ValueError, ValidationError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(
                request,
                f"Jaar {jaar} is gepubliceerd." if publish else f"Jaar {jaar} is weer concept.",
            )
        return HttpResponseRedirect(reverse("year-detail", args=[gemeente, slug, jaar]))
