"""Thin views for entering money: a grid per table per year, and the split key."""

from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from collaborations import selectors as collab_selectors
from collaborations.views import crumbs

from . import reports, selectors, services, verdeelmodel
from .forms import (
    GridFormSet,
    OverviewFilter,
    SettlementForm,
    SplitKeyFormSet,
    SplitKeyVersionForm,
    TableMetaForm,
    cell_text,
)
from .models import Kind, Table
from .money import EMPTY
from .resources import comparison_dataset
from .tables import OverviewTable


class TableGridView(LoginRequiredMixin, View):
    """One table of one year as an editable grid: add, remove, reorder lines; copy last year."""

    template_name = "finance/grid.html"

    def _context(self, request, gemeente, slug, jaar, tabel):
        participation = collab_selectors.get_participation(gemeente, slug)
        table = selectors.get_table(tabel)
        if not services.can_edit_table(request.user, participation, table):
            raise PermissionDenied("U mag deze tabel niet wijzigen.")
        collab_selectors.year_record_for_edit(participation, jaar)  # the year must exist
        headers = [h for *_, h in selectors.columns(jaar)]
        first_column = selectors.FIRST_COLUMN.get(table, "Categorie")
        return participation, table, headers, first_column

    def _initial(self, participation, table, jaar, copy: bool):
        table_year, previous, lines, amounts = selectors.table_year_for_edit(
            participation, table, jaar, copy=copy
        )
        rows = [
            {
                "label": line.label,
                "begroting": cell_text(amounts.get((line.pk, jaar, Kind.BEGROTING), EMPTY)),
                "realisatie": cell_text(amounts.get((line.pk, jaar, Kind.REALISATIE), EMPTY)),
                "begroting_volgend": cell_text(
                    amounts.get((line.pk, jaar + 1, Kind.BEGROTING), EMPTY)
                ),
                "ORDER": i + 1,
            }
            for i, line in enumerate(lines)
        ]
        meta = {
            "version": table_year.version if table_year else None,
            "not_applicable": bool(table_year and table_year.not_applicable),
        }
        return rows, meta, previous, table_year

    def _render(self, request, participation, table, jaar, formset, meta_form, extra, status=200):
        context = {
            "participation": participation,
            "partnership": participation.partnership,
            "municipality": participation.municipality,
            "year": jaar,
            "table": table,
            "table_title": Table(table).label,
            "formset": formset,
            "meta_form": meta_form,
            "error_items": [*meta_form_errors(meta_form), *formset.error_summary()]
            if formset.is_bound
            else [],
            "crumbs": crumbs(participation.municipality, participation, jaar, Table(table).label),
            **extra,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, gemeente, slug, jaar, tabel):
        participation, table, headers, first_column = self._context(
            request, gemeente, slug, jaar, tabel
        )
        rows, meta, previous, table_year = self._initial(
            participation, table, jaar, copy=request.GET.get("kopieer") == "1"
        )
        formset = GridFormSet(
            initial=rows, prefix="regel", headers=headers, first_column=first_column
        )
        extra = {
            "can_copy": table_year is None and previous is not None,
            "headers": headers,
            "first_column": first_column,
        }
        return self._render(
            request, participation, table, jaar, formset, TableMetaForm(initial=meta), extra
        )

    def post(self, request, gemeente, slug, jaar, tabel):
        participation, table, headers, first_column = self._context(
            request, gemeente, slug, jaar, tabel
        )
        formset = GridFormSet(
            request.POST, prefix="regel", headers=headers, first_column=first_column
        )
        meta_form = TableMetaForm(request.POST)
        extra = {"can_copy": False, "headers": headers, "first_column": first_column}
        if formset.is_valid() and meta_form.is_valid():
            try:
                services.save_table_year(
                    user=request.user,
                    participation=participation,
                    table=table,
                    year=jaar,
                    rows=formset.grid_rows(),
                    not_applicable=meta_form.cleaned_data["not_applicable"],
                    expected_version=meta_form.cleaned_data["version"],
                )
            except ValidationError as exc:
                meta_form.add_error(None, exc)
            else:
                messages.success(request, f"{Table(table).label} {jaar} opgeslagen.")
                url = reverse("year-detail", args=[gemeente, slug, jaar])
                return HttpResponseRedirect(f"{url}#tabel-{table}")
        return self._render(request, participation, table, jaar, formset, meta_form, extra, 400)


def meta_form_errors(form) -> list[tuple[str, str, str]]:
    return [("", "", str(e)) for e in form.non_field_errors()]


class SplitKeyView(LoginRequiredMixin, View):
    template_name = "finance/split_key.html"

    def _load(self, request, gemeente, slug, jaar):
        participation = collab_selectors.get_participation(gemeente, slug)
        if not collab_selectors.user_can_edit(request.user, participation.municipality):
            raise PermissionDenied("U mag de gegevens van deze gemeente niet wijzigen.")
        record = collab_selectors.year_record_for_edit(participation, jaar)
        labels = [line.label for line in selectors.perspective_lines(participation, Table.KOSTEN)]
        return participation, record, labels

    def _render(self, request, participation, record, formset, version_form, status=200):
        return render(
            request,
            self.template_name,
            {
                "participation": participation,
                "partnership": participation.partnership,
                "municipality": participation.municipality,
                "record": record,
                "formset": formset,
                "version_form": version_form,
                "error_items": [*meta_form_errors(version_form), *formset.error_summary()]
                if formset.is_bound
                else [],
                "crumbs": crumbs(
                    participation.municipality, participation, record.year, "Verdeelsleutel"
                ),
            },
            status=status,
        )

    def get(self, request, gemeente, slug, jaar):
        participation, record, labels = self._load(request, gemeente, slug, jaar)
        initial = [
            {
                "kind": c.kind,
                "omschrijving": c.omschrijving,
                "basis": c.basis,
                "base_amount": c.base_amount,
                "share_percent": c.share_percent,
                "fixed_amount": c.fixed_amount,
                "applies_to_year": c.applies_to_year,
                "kosten_line_label": c.kosten_line.label if c.kosten_line else "",
            }
            for c in record.split_key_components.select_related("kosten_line")
        ]
        formset = SplitKeyFormSet(initial=initial, prefix="sleutel", line_choices=labels)
        version_form = SplitKeyVersionForm(initial={"version": record.version})
        return self._render(request, participation, record, formset, version_form)

    def post(self, request, gemeente, slug, jaar):
        participation, record, labels = self._load(request, gemeente, slug, jaar)
        formset = SplitKeyFormSet(request.POST, prefix="sleutel", line_choices=labels)
        version_form = SplitKeyVersionForm(request.POST)
        if formset.is_valid() and version_form.is_valid():
            components = [
                f.to_input()
                for f in formset.forms
                if f.cleaned_data and f not in formset.deleted_forms
            ]
            try:
                services.save_split_key(
                    user=request.user,
                    record=record,
                    components=components,
                    expected_version=version_form.cleaned_data["version"],
                )
            except ValidationError as exc:
                version_form.add_error(None, exc)
            else:
                messages.success(request, "Verdeelsleutel opgeslagen.")
                url = reverse("year-detail", args=[gemeente, slug, jaar])
                return HttpResponseRedirect(f"{url}#aandeel")
        return self._render(request, participation, record, formset, version_form, 400)


class ComparisonView(View):
    """The variants of a partnership's allocation model side by side, per municipality."""

    template_name = "finance/comparison.html"

    def get(self, request, gemeente, slug, jaar):
        participation = collab_selectors.get_participation(gemeente, slug)
        model = selectors.get_allocation_model(slug, jaar)
        comparison = selectors.comparison(model)
        export = request.GET.get("_export")
        if export in {"xlsx", "csv"}:
            return export_response(
                comparison_dataset(comparison), export, f"verdeelmodel-{slug}-{jaar}"
            )
        choices = _measure_choices(model)
        settle_form = SettlementForm(
            request.GET if "resultaat" in request.GET else None, measures=choices
        )
        settled = None
        if settle_form.is_bound and settle_form.is_valid():
            settled = selectors.settlement(
                comparison,
                settle_form.cleaned_data["resultaat"],
                settle_form.cleaned_data["sleutel"],
            )
        return render(
            request,
            self.template_name,
            {
                "participation": participation,
                "partnership": participation.partnership,
                "municipality": participation.municipality,
                "model": model,
                "comparison": comparison,
                "can_adopt": services.can_manage_allocation(request.user, model.partnership),
                "settle_form": settle_form,
                "settled": settled,
                "settle_label": dict(choices).get(request.GET.get("sleutel", ""), ""),
                "cost": selectors.cost_price_view(model),
                "crumbs": crumbs(
                    participation.municipality, participation, None, f"Verdeelmodel {jaar}"
                ),
            },
        )


class AdoptVariantView(LoginRequiredMixin, View):
    def post(self, request, gemeente, slug, jaar):
        model = selectors.get_allocation_model(slug, jaar)
        variant = model.variants.filter(code=request.POST.get("variant", "")).first()
        if variant is None:
            messages.error(request, "Kies een bestaande variant.")
        else:
            services.adopt_variant(user=request.user, variant=variant)
            messages.success(
                request,
                f"{variant.name} is vastgesteld: de bedragen staan nu bij het aandeel van elke "
                "gemeente.",
            )
        return HttpResponseRedirect(reverse("allocation-compare", args=[gemeente, slug, jaar]))


class ExplanationView(View):
    """The explanation trail of one variant, step by step; optionally for one participant."""

    template_name = "finance/explanation.html"

    def get(self, request, gemeente, slug, jaar, variant):
        participation = collab_selectors.get_participation(gemeente, slug)
        model = selectors.get_allocation_model(slug, jaar)
        stored = model.variants.filter(code=variant).first()
        if stored is None:
            raise Http404("Deze variant bestaat niet.")
        result = verdeelmodel.allocate(selectors.variant_definition(stored))
        only = request.GET.get("deelnemer") or None
        return render(
            request,
            self.template_name,
            {
                "participation": participation,
                "partnership": participation.partnership,
                "municipality": participation.municipality,
                "model": model,
                "variant": stored,
                "result": result,
                "only": only,
                "steps": selectors.trail_view(result, only),
                "crumbs": crumbs(
                    participation.municipality,
                    participation,
                    None,
                    f"Verdeelmodel {jaar}: variant {variant}",
                ),
            },
        )


def _measure_choices(model) -> list[tuple[str, str]]:
    return [("bijdrage", "naar rato van de bijdrage volgens de vastgestelde variant")] + [
        (code, f"naar rato van: {label or code}")
        for code, label in selectors.measure_choices(model)
    ]


def export_response(dataset, fmt: str, filename: str) -> HttpResponse:
    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    body = dataset.export(fmt) if fmt == "xlsx" else "\ufeff" + dataset.export("csv", delimiter=";")
    response = HttpResponse(body, content_type=content_types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


BBV_GROUP_ORDER = [
    "Gemeenschappelijke regeling",
    "Vennootschappen en coöperaties",
    "Stichtingen en verenigingen",
    "Overige verbonden partijen",
]


def overview(request, gemeente):
    """The totaaloverzicht: every partnership of the municipality with its contribution."""
    municipality = collab_selectors.get_municipality(gemeente)
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        year = selectors.default_overview_year(municipality)
    queryset = selectors.overview(municipality, request.user, year)
    filterset = OverviewFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    table = OverviewTable(rows, year=year, municipality=municipality)
    RequestConfig(request, paginate=False).configure(table)
    export = request.GET.get("_export")
    if export in {"xlsx", "csv"}:
        exporter = TableExport(export, table, exclude_columns=("kies",))
        return exporter.response(f"samenwerkingen-{municipality.slug}-{year}.{export}")
    grouped = None
    if request.GET.get("groepering") == "bbv":
        grouped = []
        by_label: dict[str, list] = {}
        for record in rows:
            label = getattr(record.partnership.bbv_categorie, "label", None) or "Niet ingedeeld"
            by_label.setdefault(label, []).append(record)
        order = BBV_GROUP_ORDER + sorted(set(by_label) - set(BBV_GROUP_ORDER))
        for index, label in enumerate(label for label in order if label in by_label):
            group_table = OverviewTable(
                by_label[label], year=year, municipality=municipality, orderable=False
            )
            group_table.caption = f"{label}: bijdrage {year}"
            group_table.caption_id = f"groep-{index}"
            grouped.append((label, group_table))
    query = request.GET.copy()
    query.pop("_export", None)
    return render(
        request,
        "finance/overview.html",
        {
            "municipality": municipality,
            "year": year,
            "years": range(year - 3, year + 2),
            "table": table,
            "grouped": grouped,
            "filter": filterset,
            "query": query.urlencode(),
            "crumbs": crumbs(municipality),
        },
    )


def _years(request, default_year: int) -> list[int]:
    try:
        until = int(request.GET.get("jaar", default_year))
    except ValueError:
        until = default_year
    return [until - 2, until - 1, until]


def compare_partnerships(request, gemeente):
    """Two to six partnerships of a municipality side by side: its key figures per year."""
    municipality = collab_selectors.get_municipality(gemeente)
    slugs = list(dict.fromkeys(request.GET.getlist("s")))
    error = None
    if not 2 <= len(slugs) <= 6:
        error = "Kies twee tot zes samenwerkingen om te vergelijken."
    participations = collab_selectors.participations_by_slugs(municipality, slugs[:6])
    years = _years(request, selectors.default_overview_year(municipality))
    view = selectors.compare(
        participations, years, lambda p: f"{p.partnership.name} ({p.partnership.afkorting})"
    )
    return render(
        request,
        "finance/compare.html",
        {
            "municipality": municipality,
            "title": f"Samenwerkingen van {municipality.name} vergeleken",
            "view": view,
            "error": error,
            "crumbs": crumbs(municipality, current="Vergelijken"),
        },
        status=400 if error else 200,
    )


def compare_municipalities(request, gemeente, slug):
    """One partnership across its participating municipalities."""
    participation = collab_selectors.get_participation(gemeente, slug)
    participations = collab_selectors.participations_of_partnership(participation.partnership)
    years = _years(request, selectors.default_overview_year(participation.municipality))
    view = selectors.compare(participations, years, lambda p: p.municipality.name)
    return render(
        request,
        "finance/compare.html",
        {
            "municipality": participation.municipality,
            "partnership": participation.partnership,
            "title": f"{participation.partnership.name}: de deelnemende gemeenten vergeleken",
            "view": view,
            "error": None,
            "crumbs": crumbs(participation.municipality, participation, current="Vergelijken"),
        },
    )


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def year_pdf(request, gemeente, slug, jaar):
    participation = collab_selectors.get_participation(gemeente, slug)
    if not any(r.year == jaar for r in collab_selectors.visible_years(participation, request.user)):
        raise Http404("Voor dit jaar is niets gepubliceerd.")
    html = reports.year_report_html(participation, jaar, request.user)
    return pdf_response(reports.render_pdf(html), f"{slug}-{gemeente}-{jaar}.pdf")


def comparison_pdf(request, gemeente, slug, jaar):
    participation = collab_selectors.get_participation(gemeente, slug)
    model = selectors.get_allocation_model(slug, jaar)
    html = reports.comparison_report_html(participation, model)
    return pdf_response(reports.render_pdf(html), f"verdeelmodel-{slug}-{jaar}.pdf")


def bundle_form(request, gemeente):
    """Choose the year and the partnerships of a committee bundle."""
    municipality = collab_selectors.get_municipality(gemeente)
    participations = selectors.bundle_participations(municipality, [])
    year = selectors.default_overview_year(municipality)
    error = None
    if request.method == "POST":
        try:
            year = int(request.POST.get("jaar", year))
            bundle = services.request_bundle(
                user=request.user,
                municipality=municipality,
                year=year,
                slugs=request.POST.getlist("s"),
            )
        except (ValueError, ValidationError) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            return HttpResponseRedirect(reverse("bundle-status", args=[gemeente, bundle.pk]))
    return render(
        request,
        "finance/bundle_form.html",
        {
            "municipality": municipality,
            "participations": participations,
            "year": year,
            "error": error,
            "crumbs": crumbs(municipality, current="PDF-bundel"),
        },
        status=400 if error else 200,
    )


def bundle_status(request, gemeente, pk):
    municipality = collab_selectors.get_municipality(gemeente)
    bundle = selectors.get_bundle(municipality, pk)
    if request.GET.get("formaat") == "json":
        from django.http import JsonResponse

        return JsonResponse(
            {
                "status": bundle.status,
                "status_label": bundle.get_status_display(),
                "progress": bundle.progress,
                "label": bundle.progress_label,
                "download": reverse("bundle-pdf", args=[gemeente, pk])
                if bundle.status == bundle.Status.KLAAR
                else None,
            }
        )
    return render(
        request,
        "finance/bundle_status.html",
        {
            "municipality": municipality,
            "bundle": bundle,
            "crumbs": crumbs(municipality, current="PDF-bundel"),
        },
    )


def bundle_pdf(request, gemeente, pk):
    municipality = collab_selectors.get_municipality(gemeente)
    bundle = selectors.get_bundle(municipality, pk)
    if bundle.status != bundle.Status.KLAAR or not bundle.file:
        raise Http404("Deze bundel is nog niet klaar.")
    if bundle.include_drafts and not collab_selectors.user_can_edit(request.user, municipality):
        raise PermissionDenied("Deze bundel bevat concepten.")
    with bundle.file.open("rb") as handle:
        return pdf_response(handle.read(), f"samenwerkingen-{gemeente}-{bundle.year}.pdf")
